package sessions

import (
	"testing"

	"workbench/trainer"
)

// TestDiffSpecsIgnoresUnusedSettings: an iris run saved with the default
// spec's 500 samples (as runs were before trainer.Spec.DropUnused) does
// not differ in samples from one saved without; a real difference shows,
// and so do samples between two synthetic runs.
func TestDiffSpecsIgnoresUnusedSettings(t *testing.T) {
	oldRun, newRun := trainer.DefaultSpec(), trainer.DefaultSpec()
	oldRun.Data.Name, newRun.Data.Name = "iris", "iris"
	newRun.Data.Samples, newRun.Optimizer.LR = 0, 0.1
	runs := []*Run{{ID: "a", Spec: oldRun}, {ID: "b", Spec: newRun}}
	diff := DiffSpecs(runs)
	if len(diff) != 1 || diff[0].Field != "optimizer.lr" {
		t.Errorf("iris runs differ in %+v, want optimizer.lr alone", diff)
	}
	if runs[0].Spec.Data.Samples != 500 {
		t.Errorf("DiffSpecs changed a run's spec: samples %d", runs[0].Spec.Data.Samples)
	}
	a, b := trainer.DefaultSpec(), trainer.DefaultSpec()
	b.Data.Samples = 200
	if diff := DiffSpecs([]*Run{{ID: "a", Spec: a}, {ID: "b", Spec: b}}); len(diff) != 1 || diff[0].Field != "data.samples" {
		t.Errorf("circle runs of 500 and 200 samples: %+v", diff)
	}
}
