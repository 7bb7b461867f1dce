package trainer

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"workbench/datasets"
)

// Whole steps on widths that are not multiples of any tile (30, 25, 47,
// 9: each leaves a tail past 8- and 16-wide tiles), batches that are not
// multiples of the row blocks, dropout, both precisions, both step paths.

// oddCase is a network and the batches that train it on 500 rows.
type oddCase struct {
	name   string
	inputs int
	hidden []LayerSpec
	batch  int
}

var oddCases = []oddCase{
	// 500 = 7·67 + 31 rows: blocks of 67 and 31 (not multiples of 8).
	{"130-47-25-9", 300, []LayerSpec{{Units: 130, Activation: "relu"}, {Units: 47, Activation: "tanh", Dropout: 0.2}, {Units: 25, Activation: "relu"}, {Units: 9, Activation: "elu"}}, 67},
	// A 10-class output on 64 inputs takes the narrow weight gradient;
	// 300 rows are more than one of kChunk's passes.
	{"96-64 narrow", 256, []LayerSpec{{Units: 96, Activation: "relu", Dropout: 0.1}, {Units: 64, Activation: "tanh"}}, 300},
	// Batch norm: the layer-by-layer step.
	{"30bn-25bn-47", 600, []LayerSpec{{Units: 30, Activation: "relu", BatchNorm: true}, {Units: 25, Activation: "tanh", BatchNorm: true, Dropout: 0.2}, {Units: 47, Activation: "relu"}}, 61},
}

// oddRunner builds a runner for c in precision prec on workers.
func oddRunner(t testing.TB, c oddCase, prec string, workers int) *runner {
	t.Helper()
	s := DefaultSpec()
	s.Precision = prec
	s.Model = ModelSpec{Init: "he_uniform", Hidden: c.hidden}
	s.Loss, s.Optimizer, s.BatchSize = "ce", OptimizerSpec{Name: "adamw", LR: 1e-3}, c.batch
	r, err := newRunner(s, bigData(500, c.inputs), Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.model.Close)
	return r
}

// TestOddWidthsBitIdentical: two epochs of steps give bit-identical
// weights on 1, 2 and 3 workers, and (without batch norm) on the
// row-parallel step and the layer-by-layer one, in both precisions, on
// this CPU's kernels, on the AVX2 ones alone and on the portable ones.
func TestOddWidthsBitIdentical(t *testing.T) {
	testOddWidthsBitIdentical(t)
	withKernels(true, false, func() { testOddWidthsBitIdentical(t) })
	withKernels(false, false, func() { testOddWidthsBitIdentical(t) })
}

func testOddWidthsBitIdentical(t *testing.T) {
	for _, c := range oddCases {
		for _, prec := range PrecisionNames {
			var want []float64
			for _, v := range []struct {
				workers int
				rows    bool
			}{{1, false}, {1, true}, {2, true}, {3, true}, {2, false}} {
				r := oddRunner(t, c, prec, v.workers)
				rowsOK := r.model.(interface{ rowParallel() bool }).rowParallel()
				if !rowsOK && v.rows {
					continue // batch norm: the layer-by-layer step only
				}
				setRowPath(r.model, v.rows)
				for range 2 {
					r.shuffle()
					for lo := 0; lo < 500; lo += c.batch {
						r.step(lo, min(lo+c.batch, 500), 1e-3)
					}
				}
				if p := poolOf(r.model); v.workers > 1 && p.handoffs == 0 {
					t.Fatalf("%s, %s, %d workers: no step ran on more than one", c.name, prec, v.workers)
				}
				got := make([]float64, r.model.weightLen())
				r.model.saveWeights(got)
				if want == nil {
					want = got
				} else if !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %s, %d workers, row-parallel %v (AVX %v, AVX-512 %v): the weights differ from the layer-by-layer step's on one worker", c.name, prec, v.workers, v.rows, useAVX, useAVX512)
				}
			}
		}
	}
}

// TestOddWidthsFloat32AgreesWithFloat64: on odd widths, with batch norm
// (the layer-by-layer step) and without (the row-parallel one), the two
// precisions train to the same train and validation loss curves within
// 0.2% per epoch; and a float32 model predicts what the same weights
// predict in float64, within 1e-5, across Predict's 1024-row chunks and
// in blocks of rows of any size.
func TestOddWidthsFloat32AgreesWithFloat64(t *testing.T) {
	data := prepare(t, datasets.Spec{Name: "spiral", Samples: 600, Seed: 3})
	for _, hidden := range [][]LayerSpec{
		{{Units: 30, Activation: "tanh"}, {Units: 47, Activation: "relu", Dropout: 0.1}, {Units: 9, Activation: "tanh"}},
		{{Units: 30, Activation: "relu", BatchNorm: true}, {Units: 25, Activation: "tanh", BatchNorm: true}, {Units: 9, Activation: "relu"}},
	} {
		s := DefaultSpec()
		s.Data = data.Spec
		s.Model.Hidden = hidden
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "bce", OptimizerSpec{Name: "adam", LR: 0.01}, 37, 15
		a, _ := runAll(t, s, data, Options{Workers: 1})
		s.Precision = Float32
		b, fb := runAll(t, s, data, Options{Workers: 2})
		worst := 0.0
		for i := range a {
			for _, pair := range [][2]float64{{a[i].Train["loss"], b[i].Train["loss"]}, {a[i].Val["loss"], b[i].Val["loss"]}} {
				x, y := pair[0], pair[1]
				worst = math.Max(worst, math.Abs(x-y)/x)
				if math.Abs(x-y) > 2e-3*x {
					t.Errorf("%v, epoch %d: loss %.6g in float64, %.6g in float32", hidden, i+1, x, y)
				}
			}
		}
		t.Logf("%d layers, batch norm %v: largest relative difference of the losses %.2g", len(hidden), hidden[0].BatchNorm, worst)

		// The float32 model's predictions against its weights in float64.
		s32 := fb.Model
		s64 := *s32
		s64.Precision = ""
		n := 1500
		x := make([]float64, n*s32.Inputs)
		r := rand.New(rand.NewPCG(7, 8))
		for i := range x {
			x[i] = 4*r.Float64() - 2
		}
		p32, p64 := s32.Predict(x, n), s64.Predict(x, n)
		for i := range p64 {
			if math.Abs(p32[i]-p64[i]) > 1e-5 {
				t.Fatalf("%v: prediction %d is %.7g in float32, %.7g in float64", hidden, i, p32[i], p64[i])
			}
		}
		for _, blk := range []int{1, 7, 333} {
			for lo := 0; lo < n; lo += blk {
				hi := min(lo+blk, n)
				got := s64.Predict(x[lo*s64.Inputs:hi*s64.Inputs], hi-lo)
				for i, v := range got {
					if w := p64[lo*s64.Outputs+i]; math.Abs(v-w) > 1e-12 {
						t.Fatalf("%v: rows [%d, %d) predict %.15g at %d, all rows at once %.15g", hidden, lo, hi, v, i, w)
					}
				}
			}
		}
	}
}

// TestOddWidthsGradient checks the gradient of networks 30, 25 and 9
// wide through the steps' own passes (forward64, backward64), on 13 rows
// (three 4-row tiles and one row more): in float64 against gonum's
// central differences within 1e-6, and in float32 against the float64
// gradient at the same weights within 1e-4 relative plus 1e-5; without
// batch norm (the row-parallel step) and with it (layer by layer); on
// this CPU's kernels, the AVX2 ones alone and the portable ones.
func TestOddWidthsGradient(t *testing.T) {
	testOddWidthsGradient(t)
	withKernels(true, false, func() { testOddWidthsGradient(t) })
	withKernels(false, false, func() { testOddWidthsGradient(t) })
}

func testOddWidthsGradient(t *testing.T) {
	for _, bn := range []bool{false, true} {
		ms := ModelSpec{Init: "he_normal", Hidden: []LayerSpec{{Units: 30, Activation: "tanh", BatchNorm: bn}, {Units: 25, Activation: "elu"}, {Units: 9, Activation: "sigmoid"}}}
		const n, in, classes = 13, 5, 3
		m64, err := newNetwork[float64](ms, datasets.Multiclass, in, classes, n, 1, rand.New(rand.NewPCG(9, 10)))
		if err != nil {
			t.Fatal(err)
		}
		m32, _ := newNetwork[float32](ms, datasets.Multiclass, in, classes, n, 1, rand.New(rand.NewPCG(9, 10)))
		w := make([]float64, m32.weightLen())
		m32.saveWeights(w)
		m64.loadWeights(w)
		if m64.rowsOK == bn {
			t.Fatalf("batch norm %v: row-parallel %v", bn, m64.rowsOK)
		}
		loss, _ := NewLoss("ce", datasets.Multiclass)
		r := rand.New(rand.NewPCG(11, 12))
		x := make([]float64, n*in)
		for i := range x {
			x[i] = float64(float32(4*r.Float64() - 2))
		}
		k := m64.Outputs
		tg := make([]float64, n*k)
		for i := range n {
			fillTargets(tg[i*k:(i+1)*k], float64(i%classes), datasets.Multiclass)
		}
		grads := func(m engine) {
			g := make([]float64, n*k)
			loss.Eval(g, m.forward64(x, n, true, nil), tg, n, k)
			m.backward64(g, n, true)
		}
		grads(m64)
		grads(m32)
		p32 := m32.Params()
		for pi, p := range m64.Params() {
			analytic, orig := copy64(p.G), copy64(p.W)
			for i, a := range analytic {
				if b := float64(p32[pi].G[i]); math.Abs(a-b) > 1e-4*math.Max(math.Abs(a), math.Abs(b))+1e-5 {
					t.Errorf("batch norm %v, %s[%d]: float32 %.7g, float64 %.7g", bn, p.Name, i, b, a)
				}
			}
			num := fd.Gradient(nil, func(v []float64) float64 {
				copy(p.W, v)
				s := loss.Eval(nil, m64.forward64(x, n, true, nil), tg, n, k)
				copy(p.W, orig)
				m64.loadWeights(w) // running statistics do not enter the objective
				return s
			}, orig, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for i, a := range analytic {
				if d := math.Abs(a - num[i]); d > 1e-6*math.Max(math.Abs(a), math.Abs(num[i]))+1e-8 {
					t.Errorf("batch norm %v, %s[%d]: analytic %.10g, numeric %.10g", bn, p.Name, i, a, num[i])
				}
			}
		}
		m64.Close()
		m32.Close()
	}
}

// TestIdleWorkersTransposeTheirShare: with more workers than a batch has
// row blocks (8 workers, batches of 32: four blocks of 8), the idle
// workers still transpose their share of W for the backward pass; the
// gradients are one worker's bit for bit. They were 69% to 83% off.
func TestIdleWorkersTransposeTheirShare(t *testing.T) {
	c := oddCase{"256-256", 256, []LayerSpec{{Units: 256, Activation: "relu"}, {Units: 250, Activation: "relu"}}, 32}
	for _, prec := range PrecisionNames {
		var want [][]float64
		for _, w := range []int{1, 8} {
			r := oddRunner(t, c, prec, w)
			r.shuffle()
			r.step(0, 32, 1e-3)
			var got [][]float64
			switch m := r.model.(type) {
			case *network[float32]:
				for _, p := range m.Params() {
					got = append(got, copy64(p.G))
				}
			case *network[float64]:
				for _, p := range m.Params() {
					got = append(got, copy64(p.G))
				}
			}
			if w == 1 {
				want = got
			} else if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %d workers: the gradients differ from one worker's", prec, w)
			}
		}
	}
}

// FuzzStepBitIdentical trains a few steps of a network of fuzzed widths
// (1 to 256 and 1 to 70, dropout on the second), batch (1 to 300) and
// optimizer (value clipping on or off), on 784 inputs (packed dL/dz,
// narrow weight gradients), on the layer-by-layer step and on the
// row-parallel one with 1, 2, 3 and 8 workers (with batch norm in the
// first layer, the layer-by-layer step on as many), and requires the
// same bits from all:
// go test ./trainer -run '^$' -fuzz FuzzStepBitIdentical -fuzztime 60s.
func FuzzStepBitIdentical(f *testing.F) {
	f.Add(uint8(40), uint8(25), uint16(67), uint8(0), false, false)
	f.Add(uint8(47), uint8(32), uint16(31), uint8(1), true, false)
	f.Add(uint8(63), uint8(33), uint16(290), uint8(3), true, false)
	opts := []string{"sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"}
	fuzzData := bigData(300, 784)
	f.Add(uint8(29), uint8(46), uint16(100), uint8(2), true, true)
	f.Add(uint8(70), uint8(9), uint16(45), uint8(12), false, false) // adam, clipped
	f.Add(uint8(40), uint8(2), uint16(67), uint8(4), false, false)  // a 3-wide layer by dot tiles
	f.Add(uint8(99), uint8(0), uint16(50), uint8(5), true, false)   // a 1-wide one, float32
	f.Fuzz(func(t *testing.T, h1, h2 uint8, batch uint16, opt uint8, f32, bn bool) {
		prec := Float64
		if f32 {
			prec = Float32
		}
		hidden := []LayerSpec{{Units: 1 + int(h1), Activation: "relu", BatchNorm: bn}, {Units: 1 + int(h2)%70, Activation: "tanh", Dropout: 0.2}}
		c := oddCase{"fuzz", 784, hidden, 1 + int(batch)%300}
		var want []float64
		for _, v := range []struct {
			workers int
			rows    bool
		}{{1, false}, {1, true}, {2, true}, {3, true}, {8, true}} {
			s := DefaultSpec()
			s.Precision = prec
			s.Model = ModelSpec{Init: "he_uniform", Hidden: c.hidden}
			s.Loss, s.Optimizer, s.BatchSize = "ce", OptimizerSpec{Name: opts[int(opt)%len(opts)], LR: 1e-3}, c.batch
			if opt/8%2 == 1 {
				s.Optimizer.ClipValue = 0.01
			}
			r, err := newRunner(s, fuzzData, Options{Workers: v.workers})
			if err != nil {
				t.Fatal(err)
			}
			if bn && v.rows {
				v.rows = false // batch norm: the layer-by-layer step on v.workers
			}
			setRowPath(r.model, v.rows)
			r.shuffle()
			for lo := 0; lo < 300; lo += c.batch {
				r.step(lo, min(lo+c.batch, 300), 1e-3)
			}
			got := make([]float64, r.model.weightLen())
			r.model.saveWeights(got)
			r.model.Close()
			if want == nil {
				want = got
			} else if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %v batch %d %s: %d workers (row-parallel %v) differ from the layer-by-layer step", prec, []int{hidden[0].Units, hidden[1].Units}, c.batch, s.Optimizer.Name, v.workers, v.rows)
			}
		}
	})
}
