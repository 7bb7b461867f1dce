package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"workbench/trainer"
)

// summaryColumns are what a list shows; each column more costs about 1%
// of the time to list thousands of runs.
const summaryColumns = `runs.id, runs.name, runs.status, runs.dataset, runs.task, runs.summary, runs.optimizer, runs.lr,
	runs.created_at, runs.epochs_done, runs.epochs_total, runs.duration_ns, COALESCE(runs.sweep_id, ''),
	COALESCE((SELECT kind FROM run_lineage l WHERE l.run_id = runs.id), ''), runs.metrics, runs.tags`

func scanSummary(sc scanner, keep func(string) bool) (*Run, error) {
	var r Run
	if err := scanSummaryInto(sc, &r, nil, keep); err != nil {
		return nil, err
	}
	return &r, nil
}

// scanSummaryInto reads a summary row into r, with the metrics keep
// accepts; with m non-nil, m is cleared and reused for them.
func scanSummaryInto(sc scanner, r *Run, m Metrics, keep func(string) bool) error {
	*r = Run{}
	var status, metrics, tags string
	var created, dur int64
	if err := sc.Scan(&r.ID, &r.Name, &status, &r.Dataset, &r.Task, &r.Summary, &r.Spec.Optimizer.Name, &r.Spec.Optimizer.LR,
		&created, &r.EpochsDone, &r.EpochsTotal, &dur, &r.SweepID, &r.Kind, &metrics, &tags); err != nil {
		return err
	}
	if tags != "" && tags != "[]" && tags != "null" { // most runs have none: skip the JSON decoder
		if err := json.Unmarshal([]byte(tags), &r.Tags); err != nil {
			return fmt.Errorf("run %s: bad stored tags: %v", r.ID, err)
		}
	}
	r.Status = trainer.Status(status)
	r.Created = fromNanos(created)
	r.Duration = time.Duration(dur)
	var err error
	if m != nil {
		clear(m)
		if parseFlatMetricsInto(m, metrics, keep) {
			r.Metrics = m
			return nil
		}
	}
	if r.Metrics, err = parseMetrics(metrics, keep); err != nil {
		return fmt.Errorf("run %s: bad stored metrics: %v", r.ID, err)
	}
	return nil
}

// summaryKeep says which metrics q's summaries carry: the key metrics and
// q.Metrics.
func (q Query) summaryKeep() func(string) bool {
	if len(q.Metrics) == 0 {
		return summaryMetric
	}
	return func(k string) bool { return summaryMetric(k) || slices.Contains(q.Metrics, k) }
}

// where builds q's filter as SQL.
func (q Query) where() (string, []any, error) {
	var where []string
	var args []any
	if len(q.Status) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(",?", len(q.Status)-1)+")")
		for _, st := range q.Status {
			args = append(args, st)
		}
	}
	if q.Dataset != "" {
		where = append(where, "dataset = ?")
		args = append(args, q.Dataset)
	}
	if q.SweepID != "" {
		where = append(where, "sweep_id = ?")
		args = append(args, q.SweepID)
	}
	if q.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)")
		args = append(args, q.Tag)
	}
	if q.Text != "" {
		where = append(where, "(instr(lower(name), lower(?)) > 0 OR instr(lower(notes), lower(?)) > 0 OR instr(id, ?) > 0"+
			" OR instr(lower(dataset), lower(?)) > 0 OR instr(lower(summary), lower(?)) > 0 OR instr(lower(tags), lower(?)) > 0)")
		args = append(args, q.Text, q.Text, q.Text, q.Text, q.Text, q.Text)
	}
	for _, c := range q.Conds {
		switch c.Op {
		case ">", ">=", "<", "<=", "=", "!=":
		default:
			return "", nil, fmt.Errorf("filter: bad operator %q", c.Op)
		}
		// IN, not a correlated EXISTS: the planner then reads the metric's
		// index once, not once per run.
		where = append(where, "runs.id IN (SELECT run_id FROM run_metrics WHERE key = ? AND value "+c.Op+" ?)")
		args = append(args, c.Key, c.Value)
	}
	if len(where) == 0 {
		return "", nil, nil
	}
	return strings.Join(where, " AND "), args, nil
}

// sql builds the SELECT of cols for q: filter, order and limit in SQL.
func (q Query) sql(cols, from string) (string, []any, error) {
	where, args, err := q.where()
	if err != nil {
		return "", nil, err
	}
	key := strings.TrimPrefix(q.Sort, "-")
	desc := strings.HasPrefix(q.Sort, "-")
	order := "created_at DESC, id DESC"
	if key != "" {
		dir := "ASC"
		if desc {
			dir = "DESC"
		}
		if col, ok := sortColumns[key]; ok {
			order = col + " " + dir + ", id " + dir
		} else if validMetricName(key) {
			// Runs without the metric go last either way.
			from += " LEFT JOIN run_metrics sm ON sm.run_id = runs.id AND sm.key = ?"
			args = append([]any{MetricKey(key)}, args...)
			order = "sm.value IS NULL, sm.value " + dir + ", id " + dir
		} else {
			return "", nil, fmt.Errorf("sort: unknown column %q", key)
		}
	}
	query := "SELECT " + cols + " FROM " + from
	if where != "" {
		query += " WHERE " + where
	}
	query += " ORDER BY " + order
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	return query, args, nil
}

// ListRuns returns the runs q selects, in q's order, with every column.
func (s *SQLite) ListRuns(ctx context.Context, q Query) ([]*Run, error) {
	query, args, err := q.sql(runColumns, runFrom)
	if err != nil {
		return nil, err
	}
	return s.collect(ctx, scanRun, query, args...)
}

// ListSummaries returns the runs q selects, in q's order, with only what
// a list shows: ID, name, status, dataset, task, summary, the optimizer's
// name and learning rate, creation time, epochs done and planned,
// duration, sweep, kind, and of the metrics only the task's key metric
// (trainer.KeyMetric) at the best epoch and on the test split:
// best_val_accuracy and test_accuracy, or best_val_r2 and test_r2. It is
// the fast way to list many runs; GetRun has the rest.
func (s *SQLite) ListSummaries(ctx context.Context, q Query) ([]*Run, error) {
	query, args, err := q.sql(summaryColumns, "runs")
	if err != nil {
		return nil, err
	}
	keep := q.summaryKeep()
	return s.collect(ctx, func(sc scanner) (*Run, error) { return scanSummary(sc, keep) }, query, args...)
}

// EachSummary calls fn with each run q selects, in q's order, as
// ListSummaries returns them, while reading them: memory stays flat
// whatever the number of runs. fn gets the same *Run each time, refilled:
// it must not keep it (copy what it needs). An error from fn stops the
// scan and is returned.
func (s *SQLite) EachSummary(ctx context.Context, q Query, fn func(*Run) error) error {
	query, args, err := q.sql(summaryColumns, "runs")
	if err != nil {
		return err
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	var r Run
	m := make(Metrics, 16)
	keep := q.summaryKeep()
	for rows.Next() {
		if err := scanSummaryInto(rows, &r, m, keep); err != nil {
			return s.wrap(err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

// EachRun calls fn with each run q selects, in q's order, with every
// column, as ListRuns returns them, one at a time: memory stays flat
// whatever the number of runs. An error from fn stops the scan.
func (s *SQLite) EachRun(ctx context.Context, q Query, fn func(*Run) error) error {
	query, args, err := q.sql(runColumns, runFrom)
	if err != nil {
		return err
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return s.wrap(err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

func (s *SQLite) collect(ctx context.Context, scan func(scanner) (*Run, error), query string, args ...any) ([]*Run, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []*Run
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, r)
	}
	return out, s.wrap(rows.Err())
}

// Changes is what changed in a store since a sequence number.
type Changes struct {
	// Runs are the changed runs that q selects (summaries, in no order).
	Runs []*Run
	// Changed holds the ID of every run changed or deleted since the last
	// look, selected by q or not: a reader drops these, then adds Runs.
	Changed []string
	// Seq is the sequence to pass next time.
	Seq int64
}

// ListChangedSince returns the runs changed (created, updated, deleted)
// after seq. ChangeSeq, or a previous call's Seq, gives the seq of a
// complete listing.
func (s *SQLite) ListChangedSince(ctx context.Context, q Query, seq int64) (*Changes, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.wrap(err)
	}
	defer tx.Rollback()
	c := &Changes{}
	if err := tx.QueryRowContext(ctx, "SELECT seq FROM change_seq").Scan(&c.Seq); err != nil {
		return nil, s.wrap(err)
	}
	if c.Seq == seq {
		return c, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM runs WHERE seq > ? UNION ALL SELECT run_id FROM run_tombstones WHERE seq > ?", seq, seq)
	if err != nil {
		return nil, s.wrap(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, s.wrap(err)
		}
		c.Changed = append(c.Changed, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err)
	}
	where, args, err := q.where()
	if err != nil {
		return nil, err
	}
	query := "SELECT " + summaryColumns + " FROM runs WHERE seq > ?"
	if where != "" {
		query += " AND " + where
	}
	rows, err = tx.QueryContext(ctx, query, append([]any{seq}, args...)...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	keep := q.summaryKeep()
	for rows.Next() {
		r, err := scanSummary(rows, keep)
		if err != nil {
			return nil, s.wrap(err)
		}
		c.Runs = append(c.Runs, r)
	}
	return c, s.wrap(rows.Err())
}

// ChangeSeq returns the store's current change sequence.
func (s *SQLite) ChangeSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, "SELECT seq FROM change_seq").Scan(&seq)
	return seq, s.wrap(err)
}
