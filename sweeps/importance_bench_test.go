package sweeps

import (
	"math"
	"testing"

	"workbench/trainer"
)

// BenchmarkImportance fits the forest to 1000 random-search trials of four
// fields, as a large sweep's view does on each reload.
func BenchmarkImportance(b *testing.B) {
	s := Spec{Base: base(5), Trials: 1000, Seed: 3, Random: []Dist{
		{Field: "lr", Kind: "log", Min: 1e-4, Max: 1},
		{Field: "dropout", Kind: "uniform", Min: 0, Max: 0.5},
		{Field: "batch", Kind: "int", Min: 8, Max: 64},
		{Field: "act", Kind: "choice", Items: []string{"relu", "tanh", "elu"}},
	}}
	ts, err := Expand(s)
	if err != nil {
		b.Fatal(err)
	}
	var specs []trainer.Spec
	var ys []float64
	for _, t := range ts {
		specs = append(specs, t.Spec)
		ys = append(ys, math.Log10(t.Spec.Optimizer.LR)*math.Log10(t.Spec.Optimizer.LR)+t.Spec.Model.Hidden[0].Dropout)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Importances(s, specs, ys)
	}
}
