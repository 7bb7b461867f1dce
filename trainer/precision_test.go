package trainer

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"workbench/datasets"
)

// TestNetworkGradient32 checks the float32 engine's backward pass, for the
// network of TestNetworkGradient (batch norm, tanh, elu, penalties):
//   - against gonum's central differences of the float32 objective, with a
//     step of 1e-2 (float32's rounding makes smaller steps noise): within
//     2% relative plus 1e-3;
//   - against the float64 engine's analytic gradient at the same weights,
//     which TestNetworkGradient checks to 1e-6: within 1e-4 relative plus
//     1e-5.
func TestNetworkGradient32(t *testing.T) {
	for _, c := range []struct {
		loss string
		task datasets.Task
		k    int
	}{{"bce", datasets.Binary, 2}, {"ce", datasets.Multiclass, 3}, {"mse", datasets.Regression, 0}} {
		t.Run(c.loss, func(t *testing.T) {
			ms := ModelSpec{Init: "he_normal", Hidden: []LayerSpec{{Units: 5, Activation: "tanh", BatchNorm: true}, {Units: 4, Activation: "elu"}}}
			m32, err := newNetwork[float32](ms, c.task, 3, c.k, 8, 1, rand.New(rand.NewPCG(9, 10)))
			if err != nil {
				t.Fatal(err)
			}
			defer m32.Close()
			m64, _ := newNetwork[float64](ms, c.task, 3, c.k, 8, 1, rand.New(rand.NewPCG(9, 10)))
			defer m64.Close()
			w := make([]float64, m32.weightLen())
			m32.saveWeights(w)
			m64.loadWeights(w) // the same (float32) weights in both
			loss, _ := NewLoss(c.loss, c.task)
			const n, l1, l2 = 8, 0.01, 0.03
			r := rand.New(rand.NewPCG(11, 12))
			x := make([]float64, n*3)
			for i := range x {
				x[i] = float64(float32(4*r.Float64() - 2))
			}
			k := m32.Outputs
			tg := make([]float64, n*k)
			for i := 0; i < n; i++ {
				fillTargets(tg[i*k:(i+1)*k], float64(i%max(c.k, 1)), c.task)
			}
			grads := func(m engine) [][]float64 {
				g := make([]float64, n*k)
				loss.Eval(g, m.forward64(x, n, true, nil), tg, n, k)
				m.backward64(g, n, true)
				m.addPenaltyGrad(l1, l2)
				var out [][]float64
				switch m := m.(type) {
				case *network[float32]:
					for _, p := range m.Params() {
						out = append(out, copy64(p.G))
					}
				case *network[float64]:
					for _, p := range m.Params() {
						out = append(out, copy64(p.G))
					}
				}
				return out
			}
			stats := make([]float64, m32.weightLen())
			m32.saveWeights(stats)
			g32, g64 := grads(m32), grads(m64)
			for pi, p := range m32.Params() {
				for i := range g32[pi] {
					a, b := g32[pi][i], g64[pi][i]
					if math.Abs(a-b) > 1e-4*math.Max(math.Abs(a), math.Abs(b))+1e-5 {
						t.Errorf("%s[%d]: float32 %.7g, float64 %.7g", p.Name, i, a, b)
					}
				}
				orig := append([]float32(nil), p.W...)
				num := fd.Gradient(nil, func(v []float64) float64 {
					for i := range v {
						p.W[i] = float32(v[i])
					}
					s := loss.Eval(nil, m32.forward64(x, n, true, nil), tg, n, k) + m32.penalty(l1, l2)
					copy(p.W, orig)
					m32.loadWeights(stats) // running statistics do not enter the objective
					return s
				}, copy64(orig), &fd.Settings{Formula: fd.Central, Step: 1e-2})
				for i := range num {
					a, b := g32[pi][i], num[i]
					if math.Abs(a-b) > 2e-2*math.Max(math.Abs(a), math.Abs(b))+1e-3 {
						t.Errorf("%s[%d]: analytic %.6g, numeric %.6g", p.Name, i, a, b)
					}
				}
			}
		})
	}
}

// TestActivationsFloat32 holds every float32 activation, forward and
// backward, to the float64 one within float32 rounding (1e-6 relative).
func TestActivationsFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range ActivationNames {
		act, _ := ParseActivation(name)
		f32, b32 := actFuncs[float32](act)
		z := randVec(r, 64, 4)
		da := randVec(r, 64, 1)
		for i := range z {
			z[i], da[i] = float64(float32(z[i])), float64(float32(da[i]))
		}
		a64, dz64 := make([]float64, 64), make([]float64, 64)
		act.Forward(a64, z)
		act.Backward(dz64, da, z, a64)
		z32, da32 := to32(z), to32(da)
		a32, dz32 := make([]float32, 64), make([]float32, 64)
		f32(a32, z32)
		b32(dz32, da32, z32, a32)
		for i := range z {
			if d := math.Abs(float64(a32[i]) - a64[i]); d > 1e-6*(1+math.Abs(a64[i])) {
				t.Errorf("%s(%v) = %v in float32, %v in float64", name, z[i], a32[i], a64[i])
			}
			if d := math.Abs(float64(dz32[i]) - dz64[i]); d > 1e-5*(1+math.Abs(dz64[i])) {
				t.Errorf("%s'(%v) = %v in float32, %v in float64", name, z[i], dz32[i], dz64[i])
			}
		}
	}
}

// TestFloat32AgreesWithFloat64: the same spec, seed and data train to the
// same loss curve in both precisions, within 0.1% (relative) per epoch, on
// digits with a hidden ReLU layer and Adam (w2's shape, 5 epochs), and on
// the spiral with tanh and SGD; the final accuracies agree within 2 points.
func TestFloat32AgreesWithFloat64(t *testing.T) {
	w2, w2data, err := Workload("w2")
	if err != nil {
		t.Fatal(err)
	}
	w2.Epochs = 5
	spiral := DefaultSpec()
	spiral.Epochs = 30
	// Widths 16 + 9 to 15, which float32's tiles once left partly
	// uncomputed.
	odd := spiral
	odd.Model.Hidden = []LayerSpec{{Units: 30, Activation: "tanh"}, {Units: 25, Activation: "relu"}}
	for _, c := range []struct {
		name string
		spec Spec
		data *datasets.Prepared
	}{{"w2", w2, w2data}, {"spiral", spiral, prepare(t, spiral.Data)}, {"spiral-30-25", odd, prepare(t, odd.Data)}} {
		t.Run(c.name, func(t *testing.T) {
			s := c.spec
			a, fa := runAll(t, s, c.data, Options{Workers: 1})
			s.Precision = Float32
			b, fb := runAll(t, s, c.data, Options{Workers: 1})
			if len(a) != len(b) {
				t.Fatalf("epochs: %d in float64, %d in float32", len(a), len(b))
			}
			worst := 0.0
			for i := range a {
				x, y := a[i].Train["loss"], b[i].Train["loss"]
				worst = math.Max(worst, math.Abs(x-y)/x)
				if math.Abs(x-y) > 1e-3*x {
					t.Errorf("epoch %d train loss: float64 %.6g, float32 %.6g", i+1, x, y)
				}
			}
			t.Logf("largest relative difference of the train loss: %.2g", worst)
			if fb.Model.Precision != Float32 || fa.Model.Precision != "" {
				t.Errorf("snapshot precisions %q and %q", fa.Model.Precision, fb.Model.Precision)
			}
			x, y := a[len(a)-1].Train["accuracy"], b[len(b)-1].Train["accuracy"]
			if math.Abs(x-y) > 0.02 {
				t.Errorf("final train accuracy: float64 %.4f, float32 %.4f", x, y)
			}
		})
	}
}

// bigData is a uniform 10-class dataset of n rows of d features, large
// enough that products and Adam split across workers.
func bigData(n, d int) *datasets.Prepared {
	tb := uniformTable(n, d, 10)
	p := &datasets.Prepared{Meta: tb.Meta, Scaler: datasets.Scaler{Kind: "none"}}
	p.Train = datasets.Split{X: tb.X, Y: tb.Y, N: n, D: d}
	p.Val = datasets.Split{X: tb.X[:64*d], Y: tb.Y[:64], N: 64, D: d}
	p.Test = p.Val
	return p
}

// TestWorkersBitIdentical: 1, 2 and 3 workers give bit-identical runs in
// both precisions, on a network large enough (60×256·256×256, 4M
// multiply-adds) for its steps to run on all the workers: row blocks of
// batches of 60 and, at the end of the epoch, 20 rows (neither a multiple
// of the blocks' alignment), dropout, and AdamW fused into the backward
// pass.
func TestWorkersBitIdentical(t *testing.T) {
	data := bigData(500, 256)
	for _, prec := range PrecisionNames {
		t.Run(prec, func(t *testing.T) {
			s := DefaultSpec()
			s.Precision = prec
			s.Model = ModelSpec{Init: "he_uniform", Hidden: []LayerSpec{{Units: 256, Activation: "relu"}, {Units: 256, Activation: "relu", Dropout: 0.1}}}
			s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "ce", OptimizerSpec{Name: "adamw", LR: 1e-3}, 60, 2
			a, fa := runAll(t, s, data, Options{Workers: 1})
			for _, w := range []int{2, 3} {
				b, fb := runAll(t, s, data, Options{Workers: w})
				for i := range a {
					if !reflect.DeepEqual(a[i].Train, b[i].Train) || !reflect.DeepEqual(a[i].Val, b[i].Val) {
						t.Fatalf("%d workers: epoch %d differs: %v against %v", w, i+1, b[i].Train, a[i].Train)
					}
				}
				if !reflect.DeepEqual(fa.Model, fb.Model) {
					t.Fatalf("%d workers: final weights differ", w)
				}
			}
		})
	}
}

// TestSnapshotFloat32: float32 weights save as version 2 with their
// precision, in float32's shortest decimal form, and load back exactly;
// prediction runs in float32 and is unchanged by a save and load. Float64
// weights still save as version 1.
func TestSnapshotFloat32(t *testing.T) {
	s := DefaultSpec()
	s.Epochs = 3
	s.Precision = Float32
	s.Model.Hidden[0].BatchNorm = true
	data := prepare(t, s.Data)
	_, fin := runAll(t, s, data, Options{})
	b, err := fin.Model.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		Version   int    `json:"version"`
		Precision string `json:"precision"`
	}
	if err := json.Unmarshal(b, &head); err != nil || head.Version != 2 || head.Precision != Float32 {
		t.Fatalf("header %+v (%v)", head, err)
	}
	w0 := fin.Model.Layers[0].W[0]
	if !strings.Contains(string(b), fmt.Sprint(float32(w0))) {
		t.Errorf("weight %v is not in float32's shortest form in %.80s…", float32(w0), b)
	}
	back, err := UnmarshalSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fin.Model, back) {
		t.Fatal("float32 weights changed in a save and load")
	}
	p1 := fin.Model.Predict(data.Test.X, data.Test.N)
	p2 := back.Predict(data.Test.X, data.Test.N)
	if !reflect.DeepEqual(p1, p2) {
		t.Fatal("predictions differ after a save and load")
	}
	e := Evaluate(data.Task(), p1, data.Test.Y, 1)
	if e.Metrics["accuracy"] != fin.Test.Metrics["accuracy"] {
		t.Errorf("predicted accuracy %v, the run's test accuracy %v", e.Metrics["accuracy"], fin.Test.Metrics["accuracy"])
	}
	for _, bad := range []string{
		`{"format":"workbench-mlp","version":1,"precision":"float32","inputs":1,"outputs":1,"layers":[{"in":1,"out":1,"activation":"linear","w":[1],"b":[0]}]}`,
		`{"format":"workbench-mlp","version":2,"precision":"half","inputs":1,"outputs":1,"layers":[{"in":1,"out":1,"activation":"linear","w":[1],"b":[0]}]}`,
	} {
		if _, err := UnmarshalSnapshot([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	s.Precision = ""
	_, fin = runAll(t, s, data, Options{})
	b, _ = fin.Model.Marshal()
	if !strings.Contains(string(b), `"version":1,`) || strings.Contains(string(b), "precision") {
		t.Errorf("float64 weights: %.80s…", b)
	}
}

func TestPrecisionSpec(t *testing.T) {
	for in, want := range map[string]string{"f32": Float32, "float32": Float32, "f64": Float64, "float64": Float64} {
		if got, err := ParsePrecision(in); err != nil || got != want {
			t.Errorf("ParsePrecision(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParsePrecision("half"); err == nil {
		t.Error("ParsePrecision accepted half")
	}
	s := DefaultSpec()
	s.Precision = "f32" // a flag spelling, not a spec value
	if err := s.Validate(); err == nil || !strings.HasPrefix(err.Error(), "precision:") {
		t.Errorf("Validate: %v", err)
	}
}

// TestStepAllocatesNothing32 is TestStepAllocatesNothing in float32.
func TestStepAllocatesNothing32(t *testing.T) {
	s := DefaultSpec()
	s.Precision = Float32
	s.Model.Hidden = []LayerSpec{{Units: 32, Activation: "relu", BatchNorm: true, Dropout: 0.1}, {Units: 16, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	s.L1, s.L2, s.ClipNorm = 1e-4, 1e-3, 1
	s.Data.AugNoise, s.Data.Mixup = 0.05, 0.2
	s.BatchSize = 32
	data := prepare(t, s.Data)
	r, err := newRunner(s, data, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.model.Close()
	r.shuffle()
	r.step(0, 32, 0.01)
	if a := testing.AllocsPerRun(200, func() {
		r.shuffle()
		r.step(0, 32, 0.01)
	}); a != 0 {
		t.Fatalf("a training step allocates %v times", a)
	}
}

// TestFloat32SnapshotKeepsItsPrecision: a float32 model stays float32
// through LoadPredictor, fine-tuning (which trains in float32 and agrees
// with a float64 fine-tune of the same weights within 1 point of
// training accuracy) and magnitude pruning.
func TestFloat32SnapshotKeepsItsPrecision(t *testing.T) {
	s := DefaultSpec()
	s.Epochs = 5
	s.Precision = Float32
	data := prepare(t, s.Data)
	_, fin := runAll(t, s, data, Options{Workers: 1})
	b, _ := fin.Model.Marshal()
	p, err := LoadPredictor(b)
	if err != nil {
		t.Fatal(err)
	}
	if snap, ok := p.(*Snapshot); !ok || snap.Precision != Float32 {
		t.Fatalf("LoadPredictor gave %T %+v", p, p)
	}
	ft, err := Finetune(context.Background(), fin.Model, s, data, FinetuneOptions{Epochs: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ft.Precision != Float32 {
		t.Fatalf("fine-tuned precision %q", ft.Precision)
	}
	for _, l := range ft.Layers {
		for _, w := range l.W {
			if float64(float32(w)) != w {
				t.Fatalf("fine-tuned weight %v is not a float32", w)
			}
		}
	}
	as64 := *fin.Model
	as64.Precision = ""
	ft64, err := Finetune(context.Background(), &as64, s, data, FinetuneOptions{Epochs: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	l32 := Evaluate(data.Task(), ft.Predict(data.Train.X, data.Train.N), data.Train.Y, 1).Metrics["accuracy"]
	l64 := Evaluate(data.Task(), ft64.Predict(data.Train.X, data.Train.N), data.Train.Y, 1).Metrics["accuracy"]
	if math.Abs(l32-l64) > 0.01 {
		t.Errorf("fine-tuned train accuracy: float32 %v, float64 %v", l32, l64)
	}
	if pr, _, err := PruneMagnitude(fin.Model, 0.5); err != nil || pr.Precision != Float32 {
		t.Errorf("pruned precision %q (%v)", pr.Precision, err)
	}
}
