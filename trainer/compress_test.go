package trainer

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"workbench/datasets"
)

// randomSnapshot returns an MLP with random weights: in → hidden… → out,
// relu hidden layers, the middle one batch-normalized when bn is set.
func randomSnapshot(task datasets.Task, in, out int, hidden []int, bn bool, seed uint64) *Snapshot {
	r := rand.New(rand.NewPCG(seed, 1))
	s := &Snapshot{Task: task, Inputs: in, Outputs: out}
	prev := in
	widths := append(append([]int(nil), hidden...), out)
	for li, w := range widths {
		l := LayerWeights{In: prev, Out: w, Activation: "relu", W: make([]float64, prev*w)}
		if li == len(widths)-1 {
			l.Activation = "linear"
		}
		for i := range l.W {
			l.W[i] = r.NormFloat64() / math.Sqrt(float64(prev))
		}
		if bn && li == 0 && len(hidden) > 0 {
			l.BatchNorm = true
			for j := 0; j < w; j++ {
				l.Gamma = append(l.Gamma, 0.5+r.Float64())
				l.Beta = append(l.Beta, r.NormFloat64()*0.1)
				l.RunMean = append(l.RunMean, r.NormFloat64()*0.1)
				l.RunVar = append(l.RunVar, 0.5+r.Float64())
			}
		} else {
			l.B = make([]float64, w)
			for j := range l.B {
				l.B[j] = r.NormFloat64() * 0.1
			}
		}
		s.Layers = append(s.Layers, l)
		prev = w
	}
	return s
}

func randomRows(n, d int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// dequantizedForward is the float computation over dequantized values:
// each input is coded and decoded, each weight decoded, then an ordinary
// float64 dense layer.
func dequantizedForward(q *Quantized, x []float64) []float64 {
	h := x
	for _, l := range q.Layers {
		out := make([]float64, l.Out)
		for j := 0; j < l.Out; j++ {
			sum := 0.0
			for i := 0; i < l.In; i++ {
				xd := math.Ldexp(float64(code(h[i], l.XExp)), l.XExp)
				wd := math.Ldexp(float64(l.W[i*l.Out+j]), l.WExp[j])
				sum += xd * wd
			}
			out[j] = sum + l.B[j]
		}
		act, _ := ParseActivation(l.Activation)
		act.Forward(out, out)
		h = out
	}
	res := make([]float64, q.Outputs)
	headFor(q.Task).Apply(res, h, 1, q.Outputs)
	return res
}

func TestInt8PathEqualsDequantizedFloatExactly(t *testing.T) {
	s := randomSnapshot(datasets.Multiclass, 12, 4, []int{16, 8}, true, 7)
	calib := randomRows(200, 12, 3)
	q, err := Quantize(s, calib, 200)
	if err != nil {
		t.Fatal(err)
	}
	x := randomRows(50, 12, 9)
	got := q.Predict(x, 50)
	for r := 0; r < 50; r++ {
		want := dequantizedForward(q, x[r*12:(r+1)*12])
		for j, v := range want {
			if got[r*4+j] != v {
				t.Fatalf("row %d output %d: int8 path %v, dequantized float %v", r, j, got[r*4+j], v)
			}
		}
	}
	// And it stays close to the float model.
	ref := s.Predict(x, 50)
	for i := range ref {
		if math.Abs(ref[i]-got[i]) > 0.05 {
			t.Fatalf("output %d: int8 %v vs float %v", i, got[i], ref[i])
		}
	}
	b, err := q.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadPredictor(b)
	if err != nil {
		t.Fatal(err)
	}
	again := p.Predict(x, 50)
	for i := range again {
		if again[i] != got[i] {
			t.Fatal("the int8 model changed through Marshal and LoadPredictor")
		}
	}
	fb, _ := s.Marshal()
	if len(b)*4 > len(fb) {
		t.Errorf("int8 file %d bytes, float file %d: want at least 4× smaller", len(b), len(fb))
	}
}

func TestScaleExpCodesTheRange(t *testing.T) {
	for _, m := range []float64{1e-6, 0.3, 1, 126.9, 127, 128, 5000} {
		e := scaleExp(m)
		if v := math.Ldexp(m, -e); v > 127 || v <= 63.5 {
			t.Errorf("m=%v: e=%d codes the max as %v, want (63.5, 127]", m, e, v)
		}
	}
}

func TestPruneMagnitudeZeroesTheSmallestGlobally(t *testing.T) {
	s := randomSnapshot(datasets.Binary, 10, 1, []int{8, 6}, false, 1)
	p, mask, err := PruneMagnitude(s, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	total := s.NumWeights()
	if nz := p.NonZeroWeights(); nz != total-int(math.Round(0.5*float64(total))) {
		t.Fatalf("%d non-zero of %d after pruning half", nz, total)
	}
	// Every kept weight is at least as large as every pruned one.
	minKept, maxPruned := math.Inf(1), 0.0
	for l, lw := range s.Layers {
		for i, w := range lw.W {
			if mask[l][i] {
				minKept = math.Min(minKept, math.Abs(w))
				if p.Layers[l].W[i] != w {
					t.Fatal("a kept weight changed")
				}
			} else {
				maxPruned = math.Max(maxPruned, math.Abs(w))
			}
		}
	}
	if maxPruned > minKept {
		t.Errorf("pruned |w| up to %v but kept one of %v", maxPruned, minKept)
	}
	if s.NonZeroWeights() != total {
		t.Error("pruning changed its input")
	}
	if _, _, err := PruneMagnitude(s, 1); err == nil {
		t.Error("a fraction of 1 must be refused")
	}
}

func TestPruneUnitsRemovesDeadUnitsWithoutChangingOutputs(t *testing.T) {
	s := randomSnapshot(datasets.Regression, 5, 2, []int{8}, true, 2)
	// Units 1, 4 and 6 feed nothing: removing them changes no output.
	next := &s.Layers[1]
	for _, j := range []int{1, 4, 6} {
		for c := 0; c < next.Out; c++ {
			next.W[j*next.Out+c] = 0
		}
	}
	p, err := PruneUnits(s, 0.375)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.HiddenUnits(); len(got) != 1 || got[0] != 5 {
		t.Fatalf("hidden units %v, want [5]", got)
	}
	x := randomRows(20, 5, 4)
	full, cut := s.Predict(x, 20), p.Predict(x, 20)
	for i := range full {
		// Only the order of the sums may change (the kernels tile by shape).
		if math.Abs(full[i]-cut[i]) > 1e-12 {
			t.Fatalf("output %d: %v before, %v after removing dead units", i, full[i], cut[i])
		}
	}
	if _, err := UnmarshalSnapshot(mustMarshal(t, p)); err != nil {
		t.Fatalf("a pruned model must stay a valid saved model: %v", err)
	}
	deep, err := PruneUnits(randomSnapshot(datasets.Binary, 5, 1, []int{8, 4}, false, 3), 0.25)
	if err != nil {
		t.Fatal(err)
	}
	if got := deep.HiddenUnits(); got[0] != 6 || got[1] != 3 {
		t.Errorf("hidden units %v, want [6 3]", got)
	}
}

func mustMarshal(t *testing.T, s *Snapshot) []byte {
	t.Helper()
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOutputGradientMatchesFiniteDifferences(t *testing.T) {
	for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
		out := 1
		if task == datasets.Multiclass {
			out = 3
		}
		s := randomSnapshot(task, 6, out, []int{7, 5}, true, 11)
		for i := range s.Layers {
			s.Layers[i].Activation = map[bool]string{true: "linear", false: "tanh"}[i == len(s.Layers)-1]
		}
		x := randomRows(1, 6, 5)
		c := out - 1
		grad := make([]float64, 6)
		s.OutputGradient(grad, x, c)
		want := fd.Gradient(nil, func(v []float64) float64 {
			g := make([]float64, 6)
			return s.OutputGradient(g, v, c)
		}, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		for i := range want {
			if math.Abs(want[i]-grad[i]) > 1e-6 {
				t.Errorf("%s: d out/d x%d = %v, finite differences %v", task, i, grad[i], want[i])
			}
		}
		attr, fx, fb, err := s.IntegratedGradients(x, make([]float64, 6), c, 200)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, a := range attr {
			sum += a
		}
		if math.Abs(sum-(fx-fb)) > 1e-3*math.Max(1, math.Abs(fx-fb)) {
			t.Errorf("%s: attributions add up to %v, f(x)-f(0) = %v", task, sum, fx-fb)
		}
	}
}

func TestTunedThresholdLowersTheCost(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var p, y []float64
	for i := 0; i < 400; i++ {
		pos := r.Float64() < 0.3
		v := r.Float64()*0.6 + 0.1
		if pos {
			v = r.Float64()*0.6 + 0.3
			y = append(y, 1)
		} else {
			y = append(y, 0)
		}
		p = append(p, v)
	}
	thr, cost := TuneThreshold(p, y, 1, 5)
	half := ExpectedCost(p, y, 0.5, 1, 5)
	if !(cost < half) || thr >= 0.5 {
		t.Fatalf("tuned threshold %v costs %v, 0.5 costs %v: want a lower threshold and cost", thr, cost, half)
	}
	if got := ExpectedCost(p, y, thr, 1, 5); math.Abs(got-cost) > 1e-12 {
		t.Errorf("ExpectedCost at the tuned threshold %v, TuneThreshold said %v", got, cost)
	}
	// No other threshold does better.
	for _, c := range p {
		if ExpectedCost(p, y, c, 1, 5) < cost-1e-12 {
			t.Fatalf("threshold %v beats the tuned one", c)
		}
	}
}

func TestCombine(t *testing.T) {
	outs := [][]float64{{0.9, 0.2, 0.6}, {0.7, 0.4, 0.3}, {0.2, 0.1, 0.55}}
	w := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	thr := []float64{0.5, 0.5, 0.5}
	mean := Combine("mean", datasets.Binary, 1, outs, w, thr)
	vote := Combine("vote", datasets.Binary, 1, outs, w, thr)
	for i, want := range []float64{0.6, 0.7 / 3, 1.45 / 3} {
		if math.Abs(mean[i]-want) > 1e-12 {
			t.Errorf("mean[%d] = %v, want %v", i, mean[i], want)
		}
	}
	for i, want := range []float64{2.0 / 3, 0, 2.0 / 3} {
		if math.Abs(vote[i]-want) > 1e-12 {
			t.Errorf("vote[%d] = %v, want %v", i, vote[i], want)
		}
	}
	med := Combine("vote", datasets.Regression, 1, [][]float64{{1}, {5}, {2}, {10}}, []float64{.25, .25, .25, .25}, nil)
	if med[0] != 3.5 {
		t.Errorf("median %v, want 3.5", med[0])
	}
}

func TestFinetuneKeepsPrunedWeightsAtZero(t *testing.T) {
	spec := DefaultSpec()
	spec.Data = datasets.Spec{Name: "moons", Split: datasets.DefaultSplit, Seed: 1}
	spec.Model.Hidden = []LayerSpec{{Units: 8, Activation: "relu"}}
	spec.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	spec.Epochs = 20
	data := prepare(t, spec.Data)
	_, fin := runAll(t, spec, data, Options{})
	pruned, mask, err := PruneMagnitude(fin.Model, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	tuned, err := Finetune(context.Background(), pruned, spec, data, FinetuneOptions{Epochs: 3, Mask: mask, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	changed := false
	for l, lw := range tuned.Layers {
		for i, w := range lw.W {
			if !mask[l][i] && w != 0 {
				t.Fatalf("pruned weight %d of layer %d is %v after fine-tuning", i, l, w)
			}
			if mask[l][i] && w != pruned.Layers[l].W[i] {
				changed = true
			}
		}
	}
	if !changed {
		t.Error("fine-tuning changed no weight")
	}
}
