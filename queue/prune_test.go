package queue_test

import (
	"context"
	"testing"
	"time"

	"workbench/queue"
	"workbench/sessions"
	"workbench/sessions/pgtest"
	"workbench/trainer"
)

// TestSharedPruners: the median and ASHA pruners of a distributed sweep
// compare a trial with the other trials' epochs in the store. Trials run
// one at a time here, in order; the third, with a learning rate too small
// to learn, is pruned, and the first, with nothing to compare with, is
// not.
func TestSharedPruners(t *testing.T) {
	url := pgtest.URL(t)
	store, db := open(t, url)
	ctx := context.Background()
	for _, pruner := range []string{"median", "asha"} {
		t.Run(pruner, func(t *testing.T) {
			s := sweepSpec(40, []string{"0.03", "0.02", "0.00001"}, 0)
			s.Base.Data.Samples = 400
			s.Pruner, s.PruneWarmup, s.MinEpochs, s.Reduction = pruner, 3, 4, 2
			enq, err := db.Enqueue(ctx, s, queue.EnqueueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			stop := work(t, url, store, queue.WorkerOptions{Concurrency: 1})
			waitFor(t, 30*time.Second, "the sweep to end", func() bool {
				sw, err := store.GetSweep(ctx, enq.Sweep.ID)
				return err == nil && sw.Status == "done"
			})
			stop()
			trials, err := store.Trials(ctx, enq.Sweep.ID)
			if err != nil {
				t.Fatal(err)
			}
			status := map[int]*sessions.Run{}
			for _, tr := range trials {
				if status[tr.Trial], err = store.GetRun(ctx, tr.RunID); err != nil {
					t.Fatal(err)
				}
			}
			if r := status[0]; r.Status != trainer.StatusDone {
				t.Errorf("trial 1: %s after %d epochs, want done", r.Status, r.EpochsDone)
			}
			if r := status[2]; r.Status != trainer.StatusPruned || r.EpochsDone >= 40 {
				t.Errorf("trial 3 (lr 1e-5): %s after %d epochs, want pruned early", r.Status, r.EpochsDone)
			}
		})
	}
}
