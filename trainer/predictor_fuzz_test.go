package trainer

import (
	"strings"
	"testing"

	"workbench/datasets"
)

// fuzzSnapshot is a small binary model with a batch-norm layer, the seed
// of FuzzLoadPredictor's saved-model formats.
func fuzzSnapshot(precision string) *Snapshot {
	return &Snapshot{Task: datasets.Binary, Inputs: 2, Outputs: 1, Precision: precision, Layers: []LayerWeights{
		{In: 2, Out: 3, Activation: "tanh", W: []float64{0.5, -0.25, 1, 0.125, 2, -1}, B: []float64{0, 0.1, -0.1}},
		{In: 3, Out: 2, Activation: "relu", BatchNorm: true, W: []float64{1, 0, 0, 1, 0.5, 0.5},
			Gamma: []float64{1, 2}, Beta: []float64{0, 0.5}, RunMean: []float64{0.1, 0.2}, RunVar: []float64{1, 4}},
		{In: 2, Out: 1, Activation: "linear", W: []float64{1, -1}, B: []float64{0.25}},
	}}
}

// FuzzLoadPredictor feeds arbitrary bytes to the loader of exported
// models (float, int8 and ensemble formats): it must never panic, must
// refuse shapes it cannot hold instead of allocating them, and a model it
// accepts must predict a row without panicking.
func FuzzLoadPredictor(f *testing.F) {
	calib := []float64{0, 0, 1, -1, 0.5, 2}
	var seeds [][]byte
	for _, p := range []string{"", Float32} {
		s := fuzzSnapshot(p)
		b, err := s.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
		q, err := Quantize(s, calib, 3)
		if err != nil {
			f.Fatal(err)
		}
		if b, err = q.Marshal(); err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	a, b := fuzzSnapshot(""), fuzzSnapshot(Float32)
	e, err := NewEnsemble("weighted", datasets.Binary, []EnsembleMember{
		{ID: "a", Weight: 2, Model: a, Scaler: datasets.Scaler{Kind: "standard", Offset: []float64{1, 2}, Factor: []float64{0.5, 1}}},
		{ID: "b", Weight: 1, Model: b},
	})
	if err != nil {
		f.Fatal(err)
	}
	eb, err := e.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	// A member whose scaler has fewer factors than offsets.
	short := strings.Replace(string(eb), `"factor":[0.5,1]`, `"factor":[0.5]`, 1)
	if short == string(eb) {
		f.Fatalf("no factor list in %s", eb)
	}
	seeds = append(seeds, eb, []byte(short),
		[]byte(`{"format":"workbench-mlp","version":1,"task":"binary","inputs":9223372036854775807,"outputs":1,"layers":[]}`),
		// in×out wraps to 0 = len(w): 2^62 inputs × 4 units.
		[]byte(`{"format":"workbench-mlp","version":1,"task":"binary","inputs":4611686018427387904,"outputs":1,"layers":[`+
			`{"in":4611686018427387904,"out":4,"activation":"relu","w":[],"b":[0,0,0,0]},{"in":4,"out":1,"activation":"linear","w":[1,1,1,1],"b":[0]}]}`),
		[]byte(`{"format":"workbench-mlp-int8","version":1,"task":"regression","inputs":4611686018427387904,"outputs":4,"layers":[`+
			`{"in":4611686018427387904,"out":4,"activation":"relu","w":"","w_exp":[0,0,0,0],"x_exp":0,"b":[0,0,0,0]}]}`),
		[]byte(`{"format":"nope"}`), []byte(`[]`), []byte(`{"version":1,"format":"workbench-mlp"}`))
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := LoadPredictor(data)
		if err != nil {
			if p != nil {
				t.Fatalf("an error with a model: %v", err)
			}
			return
		}
		in, out := p.Shape()
		if in < 1 || out < 1 {
			t.Fatalf("accepted a model of shape %d → %d", in, out)
		}
		if in > maxFuzzWidth || out > maxFuzzWidth {
			t.Fatalf("accepted a model of shape %d → %d, wider than any file that size", in, out)
		}
		x := make([]float64, in)
		if y := p.Predict(x, 1); len(y) != out {
			t.Fatalf("Predict gave %d values for %d outputs", len(y), out)
		}
		if _, err := p.Marshal(); err != nil {
			t.Fatalf("a loaded model does not save: %v", err)
		}
	})
}

// maxFuzzWidth bounds the widths a fuzzed file can hold: every unit
// costs at least one bias or weight in the file.
const maxFuzzWidth = 1 << 20
