package trainer

import (
	"context"
	"math"
	"testing"

	"workbench/datasets"
)

func diabetesSpec(seed uint64, scaleTarget string) Spec {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "diabetes", Scale: "standard", Split: datasets.DefaultSplit, Seed: seed}
	s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu"}}
	s.Model.Init = "he_uniform"
	s.Loss = "mse"
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 1e-3}
	s.BatchSize, s.Epochs, s.Seed = 32, 15, seed
	s.ScaleTarget = scaleTarget
	return s
}

func TestScaleTargetTrainsScaledReportsRaw(t *testing.T) {
	spec := diabetesSpec(1, "standard")
	data := prepare(t, spec.Data)
	h, err := RunWith(context.Background(), spec, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var start StartEvent
	var eps []EpochEvent
	var fin FinishedEvent
	for e := range h.Events {
		switch e := e.(type) {
		case StartEvent:
			start = e
		case EpochEvent:
			eps = append(eps, e)
		case FinishedEvent:
			fin = e
		}
	}
	// Fitted on the training split only.
	ts := start.TargetScaler
	want := datasets.FitTargetScaler("standard", data.Train.Y)
	if ts == nil || *ts != want || !(ts.Offset > 100 && ts.Offset < 200) {
		t.Fatalf("target scaler %+v, want %+v fitted on the training split", ts, want)
	}
	// The loss is on the scaled target (order 1), the metrics in the
	// target's units (an MAE of tens).
	if l := eps[len(eps)-1].Train["loss"]; !(l < 2) {
		t.Errorf("train loss %v: not on the scaled target", l)
	}
	if mae := fin.Test.Metrics["mae"]; !(mae > 20 && mae < 150) {
		t.Errorf("test MAE %v is not in the target's units", mae)
	}
	// The saved model predicts in the target's units: its predictions on
	// the test rows give the reported test metrics.
	pred := fin.Model.Predict(data.Test.X, data.Test.N)
	e := RegressionMetrics(pred, data.Test.Y)
	for _, k := range []string{"mse", "mae", "r2"} {
		if !near(e.Metrics[k], fin.Test.Metrics[k], 1e-9*math.Max(1, math.Abs(e.Metrics[k]))) {
			t.Errorf("%s from the saved model %v, reported %v", k, e.Metrics[k], fin.Test.Metrics[k])
		}
	}
	// Raw targets: no scaler, a loss in squared target units.
	raw := diabetesSpec(1, "none")
	eps, _ = runAll(t, raw, data, Options{})
	if l := eps[0].Train["loss"]; !(l > 1000) {
		t.Errorf("raw train loss %v: expected squared target units", l)
	}
}

func TestScaleTargetRejectedForClassification(t *testing.T) {
	s := DefaultSpec()
	s.ScaleTarget = "standard"
	if err := s.CheckTask(datasets.Binary); err == nil {
		t.Error("scale_target standard accepted on a binary task")
	}
	s.ScaleTarget = "cube"
	if err := s.Validate(); err == nil {
		t.Error("unknown scale_target accepted")
	}
	s = DefaultSpec()
	s.ClassWeight = "balanced"
	if err := s.CheckTask(datasets.Regression); err == nil {
		t.Error("class weights accepted on regression")
	}
	s = DefaultSpec()
	s.CVAll = true
	if err := s.Validate(); err == nil {
		t.Error("cv_all without cv accepted")
	}
	s.CV = 1
	if err := s.Validate(); err == nil {
		t.Error("cv 1 accepted")
	}
}

func TestClassWeightRaisesRecallOnBad(t *testing.T) {
	// credit is 28% bad, its positive class: balanced weights must raise
	// the recall on bad on the same seeds (and splits).
	sum := map[string]float64{}
	for seed := uint64(1); seed <= 2; seed++ {
		for _, cw := range []string{"none", "balanced"} {
			s := DefaultSpec()
			s.Data = datasets.Spec{Name: "credit", Scale: "standard", Split: datasets.DefaultSplit, Seed: seed}
			s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "relu"}}
			s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.003}
			s.BatchSize, s.Epochs, s.Seed, s.ClassWeight = 64, 4, seed, cw
			_, fin := runAll(t, s, prepare(t, s.Data), Options{})
			sum[cw] += fin.Test.Metrics["recall"]
		}
	}
	if !(sum["balanced"] > sum["none"]+0.1) {
		t.Errorf("recall on bad summed over two seeds: balanced %v, none %v", sum["balanced"], sum["none"])
	}
}

func TestCrossValidationWine(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "wine", Scale: "standard", Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "tanh"}}
	s.Loss = "ce"
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.BatchSize, s.Epochs, s.CV = 16, 6, 5
	data := prepare(t, s.Data)
	eps, fin := runAll(t, s, data, Options{Workers: 2})
	if fin.Status != StatusDone || len(eps) != 6 || fin.Model != nil {
		t.Fatalf("status %s, %d epochs, model %v", fin.Status, len(eps), fin.Model != nil)
	}
	if len(fin.Val.Folds) != 5 || len(fin.Test.Folds) != 5 {
		t.Fatalf("%d val folds and %d test folds, want 5", len(fin.Val.Folds), len(fin.Test.Folds))
	}
	mean, ss := 0.0, 0.0
	for _, f := range fin.Val.Folds {
		mean += f["accuracy"] / 5
	}
	for _, f := range fin.Val.Folds {
		ss += (f["accuracy"] - mean) * (f["accuracy"] - mean)
	}
	if !near(fin.Val.Metrics["accuracy"], mean, 1e-12) || !near(fin.Val.Std["accuracy"], math.Sqrt(ss/4), 1e-12) {
		t.Errorf("accuracy %v ± %v, want %v ± %v", fin.Val.Metrics["accuracy"], fin.Val.Std["accuracy"], mean, math.Sqrt(ss/4))
	}
	// The summed out-of-fold confusion matrix covers the pool once.
	n := 0
	for _, row := range fin.Val.Confusion {
		for _, v := range row {
			n += v
		}
	}
	if pool := data.Train.N + data.Val.N; n != pool {
		t.Errorf("out-of-fold confusion counts %d rows, want the pool's %d", n, pool)
	}
	// Same spec, same result whatever the parallelism.
	_, again := runAll(t, s, data, Options{Workers: 1})
	if again.Val.Metrics["loss"] != fin.Val.Metrics["loss"] {
		t.Errorf("val loss %v with 1 worker, %v with 2", again.Val.Metrics["loss"], fin.Val.Metrics["loss"])
	}
}

func TestCrossValidationStops(t *testing.T) {
	s := DefaultSpec()
	s.Epochs, s.CV = 0, 3
	h, err := Run(context.Background(), s, prepare(t, s.Data))
	if err != nil {
		t.Fatal(err)
	}
	for e := range h.Events {
		if ep, ok := e.(EpochEvent); ok && ep.Epoch == 3 {
			h.Pause()
			h.Resume()
			h.Stop()
		}
		if fin, ok := e.(FinishedEvent); ok && fin.Status != StatusStopped {
			t.Errorf("status %s, want stopped", fin.Status)
		}
	}
}

func TestTemperatureLowersECE(t *testing.T) {
	// A wide network trained far past its best on noisy moons is
	// over-confident; temperature scaling must raise T above 1 and lower
	// the validation ECE.
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "moons", Samples: 400, Noise: 0.3, Split: [3]float64{0.5, 0.5, 0}, Seed: 3}
	s.Model.Hidden = []LayerSpec{{Units: 64, Activation: "relu"}, {Units: 64, Activation: "relu"}}
	s.Model.Init = "he_uniform"
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.BatchSize, s.Epochs, s.Calibrate = 16, 200, "temperature"
	if testing.Short() {
		s.Epochs = 80
	}
	_, fin := runAll(t, s, prepare(t, s.Data), Options{})
	c := fin.Val.Calibration
	if c == nil {
		t.Fatal("no calibration")
	}
	if !(c.Temperature > 1 && c.ECEAfter < c.ECEBefore) {
		t.Errorf("T %v, ECE %v → %v, Brier %v → %v", c.Temperature, c.ECEBefore, c.ECEAfter, c.BrierBefore, c.BrierAfter)
	}
	// The reported validation ECE is the calibrated model's.
	if !near(fin.Val.Metrics["ece"], c.ECEAfter, 1e-9) {
		t.Errorf("val ece %v, calibration says %v", fin.Val.Metrics["ece"], c.ECEAfter)
	}
	t.Logf("T %.3f, ECE %.4f → %.4f, Brier %.4f → %.4f", c.Temperature, c.ECEBefore, c.ECEAfter, c.BrierBefore, c.BrierAfter)
}

func TestWeightedAndScaledStepsAllocateNothing(t *testing.T) {
	for _, s := range []Spec{
		func() Spec { s := DefaultSpec(); s.ClassWeight = "balanced"; s.BatchSize = 32; return s }(),
		func() Spec { s := diabetesSpec(1, "standard"); return s }(),
	} {
		data := prepare(t, s.Data)
		r, err := newRunner(s, data, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		r.shuffle()
		r.step(0, 32, 0.01)
		if a := testing.AllocsPerRun(100, func() {
			r.shuffle()
			r.step(0, 32, 0.01)
		}); a != 0 {
			t.Errorf("%s: a step allocates %v times", s.Data.Name, a)
		}
		r.model.Close()
	}
}

// An explicit none must survive Set: an empty scale_target is a spec that
// did not choose, which the command line fills with standard for a
// regression run, so none read as "" trained on scaled targets.
func TestScaleTargetNoneIsKept(t *testing.T) {
	s := DefaultSpec()
	if err := s.Set("data", "diabetes"); err != nil || s.ScaleTarget != "standard" {
		t.Fatalf("diabetes: %v, scale_target %q", err, s.ScaleTarget)
	}
	if err := s.Set("scale-target", "none"); err != nil || s.ScaleTarget != "none" {
		t.Fatalf("none: %v, scale_target %q", err, s.ScaleTarget)
	}
	if v, _ := s.Get("scale-target"); v != "none" {
		t.Errorf("Get shows %q", v)
	}
	if err := s.Set("scale-target", "cube"); err == nil || s.ScaleTarget != "none" {
		t.Errorf("cube: %v, scale_target %q", err, s.ScaleTarget)
	}
	s.ScaleTarget = "" // a run saved before target scaling: raw targets
	if v, _ := s.Get("scale-target"); v != "none" {
		t.Errorf("an old run's empty scale_target shows %q", v)
	}
}

// A cross-validated binary run draws its ROC and PR curves from the
// folds' validation predictions pooled together: each curve ends at
// recall 1, and the ROC's area is near the folds' mean AUC.
func TestCrossValidationPoolsOutOfFoldCurves(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "breast-cancer", Scale: "standard", Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.BatchSize, s.Epochs, s.CV = 32, 4, 3
	data := prepare(t, s.Data)
	_, fin := runAll(t, s, data, Options{})
	e := fin.Val
	if len(e.ROC) < 3 || len(e.PR) < 3 {
		t.Fatalf("out-of-fold curves: %d ROC points, %d PR points", len(e.ROC), len(e.PR))
	}
	if last := e.ROC[len(e.ROC)-1]; last.FPR != 1 || last.TPR != 1 {
		t.Errorf("the ROC ends at %+v", last)
	}
	if last := e.PR[len(e.PR)-1]; last.Recall != 1 {
		t.Errorf("the PR curve ends at %+v", last)
	}
	auc := 0.0
	for i := 1; i < len(e.ROC); i++ {
		auc += (e.ROC[i].FPR - e.ROC[i-1].FPR) * (e.ROC[i].TPR + e.ROC[i-1].TPR) / 2
	}
	if math.Abs(auc-e.Metrics["auc"]) > 0.05 {
		t.Errorf("pooled AUC %v, folds' mean %v", auc, e.Metrics["auc"])
	}
	if len(fin.Test.ROC) != 0 {
		t.Error("the held-out test evaluation of K models has no one curve")
	}
}
