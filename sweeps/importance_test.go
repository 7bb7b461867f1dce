package sweeps

import (
	"math"
	"math/rand/v2"
	"testing"

	"workbench/trainer"
)

// trialsOf draws n random-search trials of s and scores them with f.
func trialsOf(t *testing.T, s Spec, f func(trainer.Spec) float64) ([]trainer.Spec, []float64) {
	t.Helper()
	ts, err := Expand(s)
	if err != nil {
		t.Fatal(err)
	}
	var specs []trainer.Spec
	var ys []float64
	for _, tr := range ts {
		specs = append(specs, tr.Spec)
		ys = append(ys, f(tr.Spec))
	}
	return specs, ys
}

func TestImportanceFindsTheOneParameterThatMatters(t *testing.T) {
	s := Spec{Base: base(5), Trials: 40, Seed: 9, Random: []Dist{
		{Field: "lr", Kind: "log", Min: 1e-4, Max: 1},
		{Field: "dropout", Kind: "uniform", Min: 0, Max: 0.5},
		{Field: "batch", Kind: "int", Min: 8, Max: 64},
		{Field: "act", Kind: "choice", Items: []string{"relu", "tanh", "elu"}},
	}}
	noise := rand.New(rand.NewPCG(1, 2))
	// Only the learning rate matters (a bowl in log10 lr), plus a little noise.
	specs, ys := trialsOf(t, s, func(sp trainer.Spec) float64 {
		return 0.9 - 0.05*math.Pow(math.Log10(sp.Optimizer.LR)+2, 2) + 0.002*noise.NormFloat64()
	})
	imp := Importances(s, specs, ys)
	if imp.Method != ImportanceForest || !imp.Trusted || imp.Trials != 40 || len(imp.Params) != 4 {
		t.Fatalf("%+v", imp)
	}
	if imp.Params[0].Field != "lr" || imp.Params[0].Share < 0.8 {
		t.Fatalf("lr should explain ≥ 80%%: %+v", imp.Params)
	}
	var sum float64
	for _, p := range imp.Params {
		sum += p.Share
		if p.Share < 0 || math.IsNaN(p.Share) {
			t.Fatalf("share %+v", p)
		}
	}
	if sum > 1+1e-9 {
		t.Fatalf("main effects add to %v > 1", sum)
	}
	t.Logf("shares %+v", imp.Params)
	again := Importances(s, specs, ys)
	if again.Params[0] != imp.Params[0] {
		t.Fatalf("not deterministic: %+v vs %+v", again.Params[0], imp.Params[0])
	}
	// Twelve trials of four fields are too few to trust.
	few := Importances(s, specs[:12], ys[:12])
	if few.Trusted || few.Note == "" || MinTrustedTrials(4) != 20 {
		t.Fatalf("12 trials: %+v", few)
	}
}

func TestImportanceOnACompleteGridIsExact(t *testing.T) {
	s := Spec{Base: base(5), Grid: []Param{{Field: "lr", Values: []string{"0.001", "0.01", "0.1"}}, {Field: "act", Values: []string{"relu", "tanh"}}}}
	// y = lr effect (−1, 0, 1) + act effect (±0.5): variances 2/3 and 1/4.
	specs, ys := trialsOf(t, s, func(sp trainer.Spec) float64 {
		y := math.Log10(sp.Optimizer.LR) + 2
		if sp.Model.Hidden[0].Activation == "tanh" {
			y += 0.5
		} else {
			y -= 0.5
		}
		return y
	})
	imp := Importances(s, specs, ys)
	want := map[string]float64{"lr": (2.0 / 3) / (2.0/3 + 0.25), "act": 0.25 / (2.0/3 + 0.25)}
	if imp.Method != ImportanceGrid || !imp.Trusted {
		t.Fatalf("%+v", imp)
	}
	for _, p := range imp.Params {
		if math.Abs(p.Share-want[p.Field]) > 1e-12 {
			t.Errorf("%s: %v, want %v", p.Field, p.Share, want[p.Field])
		}
	}
	// A missing point (a diverged trial) falls back to the forest.
	ys[2] = math.NaN()
	if imp := Importances(s, specs, ys); imp.Method != ImportanceForest || imp.Trials != 5 || imp.Trusted {
		t.Fatalf("incomplete grid: %+v", imp)
	}
}

func TestImportanceEdgeCases(t *testing.T) {
	s := Spec{Base: base(5), Trials: 3, Random: []Dist{{Field: "lr", Kind: "log", Min: 1e-4, Max: 1}}}
	specs, _ := trialsOf(t, s, func(trainer.Spec) float64 { return 0 })
	for _, ys := range [][]float64{{math.NaN(), math.Inf(1), 1e300}, {0.5, 0.5, 0.5}, {}} {
		imp := Importances(s, specs[:len(ys)], ys)
		if imp.Trusted || imp.Note == "" || imp.Params == nil {
			t.Errorf("%v: %+v", ys, imp)
		}
		for _, p := range imp.Params {
			if math.IsNaN(p.Share) {
				t.Errorf("%v: NaN share", ys)
			}
		}
	}
}

// TestImportanceOnAStoppedGrid: a 3×2 grid stopped after its first four
// trials covers the complete 2×2 sub-grid of lr 0.001 and 0.01; the
// decomposition is exact on that sub-grid (lr's share 0.5, not the full
// grid's 0.727) and says so, with 4 of the grid's 6 points. It was
// labelled the exact fANOVA of the complete grid. A grid with a hole in
// it is an estimate, with its count of points.
func TestImportanceOnAStoppedGrid(t *testing.T) {
	s := Spec{Base: base(5), Grid: []Param{{Field: "lr", Values: []string{"0.001", "0.01", "0.1"}}, {Field: "act", Values: []string{"relu", "tanh"}}}}
	specs, ys := trialsOf(t, s, func(sp trainer.Spec) float64 {
		y := math.Log10(sp.Optimizer.LR) + 2
		if sp.Model.Hidden[0].Activation == "tanh" {
			return y + 0.5
		}
		return y - 0.5
	})
	if full := Importances(s, specs, ys); full.Method != ImportanceGrid || full.Points != 6 || full.GridPoints != 6 || full.Note != "" {
		t.Fatalf("the whole grid: %+v", full)
	}
	imp := Importances(s, specs[:4], ys[:4])
	if imp.Method != ImportanceSubgrid || imp.Points != 4 || imp.GridPoints != 6 || imp.Trials != 4 {
		t.Fatalf("stopped after 4 trials: %+v", imp)
	}
	// On the sub-grid lr moves y by ±0.5 and act by ±0.5: half each.
	for _, p := range imp.Params {
		if math.Abs(p.Share-0.5) > 1e-12 {
			t.Errorf("%s: share %v, want 0.5", p.Field, p.Share)
		}
	}
	want := "a sub-grid of 4 of the grid's 6 points (lr 2 of 3 values): exact on it, silent on the values left out"
	if imp.Note != want {
		t.Errorf("note %q\nwant %q", imp.Note, want)
	}
	// Five of six points: no complete sub-grid of every observed value.
	est := Importances(s, specs[:5], ys[:5])
	if est.Method != ImportanceForest || est.Points != 5 || est.GridPoints != 6 ||
		est.Note != "an estimate: 5 of the grid's 6 points have a finished trial; too few trials to trust: 5 of the 10 needed" {
		t.Errorf("5 of 6 points: %+v", est)
	}
}
