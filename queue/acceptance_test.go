package queue_test

import (
	"context"
	"database/sql"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"workbench/queue"
	"workbench/sessions"
	"workbench/sessions/pgtest"
	"workbench/sweeps"
	"workbench/trainer"
)

// TestKilledWorker is the acceptance test of distributed sweeps: 3 worker
// processes, a 12-trial sweep, one worker killed with kill -9 during a
// trial. Every trial must end in a final state and count once, the killed
// attempt must be an interrupted run of the store, and the store must be
// consistent.
func TestKilledWorker(t *testing.T) {
	url := pgtest.URL(t)
	store, db := open(t, url)
	ctx := context.Background()
	epochs := 250
	if raceOn {
		epochs = 60
	}
	enq, err := db.Enqueue(ctx, sweepSpec(epochs, []string{"0.001", "0.003", "0.01", "0.03"}, 3), queue.EnqueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := enq.Sweep.ID
	if len(enq.Trials) != 12 {
		t.Fatalf("enqueued %d trials, want 12", len(enq.Trials))
	}
	workers := []*workerProc{startWorker(t, url), startWorker(t, url), startWorker(t, url)}
	victim := workers[0].cmd.Process.Pid

	// Kill the first worker in the middle of a trial: once its run has
	// stored some epochs.
	var killed string
	waitFor(t, 30*time.Second, "a run of the first worker with epochs", func() bool {
		runs, err := store.ListRuns(ctx, sessions.Query{SweepID: id})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r.OwnerPID == victim && r.Status == trainer.StatusRunning && r.EpochsDone >= 2 && r.EpochsDone < r.EpochsTotal-10 {
				killed = r.ID
				return true
			}
		}
		return false
	})
	if err := workers[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	workers[0].cmd.Wait()

	waitFor(t, 45*time.Second, "the sweep to end", func() bool {
		sw, err := store.GetSweep(ctx, id)
		return err == nil && sw.Status != "running"
	})
	sw, err := store.GetSweep(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Status != "done" || sw.Trials != 12 {
		t.Errorf("sweep %s with %d trials, want done with 12", sw.Status, sw.Trials)
	}

	// Every trial is final, by a done run of its last attempt.
	trials, err := store.Trials(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	attempts, err := store.Attempts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	current := map[string]bool{}
	for _, tr := range trials {
		if tr.State != sessions.TrialDone || tr.RunID == "" {
			t.Errorf("trial %d: %s with run %q, want done with a run", tr.Trial, tr.State, tr.RunID)
		}
		current[tr.RunID] = true
		if a := attempts[killed]; a.Trial == tr.Trial && tr.Attempt < 2 {
			t.Errorf("trial %d of the killed run: attempt %d, want a retry", tr.Trial, tr.Attempt)
		}
	}

	// The killed attempt is an interrupted run of its trial, not current;
	// every current run is done. (On a loaded machine a live worker's
	// heartbeat may lag: its attempt is then superseded, also
	// interrupted, and the trial still counts once.)
	runs, err := store.ListRuns(ctx, sessions.Query{SweepID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) < 13 {
		t.Errorf("%d runs, want 12 trials and the killed attempt", len(runs))
	}
	for _, r := range runs {
		a, ok := attempts[r.ID]
		switch {
		case !ok:
			t.Errorf("run %s has no attempt", r.ID)
		case r.ID == killed:
			if r.Status != trainer.StatusInterrupted || current[r.ID] || a.Number != 1 {
				t.Errorf("killed run: %s (%s), attempt %d, current %v; want interrupted, attempt 1, not current", r.Status, r.Reason, a.Number, current[r.ID])
			}
			if r.EpochsDone == 0 || r.EpochsDone >= r.EpochsTotal {
				t.Errorf("killed run kept %d of %d epochs", r.EpochsDone, r.EpochsTotal)
			}
		case current[r.ID]:
			if r.Status != trainer.StatusDone || r.EpochsDone != r.EpochsTotal {
				t.Errorf("run %s: %s, %d/%d epochs; want a done run", r.ID, r.Status, r.EpochsDone, r.EpochsTotal)
			}
		default:
			t.Logf("an extra attempt: run %s, attempt %d of trial %d: %s (%s)", r.ID, a.Number, a.Trial, r.Status, r.Reason)
			if r.Status != trainer.StatusInterrupted {
				t.Errorf("run %s is not current but %s", r.ID, r.Status)
			}
		}
	}

	// sweep show counts each trial once.
	rep, err := sweeps.Load(ctx, store, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Trials) != 12 {
		t.Errorf("the report has %d trials, want 12", len(rep.Trials))
	}
	seen := map[string]bool{}
	for _, tr := range rep.Trials {
		if seen[tr.RunID] || !current[tr.RunID] || tr.Status != trainer.StatusDone || !tr.HasObj {
			t.Errorf("report trial %s: %s, objective %v, seen before %v", tr.RunID, tr.Status, tr.HasObj, seen[tr.RunID])
		}
		seen[tr.RunID] = true
	}

	// The queue agrees: every job completed, none left running.
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	// (River records completions a moment after the store's last write.)
	var completed, other int
	waitFor(t, 5*time.Second, "every job completed", func() bool {
		if err := sqldb.QueryRow(`SELECT count(*) FILTER (WHERE state = 'completed'), count(*) FILTER (WHERE state <> 'completed') FROM river_job`).Scan(&completed, &other); err != nil {
			t.Fatal(err)
		}
		return completed == 12 && other == 0
	})

	// The others stop cleanly on SIGTERM.
	for _, w := range workers[1:] {
		w.cmd.Process.Signal(syscall.SIGTERM)
		if err := w.cmd.Wait(); err != nil {
			t.Errorf("worker %d: %v", w.cmd.Process.Pid, err)
		}
	}
}
