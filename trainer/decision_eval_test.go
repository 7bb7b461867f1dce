package trainer

import (
	"math"
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

// TestEpochsFollowTheDecisionRule: with a cost matrix every epoch's
// validation metrics are at the threshold tuned on that epoch's validation
// pass, so early stopping on val_accuracy keeps the epoch that is best at
// the rule's threshold (21 on this seed; at 0.5 it would be 7), and the
// best epoch's metrics, the final validation metrics and the test metrics
// all name the same threshold. Epochs were scored at 0.5 while the test
// was scored at the tuned threshold.
func TestEpochsFollowTheDecisionRule(t *testing.T) {
	spec := DefaultSpec()
	spec.Data = datasets.Spec{Name: "moons", Samples: 400, Noise: 0.2, Split: PlaygroundSplit, Seed: 2}
	spec.Epochs = 30
	spec.EarlyStop = EarlyStopSpec{Monitor: "val_accuracy", Patience: 30}
	spec.Decision = DecisionSpec{CostFP: 1, CostFN: 5}
	data := prepare(t, spec.Data)
	eps, fin := runAll(t, spec, data, Options{Workers: 1, SnapshotEvery: 1})
	best05, bestRule := 0, 0
	acc05, accRule := -1.0, -1.0
	for _, e := range eps {
		p := e.Model.Predict(data.Val.X, data.Val.N)
		thr, cost := TuneThreshold(p, data.Val.Y, 1, 5)
		at := BinaryMetricsAt(p, data.Val.Y, thr).Metrics
		if e.Val["threshold"] != thr || e.Val["accuracy"] != at["accuracy"] || math.Abs(e.Val["cost"]-cost) > 1e-12 {
			t.Fatalf("epoch %d: threshold %v, accuracy %v, cost %v; tuned on its validation pass: %v, %v, %v",
				e.Epoch, e.Val["threshold"], e.Val["accuracy"], e.Val["cost"], thr, at["accuracy"], cost)
		}
		if a := BinaryMetricsAt(p, data.Val.Y, 0.5).Metrics["accuracy"]; a > acc05 {
			acc05, best05 = a, e.Epoch
		}
		if at["accuracy"] > accRule {
			accRule, bestRule = at["accuracy"], e.Epoch
		}
	}
	if best05 != 7 || bestRule != 21 || fin.BestEpoch != 21 {
		t.Fatalf("best epoch %d; by accuracy at the rule's threshold %d, at 0.5 %d: want 21, 21, 7", fin.BestEpoch, bestRule, best05)
	}
	thr := fin.Model.Threshold
	for name, m := range map[string]map[string]float64{"best": fin.Best, "val": fin.Val.Metrics, "test": fin.Test.Metrics} {
		if m["threshold"] != thr {
			t.Errorf("%s: threshold %v, the model's %v", name, m["threshold"], thr)
		}
	}
	if fin.Best["accuracy"] != fin.Val.Metrics["accuracy"] || fin.Best["cost"] != fin.Val.Metrics["cost"] {
		t.Errorf("the restored best epoch's accuracy %v and cost %v, its final validation %v and %v",
			fin.Best["accuracy"], fin.Best["cost"], fin.Val.Metrics["accuracy"], fin.Val.Metrics["cost"])
	}
}

// TestEpochsFollowAFixedThreshold: a fixed threshold scores every epoch.
func TestEpochsFollowAFixedThreshold(t *testing.T) {
	spec := DefaultSpec()
	spec.Epochs = 5
	spec.Decision = DecisionSpec{Threshold: 0.3}
	data := prepare(t, spec.Data)
	eps, fin := runAll(t, spec, data, Options{Workers: 1, SnapshotEvery: 1})
	for _, e := range eps {
		p := e.Model.Predict(data.Val.X, data.Val.N)
		want := BinaryMetricsAt(p, data.Val.Y, 0.3).Metrics["recall"]
		if e.Val["threshold"] != 0.3 || e.Val["recall"] != want {
			t.Fatalf("epoch %d: threshold %v, recall %v; want 0.3 and %v", e.Epoch, e.Val["threshold"], e.Val["recall"], want)
		}
		if _, ok := e.Val["cost"]; ok {
			t.Fatalf("epoch %d: a cost without a cost matrix", e.Epoch)
		}
	}
	if fin.Best["threshold"] != 0.3 || fin.Test.Metrics["threshold"] != 0.3 {
		t.Fatalf("best threshold %v, test %v", fin.Best["threshold"], fin.Test.Metrics["threshold"])
	}
}

// TestDecisionKeepsTheCalibration: a calibrated run with a cost matrix
// keeps its calibration report; re-scoring at the threshold dropped it.
func TestDecisionKeepsTheCalibration(t *testing.T) {
	spec := DefaultSpec()
	spec.Epochs = 5
	spec.Calibrate = "temperature"
	spec.Decision = DecisionSpec{CostFP: 1, CostFN: 5}
	_, fin := runAll(t, spec, prepare(t, spec.Data), Options{Workers: 1})
	if c := fin.Val.Calibration; c == nil || !(c.Temperature > 0) {
		t.Fatalf("calibration %+v after the decision rule", c)
	}
}
