package queue

import (
	"context"
	"math"

	"github.com/riverqueue/river"

	"workbench/sessions"
	"workbench/sweeps"
)

// proposeNext proposes a TPE sweep's next pending trial from its finished
// trials and enqueues its job, in one transaction that holds the sweep's
// row, so that workers ending trials together propose one trial each. A
// sweep without pending trials is left alone.
func (db *DB) proposeNext(ctx context.Context, sweepID string, info *sweepInfo) (proposed int, ok bool, err error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, false, db.wrap(err)
	}
	defer tx.Rollback(context.Background())
	trial, ok, err := sessions.NextPendingTx(ctx, tx, sweepID)
	if err != nil || !ok {
		return 0, false, db.wrap(err)
	}
	fins, err := sessions.FinishedTx(ctx, tx, sweepID)
	if err != nil {
		return 0, false, db.wrap(err)
	}
	key := sessions.MetricKey(info.obj)
	done := make([]sweeps.TrialResult, 0, len(fins))
	for _, f := range fins {
		v, has := f.Metrics[key]
		done = append(done, sweeps.TrialResult{Trial: sweeps.Trial{Index: f.Trial, Params: f.Params}, Status: f.Status,
			Objective: v, HasObj: has && !math.IsNaN(v) && !math.IsInf(v, 0)})
	}
	t, err := sweeps.NextTrial(info.spec, info.obj, trial, done)
	if err != nil {
		if err := sessions.FailPendingTx(ctx, tx, sweepID, trial, err.Error()); err != nil {
			return 0, false, db.wrap(err)
		}
		return 0, false, db.wrap(tx.Commit(ctx))
	}
	q := DefaultQueue
	if err := tx.QueryRow(ctx, `SELECT queue FROM river_job WHERE id = (SELECT job_id FROM sweep_trials WHERE sweep_id = $1 AND job_id <> 0 ORDER BY trial LIMIT 1)`, sweepID).Scan(&q); err != nil {
		return 0, false, db.wrap(err)
	}
	res, err := db.client.InsertTx(ctx, tx, TrialArgs{SweepID: sweepID, Trial: trial}, &river.InsertOpts{Queue: q, MaxAttempts: trialMaxAttempts})
	if err != nil {
		return 0, false, db.wrap(err)
	}
	if err := sessions.ProposeTx(ctx, tx, sweepID, trial, t.Spec, t.Params, res.Job.ID); err != nil {
		return 0, false, db.wrap(err)
	}
	return trial, true, db.wrap(tx.Commit(ctx))
}

// proposeStalled proposes a trial for each sweep whose pending trials wait
// with none queued or running: the worker that ended its last trial
// stopped before it proposed the next.
func (w *worker) proposeStalled(ctx context.Context, db *DB) error {
	ids, err := w.store.StalledSweeps(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		info, err := w.sweep(ctx, id)
		if err != nil {
			return err
		}
		if trial, ok, err := db.proposeNext(ctx, id, info); err != nil {
			return err
		} else if ok {
			w.logf("trial %d of %s: proposed by TPE for a stalled sweep", trial+1, id)
		}
	}
	return nil
}
