package trainer

import (
	"testing"

	"workbench/datasets"
)

// TestDecisionKeepsEveryTestMetric: a run with a decision rule is
// re-scored at its threshold with every metric and curve a run without one
// has (the credit preset's test column showed "—" for balanced_accuracy,
// mcc, pr_auc, brier and ece, and Train drew no PR or reliability chart).
func TestDecisionKeepsEveryTestMetric(t *testing.T) {
	spec := DefaultSpec()
	spec.Epochs = 5
	spec.Decision = DecisionSpec{CostFP: 1, CostFN: 5}
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	_, fin := runAll(t, spec, data, Options{Workers: 1})
	thr := fin.Model.Threshold
	for name, e := range map[string]Evaluation{"val": fin.Val, "test": fin.Test} {
		for _, k := range []string{"accuracy", "balanced_accuracy", "mcc", "pr_auc", "brier", "ece", "auc", "threshold", "cost", "cost_at_half"} {
			if _, ok := e.Metrics[k]; !ok {
				t.Errorf("%s: no %s in %v", name, k, e.Metrics)
			}
		}
		if len(e.PR) < 2 || len(e.Reliability) == 0 {
			t.Errorf("%s: PR curve of %d points, %d reliability bins", name, len(e.PR), len(e.Reliability))
		}
		if e.Metrics["threshold"] != thr {
			t.Errorf("%s: threshold %v, the model's %v", name, e.Metrics["threshold"], thr)
		}
	}
	// The threshold's own metrics are at the threshold.
	p := fin.Model.Predict(data.Test.X, data.Test.N)
	at := BinaryMetricsAt(p, data.Test.Y, thr)
	if got, want := fin.Test.Metrics["accuracy"], at.Metrics["accuracy"]; got != want {
		t.Errorf("test accuracy %v, at the threshold %v", got, want)
	}
	if got, want := fin.Test.Metrics["balanced_accuracy"], BalancedAccuracy(at.Confusion); got != want {
		t.Errorf("test balanced accuracy %v, at the threshold %v", got, want)
	}
}
