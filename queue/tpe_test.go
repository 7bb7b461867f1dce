package queue_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"workbench/queue"
	"workbench/sessions"
	"workbench/sessions/pgtest"
	"workbench/sweeps"
)

// TestDistributedTPE: a TPE sweep enqueues its startup trials; each
// trial that ends proposes the next from the finished trials in the
// store, until the budget is spent. Two workers train them.
func TestDistributedTPE(t *testing.T) {
	url := pgtest.URL(t)
	store, db := open(t, url)
	ctx := context.Background()
	s := sweepSpec(20, []string{"0.01"}, 0)
	s.Grid = nil
	s.Base.Data.Samples = 300
	s.Random = []sweeps.Dist{{Field: "lr", Kind: "log", Min: 1e-4, Max: 0.3}}
	s.Trials, s.Sampler = 14, sweeps.SamplerTPE
	enq, err := db.Enqueue(ctx, s, queue.EnqueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := enq.Sweep.ID
	startup, pending := 0, 0
	for _, tr := range enq.Trials {
		switch tr.State {
		case sessions.TrialQueued:
			startup++
		case sessions.TrialPending:
			pending++
		}
	}
	if startup+pending != 14 || pending == 0 || startup == 0 {
		t.Fatalf("enqueued %d startup and %d pending trials, want 14 in all, some of each", startup, pending)
	}
	work(t, url, store, queue.WorkerOptions{Concurrency: 1})
	work(t, url, store, queue.WorkerOptions{Concurrency: 1})
	waitFor(t, 45*time.Second, "the sweep to end", func() bool {
		sw, err := store.GetSweep(ctx, id)
		return err == nil && sw.Status == "done"
	})
	trials, err := store.Trials(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 14 {
		t.Fatalf("%d trials, want 14", len(trials))
	}
	for _, tr := range trials {
		lr, err := strconv.ParseFloat(tr.Params["lr"], 64)
		if tr.State != sessions.TrialDone || tr.RunID == "" || err != nil || lr < 1e-4 || lr > 0.3 || tr.JobID == 0 {
			t.Errorf("trial %d: %s, run %q, lr %q, job %d; want done with an lr in the range", tr.Trial, tr.State, tr.RunID, tr.Params["lr"], tr.JobID)
		}
	}
	rep, err := sweeps.Load(ctx, store, id)
	if err != nil || len(rep.Trials) != 14 {
		t.Fatalf("report: %v, %d trials", err, len(rep.Trials))
	}
}
