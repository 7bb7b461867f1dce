package trainer

import (
	"fmt"
	"math/rand/v2"

	"workbench/datasets"
)

// Workloads names the throughput workloads of ../shared/bench/README.md.
var Workloads = []string{"w1", "w2", "w3"}

// Workload returns the spec and data of a benchmark workload. Every row
// trains, as in the peer scripts; validation uses a small slice so that
// per-epoch evaluation stays out of the way (it is excluded from
// samples/s in any case).
//
//	w1 "playground":   spirals 1000×2, 2-8-8-1 tanh, BCE, SGD 0.03, batch 10, 100 epochs
//	w2 "digits":       digits/16 1797×64, 64-128-10 ReLU, CE, Adam 1e-3, batch 64, 50 epochs
//	w3 "mnist-shaped": uniform 60000×784, 10 classes, 784-256-256-10 ReLU, CE, Adam 1e-3, batch 128, 2 epochs
func Workload(name string) (Spec, *datasets.Prepared, error) {
	s := DefaultSpec()
	s.Name = "bench " + name
	var t *datasets.Table
	var err error
	switch name {
	case "w1":
		t, err = datasets.Generate("spiral", 1000, 0, 1)
		s.Data = datasets.Spec{Name: "spiral", Samples: 1000, Split: [3]float64{1, 0, 0}, Seed: 1}
		s.Model.Hidden = []LayerSpec{{Units: 8, Activation: "tanh"}, {Units: 8, Activation: "tanh"}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "bce", OptimizerSpec{Name: "sgd", LR: 0.03}, 10, 100
	case "w2":
		t, err = datasets.Open("digits", 0, 0, 0)
		if err == nil {
			for i := range t.X {
				t.X[i] /= 16
			}
		}
		s.Data = datasets.Spec{Name: "digits", Split: [3]float64{1, 0, 0}, Seed: 1}
		s.Model.Hidden = []LayerSpec{{Units: 128, Activation: "relu"}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "ce", OptimizerSpec{Name: "adam", LR: 1e-3}, 64, 50
	case "w3":
		t = uniformTable(60000, 784, 10)
		s.Data = datasets.Spec{Name: "digits", Split: [3]float64{1, 0, 0}, Seed: 1}
		s.Model.Hidden = []LayerSpec{{Units: 256, Activation: "relu"}, {Units: 256, Activation: "relu"}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "ce", OptimizerSpec{Name: "adam", LR: 1e-3}, 128, 2
	default:
		return s, nil, fmt.Errorf("unknown workload %q (want w1, w2 or w3)", name)
	}
	if err != nil {
		return s, nil, err
	}
	s.Model.Init = "he_uniform"
	p := &datasets.Prepared{Spec: s.Data, Meta: t.Meta, Scaler: datasets.Scaler{Kind: "none"}, SplitRule: "benchmark: all rows train"}
	p.Train = datasets.Split{X: t.X, Y: t.Y, N: t.N, D: t.D}
	nv := min(t.N, 200)
	p.Val = datasets.Split{X: t.X[:nv*t.D], Y: t.Y[:nv], N: nv, D: t.D}
	p.Test = p.Val
	return s, p, nil
}

func uniformTable(n, d, k int) *datasets.Table {
	r := rand.New(rand.NewPCG(0, 0))
	t := &datasets.Table{N: n, D: d, X: make([]float64, n*d), Y: make([]float64, n)}
	for i := range t.X {
		t.X[i] = r.Float64()
	}
	for i := range t.Y {
		t.Y[i] = float64(r.IntN(k))
	}
	t.Meta = datasets.Meta{Name: "uniform", Task: datasets.Multiclass}
	for c := 0; c < k; c++ {
		t.Meta.ClassNames = append(t.Meta.ClassNames, fmt.Sprint(c))
	}
	return t
}

// SampleFLOPs returns the floating-point operations of the matrix products
// that one training sample costs in a network of these widths: the forward
// product, the weight gradient, and the input gradient of every layer but
// the first, at 2 per multiply-add. w3 costs 1.21M. Element-wise work
// (activations, loss, optimizer) is not counted.
func SampleFLOPs(ms ModelSpec, inputs, outputs int) float64 {
	widths := []int{inputs}
	for _, l := range ms.Hidden {
		widths = append(widths, l.Units)
	}
	widths = append(widths, outputs)
	f := 0.0
	for i := 0; i+1 < len(widths); i++ {
		macs := float64(widths[i] * widths[i+1])
		f += 2 * 2 * macs
		if i > 0 {
			f += 2 * macs
		}
	}
	return f
}
