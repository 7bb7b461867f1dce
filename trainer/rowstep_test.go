package trainer

import (
	"reflect"
	"testing"
)

// rowRunner builds a runner for a network large enough that its steps run
// on every worker: 256 inputs, 256-256 ReLU with dropout on the second
// layer, AdamW, batches of 60.
func rowRunner(t testing.TB, prec string, workers int) *runner {
	t.Helper()
	s := DefaultSpec()
	s.Precision = prec
	s.Model = ModelSpec{Init: "he_uniform", Hidden: []LayerSpec{{Units: 256, Activation: "relu"}, {Units: 256, Activation: "relu", Dropout: 0.1}}}
	s.Loss, s.Optimizer, s.BatchSize = "ce", OptimizerSpec{Name: "adamw", LR: 1e-3}, 60
	r, err := newRunner(s, bigData(500, 256), Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.model.Close)
	return r
}

// setRowPath turns a network's row-parallel step on or off.
func setRowPath(e engine, on bool) {
	switch m := e.(type) {
	case *network[float32]:
		m.rowsOK = on
	case *network[float64]:
		m.rowsOK = on
	}
}

// TestRowStepMatchesLayerStep: the row-parallel step on two workers, with
// the optimizer fused into the backward pass, gives the layer-by-layer
// step's weights bit for bit, in both precisions.
func TestRowStepMatchesLayerStep(t *testing.T) {
	for _, prec := range PrecisionNames {
		rows, layers := rowRunner(t, prec, 2), rowRunner(t, prec, 2)
		setRowPath(layers.model, false)
		for _, r := range []*runner{rows, layers} {
			r.shuffle()
			for b := 0; b < 9; b++ { // the ninth is the epoch's short batch of 20
				r.step(b*60, min((b+1)*60, 500), 1e-3)
			}
		}
		a, b := make([]float64, rows.model.weightLen()), make([]float64, layers.model.weightLen())
		rows.model.saveWeights(a)
		layers.model.saveWeights(b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: the row-parallel step's weights differ from the layer-by-layer step's", prec)
		}
	}
}

// TestRowStepHandoffs: a step on two workers hands work over twice (the
// forward and backward regions) and meets one barrier, and allocates
// nothing, in both precisions.
func TestRowStepHandoffs(t *testing.T) {
	for _, prec := range PrecisionNames {
		r := rowRunner(t, prec, 2)
		r.shuffle()
		r.step(0, 60, 1e-3)
		p := poolOf(r.model)
		h0, b0 := p.handoffs, p.barriers
		r.step(60, 120, 1e-3)
		if h, b := p.handoffs-h0, p.barriers-b0; h != 2 || b != 1 {
			t.Errorf("%s: a step made %d hand-offs and %d barriers, want 2 and 1", prec, h, b)
		}
		if a := testing.AllocsPerRun(50, func() { r.step(120, 180, 1e-3) }); a != 0 {
			t.Errorf("%s: a step allocates %v times", prec, a)
		}
	}
}

// poolOf returns a network's worker pool.
func poolOf(e engine) *pool {
	switch m := e.(type) {
	case *network[float32]:
		return m.pool
	case *network[float64]:
		return m.pool
	}
	return nil
}
