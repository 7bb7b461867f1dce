package trainer

import (
	"strings"
	"testing"

	"workbench/datasets"
)

// TestLoadPredictorRefusesWrappingShapes: 2^62 inputs × 4 units wraps to
// 0 in an int, which once matched an empty weight list; the int8 loader
// then tried to allocate 2^62 packed weights.
func TestLoadPredictorRefusesWrappingShapes(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{`{"format":"workbench-mlp","version":1,"task":"binary","inputs":4611686018427387904,"outputs":1,"layers":[` +
			`{"in":4611686018427387904,"out":4,"activation":"relu","w":[],"b":[0,0,0,0]},{"in":4,"out":1,"activation":"linear","w":[1,1,1,1],"b":[0]}]}`,
			"weights: layer 0 has 0 weights, want 4611686018427387904 inputs × 4 units"},
		{`{"format":"workbench-mlp-int8","version":1,"task":"regression","inputs":4611686018427387904,"outputs":4,"layers":[` +
			`{"in":4611686018427387904,"out":4,"activation":"relu","w":"","w_exp":[0,0,0,0],"x_exp":0,"b":[0,0,0,0]}]}`,
			"weights: layer 0 has 0 weights, want 4611686018427387904 inputs × 4 units"},
		{`{"format":"workbench-mlp","version":1,"task":"binary","inputs":3,"outputs":1,"layers":[` +
			`{"in":2,"out":1,"activation":"relu","w":[1,1],"b":[0]}]}`,
			"weights: layer 0 has 2 inputs, want 3 (the width before it)"},
		{`{"format":"workbench-mlp-int8","version":1,"task":"regression","inputs":1,"outputs":2,"layers":[` +
			`{"in":1,"out":2,"activation":"relu","w":"AAA=","w_exp":[0],"x_exp":0,"b":[0,0]}]}`,
			"weights: layer 0 has 1 weight exponents and 2 biases, want 2 of each"},
	} {
		p, err := LoadPredictor([]byte(c.file))
		if err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %q", err, c.want)
		}
		if p != nil {
			t.Errorf("an error came with a non-nil Predictor %#v", p)
		}
	}
}

// TestLoadPredictorRefusesAShortScaler: an ensemble member whose scaler
// has fewer factors than offsets once loaded and then panicked in Predict.
func TestLoadPredictorRefusesAShortScaler(t *testing.T) {
	e, err := NewEnsemble("mean", datasets.Binary, []EnsembleMember{
		{ID: "a", Model: fuzzSnapshot(""), Scaler: datasets.Scaler{Kind: "standard", Offset: []float64{1, 2}, Factor: []float64{0.5, 1}}},
		{ID: "b", Model: fuzzSnapshot("")},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	short := strings.Replace(string(b), `"factor":[0.5,1]`, `"factor":[0.5]`, 1)
	_, err = LoadPredictor([]byte(short))
	if want := "ensemble: member a's scaler has 2 offsets and 1 factors"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// TestLoadRefusesTooWideLayers: a model file may not declare a layer wider
// than a spec may (prediction allocates blocks of rows that wide).
func TestLoadRefusesTooWideLayers(t *testing.T) {
	err := checkLayerShape(0, 1, 1, maxUnits+1, maxUnits+1)
	if err == nil || err.Error() != "weights: layer 0 has 65537 units; a layer has at most 65536" {
		t.Errorf("a 65537-unit layer: %v", err)
	}
	if err := checkLayerShape(0, 1, 1, maxUnits, maxUnits); err != nil {
		t.Errorf("a 65536-unit layer is refused: %v", err)
	}
}
