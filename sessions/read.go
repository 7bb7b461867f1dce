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

const runColumns = `runs.id, runs.name, runs.status, runs.reason, d.spec, runs.dataset, runs.task, runs.summary,
	runs.params, runs.data_hash, d.scaler, d.features, d.classes, runs.tags, runs.notes, COALESCE(runs.sweep_id, ''),
	runs.created_at, runs.finished_at, runs.heartbeat_at, runs.owner_pid, runs.owner_host, runs.epochs_done,
	runs.epochs_total, runs.best_epoch, runs.monitor, runs.duration_ns, runs.samples_per_s, runs.metrics, ` + lineageColumns

// runFrom joins a run's row to its spec, scaler, features and classes.
const runFrom = "runs JOIN run_data d ON d.run_id = runs.id"

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
	}{{spec, &r.Spec}, {scaler, &r.Scaler}, {features, &r.Features}, {classes, &r.Classes}, {tags, &r.Tags}} {
		if err := json.Unmarshal([]byte(f.raw), f.dst); err != nil {
			return nil, fmt.Errorf("run %s: bad stored JSON: %v", r.ID, err)
		}
	}
	var err error
	if r.Metrics, err = parseMetrics(metrics, nil); err != nil {
		return nil, fmt.Errorf("run %s: bad stored metrics: %v", r.ID, err)
	}
	if len(r.Classes) == 0 {
		r.Classes = nil
	}
	return &r, nil
}

// GetRun returns one run without its history.
func (s *SQLite) GetRun(ctx context.Context, id string) (*Run, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, "SELECT "+runColumns+" FROM "+runFrom+" WHERE runs.id = ?", id))
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
	rows, err := s.r.QueryContext(ctx, "SELECT epoch, lr, elapsed_ns, samples_per_s, train, val, folds FROM epochs WHERE run_id = ? ORDER BY epoch", id)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []Epoch
	for rows.Next() {
		var e Epoch
		var el int64
		var tr, va string
		if err := rows.Scan(&e.Epoch, &e.LR, &el, &e.SamplesPerSec, &tr, &va, &e.Folds); err != nil {
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
	res, err := s.exec(ctx, "UPDATE runs SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return nil
}

// DeleteRuns removes runs with their history, evaluation and weights. A
// run that a live process still records is refused with ErrTraining, and
// nothing is deleted: its recorder's next epoch failed on the missing row
// ("FOREIGN KEY constraint failed") and ended the run as interrupted. A
// running run whose process died goes like any other.
func (s *SQLite) DeleteRuns(ctx context.Context, ids ...string) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	now := time.Now()
	for _, id := range ids {
		var status, host string
		var pid int
		var hb int64
		err := tx.QueryRowContext(ctx, "SELECT status, owner_pid, owner_host, heartbeat_at FROM runs WHERE id = ?", id).Scan(&status, &pid, &host, &hb)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		case err != nil:
			return s.wrap(err)
		case status == string(trainer.StatusRunning) && !s.ownerGone(pid, host, hb, now):
			return fmt.Errorf("run %s is %w: stop it first, then delete it", id, ErrTraining)
		}
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
