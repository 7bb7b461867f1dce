package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"workbench/datasets"
)

// checkGrad compares an analytic gradient with gonum's central finite
// differences at x, to about 1e-6 relative.
func checkGrad(t *testing.T, name string, f func([]float64) float64, x, analytic []float64) {
	t.Helper()
	num := fd.Gradient(nil, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	for i := range x {
		a, n := analytic[i], num[i]
		if d := math.Abs(a - n); d > 1e-6*math.Max(math.Abs(a), math.Abs(n))+1e-8 {
			t.Errorf("%s: d/dx[%d]: analytic %.10g, numeric %.10g (diff %.3g)", name, i, a, n, d)
		}
	}
}

func randVec(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = (2*r.Float64() - 1) * scale
	}
	return v
}

func TestActivationGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range ActivationNames {
		act, _ := ParseActivation(name)
		z := randVec(r, 12, 3)
		for i := range z { // keep away from ReLU's kink, where no derivative exists
			if math.Abs(z[i]) < 1e-3 {
				z[i] = 0.5
			}
		}
		c := randVec(r, 12, 1)
		f := func(z []float64) float64 {
			a := make([]float64, len(z))
			act.Forward(a, z)
			s := 0.0
			for i := range a {
				s += c[i] * a[i]
			}
			return s
		}
		a := make([]float64, len(z))
		act.Forward(a, z)
		dz := make([]float64, len(z))
		act.Backward(dz, c, z, a)
		checkGrad(t, name, f, z, dz)
	}
}

func TestLossGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 5
	cases := []struct {
		loss string
		task datasets.Task
		k    int
	}{
		{"bce", datasets.Binary, 1},
		{"mse", datasets.Binary, 1},
		{"ce", datasets.Multiclass, 4},
		{"mse", datasets.Multiclass, 4},
		{"mse", datasets.Regression, 1},
		{"huber", datasets.Regression, 1},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s", c.loss, c.task), func(t *testing.T) {
			l, err := NewLoss(c.loss, c.task)
			if err != nil {
				t.Fatal(err)
			}
			z := randVec(r, n*c.k, 3)
			tg := make([]float64, n*c.k)
			for i := 0; i < n; i++ {
				switch c.task {
				case datasets.Binary:
					tg[i] = float64(i % 2)
					if i == 4 {
						tg[i] = 0.3 // a soft (mixup) target
					}
				case datasets.Multiclass:
					tg[i*c.k+i%c.k] = 1
				default:
					tg[i] = (2*r.Float64() - 1) * 3 // some inside, some beyond Huber's delta
				}
			}
			f := func(z []float64) float64 { return l.Eval(nil, z, tg, n, c.k) }
			g := make([]float64, n*c.k)
			l.Eval(g, z, tg, n, c.k)
			checkGrad(t, c.loss, f, z, g)
		})
	}
}

// layerObjective returns Σ c·out for a layer's forward pass on x.
func layerObjective(l *Layer, p *pool, x []float64, n int, c []float64, fixed bool) float64 {
	out := l.forward(p, x, n, true, nil, fixed)
	s := 0.0
	for i, v := range out {
		s += c[i] * v
	}
	return s
}

func checkLayer(t *testing.T, name string, l *Layer, n int, fixedMask bool) {
	r := rand.New(rand.NewPCG(5, 6))
	l.init("xavier_uniform", r)
	for i := range l.Gamma {
		l.Gamma[i] = 0.5 + r.Float64()
		l.Beta[i] = r.Float64() - 0.5
	}
	for i := range l.B {
		l.B[i] = r.Float64() - 0.5
	}
	p := newPool(1)
	x := randVec(r, n*l.In, 2)
	c := randVec(r, n*l.Out, 1)
	dropR := rand.New(rand.NewPCG(7, 8))
	l.forward(p, x, n, true, dropR, false) // draw the mask once
	saveMean, saveVar := append([]float64(nil), l.RunMean...), append([]float64(nil), l.RunVar...)
	obj := func() float64 {
		v := layerObjective(l, p, x, n, c, fixedMask)
		copy(l.RunMean, saveMean) // running statistics do not enter the objective
		copy(l.RunVar, saveVar)
		return v
	}
	obj()
	dx := append([]float64(nil), l.backward(p, c, n, true, true)...)
	dW := append([]float64(nil), l.dW...)
	dB := append([]float64(nil), l.dB...)
	dG := append([]float64(nil), l.dGamma...)
	dBe := append([]float64(nil), l.dBeta...)
	wrt := func(label string, v, analytic []float64) {
		orig := append([]float64(nil), v...)
		checkGrad(t, name+" "+label, func(p []float64) float64 {
			copy(v, p)
			s := obj()
			copy(v, orig)
			return s
		}, orig, analytic)
	}
	wrt("x", x, dx)
	wrt("W", l.W, dW)
	if l.BN {
		wrt("gamma", l.Gamma, dG)
		wrt("beta", l.Beta, dBe)
	} else {
		wrt("b", l.B, dB)
	}
}

func TestDenseLayerGradients(t *testing.T) {
	for _, act := range ActivationNames {
		a, _ := ParseActivation(act)
		checkLayer(t, "dense/"+act, newLayer(3, 4, a, false, 0, 6), 6, true)
	}
}

func TestBatchNormGradients(t *testing.T) {
	checkLayer(t, "bn/linear", newLayer(3, 4, Linear{}, true, 0, 7), 7, true)
	checkLayer(t, "bn/tanh", newLayer(3, 4, Tanh{}, true, 0, 7), 7, true)
}

func TestDropoutGradients(t *testing.T) {
	l := newLayer(3, 5, Tanh{}, false, 0.4, 6)
	checkLayer(t, "dropout/tanh", l, 6, true)
	zeros := 0
	for _, m := range l.mask[:30] {
		if m == 0 {
			zeros++
		} else if math.Abs(m-1/0.6) > 1e-15 {
			t.Fatalf("mask value %v, want 0 or 1/(1-p)", m)
		}
	}
	if zeros == 0 || zeros == 30 {
		t.Fatalf("dropout dropped %d of 30 units", zeros)
	}
}

// TestNetworkGradient checks a whole 3-layer network (two hidden layers
// and the output) with L1 and L2 penalties: the gradient of loss + penalty
// with respect to every parameter.
func TestNetworkGradient(t *testing.T) {
	for _, c := range []struct {
		loss string
		task datasets.Task
		k    int
	}{{"bce", datasets.Binary, 2}, {"ce", datasets.Multiclass, 3}, {"mse", datasets.Regression, 0}} {
		t.Run(c.loss, func(t *testing.T) {
			r := rand.New(rand.NewPCG(9, 10))
			ms := ModelSpec{Init: "he_normal", Hidden: []LayerSpec{{Units: 5, Activation: "tanh", BatchNorm: true}, {Units: 4, Activation: "elu"}}}
			m, err := NewModel(ms, c.task, 3, c.k, 8, 1, r)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			loss, _ := NewLoss(c.loss, c.task)
			const n, l1, l2 = 8, 0.01, 0.03
			x := randVec(r, n*3, 2)
			k := m.Outputs
			tg := make([]float64, n*k)
			for i := 0; i < n; i++ {
				fillTargets(tg[i*k:(i+1)*k], float64(i%max(c.k, 1)), c.task)
			}
			var runStats [][]float64
			for _, l := range m.Layers {
				runStats = append(runStats, append([]float64(nil), l.RunMean...), append([]float64(nil), l.RunVar...))
			}
			obj := func() float64 {
				v := loss.Eval(nil, m.Forward(x, n, true, nil), tg, n, k) + m.penalty(l1, l2)
				for i, l := range m.Layers {
					copy(l.RunMean, runStats[2*i])
					copy(l.RunVar, runStats[2*i+1])
				}
				return v
			}
			g := make([]float64, n*k)
			loss.Eval(g, m.Forward(x, n, true, nil), tg, n, k)
			m.Backward(g, n, true)
			m.addPenaltyGrad(l1, l2)
			for _, p := range m.Params() {
				analytic := append([]float64(nil), p.G...)
				orig := append([]float64(nil), p.W...)
				checkGrad(t, p.Name, func(v []float64) float64 {
					copy(p.W, v)
					s := obj()
					copy(p.W, orig)
					return s
				}, orig, analytic)
			}
		})
	}
}
