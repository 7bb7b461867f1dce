package queue_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"workbench/queue"
	"workbench/sessions"
	"workbench/sessions/pgtest"
	"workbench/sweeps"
	"workbench/trainer"
)

// work runs a worker in this process until the returned stop is called;
// stop waits for it and returns its error.
func work(t *testing.T, url string, store *sessions.SQLite, o queue.WorkerOptions) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	if o.Heartbeat == 0 {
		o.Heartbeat, o.StaleAfter = testBeat, testStale
	}
	go func() { done <- queue.Work(ctx, url, store, o) }()
	var err error
	stopped := false
	stop = func() error {
		if !stopped {
			cancel()
			err, stopped = <-done, true
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// runningRun waits for a running run of sweep id with at least n epochs.
func runningRun(t *testing.T, store *sessions.SQLite, id string, n int) *sessions.Run {
	t.Helper()
	var found *sessions.Run
	waitFor(t, 30*time.Second, "a running trial", func() bool {
		runs, err := store.ListRuns(context.Background(), sessions.Query{SweepID: id})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r.Status == trainer.StatusRunning && r.EpochsDone >= n {
				found = r
				return true
			}
		}
		return false
	})
	return found
}

// TestStaleAttemptStopsWriting: when a trial's job is handed to another
// worker (here: the test begins the next attempt, as a rescued job's
// worker does first), the attempt still training finds out at its next
// epoch write, writes nothing more, and ends interrupted as superseded.
func TestStaleAttemptStopsWriting(t *testing.T) {
	url := pgtest.URL(t)
	store, db := open(t, url)
	ctx := context.Background()
	enq, err := db.Enqueue(ctx, sweepSpec(5000, []string{"0.01"}, 0), queue.EnqueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := enq.Sweep.ID
	work(t, url, store, queue.WorkerOptions{Concurrency: 1})
	run := runningRun(t, store, id, 3)

	next, ok, err := store.BeginAttempt(ctx, id, 0)
	if err != nil || !ok || next.Attempt != 2 {
		t.Fatalf("BeginAttempt: attempt %d, %v, %v; want attempt 2", next.Attempt, ok, err)
	}
	// Every epoch committed from now on would be a write of a stale
	// attempt: there must be none.
	before, err := store.History(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	var r *sessions.Run
	waitFor(t, 10*time.Second, "the stale attempt to end its run", func() bool {
		r, err = store.GetRun(ctx, run.ID)
		return err == nil && !r.Finished.IsZero()
	})
	if r.Status != trainer.StatusInterrupted || !strings.Contains(r.Reason, "superseded") {
		t.Errorf("stale run ended %s (%s), want interrupted, superseded", r.Status, r.Reason)
	}
	after, err := store.History(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || r.EpochsDone != len(before) {
		t.Errorf("the stale attempt wrote on: %d epochs when superseded, %d after (run says %d)", len(before), len(after), r.EpochsDone)
	}
	trials, err := store.Trials(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tr := trials[0]; tr.Attempt != 2 || tr.State != sessions.TrialRunning {
		t.Errorf("trial after the stale attempt ended: attempt %d, %s; want attempt 2, running", tr.Attempt, tr.State)
	}
}

// TestStopPutsJobsBack: a worker that is stopped saves its trial stopped
// and puts the job back in the queue, not as a failure; the next worker
// trains the trial again as attempt 2, and the trial counts once.
func TestStopPutsJobsBack(t *testing.T) {
	url := pgtest.URL(t)
	store, db := open(t, url)
	ctx := context.Background()
	enq, err := db.Enqueue(ctx, sweepSpec(300, []string{"0.01"}, 0), queue.EnqueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := enq.Sweep.ID
	stop := work(t, url, store, queue.WorkerOptions{Concurrency: 1})
	first := runningRun(t, store, id, 3)
	if err := stop(); err != nil {
		t.Fatalf("stopping the worker: %v", err)
	}
	r, err := store.GetRun(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != trainer.StatusStopped {
		t.Errorf("the stopped worker's run is %s (%s), want stopped", r.Status, r.Reason)
	}
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	var state string
	var attempt int
	var errs int
	if err := sqldb.QueryRow("SELECT state, attempt, coalesce(array_length(errors, 1), 0) FROM river_job").Scan(&state, &attempt, &errs); err != nil {
		t.Fatal(err)
	}
	if state != "available" || errs != 0 {
		t.Errorf("job after the stop: %s with %d errors, want available with none", state, errs)
	}
	trials, _ := store.Trials(ctx, id)
	if trials[0].State != sessions.TrialQueued {
		t.Errorf("trial after the stop: %s, want queued", trials[0].State)
	}

	work(t, url, store, queue.WorkerOptions{Concurrency: 1})
	waitFor(t, 30*time.Second, "the sweep to end", func() bool {
		sw, err := store.GetSweep(ctx, id)
		return err == nil && sw.Status == "done"
	})
	trials, _ = store.Trials(ctx, id)
	if tr := trials[0]; tr.Attempt != 2 || tr.State != sessions.TrialDone || tr.RunID == first.ID {
		t.Errorf("trial: attempt %d, %s, run %s; want attempt 2 done by a new run", tr.Attempt, tr.State, tr.RunID)
	}
	rep, err := sweeps.Load(ctx, store, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Trials) != 1 || rep.Trials[0].Status != trainer.StatusDone || rep.Trials[0].RunID != trials[0].RunID {
		t.Errorf("report: %+v, want the one trial, done by its last attempt", rep.Trials)
	}
}

// TestCancel: cancelling a sweep drops its waiting trials and jobs, stops
// the running one at its next epoch (saved stopped) and ends the sweep
// cancelled; a worker then has nothing to do.
func TestCancel(t *testing.T) {
	url := pgtest.URL(t)
	store, db := open(t, url)
	ctx := context.Background()
	enq, err := db.Enqueue(ctx, sweepSpec(5000, []string{"0.001", "0.01", "0.1"}, 0), queue.EnqueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := enq.Sweep.ID
	work(t, url, store, queue.WorkerOptions{Concurrency: 1})
	run := runningRun(t, store, id, 3)
	n, err := db.Cancel(ctx, id)
	if err != nil || n != 3 {
		t.Fatalf("Cancel: %d trials, %v; want 3", n, err)
	}
	var r *sessions.Run
	waitFor(t, 10*time.Second, "the running trial to stop", func() bool {
		r, err = store.GetRun(ctx, run.ID)
		return err == nil && r.Status != trainer.StatusRunning
	})
	if r.Status != trainer.StatusStopped {
		t.Errorf("running trial ended %s (%s), want stopped", r.Status, r.Reason)
	}
	sw, err := store.GetSweep(ctx, id)
	if err != nil || sw.Status != sessions.SweepCancelled {
		t.Errorf("sweep: %+v, %v; want cancelled", sw, err)
	}
	trials, _ := store.Trials(ctx, id)
	for _, tr := range trials {
		if tr.State != sessions.TrialCancelled {
			t.Errorf("trial %d: %s, want cancelled", tr.Trial, tr.State)
		}
	}
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	var live int
	waitFor(t, 5*time.Second, "no live job", func() bool {
		sqldb.QueryRow("SELECT count(*) FROM river_job WHERE state NOT IN ('cancelled', 'completed')").Scan(&live)
		return live == 0
	})
	runs, _ := store.ListRuns(ctx, sessions.Query{SweepID: id})
	if len(runs) != 1 {
		t.Errorf("%d runs after the cancel, want the one that was running", len(runs))
	}
	if _, err := db.Cancel(ctx, "sweep-none"); !errors.Is(err, sessions.ErrNotFound) {
		t.Errorf("cancelling no sweep: %v, want ErrNotFound", err)
	}
}

// TestLostConnectionsRetry: when the server drops a worker's connections
// mid-trial, the trial's writes fail, its run ends interrupted, and the
// trial is retried as a new attempt once the worker reconnects.
func TestLostConnectionsRetry(t *testing.T) {
	// The worker's connections carry a name of their own; the test
	// watches through others.
	app := fmt.Sprintf("wbtest-outage-%d", rand.Uint64())
	base := pgtest.URL(t)
	url := base + "&application_name=" + app
	store, db := open(t, base)
	ctx := context.Background()
	enq, err := db.Enqueue(ctx, sweepSpec(400, []string{"0.01"}, 0), queue.EnqueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := enq.Sweep.ID
	wstore, err := sessions.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer wstore.Close()
	work(t, url, wstore, queue.WorkerOptions{Concurrency: 1})
	first := runningRun(t, store, id, 3)
	admin, err := sql.Open("pgx", os.Getenv(pgtest.Env))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// A connection dropped between writes is replaced unseen (database/sql
	// retries a bad connection), so drop them until a write fails.
	// Stop as soon as the first attempt has ended or a second has begun:
	// under load, killing the second attempt's connections too would send
	// the trial into River's growing retry back-off.
	waitFor(t, 30*time.Second, "a write to fail", func() bool {
		if trials, err := store.Trials(ctx, id); err == nil && len(trials) > 0 && trials[0].Attempt >= 2 {
			return true
		}
		var n int
		if err := admin.QueryRow("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
			t.Fatalf("terminating the worker's connections: %v", err)
		}
		r, err := store.GetRun(ctx, first.ID)
		return err == nil && r.Status != trainer.StatusRunning
	})
	ending := 45 * time.Second
	if raceOn {
		ending = 150 * time.Second
	}
	waitFor(t, ending, "the sweep to end", func() bool {
		sw, err := store.GetSweep(ctx, id)
		return err == nil && sw.Status == "done"
	})
	r, err := store.GetRun(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	trials, _ := store.Trials(ctx, id)
	if r.Status != trainer.StatusInterrupted || trials[0].Attempt < 2 || trials[0].RunID == first.ID || trials[0].State != sessions.TrialDone {
		t.Errorf("run of the lost connection: %s (%s); trial: attempt %d, %s, run %s; want interrupted, then a later attempt done",
			r.Status, r.Reason, trials[0].Attempt, trials[0].State, trials[0].RunID)
	}
}
