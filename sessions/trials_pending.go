package sessions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"workbench/trainer"
)

// A TPE sweep's trials after the first few are proposed from the
// finished ones as they finish: they wait as pending rows, and the worker
// that ends a trial proposes the next (NextPendingTx, FinishedTx,
// ProposeTx) and enqueues its job in one transaction.

// NextPendingTx holds the sweep's row and returns its first pending trial,
// if any, in tx.
func NextPendingTx(ctx context.Context, tx pgx.Tx, sweepID string) (trial int, ok bool, err error) {
	var status string
	if err := tx.QueryRow(ctx, "SELECT status FROM sweeps WHERE id = $1 FOR NO KEY UPDATE", sweepID).Scan(&status); err != nil {
		return 0, false, err
	}
	if status != "running" {
		return 0, false, nil
	}
	err = tx.QueryRow(ctx, "SELECT trial FROM sweep_trials WHERE sweep_id = $1 AND state = $2 ORDER BY trial LIMIT 1", sweepID, TrialPending).Scan(&trial)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return trial, err == nil, err
}

// FinishedTrial is a final trial of a distributed sweep, for a sampler.
type FinishedTrial struct {
	Trial   int
	Params  map[string]string
	Status  trainer.Status
	Metrics Metrics
}

// FinishedTx returns the sweep's trials that ended with a run.
func FinishedTx(ctx context.Context, tx pgx.Tx, sweepID string) ([]FinishedTrial, error) {
	rows, err := tx.Query(ctx, `SELECT t.trial, t.params, r.status, r.metrics FROM sweep_trials t JOIN runs r ON r.id = t.run_id
		WHERE t.sweep_id = $1 AND t.state = $2 ORDER BY t.trial`, sweepID, TrialDone)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FinishedTrial
	for rows.Next() {
		var f FinishedTrial
		var params, status, metrics string
		if err := rows.Scan(&f.Trial, &params, &status, &metrics); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(params), &f.Params); err != nil {
			return nil, fmt.Errorf("trial %d of %s: bad stored params: %v", f.Trial, sweepID, err)
		}
		if f.Metrics, err = parseMetrics(metrics, nil); err != nil {
			return nil, err
		}
		f.Status = trainer.Status(status)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ProposeTx gives a pending trial its spec and job: it waits in the queue
// from then on.
func ProposeTx(ctx context.Context, tx pgx.Tx, sweepID string, trial int, spec trainer.Spec, params map[string]string, jobID int64) error {
	tag, err := tx.Exec(ctx, "UPDATE sweep_trials SET state = $1, spec = $2, params = $3, job_id = $4 WHERE sweep_id = $5 AND trial = $6 AND state = $7",
		TrialQueued, mustJSON(spec), mustJSON(nonNilMap(params)), jobID, sweepID, trial, TrialPending)
	if err == nil && tag.RowsAffected() == 0 {
		err = fmt.Errorf("trial %d of %s is not pending", trial, sweepID)
	}
	return err
}

// FailPendingTx ends a pending trial that could not be proposed.
func FailPendingTx(ctx context.Context, tx pgx.Tx, sweepID string, trial int, reason string) error {
	_, err := tx.Exec(ctx, "UPDATE sweep_trials SET state = $1, reason = $2 WHERE sweep_id = $3 AND trial = $4 AND state = $5",
		TrialFailed, reason, sweepID, trial, TrialPending)
	return err
}

// StalledSweeps returns the running sweeps with pending trials and none
// queued or running: the worker that should have proposed the next trial
// stopped first.
func (s *SQLite) StalledSweeps(ctx context.Context) ([]string, error) {
	if !s.pg {
		return nil, ErrNotDistributed
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT t.sweep_id FROM sweep_trials t JOIN sweeps s ON s.id = t.sweep_id
		WHERE t.state = ? AND s.status = 'running'
		AND NOT EXISTS (SELECT 1 FROM sweep_trials u WHERE u.sweep_id = t.sweep_id AND u.state IN (?, ?))`, TrialPending, TrialQueued, TrialRunning)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, id)
	}
	return out, s.wrap(rows.Err())
}
