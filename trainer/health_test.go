package trainer

import (
	"math"
	"strings"
	"testing"

	"workbench/datasets"
)

// tinyRunner is a runner on a regression task with one training row
// (1, 2) → 1 and validation rows (1, 0) and (0, 1), a hidden layer of 3
// ReLU units with known weights, and plain SGD.
func tinyRunner(t *testing.T) *runner {
	t.Helper()
	data := &datasets.Prepared{
		Meta:  datasets.Meta{Task: datasets.Regression},
		Train: datasets.Split{X: []float64{1, 2}, Y: []float64{1}, N: 1, D: 2},
		Val:   datasets.Split{X: []float64{1, 0, 0, 1}, Y: []float64{0, 0}, N: 2, D: 2},
		Test:  datasets.Split{D: 2},
	}
	spec := DefaultSpec()
	spec.Data = datasets.Spec{Name: "seed-example", Split: datasets.DefaultSplit}
	spec.Model.Hidden = []LayerSpec{{Units: 3, Activation: "relu"}}
	spec.Loss = "mse"
	spec.Optimizer = OptimizerSpec{Name: "sgd", LR: 0.1}
	spec.BatchSize = 1
	r, err := newRunner(spec, data, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.model.Close)
	h, out := r.model.Layers[0], r.model.Layers[1]
	copy(h.W, []float64{1, -1, 0.5, 0, -1, 0.5})
	clear(h.B)
	copy(out.W, []float64{1, 1, 1})
	clear(out.B)
	return r
}

// TestLayerHealthByHand checks every value against a hand computation.
//
// Forward on (1, 2): z = (1, −3, 1.5), a = (1, 0, 1.5), output 2.5, so
// dL/dout = 2·(2.5−1) = 3. Output gradient a·3 = (3, 0, 4.5), norm √29.25.
// Back through W₂ = 1 and the ReLU mask (1, 0, 1): dz = (3, 0, 3), so
// dW₁ = xᵀ·dz = [[3, 0, 3], [6, 0, 6]], norm √90, and the step moves W₁ by
// 0.1·√90 against ‖W₁‖ = √3.5. After it W₁ = [[0.7, −1, 0.2], [−0.6, −1,
// −0.1]] (norm √2.9) and b₁ = (−0.3, 0, −0.3). On validation, (1, 0)
// gives a = (0.4, 0, 0) and (0, 1) gives a = (0, 0, 0): units 2 and 3 are
// dead; the mean of the six outputs is 0.4/6 and E[a²] = 0.16/6.
func TestLayerHealthByHand(t *testing.T) {
	r := tinyRunner(t)
	r.health.beforeStep(r.model)
	r.step(0, 1, 0.1)
	r.health.afterStep(r.model)
	r.health.start()
	r.evaluate(&r.data.Val)
	got := r.health.finish(r.model)
	if len(got) != 1 {
		t.Fatalf("%d layers, want 1", len(got))
	}
	mean := 0.4 / 6
	want := LayerHealth{
		Layer: 1, Activation: "relu", Units: 3,
		WeightNorm: math.Sqrt(2.9), GradNorm: math.Sqrt(90), RelGrad: math.Sqrt(90) / math.Sqrt(29.25),
		UpdateRatio: 0.1 * math.Sqrt(90) / math.Sqrt(3.5),
		Dead:        2.0 / 3, Saturated: 0,
		ActMean: mean, ActStd: math.Sqrt(0.16/6 - mean*mean),
	}
	g := got[0]
	if g.Layer != want.Layer || g.Activation != want.Activation || g.Units != want.Units {
		t.Fatalf("got %+v, want %+v", g, want)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"weight_norm", g.WeightNorm, want.WeightNorm}, {"grad_norm", g.GradNorm, want.GradNorm},
		{"rel_grad", g.RelGrad, want.RelGrad}, {"update_ratio", g.UpdateRatio, want.UpdateRatio},
		{"dead", g.Dead, want.Dead}, {"saturated", g.Saturated, want.Saturated},
		{"act_mean", g.ActMean, want.ActMean}, {"act_std", g.ActStd, want.ActStd},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
}

// TestSaturationByHand: a tanh layer whose weights are huge is saturated on
// every row; a sigmoid one at 0 is not.
func TestSaturationByHand(t *testing.T) {
	for _, c := range []struct {
		act  string
		w    float64
		want float64
	}{{"tanh", 100, 1}, {"tanh", 0.01, 0}, {"sigmoid", 100, 1}, {"sigmoid", 0, 0}, {"relu", 100, 0}} {
		r := tinyRunner(t)
		r.model.Layers[0].Act, _ = ParseActivation(c.act)
		// Both rows, (1, 0) and (0, 1), give each unit ±w: sigmoid(±100)
		// is at a limit either way, sigmoid(0) = 0.5 is not.
		copy(r.model.Layers[0].W, []float64{c.w, -c.w, c.w, c.w, -c.w, c.w})
		r.health.start()
		r.evaluate(&r.data.Val)
		if got := r.health.finish(r.model)[0].Saturated; got != c.want {
			t.Errorf("%s w=%v: saturated %v, want %v", c.act, c.w, got, c.want)
		}
	}
}

// TestDeadUnitWarning: far too high a learning rate on ReLU kills units,
// and the dead rule fires with its advice.
func TestDeadUnitWarning(t *testing.T) {
	spec := DefaultSpec()
	spec.Data = datasets.Spec{Name: "circle", Samples: 400, Split: datasets.DefaultSplit, Seed: 1}
	spec.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu"}, {Units: 16, Activation: "relu"}}
	spec.Model.Init = "he_uniform"
	spec.Optimizer = OptimizerSpec{Name: "sgd", LR: 3}
	spec.ClipNorm = 0
	spec.Epochs = 12
	eps, fin := runAll(t, spec, prepare(t, spec.Data), Options{Workers: 1})
	var ws []HealthWarning
	var w HealthWatch
	for _, e := range eps {
		ws = append(ws, w.Observe(e.Epoch, e.Layers)...)
	}
	found := false
	for _, x := range ws {
		t.Log(x.Text)
		if x.Rule == "dead" && strings.Contains(x.Text, "units are dead since epoch") && strings.Contains(x.Text, "lower the learning rate or use leaky_relu") {
			found = true
		}
	}
	if !found {
		for _, e := range eps {
			t.Logf("epoch %d: %+v", e.Epoch, e.Layers)
		}
		t.Fatalf("no dead-unit warning (run %s: %s)", fin.Status, fin.Reason)
	}
}

// TestHealthyRunNoWarning: the default spiral run and a ReLU/Adam run
// raise no warning.
func TestHealthyRunNoWarning(t *testing.T) {
	relu := DefaultSpec()
	relu.Data = datasets.Spec{Name: "circle", Samples: 400, Split: datasets.DefaultSplit, Seed: 1}
	relu.Model.Hidden = []LayerSpec{{Units: 8, Activation: "relu"}, {Units: 8, Activation: "relu"}}
	relu.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	relu.Epochs = 40
	for _, spec := range []Spec{DefaultSpec(), relu} {
		eps, _ := runAll(t, spec, prepare(t, spec.Data), Options{Workers: 1})
		epochs := make([]int, len(eps))
		layers := make([][]LayerHealth, len(eps))
		for i, e := range eps {
			epochs[i], layers[i] = e.Epoch, e.Layers
			if len(e.Layers) != len(spec.Model.Hidden) {
				t.Fatalf("epoch %d has %d layers, want %d", e.Epoch, len(e.Layers), len(spec.Model.Hidden))
			}
		}
		for _, w := range HealthWarnings(epochs, layers) {
			t.Errorf("%s: %s", spec.Model.Hidden[0].Activation, w.Text)
		}
		t.Logf("last: %+v", eps[len(eps)-1].Layers)
	}
}

// TestHealthWatchStreaks: a rule fires once after HealthPatience epochs in
// a row, names the streak's first epoch, and fires again after clearing.
func TestHealthWatchStreaks(t *testing.T) {
	var w HealthWatch
	dead := func(f float64) []LayerHealth {
		return []LayerHealth{{Layer: 2, Activation: "relu", Units: 8, Dead: f, RelGrad: 1}}
	}
	// Fires at 4 (since 2); a one-epoch dip at 6 does not re-arm it; clear
	// from 9 to 11, it fires again at 14 for the streak since 12.
	seq := []float64{0.1, 0.63, 0.63, 0.63, 0.7, 0.2, 0.6, 0.6, 0.1, 0.1, 0.1, 0.6, 0.6, 0.6}
	var fired []HealthWarning
	for i, f := range seq {
		fired = append(fired, w.Observe(i+1, dead(f))...)
	}
	if len(fired) != 2 {
		t.Fatalf("fired %d times, want 2: %+v", len(fired), fired)
	}
	if want := "layer 2: 63% of relu units are dead since epoch 2: lower the learning rate or use leaky_relu"; fired[0].Text != want || fired[0].Epoch != 4 {
		t.Errorf("got %q at epoch %d, want %q at 4", fired[0].Text, fired[0].Epoch, want)
	}
	if fired[1].Since != 12 || fired[1].Epoch != 14 {
		t.Errorf("second streak %+v, want since 12 at 14", fired[1])
	}
	v := HealthWarnings([]int{1, 2, 3}, [][]LayerHealth{
		{{Layer: 1, RelGrad: 1e-5}}, {{Layer: 1, RelGrad: 1e-5}}, {{Layer: 1, RelGrad: 1e-5}},
	})
	if len(v) != 1 || !strings.HasPrefix(v[0].Text, "gradients vanish in layer 1 since epoch 1") {
		t.Errorf("vanishing: %+v", v)
	}
}

// TestHealthAllocatesNothing: the measured step and the measured
// validation pass allocate nothing; only finish makes the epoch's slice.
func TestHealthAllocatesNothing(t *testing.T) {
	s := DefaultSpec()
	s.Model.Hidden = []LayerSpec{{Units: 32, Activation: "relu", BatchNorm: true}, {Units: 16, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.BatchSize = 32
	r, err := newRunner(s, prepare(t, s.Data), Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.model.Close()
	r.step(0, 32, 0.01)
	if a := testing.AllocsPerRun(100, func() {
		r.health.beforeStep(r.model)
		r.step(0, 32, 0.01)
		r.health.afterStep(r.model)
		r.health.start()
		r.model.Forward(r.data.Val.X, 64, false, nil)
		r.health.observe(r.model, 64)
	}); a != 0 {
		t.Fatalf("the measured step and pass allocate %v times", a)
	}
}

// TestSnapshotActivations: a unit that is exactly x₁ outputs x₁, and the
// output layer gives logits.
func TestSnapshotActivations(t *testing.T) {
	s := &Snapshot{Task: datasets.Regression, Inputs: 2, Outputs: 1, Layers: []LayerWeights{
		{In: 2, Out: 2, Activation: "linear", W: []float64{1, 0, 0, -2}, B: []float64{0, 1}},
		{In: 2, Out: 1, Activation: "linear", W: []float64{1, 1}, B: []float64{0.5}},
	}}
	got := s.Activations([]float64{3, 4, -1, 0.5}, 2)
	want := [][]float64{{3, -7, -1, 0}, {-3.5, -0.5}}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("layer %d: %v, want %v", i, got[i], want[i])
			}
		}
	}
}
