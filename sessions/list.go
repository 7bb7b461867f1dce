package sessions

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// summaryColumns are what a list shows: list_row (see listrow.go). The
// run's kind comes from lineageKinds.
const summaryColumns = `runs.list_row`

// summaryCols returns the columns of q's summaries: with q.Metrics, the
// run's metrics too.
func (q Query) summaryCols() string {
	if len(q.Metrics) == 0 {
		return summaryColumns
	}
	return summaryColumns + ", runs.metrics"
}

// lineageKinds returns the kind of every derived run by ID. Derived runs
// are few, and one read of them costs less than a look-up per listed run
// (a third of listing 100,000 runs).
func lineageKinds(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT run_id, kind FROM run_lineage")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	kinds := map[string]string{}
	for rows.Next() {
		var id, kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, err
		}
		kinds[id] = kind
	}
	return kinds, rows.Err()
}

// readTx begins a read-only transaction whose statements see one state of
// the store.
func (s *SQLite) readTx(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, opts)
	return tx, s.wrap(err)
}

// eachSummary runs query, which selects q.summaryCols, in tx and calls fn
// with each run: a new *Run each time with fresh, else one refilled.
func (s *SQLite) eachSummary(ctx context.Context, tx *sql.Tx, q Query, fresh bool, query string, args []any, fn func(*Run) error) error {
	kinds, err := lineageKinds(ctx, tx)
	if err != nil {
		return s.wrap(err)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	r := &Run{}
	m := make(Metrics, 4)
	var row, metrics string
	for rows.Next() {
		if len(q.Metrics) == 0 {
			err = rows.Scan(&row)
		} else {
			err = rows.Scan(&row, &metrics)
		}
		if err != nil {
			return s.wrap(err)
		}
		if fresh {
			r, m = &Run{}, make(Metrics, 4)
		}
		if err := decodeSummary(r, m, q, row, metrics); err != nil {
			return err
		}
		r.Kind = kinds[r.ID]
		if err := fn(r); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

// decodeSummary fills r from a list row and, with q.Metrics, the run's
// metrics: the key metrics and q.Metrics go in m, cleared first.
func decodeSummary(r *Run, m Metrics, q Query, row, metrics string) error {
	if err := decodeListRow(row, r, m); err != nil {
		return err
	}
	if len(q.Metrics) == 0 {
		return nil
	}
	keep := func(k string) bool { return slices.Contains(q.Metrics, k) }
	if parseFlatMetricsInto(m, metrics, keep) {
		return nil
	}
	extra, err := parseMetrics(metrics, keep)
	if err != nil {
		return fmt.Errorf("run %s: bad stored metrics: %v", r.ID, err)
	}
	maps.Copy(m, extra)
	return nil
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
	var out []*Run
	err := s.eachSummaryOf(ctx, q, true, func(r *Run) error { out = append(out, r); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachSummary calls fn with each run q selects, in q's order, as
// ListSummaries returns them, while reading them: memory stays flat
// whatever the number of runs. fn gets the same *Run each time, refilled:
// it must not keep it (copy what it needs). An error from fn stops the
// scan and is returned.
func (s *SQLite) EachSummary(ctx context.Context, q Query, fn func(*Run) error) error {
	return s.eachSummaryOf(ctx, q, false, fn)
}

// eachSummaryOf is EachSummary with, when fresh, a new *Run for each call
// of fn, which fn may keep.
func (s *SQLite) eachSummaryOf(ctx context.Context, q Query, fresh bool, fn func(*Run) error) error {
	query, args, err := q.sql(q.summaryCols(), "runs")
	if err != nil {
		return err
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return s.eachSummary(ctx, tx, q, fresh, query, args, fn)
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
