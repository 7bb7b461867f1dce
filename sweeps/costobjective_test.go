package sweeps

import (
	"context"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// costBase is base on noisier moons, with a missed positive costing ten false alarms, the
// best epoch chosen by the validation cost.
func costBase(epochs int) trainer.Spec {
	s := base(epochs)
	s.Data.Noise = 0.4
	s.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 10}
	s.EarlyStop = trainer.EarlyStopSpec{Monitor: trainer.CostMonitor, Patience: epochs}
	return s
}

// TestSweepOnValCostRanksTheCheapestFirst: a sweep whose objective is
// val_cost ranks its trials by the expected cost at their best epoch,
// lowest first: sweep show's best trial is the cheapest, which is not
// the one with the highest validation cost.
func TestSweepOnValCostRanksTheCheapestFirst(t *testing.T) {
	spec := Spec{Base: costBase(12), Objective: "val_cost", Grid: []Param{{Field: "lr", Values: []string{"0.001", "0.01", "0.1"}}}}
	res, rep, _ := runAndLoad(t, spec)
	if res.Objective != "val_cost" || !res.Lower || !rep.Lower {
		t.Fatalf("objective %q, lower %v (report %v)", res.Objective, res.Lower, rep.Lower)
	}
	cheapest, dearest := 0, 0
	for i, tr := range res.Trials {
		if !tr.HasObj {
			t.Fatalf("trial %d has no objective", i+1)
		}
		if tr.Objective < res.Trials[cheapest].Objective {
			cheapest = i
		}
		if tr.Objective > res.Trials[dearest].Objective {
			dearest = i
		}
	}
	best := res.Trials[cheapest]
	if rep.Trials[0].RunID != best.RunID || rep.Trials[0].Objective != best.Objective {
		t.Fatalf("sweep show's best is %s (%v), the cheapest trial %s (%v)", rep.Trials[0].RunID, rep.Trials[0].Objective, best.RunID, best.Objective)
	}
	if rep.Trials[len(rep.Trials)-1].RunID != res.Trials[dearest].RunID || cheapest == dearest {
		t.Fatalf("last %s, the dearest trial %s", rep.Trials[len(rep.Trials)-1].RunID, res.Trials[dearest].RunID)
	}
	// On this seed the middle rate is the cheapest (0.17 a row) and the
	// lowest the dearest (0.39), the highest between (0.24).
	if lr := best.Trial.Spec.Optimizer.LR; lr != 0.01 || dearest != 0 {
		t.Errorf("cheapest at lr %v, dearest trial %d; want 0.01 and 1: %v %v %v",
			lr, dearest+1, res.Trials[0].Objective, res.Trials[1].Objective, res.Trials[2].Objective)
	}
}

// TestSweepOnValCostNeedsACostMatrix: val_cost as the objective is
// refused, with the fix, when no trial or some trial has no cost matrix,
// and on a task other than binary.
func TestSweepOnValCostNeedsACostMatrix(t *testing.T) {
	const fix = "val_cost needs a cost matrix: set --cost-fn (the cost of a missed positive) and --cost-fp (of a false alarm)"
	cases := []struct {
		spec Spec
		task datasets.Task
		want string
	}{
		{Spec{Base: base(3), Objective: "val_cost", Grid: []Param{{Field: "lr", Values: []string{"0.01", "0.1"}}}},
			datasets.Binary, "sweep: objective " + fix},
		{Spec{Base: base(3), Objective: "val_cost", Grid: []Param{{Field: "cost-fn", Values: []string{"5", "0"}}}},
			datasets.Binary, "sweep: trial 2: objective " + fix},
		{Spec{Base: costBase(3), Objective: "val_cost"},
			datasets.Regression, `sweep: objective "val_cost": val_cost is for binary tasks with a cost matrix, not regression (try loss, mse, rmse, mae, r2)`},
	}
	for _, c := range cases {
		if _, err := CheckObjective(c.spec, c.task); err == nil || err.Error() != c.want {
			t.Errorf("CheckObjective: %v\nwant %s", err, c.want)
		}
	}
	for _, c := range cases[:2] {
		if _, err := Run(context.Background(), tempStore(t), c.spec, Options{Parallel: 1}); err == nil || err.Error() != c.want {
			t.Errorf("Run: %v\nwant %s", err, c.want)
		}
		if _, err := Prepare(c.spec); err == nil || err.Error() != c.want {
			t.Errorf("Prepare: %v\nwant %s", err, c.want)
		}
	}
	// A grid that gives every trial costs needs none in the base.
	ok := Spec{Base: base(3), Objective: "val_cost", Grid: []Param{{Field: "cost-fn", Values: []string{"5", "10"}}}}
	if obj, err := CheckObjective(ok, datasets.Binary); err != nil || obj != "val_cost" {
		t.Errorf("costs from the grid: %q, %v", obj, err)
	}
}
