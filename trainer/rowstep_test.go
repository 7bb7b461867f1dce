package trainer

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"workbench/datasets"
)

// rowRunner builds a runner for a network large enough that its steps run
// on every worker: 256 inputs, 256-256 ReLU with dropout on the second
// layer, AdamW, batches of 60.
func rowRunner(t testing.TB, prec string, workers int) *runner {
	return rowRunnerOn(t, prec, workers, 256, 60)
}

// rowRunnerOn is rowRunner on 500 rows of inputs features in batches of
// batch rows.
func rowRunnerOn(t testing.TB, prec string, workers, inputs, batch int) *runner {
	t.Helper()
	s := DefaultSpec()
	s.Precision = prec
	s.Model = ModelSpec{Init: "he_uniform", Hidden: []LayerSpec{{Units: 256, Activation: "relu"}, {Units: 256, Activation: "relu", Dropout: 0.1}}}
	s.Loss, s.Optimizer, s.BatchSize = "ce", OptimizerSpec{Name: "adamw", LR: 1e-3}, batch
	r, err := newRunner(s, bigData(500, inputs), Options{Workers: workers})
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

// TestRowStepMatchesLayerStep: the row-parallel step on two and three
// workers, with the optimizer fused into the backward pass, gives the
// layer-by-layer step's weights bit for bit, in both precisions: on 256
// inputs in batches of 60 (the epoch ends with 20 rows), and on 520 in
// batches of 130 (the first layer's dL/dz is packed; 110 rows at the end).
func TestRowStepMatchesLayerStep(t *testing.T) {
	for _, c := range []struct{ inputs, batch int }{{256, 60}, {520, 130}} {
		for _, prec := range PrecisionNames {
			var want []float64
			for _, w := range []int{1, 2, 3} {
				r := rowRunnerOn(t, prec, w, c.inputs, c.batch)
				setRowPath(r.model, w > 1)
				r.shuffle()
				for lo := 0; lo < 500; lo += c.batch {
					r.step(lo, min(lo+c.batch, 500), 1e-3)
				}
				got := make([]float64, r.model.weightLen())
				r.model.saveWeights(got)
				if w == 1 {
					want = got // the layer-by-layer step
				} else if !reflect.DeepEqual(got, want) {
					t.Errorf("%d inputs, %s, %d workers: the row-parallel step's weights differ from the layer-by-layer step's", c.inputs, prec, w)
				}
			}
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

// TestUpdateSpansCover: the update phase's tasks cover every weight and
// bias exactly once, in blocks of rows that start at multiples of
// updateRows (so an element takes the same tile and optimizer block
// whichever worker takes its task), the widest layer's first and the
// biases last.
func TestUpdateSpansCover(t *testing.T) {
	for _, hidden := range [][]int{{256, 256}, {7}, {33, 5}} {
		ms := ModelSpec{Init: "he_uniform"}
		for _, u := range hidden {
			ms.Hidden = append(ms.Hidden, LayerSpec{Units: u, Activation: "relu"})
		}
		m, err := newNetwork[float64](ms, datasets.Multiclass, 784, 10, 8, 1, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		rows := make([][]int, len(m.Layers))
		bias := make([]int, len(m.Layers))
		for li, l := range m.Layers {
			rows[li] = make([]int, l.In)
		}
		last, tasks := 0, 0
		for i := 0; ; i++ {
			li, a, b, ok := m.updateSpan(i)
			if !ok {
				break
			}
			tasks++
			if b < 0 {
				bias[li]++
				last = len(m.Layers)
				continue
			}
			if li < last {
				t.Errorf("%v: task %d is layer %d's rows after a later layer's task", hidden, i, li)
			}
			last = li
			if a%updateRows(m.Layers[li].Out) != 0 || a >= b {
				t.Errorf("%v: task %d is rows [%d, %d) of layer %d, not aligned to %d", hidden, i, a, b, li, updateRows(m.Layers[li].Out))
			}
			for r := a; r < b; r++ {
				rows[li][r]++
			}
		}
		for li := range m.Layers {
			for r, c := range rows[li] {
				if c != 1 {
					t.Errorf("%v: layer %d's weight row %d is in %d tasks", hidden, li, r, c)
					break
				}
			}
			if bias[li] != 1 {
				t.Errorf("%v: layer %d's bias is in %d tasks", hidden, li, bias[li])
			}
		}
		if tasks < 4 {
			t.Errorf("%v: %d tasks, too few to balance two workers", hidden, tasks)
		}
	}
}
