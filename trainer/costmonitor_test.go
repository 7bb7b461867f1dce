package trainer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"workbench/datasets"
)

// TestBestTrackerFollowsACostSequence: early stopping on val_cost, lower
// is better, with its patience and min delta, on a hand-built sequence.
func TestBestTrackerFollowsACostSequence(t *testing.T) {
	costs := []float64{0.9, 0.7, 0.72, 0.69, 0.71, 0.70, 0.68, 0.75}
	cases := []struct {
		monitor    string
		minDelta   float64
		patience   int
		best, stop int // stop 0: it ran to the end
	}{
		// 0.69 beats 0.70 but not by 0.015: epoch 2 stays the best and
		// epochs 3, 4 and 5 exhaust a patience of 3.
		{"val_cost", 0.015, 3, 2, 5},
		// Without a min delta 0.69 is a new best, and so is 0.68.
		{"val_cost", 0, 3, 7, 0},
		{"val_cost", 0, 2, 4, 6},
		// The same numbers as accuracies: the first is the best.
		{"val_accuracy", 0, 3, 1, 4},
	}
	for _, c := range cases {
		b := newBestTracker(c.monitor, c.minDelta)
		stop := 0
		for i, v := range costs {
			b.observe(i+1, v)
			if b.exhausted(c.patience) {
				stop = i + 1
				break
			}
		}
		if b.epoch != c.best || stop != c.stop {
			t.Errorf("%s min delta %v patience %d: best epoch %d, stopped at %d; want %d, %d",
				c.monitor, c.minDelta, c.patience, b.epoch, stop, c.best, c.stop)
		}
	}
}

// costSpec is noisy moons with a missed positive costing 5 false alarms.
func costSpec() Spec {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "moons", Samples: 400, Noise: 0.3, Split: PlaygroundSplit, Seed: 2}
	s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.05}
	s.Epochs = 80
	s.Decision = DecisionSpec{CostFP: 1, CostFN: 5}
	return s
}

// TestEarlyStoppingOnValCost: with val_cost as the monitor a run stops
// patience epochs after the epoch of the lowest validation cost, keeps
// that epoch's weights (the final validation cost is its cost), and says
// so; a stopping rule on val_cost stops at the first epoch meeting it.
func TestEarlyStoppingOnValCost(t *testing.T) {
	s := costSpec()
	s.EarlyStop = EarlyStopSpec{Monitor: CostMonitor, Patience: 4}
	data := prepare(t, s.Data)
	eps, fin := runAll(t, s, data, Options{Workers: 1})
	if fin.Status != StatusEarlyStopped || fin.Monitor != "val_cost" {
		t.Fatalf("status %s by %q, want early_stopped by val_cost", fin.Status, fin.Monitor)
	}
	// The epoch the sequence of validation costs says: the first lowest.
	best := 0
	for i, e := range eps {
		c, ok := e.Val["cost"]
		if !ok {
			t.Fatalf("epoch %d has no cost: %v", e.Epoch, e.Val)
		}
		if best == 0 || c < eps[best-1].Val["cost"] {
			best = i + 1
		}
		if e.Best != (best == i+1) {
			t.Errorf("epoch %d: Best %v, the lowest cost so far is epoch %d's", e.Epoch, e.Best, best)
		}
	}
	if fin.BestEpoch != best || len(eps) != best+4 {
		t.Fatalf("best epoch %d, stopped after %d; the costs say best %d, stop %d: %v", fin.BestEpoch, len(eps), best, best+4, costsOf(eps))
	}
	if best != 13 {
		t.Errorf("best epoch %d, want 13 on this seed: %v", best, costsOf(eps))
	}
	want := eps[best-1].Val["cost"]
	if fin.Best["cost"] != want || fin.Val.Metrics["cost"] != want {
		t.Errorf("best_val_cost %v and the kept weights' val cost %v, want epoch %d's %v", fin.Best["cost"], fin.Val.Metrics["cost"], best, want)
	}
	if r := fmt.Sprintf("val_cost did not improve for 4 epochs; restored epoch %d", best); fin.Reason != r {
		t.Errorf("reason %q, want %q", fin.Reason, r)
	}

	// A rule on the cost of epoch 9 (0.19) holds first at the first epoch
	// that cheap.
	goal := eps[8].Val["cost"]
	first := 0
	for i, e := range eps {
		if e.Val["cost"] <= goal {
			first = i + 1
			break
		}
	}
	r := costSpec()
	r.Target = fmt.Sprintf("val_cost<=%v", goal)
	reps, rfin := runAll(t, r, data, Options{Workers: 1})
	if first != 9 || rfin.Status != StatusTargetReached || len(reps) != first {
		t.Errorf("rule %s: %s after %d epochs, want target_reached after %d", r.Target, rfin.Status, len(reps), first)
	}
}

func costsOf(eps []EpochEvent) []float64 {
	var c []float64
	for _, e := range eps {
		c = append(c, e.Val["cost"])
	}
	return c
}

// TestCrossValidationMonitorsValCost: a cross-validated run picks the
// epoch whose mean validation cost over the folds is lowest.
func TestCrossValidationMonitorsValCost(t *testing.T) {
	s := cvSpec()
	s.Decision = DecisionSpec{CostFN: 5}
	s.EarlyStop = EarlyStopSpec{Monitor: CostMonitor, Patience: s.Epochs}
	eps, fin := runAll(t, s, prepare(t, s.Data), Options{})
	if fin.Monitor != CostMonitor || len(eps) != s.Epochs {
		t.Fatalf("monitor %q, %d epochs", fin.Monitor, len(eps))
	}
	best := 0
	for i, e := range eps {
		if _, ok := e.Val["cost"]; !ok {
			t.Fatalf("epoch %d has no mean cost: %v", e.Epoch, e.Val)
		}
		if best == 0 || e.Val["cost"] < eps[best-1].Val["cost"] {
			best = i + 1
		}
	}
	if fin.BestEpoch != best || best != 10 || fin.Best["cost"] != eps[best-1].Val["cost"] {
		t.Errorf("best epoch %d (cost %v), the fold means say %d: %v", fin.BestEpoch, fin.Best["cost"], best, costsOf(eps))
	}
}

// TestValCostNeedsACostMatrix: every field that names a metric refuses
// val_cost without a cost matrix, naming the field and the fix; with one
// it is valid for a binary task alone.
func TestValCostNeedsACostMatrix(t *testing.T) {
	const fix = "val_cost needs a cost matrix: set --cost-fn (the cost of a missed positive) and --cost-fp (of a false alarm)"
	cases := []struct {
		field string
		edit  func(*Spec)
	}{
		{"early_stop.monitor", func(s *Spec) { s.EarlyStop = EarlyStopSpec{Monitor: "val_cost", Patience: 5} }},
		{"schedule.monitor", func(s *Spec) { s.Schedule = DefaultSchedule("plateau"); s.Schedule.Monitor = "val_cost" }},
		{"target", func(s *Spec) { s.Target = "val_cost<=0.3" }},
	}
	for _, c := range cases {
		s := DefaultSpec()
		c.edit(&s)
		if err := s.Validate(); err == nil || err.Error() != c.field+": "+fix {
			t.Errorf("%s: got %v", c.field, err)
		}
		s.Decision.CostFN = 10 // a missed default costs ten false alarms
		if err := s.Validate(); err != nil {
			t.Errorf("%s with a cost matrix: %v", c.field, err)
		}
		if err := s.CheckTask(datasets.Binary); err != nil {
			t.Errorf("%s with a cost matrix, binary: %v", c.field, err)
		}
	}
	s := DefaultSpec()
	s.EarlyStop = EarlyStopSpec{Monitor: "val_cost", Patience: 5}
	s.Decision.CostFP, s.Loss = 2, "mse"
	err := s.CheckTask(datasets.Regression)
	if err == nil || !strings.HasPrefix(err.Error(), "early_stop.monitor: val_cost is for binary tasks with a cost matrix, not regression") {
		t.Errorf("regression: %v", err)
	}
	if _, err := ParseMonitor("train_cost"); err == nil {
		t.Error("train_cost accepted: the training split tracks loss and accuracy")
	}
	if _, err := ParseMonitor("val_cos"); err == nil || !strings.Contains(err.Error(), "did you mean val_cost?") {
		t.Errorf("val_cos: %v", err)
	}
	if !LowerIsBetter("val_cost") {
		t.Error("val_cost is not lower-is-better")
	}
}

// TestMonitorStepsOfferValCostWithCosts: Setup's monitor steps end with
// val_cost only when the spec has a cost matrix.
func TestMonitorStepsOfferValCostWithCosts(t *testing.T) {
	f, _, err := LookupField("monitor")
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSpec()
	if slices.Contains(f.StepsFor(&s), "val_cost") {
		t.Errorf("without costs: %v", f.StepsFor(&s))
	}
	s.Decision.CostFN = 10
	steps := f.StepsFor(&s)
	if steps[len(steps)-1] != "val_cost" || !slices.Equal(steps[:len(steps)-1], f.Steps) {
		t.Errorf("with costs: %v", steps)
	}
	if err := s.Set("monitor", steps[len(steps)-1]); err != nil || s.EarlyStop.Monitor != "val_cost" {
		t.Errorf("set val_cost: %v, monitor %q", err, s.EarlyStop.Monitor)
	}
}
