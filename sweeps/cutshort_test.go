package sweeps

import (
	"context"
	"testing"

	"workbench/sessions"
	"workbench/trainer"
)

// TestStoppedTrialIsNoGridPoint: a grid stopped mid-trial saves that
// trial as stopped with the objective of a partial run; the effects and
// importance leave it out as they leave out a running trial (it counted
// among the "finished" points and made a stopped 2×2 grid read as a
// complete one). A diverged trial is left out too: its last metrics are
// wild (a val_r2 of -2.7e109 gave its learning rate 100% of the
// importance).
func TestStoppedTrialIsNoGridPoint(t *testing.T) {
	for _, status := range []trainer.Status{trainer.StatusStopped, trainer.StatusDiverged} {
		t.Run(string(status), func(t *testing.T) { testCutTrialIsNoGridPoint(t, status) })
	}
}

func testCutTrialIsNoGridPoint(t *testing.T, status trainer.Status) {
	spec := Spec{Base: base(5), Grid: []Param{{Field: "lr", Values: []string{"0.003", "0.03"}}, {Field: "l2", Values: []string{"0", "0.01"}}}}
	_, rep, store := runAndLoad(t, spec)
	if rep.Importance.Method != ImportanceGrid || rep.Importance.Points != 4 {
		t.Fatalf("the complete grid: method %q, %d points", rep.Importance.Method, rep.Importance.Points)
	}
	ctx := context.Background()
	id := rep.Trials[len(rep.Trials)-1].RunID
	r, err := store.GetRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := store.Evaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.FinishRun(ctx, id, sessions.Final{Status: status, Reason: "cancelled", EpochsDone: r.EpochsDone,
		BestEpoch: r.BestEpoch, Monitor: r.Monitor, Eval: *ev}); err != nil {
		t.Fatal(err)
	}
	if r, err := store.GetRun(ctx, id); err != nil || r.Status != status {
		t.Fatalf("the trial was not marked %s: %v", status, err)
	} else if _, ok := r.Metrics[sessions.MetricKey(rep.Sweep.Objective)]; !ok {
		t.Fatalf("the stopped trial lost its objective: %v", r.Metrics)
	}
	rep, err = Load(ctx, store, rep.Sweep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Importance.Method == ImportanceGrid || rep.Importance.Points != 3 || rep.Importance.Trials != 3 {
		t.Errorf("with a %s trial: method %q, %d points, %d trials; want 3 of the grid's 4", status, rep.Importance.Method, rep.Importance.Points, rep.Importance.Trials)
	}
	n := 0
	for _, e := range rep.Effects {
		if e.Field == "lr" {
			for _, l := range e.Values {
				n += l.N
			}
		}
	}
	if n != 3 {
		t.Errorf("the effects count %d trials, want 3", n)
	}
}
