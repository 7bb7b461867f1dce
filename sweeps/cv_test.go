package sweeps

import (
	"context"
	"math"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// cvBase is base with 3-fold cross-validation, wide enough to overfit
// noisy moons within its epochs.
func cvBase(epochs int) trainer.Spec {
	s := base(epochs)
	s.Data.Noise = 0.3
	s.Model.Hidden[0].Units = 32
	s.CV = 3
	return s
}

// meanFoldCurve trains each fold of s as a plain run and returns the
// mean over the folds of val_loss at each epoch.
func meanFoldCurve(t *testing.T, s trainer.Spec) []float64 {
	t.Helper()
	data, err := datasets.Build(s.Data)
	if err != nil {
		t.Fatal(err)
	}
	folds, err := data.CVFolds(s.CV, s.CVAll, s.Data.Seed)
	if err != nil {
		t.Fatal(err)
	}
	one := s
	one.CV = 0
	mean := make([]float64, s.Epochs)
	for _, f := range folds {
		h, err := trainer.RunWith(context.Background(), one, f, trainer.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for ev := range h.Events {
			if e, ok := ev.(trainer.EpochEvent); ok {
				mean[e.Epoch-1] += e.Val["loss"] / float64(len(folds))
			}
		}
	}
	return mean
}

func TestCrossValidatedTrialObjectiveIsTheFoldMean(t *testing.T) {
	spec := Spec{Base: cvBase(20), Objective: "val_loss", Grid: []Param{{Field: "lr", Values: []string{"0.003", "0.1"}}}}
	res, rep, store := runAndLoad(t, spec)
	shown := map[string]float64{}
	for _, tr := range rep.Trials {
		shown[tr.RunID] = tr.Objective
	}
	beforeLast := false
	for i, tr := range res.Trials {
		curve := meanFoldCurve(t, tr.Trial.Spec)
		best, at := math.Inf(1), 0
		for e, v := range curve {
			if v < best {
				best, at = v, e+1
			}
		}
		beforeLast = beforeLast || at < len(curve)
		if tr.Status != trainer.StatusDone || !tr.HasObj || math.Abs(tr.Objective-best) > 1e-12 {
			t.Errorf("trial %d (%v): %s, objective %v, want the 3 folds' mean val_loss at its best epoch (%d) %v",
				i, tr.Trial.Params, tr.Status, tr.Objective, at, best)
		}
		if shown[tr.RunID] != tr.Objective {
			t.Errorf("trial %d: sweep show ranks it by %v, the sweep by %v", i, shown[tr.RunID], tr.Objective)
		}
		run, err := store.GetRun(context.Background(), tr.RunID)
		if err != nil {
			t.Fatal(err)
		}
		if run.Metrics["best_val_loss"] != tr.Objective || run.Spec.CV != 3 {
			t.Errorf("trial %d: stored best_val_loss %v (cv %d), objective %v", i, run.Metrics["best_val_loss"], run.Spec.CV, tr.Objective)
		}
	}
	if !beforeLast {
		t.Error("every trial's mean curve is best at its last epoch: the test does not tell the best epoch from the last")
	}
}

func TestASHAStopsACrossValidatedTrialAtTheFirstRung(t *testing.T) {
	// Rungs at 3 and 9 epochs, on the mean over the folds.
	spec := Spec{Base: cvBase(12), Grid: []Param{{Field: "lr", Values: []string{"0.03", "0.02", "0.00001"}}},
		Objective: "val_loss", Pruner: PrunerASHA, MinEpochs: 3, Reduction: 3}
	store := tempStore(t)
	res, err := Run(context.Background(), store, spec, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Trials[0]; r.Status != trainer.StatusDone || r.Epochs != 12 {
		t.Fatalf("the first trial is always promoted: %s after %d epochs", r.Status, r.Epochs)
	}
	bad := res.Trials[2]
	if bad.Status != trainer.StatusPruned || bad.Epochs != 3 {
		t.Fatalf("bad trial: %s after %d epochs, want pruned after 3", bad.Status, bad.Epochs)
	}
	h, err := store.History(context.Background(), bad.RunID)
	if err != nil {
		t.Fatal(err)
	}
	curve := meanFoldCurve(t, bad.Trial.Spec)
	if len(h) != 3 || math.Abs(h[2].Val["loss"]-curve[2]) > 1e-12 {
		t.Fatalf("pruned trial's history %v, want 3 epochs ending at the folds' mean %v", h, curve[2])
	}
}
