package trainer

import (
	"context"
	"math"
	"testing"

	"workbench/datasets"
)

// digitsSpec is the digits preset: 64 ReLU units, Adam at its default
// rate 0.001, batches of 64.
func digitsSpec() Spec {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "digits", Split: datasets.DefaultSplit, Seed: 1, Scale: "minmax"}
	s.Model = ModelSpec{Init: "he_uniform", Hidden: []LayerSpec{{Units: 64, Activation: "relu"}}}
	s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "ce", OptimizerSpec{Name: "adam", LR: 0.001}, 64, 10
	return s
}

// TestFindLRDigits: on digits the suggestion lies in [1e-4, 1e-1], and a
// run at it reaches at least the default rate's validation accuracy in the
// same epochs.
func TestFindLRDigits(t *testing.T) {
	if testing.Short() {
		t.Skip("trains digits three times")
	}
	spec := digitsSpec()
	data := prepare(t, spec.Data)
	res, err := FindLR(context.Background(), spec, data, LRFindOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d points, diverged %v, min %g, steepest %g, suggested %g (%s)", len(res.Points), res.Diverged, res.MinLR, res.SteepestLR, res.Suggested, res.Rule)
	if !(res.Suggested >= 1e-4 && res.Suggested <= 1e-1) {
		t.Fatalf("suggested %g, want it in [1e-4, 1e-1]", res.Suggested)
	}
	acc := func(lr float64) float64 {
		s := spec
		s.Optimizer.LR = lr
		_, fin := runAll(t, s, data, Options{Workers: 1})
		return fin.Val.Metrics["accuracy"]
	}
	def, sug := acc(0.001), acc(res.Suggested)
	t.Logf("val accuracy after %d epochs: default lr 0.001 → %.4f, suggested %g → %.4f", spec.Epochs, def, res.Suggested, sug)
	if sug < def {
		t.Errorf("the suggestion's val accuracy %.4f is below the default's %.4f", sug, def)
	}
}

// TestFindLRLeavesNothingBehind: the range test is deterministic and does
// not change the spec or the data.
func TestFindLRLeavesNothingBehind(t *testing.T) {
	spec := DefaultSpec()
	spec.Data = datasets.Spec{Name: "xor", Samples: 200, Split: datasets.DefaultSplit, Seed: 1}
	data := prepare(t, spec.Data)
	before := append([]float64(nil), data.Train.X...)
	a, err := FindLR(context.Background(), spec, data, LRFindOptions{Steps: 100, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := FindLR(context.Background(), spec, data, LRFindOptions{Steps: 100, Workers: 1})
	if len(a.Points) != len(b.Points) || a.Suggested != b.Suggested {
		t.Fatalf("two tests differ: %d/%g and %d/%g", len(a.Points), a.Suggested, len(b.Points), b.Suggested)
	}
	for i, v := range before {
		if data.Train.X[i] != v {
			t.Fatal("the training data changed")
		}
	}
	if spec.Optimizer.LR != 0.03 {
		t.Fatal("the spec changed")
	}
	for i := 1; i < len(a.Points); i++ {
		if r := a.Points[i].LR / a.Points[i-1].LR; math.Abs(r-math.Pow(1e8, 1.0/99)) > 1e-9 {
			t.Fatalf("step %d grows the rate by %g", i, r)
		}
	}
}

// TestSuggestRules: a clean descent gives the steepest point; a curve that
// only rises gives min ÷ 10.
func TestSuggestRules(t *testing.T) {
	mk := func(f func(x float64) float64) *LRFindResult {
		r := &LRFindResult{}
		for i := 0; i < 60; i++ {
			lr := math.Pow(10, -6+float64(i)/10)
			r.Points = append(r.Points, LRPoint{LR: lr, Smoothed: f(math.Log10(lr))})
		}
		r.suggest()
		return r
	}
	// A logistic drop centred at 1e-3, then a rise after 1e-1.
	down := mk(func(x float64) float64 {
		v := 1 / (1 + math.Exp(4*(x+3)))
		if x > -1 {
			v += (x + 1) * (x + 1)
		}
		return v
	})
	if down.Rule != "steepest" || math.Abs(math.Log10(down.Suggested)+3) > 0.11 {
		t.Errorf("descent: %g by %s, want 1e-3 by steepest", down.Suggested, down.Rule)
	}
	up := mk(func(x float64) float64 { return x + 10 })
	if up.Rule != "min/10" || up.Suggested != 1e-7 {
		t.Errorf("rise: %g by %s, want 1e-7 by min/10", up.Suggested, up.Rule)
	}
}

// TestFindLRTakesThePrecision: a float32 range test trains a float32
// network: its losses differ from float64's in the low bits and agree to
// 1e-5.
func TestFindLRTakesThePrecision(t *testing.T) {
	spec := digitsSpec()
	data := prepare(t, spec.Data)
	o := LRFindOptions{Workers: 1, Steps: 30, End: 1e-2} // short of divergence, where the precisions part
	r64, err := FindLR(context.Background(), spec, data, o)
	if err != nil {
		t.Fatal(err)
	}
	spec.Precision = Float32
	r32, err := FindLR(context.Background(), spec, data, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(r32.Points) != len(r64.Points) {
		t.Fatalf("%d float32 points, %d float64", len(r32.Points), len(r64.Points))
	}
	differ := 0
	for i, p := range r32.Points {
		q := r64.Points[i]
		if p.Loss != q.Loss {
			differ++
		}
		if math.Abs(p.Loss-q.Loss) > 1e-5*math.Abs(q.Loss) {
			t.Errorf("step %d: float32 loss %g, float64 %g", i, p.Loss, q.Loss)
		}
	}
	if differ == 0 {
		t.Error("float32 gave float64's losses bit for bit: the precision was ignored")
	}
}
