package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"workbench/trainer"
)

const runColumns = `id, name, status, reason, spec, dataset, task, summary, params, data_hash, scaler, features, classes,
	tags, notes, COALESCE(sweep_id, ''), created_at, finished_at, heartbeat_at, owner_pid, owner_host, epochs_done,
	epochs_total, best_epoch, monitor, duration_ns, samples_per_s, metrics, ` + lineageColumns

type scanner interface{ Scan(dest ...any) error }

func scanRun(sc scanner) (*Run, error) {
	var r Run
	var status, spec, scaler, features, classes, tags, metrics, kind, parent, members string
	var created, finished, hb, dur int64
	if err := sc.Scan(&r.ID, &r.Name, &status, &r.Reason, &spec, &r.Dataset, &r.Task, &r.Summary, &r.Params, &r.DataHash,
		&scaler, &features, &classes, &tags, &r.Notes, &r.SweepID, &created, &finished, &hb, &r.OwnerPID, &r.OwnerHost,
		&r.EpochsDone, &r.EpochsTotal, &r.BestEpoch, &r.Monitor, &dur, &r.SamplesPerSec, &metrics, &kind, &parent, &members); err != nil {
		return nil, err
	}
	if err := scanLineage(&r, kind, parent, members); err != nil {
		return nil, err
	}
	r.Status = trainer.Status(status)
	r.Created, r.Finished, r.Heartbeat = fromNanos(created), fromNanos(finished), fromNanos(hb)
	r.Duration = time.Duration(dur)
	for _, f := range []struct {
		raw string
		dst any
	}{{spec, &r.Spec}, {scaler, &r.Scaler}, {features, &r.Features}, {classes, &r.Classes}, {tags, &r.Tags}, {metrics, &r.Metrics}} {
		if err := json.Unmarshal([]byte(f.raw), f.dst); err != nil {
			return nil, fmt.Errorf("run %s: bad stored JSON: %v", r.ID, err)
		}
	}
	if len(r.Classes) == 0 {
		r.Classes = nil
	}
	return &r, nil
}

// GetRun returns one run without its history.
func (s *SQLite) GetRun(ctx context.Context, id string) (*Run, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, "SELECT "+runColumns+" FROM runs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	return r, nil
}

// History returns a run's epochs in order.
func (s *SQLite) History(ctx context.Context, id string) ([]Epoch, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT epoch, lr, elapsed_ns, samples_per_s, train, val FROM epochs WHERE run_id = ? ORDER BY epoch", id)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []Epoch
	for rows.Next() {
		var e Epoch
		var el int64
		var tr, va string
		if err := rows.Scan(&e.Epoch, &e.LR, &el, &e.SamplesPerSec, &tr, &va); err != nil {
			return nil, s.wrap(err)
		}
		e.Elapsed = time.Duration(el)
		if err := json.Unmarshal([]byte(tr), &e.Train); err != nil {
			return nil, s.wrap(err)
		}
		if err := json.Unmarshal([]byte(va), &e.Val); err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err)
	}
	return out, s.wrap(attachLayers(ctx, s.r, id, out))
}

// Evaluation returns a run's final evaluations; ErrNotFound before it ends.
func (s *SQLite) Evaluation(ctx context.Context, id string) (*Evaluations, error) {
	var raw string
	err := s.r.QueryRowContext(ctx, "SELECT data FROM evaluations WHERE run_id = ?", id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no evaluation for %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	var ev Evaluations
	if err := json.Unmarshal([]byte(raw), &ev); err != nil {
		return nil, s.wrap(err)
	}
	return &ev, nil
}

// Weights returns a run's saved weights.
func (s *SQLite) Weights(ctx context.Context, id string) ([]byte, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx, "SELECT data FROM weights WHERE run_id = ?", id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no weights for %s", ErrNotFound, id)
	}
	return b, s.wrap(err)
}

// ListRuns returns the runs q selects, in q's order.
func (s *SQLite) ListRuns(ctx context.Context, q Query) ([]*Run, error) {
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
		where = append(where, "(instr(lower(name), lower(?)) > 0 OR instr(lower(notes), lower(?)) > 0 OR instr(id, ?) > 0)")
		args = append(args, q.Text, q.Text, q.Text)
	}
	for _, c := range q.Conds {
		switch c.Op {
		case ">", ">=", "<", "<=", "=", "!=":
		default:
			return nil, fmt.Errorf("filter: bad operator %q", c.Op)
		}
		where = append(where, "EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = runs.id AND m.key = ? AND m.value "+c.Op+" ?)")
		args = append(args, c.Key, c.Value)
	}
	query := "SELECT " + runColumns + " FROM runs"
	var orderArgs []any
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
			const sv = "(SELECT value FROM run_metrics m WHERE m.run_id = runs.id AND m.key = ?)"
			order = sv + " IS NULL, " + sv + " " + dir + ", id " + dir
			orderArgs = []any{MetricKey(key), MetricKey(key)}
		} else {
			return nil, fmt.Errorf("sort: unknown column %q", key)
		}
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + order
	args = append(args, orderArgs...)
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []*Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, r)
	}
	return out, s.wrap(rows.Err())
}

// UpdateRun renames, re-tags or annotates a run.
func (s *SQLite) UpdateRun(ctx context.Context, id string, p Patch) error {
	var sets []string
	var args []any
	if p.Name != nil {
		sets, args = append(sets, "name = ?"), append(args, *p.Name)
	}
	if p.Tags != nil {
		sets, args = append(sets, "tags = ?"), append(args, mustJSON(nonNil(*p.Tags)))
	}
	if p.Notes != nil {
		sets, args = append(sets, "notes = ?"), append(args, *p.Notes)
	}
	if len(sets) == 0 {
		return nil
	}
	res, err := s.w.ExecContext(ctx, "UPDATE runs SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return nil
}

// DeleteRuns removes runs with their history, evaluation and weights.
func (s *SQLite) DeleteRuns(ctx context.Context, ids ...string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, "DELETE FROM runs WHERE id = ?", id)
		if err != nil {
			return s.wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
	}
	return s.wrap(tx.Commit())
}

// ImportRun inserts a complete run in one transaction.
func (s *SQLite) ImportRun(ctx context.Context, r *FullRun) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	run := r.Run
	if run.SweepID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sweeps WHERE id = ?", run.SweepID).Scan(&n); err != nil {
			return s.wrap(err)
		}
		if n == 0 {
			run.SweepID = "" // the sweep was not exported with the run
		}
	}
	if err := s.insertRun(ctx, tx, &run); err != nil {
		return err
	}
	if err := s.putLineage(ctx, tx, &run); err != nil {
		return err
	}
	for _, e := range r.History {
		if _, err := tx.ExecContext(ctx, `INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val) VALUES (?,?,?,?,?,?,?)`,
			run.ID, e.Epoch, e.LR, int64(e.Elapsed), e.SamplesPerSec, mustJSON(e.Train), mustJSON(e.Val)); err != nil {
			return s.wrap(err)
		}
	}
	if err := s.putLayers(ctx, tx, run.ID, r.History); err != nil {
		return s.wrap(err)
	}
	if r.Evaluation != nil {
		if _, err := tx.ExecContext(ctx, "INSERT INTO evaluations (run_id, data) VALUES (?, ?)", run.ID, mustJSON(r.Evaluation)); err != nil {
			return s.wrap(err)
		}
	}
	if r.Weights != nil {
		if _, err := tx.ExecContext(ctx, "INSERT INTO weights (run_id, data) VALUES (?, ?)", run.ID, r.Weights); err != nil {
			return s.wrap(err)
		}
	}
	return s.wrap(tx.Commit())
}

// CreateSweep inserts a sweep.
func (s *SQLite) CreateSweep(ctx context.Context, sw *Sweep) error {
	_, err := s.w.ExecContext(ctx, "INSERT INTO sweeps (id, name, status, objective, config, created_at) VALUES (?,?,?,?,?,?)",
		sw.ID, sw.Name, sw.Status, sw.Objective, sw.Config, nanos(sw.Created))
	return s.wrap(err)
}

// UpdateSweep sets a sweep's status.
func (s *SQLite) UpdateSweep(ctx context.Context, id, status string) error {
	_, err := s.w.ExecContext(ctx, "UPDATE sweeps SET status = ? WHERE id = ?", status, id)
	return s.wrap(err)
}

const sweepColumns = "id, name, status, objective, config, created_at, (SELECT count(*) FROM runs WHERE sweep_id = sweeps.id)"

func scanSweep(sc scanner) (*Sweep, error) {
	var sw Sweep
	var created int64
	if err := sc.Scan(&sw.ID, &sw.Name, &sw.Status, &sw.Objective, &sw.Config, &created, &sw.Trials); err != nil {
		return nil, err
	}
	sw.Created = fromNanos(created)
	return &sw, nil
}

// GetSweep returns one sweep.
func (s *SQLite) GetSweep(ctx context.Context, id string) (*Sweep, error) {
	sw, err := scanSweep(s.r.QueryRowContext(ctx, "SELECT "+sweepColumns+" FROM sweeps WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no sweep %s", ErrNotFound, id)
	}
	return sw, s.wrap(err)
}

// ListSweeps returns every sweep, newest first.
func (s *SQLite) ListSweeps(ctx context.Context) ([]*Sweep, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+sweepColumns+" FROM sweeps ORDER BY created_at DESC")
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []*Sweep
	for rows.Next() {
		sw, err := scanSweep(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, sw)
	}
	return out, s.wrap(rows.Err())
}
