package trainer

import (
	"testing"

	"workbench/datasets"
)

// cvSpec is a small 3-fold cross-validation on noisy moons.
func cvSpec() Spec {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "moons", Samples: 240, Noise: 0.3, Split: datasets.DefaultSplit, Seed: 4}
	s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.05}
	s.BatchSize, s.Epochs, s.CV = 16, 12, 3
	return s
}

// foldCurves trains each fold of s on its own, as a plain run, and
// returns each fold's val_loss by epoch.
func foldCurves(t *testing.T, s Spec, data *datasets.Prepared) [][]float64 {
	t.Helper()
	folds, err := data.CVFolds(s.CV, s.CVAll, s.Data.Seed)
	if err != nil {
		t.Fatal(err)
	}
	one := s
	one.CV = 0
	var out [][]float64
	for _, f := range folds {
		eps, _ := runAll(t, one, f, Options{Workers: 1})
		var c []float64
		for _, e := range eps {
			c = append(c, e.Val["loss"])
		}
		out = append(out, c)
	}
	return out
}

func TestCrossValidationBestIsTheFoldMeanCurves(t *testing.T) {
	s := cvSpec()
	s.Model.Hidden[0].Units, s.Optimizer.LR, s.Epochs = 32, 0.1, 30
	data := prepare(t, s.Data)
	curves := foldCurves(t, s, data)
	eps, fin := runAll(t, s, data, Options{})
	if fin.Status != StatusDone || len(eps) != s.Epochs {
		t.Fatalf("status %s after %d epochs", fin.Status, len(eps))
	}
	best, at := 0.0, 0
	for e := range eps {
		mean := 0.0
		for _, c := range curves {
			mean += c[e] / float64(len(curves))
		}
		if !near(eps[e].Val["loss"], mean, 1e-12) {
			t.Errorf("epoch %d: val_loss %v, want the folds' mean %v", e+1, eps[e].Val["loss"], mean)
		}
		if at == 0 || mean < best {
			best, at = mean, e+1
		}
	}
	if at == s.Epochs {
		t.Fatal("the mean curve's best is its last epoch: the test does not tell the best epoch from the last")
	}
	if fin.BestEpoch != at || !near(fin.Best["loss"], best, 1e-12) {
		t.Errorf("best epoch %d val_loss %v, want %d and %v", fin.BestEpoch, fin.Best["loss"], at, best)
	}
}

func TestCrossValidationBestIsAnEpochEveryFoldReached(t *testing.T) {
	// Each fold stops early on its own; after the first has stopped the
	// epochs are means over the others and must not count as the best.
	s := stoppingCVSpec()
	data := prepare(t, s.Data)
	curves := foldCurves(t, s, data)
	first, last := len(curves[0]), len(curves[0])
	for _, c := range curves {
		first, last = min(first, len(c)), max(last, len(c))
	}
	if first == last {
		t.Fatalf("every fold stopped at epoch %d: the test needs folds that stop apart", first)
	}
	eps, fin := runAll(t, s, data, Options{})
	if len(eps) != last {
		t.Fatalf("%d epochs, want %d (the last fold's)", len(eps), last)
	}
	for _, e := range eps {
		if e.Best && e.Epoch > first {
			t.Errorf("epoch %d is marked best, after fold stopped at %d", e.Epoch, first)
		}
	}
	if fin.BestEpoch < 1 || fin.BestEpoch > first {
		t.Fatalf("best epoch %d, want one of 1–%d", fin.BestEpoch, first)
	}
	mean := 0.0
	for _, c := range curves {
		mean += c[fin.BestEpoch-1] / float64(len(curves))
	}
	if !near(fin.Best["loss"], mean, 1e-12) {
		t.Errorf("best val_loss %v, want the mean of %d folds %v", fin.Best["loss"], len(curves), mean)
	}
}

func TestCrossValidationPrunesOnTheFoldMean(t *testing.T) {
	s := cvSpec()
	data := prepare(t, s.Data)
	curves := foldCurves(t, s, data)
	want := (curves[0][2] + curves[1][2] + curves[2][2]) / 3
	// The folds race ahead of the aggregator; whatever they finished
	// after the prune is not sent.
	for range 5 {
		var seen []float64
		prune := func(epoch int, val map[string]float64) bool {
			seen = append(seen, val["loss"])
			return epoch == 3
		}
		eps, fin := runAll(t, s, data, Options{Prune: prune})
		if fin.Status != StatusPruned || fin.Epochs != 3 || len(eps) != 3 {
			t.Fatalf("status %s, %d epochs (%d sent), want pruned after 3", fin.Status, fin.Epochs, len(eps))
		}
		if len(seen) != 3 || !near(seen[2], want, 1e-12) {
			t.Fatalf("the pruner saw %v, want 3 epochs ending at the folds' mean %v", seen, want)
		}
	}
}

// stoppingCVSpec is cvSpec with early stopping (patience 3, up to 60
// epochs at rate 0.1), so that the folds stop at different epochs.
func stoppingCVSpec() Spec {
	s := cvSpec()
	s.Optimizer.LR = 0.1
	s.Epochs = 60
	s.EarlyStop = EarlyStopSpec{Patience: 3}
	return s
}

// TestCrossValidationEpochsCarryTheirRate: every merged epoch carries the
// folds' samples a second. An epoch of folds that had ended by the time
// it was merged (a small run's last epochs, often all of them) carried 0:
// train --json wrote "samples_per_s": 0.
func TestCrossValidationEpochsCarryTheirRate(t *testing.T) {
	s := cvSpec()
	eps, fin := runAll(t, s, prepare(t, s.Data), Options{})
	if fin.Status != StatusDone || len(eps) != s.Epochs {
		t.Fatalf("status %s after %d epochs", fin.Status, len(eps))
	}
	for _, e := range eps {
		if !(e.SamplesPerSec > 0) {
			t.Errorf("epoch %d of %d folds: %v samples/s", e.Epoch, e.Folds, e.SamplesPerSec)
		}
	}
}
