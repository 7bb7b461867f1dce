package queue

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"workbench/sessions"
)

// keepAlive beats for the worker's runs and hands on the jobs of runs
// whose heartbeat stopped, every heartbeat, until ctx ends. While the
// store cannot be reached it says so once, keeps trying at a growing
// pause (River and the pool reconnect by themselves), and says when it is
// back.
func (w *worker) keepAlive(ctx context.Context, db *DB) {
	pause := w.o.Heartbeat
	down := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		err := w.store.HeartbeatRuns(ctx, w.activeRuns())
		if err == nil {
			err = db.reap(ctx, w.store, w.o.StaleAfter, w.logf)
		}
		if err == nil {
			err = w.proposeStalled(ctx, db)
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if !down {
				w.logf("%v; retrying", err)
			}
			down = true
			pause = min(2*pause, 30*time.Second)
		case down:
			w.logf("store %s is reachable again", sessions.RedactURL(db.url))
			down, pause = false, w.o.Heartbeat
		}
	}
}

// reap marks interrupted the runs whose heartbeat stopped for longer than
// after, and makes their jobs available at once. It also puts back the
// job of a trial that waits while its job was completed by an attempt
// that had been superseded (River has no fencing of its own) or has
// stayed running for longer than after.
func (db *DB) reap(ctx context.Context, store *sessions.SQLite, after time.Duration, logf func(string, ...any)) error {
	stale, err := store.StaleAttempts(ctx, after)
	if err != nil {
		return err
	}
	for _, st := range stale {
		tx, err := db.pool.Begin(ctx)
		if err != nil {
			return db.wrap(err)
		}
		ok, err := sessions.InterruptStaleTx(ctx, tx, st, after)
		if err == nil && ok {
			err = availJob(ctx, tx, st.JobID, "'running', 'completed'")
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		tx.Rollback(context.Background())
		if err != nil {
			return db.wrap(err)
		}
		if ok {
			logf("trial %d of %s: run %s sent no heartbeat since %s; marked interrupted, its job is available",
				st.Trial+1, st.SweepID, st.RunID, st.Heartbeat.Local().Format("15:04:05"))
		}
	}
	// A trial that waits needs a job that waits. Its job may instead be
	// completed (by a superseded attempt), or left running by a worker
	// whose report to River was lost with the connection (River gives up
	// after a few tries): both are put back.
	_, err = db.pool.Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now(), finalized_at = NULL
		WHERE (state = 'completed' OR (state = 'running' AND attempted_at < $2))
		AND id IN (SELECT t.job_id FROM sweep_trials t JOIN sweeps s ON s.id = t.sweep_id
			WHERE t.state = $1 AND s.status = 'running')`, sessions.TrialQueued, time.Now().Add(-after))
	return db.wrap(err)
}

// availJob makes a job available now if it is in one of states (an SQL
// list). River has no call for a running job: this is its rescue, early.
func availJob(ctx context.Context, tx pgx.Tx, id int64, states string) error {
	_, err := tx.Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now(), finalized_at = NULL
		WHERE id = $1 AND state IN (`+states+`)`, id)
	return err
}
