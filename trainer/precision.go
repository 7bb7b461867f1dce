package trainer

import (
	"fmt"
	"math/rand/v2"

	"workbench/datasets"
)

// The precisions a network trains in (Spec.Precision).
const (
	Float64 = "float64"
	Float32 = "float32"
)

// PrecisionNames lists the precisions, the default first.
var PrecisionNames = []string{Float64, Float32}

// ParsePrecision returns the precision that s names: float64 or f64,
// float32 or f32.
func ParsePrecision(s string) (string, error) {
	switch s {
	case Float64, "f64":
		return Float64, nil
	case Float32, "f32":
		return Float32, nil
	}
	return "", fmt.Errorf("precision: unknown value %q (want float64 or float32, or f64 or f32)", s)
}

// engine is a network in either precision as the runner sees it: float64
// at the boundary (inputs, logits, their gradient, saved weights), the
// run's precision inside.
type engine interface {
	// forward64 returns the logits of n rows of x; the result aliases an
	// internal buffer, valid until the next call.
	forward64(x []float64, n int, train bool, r *rand.Rand) []float64
	// forwardGather is forward64 on rows idx of src, which x (len(idx)
	// rows) receives on the way, where the network needs them in float64.
	forwardGather(x, src []float64, idx []int, train bool, r *rand.Rand) []float64
	// forwardGatherLoss is forwardGather that, where the workers take the
	// batch's rows through the network, has each worker call loss on its
	// rows of the logits as soon as they are out (so the loss is not a
	// serial part of the step); done reports whether it did, for every
	// row.
	forwardGatherLoss(x, src []float64, idx []int, train bool, r *rand.Rand, loss func(logits []float64, lo, hi int)) (logits []float64, done bool)
	// backward64 back-propagates dlogits through the last forward64.
	backward64(dlogits []float64, n int, train bool)
	// backwardUpdate is backward64 followed by opt's step at rate lr,
	// fused where it can be (opt nil: no step).
	backwardUpdate(dlogits []float64, n int, train bool, opt Optimizer, lr float64)
	penalty(l1, l2 float64) float64
	addPenaltyGrad(l1, l2 float64)
	clipGrad(maxNorm float64) float64
	newOptimizer(o OptimizerSpec) (Optimizer, error)
	NumParams() int
	finite() bool
	Snapshot() *Snapshot
	// weightLen, saveWeights and loadWeights copy every weight and
	// running statistic, in a fixed order, to and from float64.
	weightLen() int
	saveWeights(dst []float64)
	loadWeights(src []float64)
	evalChunk() int
	head() Head
	// scaleOutput multiplies the output layer's weights and biases by
	// beta (temperature scaling).
	scaleOutput(beta float64)
	Close()
}

var (
	_ engine = (*network[float64])(nil)
	_ engine = (*network[float32])(nil)
)

// newEngine builds the network of the spec's precision.
func newEngine(spec Spec, task datasets.Task, inputs, classes, maxBatch, workers int, r *rand.Rand) (engine, error) {
	if spec.Precision == Float32 {
		return newNetwork[float32](spec.Model, task, inputs, classes, maxBatch, workers, r)
	}
	return newNetwork[float64](spec.Model, task, inputs, classes, maxBatch, workers, r)
}

func (m *network[T]) forward64(x []float64, n int, train bool, r *rand.Rand) []float64 {
	if len(x) < n*m.Inputs {
		panic("trainer: Forward input shorter than n rows")
	}
	x = x[:n*m.Inputs]
	var out []T
	switch {
	case m.rowsOK && is32[T]():
		out = m.forwardRegion(m.x32[:len(x)], x, n, train, r, false) // converted by rows
	default:
		out = m.forward(fromF64(x, m.x32), n, train, r, false)
	}
	return toF64(out, m.logits)
}

func (m *network[T]) forwardGather(x, src []float64, idx []int, train bool, r *rand.Rand) []float64 {
	logits, _ := m.forwardGatherLoss(x, src, idx, train, r, nil)
	return logits
}

func (m *network[T]) forwardGatherLoss(x, src []float64, idx []int, train bool, r *rand.Rand, loss func(logits []float64, lo, hi int)) ([]float64, bool) {
	n, d := len(idx), m.Inputs
	if !m.rowsOK {
		for i, j := range idx {
			copy(x[i*d:(i+1)*d], src[j*d:(j+1)*d])
		}
		return m.forward64(x, n, train, r), false
	}
	m.rows.idx, m.rows.loss = idx, loss
	var out []T
	if is32[T]() {
		out = m.forwardRegion(m.x32[:n*d], src, n, train, r, false) // gathered into float32 directly
	} else {
		out = m.forwardRegion(fromF64(x[:n*d], m.x32), src, n, train, r, false)
	}
	m.rows.idx, m.rows.loss = nil, nil
	return toF64(out, m.logits), loss != nil
}

func (m *network[T]) backward64(g []float64, n int, train bool) {
	m.backwardUpdate(g, n, train, nil, 0)
}

// backwardUpdate back-propagates dlogits through the last forward64 and,
// with opt set, applies its step at rate lr: in the same region when the
// network is row-parallel and opt is element-wise, so that each block of
// a gradient is applied while it is in cache.
func (m *network[T]) backwardUpdate(g []float64, n int, train bool, opt Optimizer, lr float64) {
	g = g[:n*m.Outputs]
	ro, fused := opt.(rangeOptimizer)
	if !m.rowsOK || (opt != nil && !fused) {
		m.Backward(fromF64(g, m.g32), n, train)
		if opt != nil {
			opt.Step(lr)
		}
		return
	}
	if opt != nil {
		ro.begin(lr)
	}
	if is32[T]() {
		m.backwardRegion(m.g32[:len(g)], g, n, train, ro) // converted by rows
		return
	}
	m.backwardRegion(fromF64(g, m.g32), nil, n, train, ro)
}

func (m *network[T]) clipGrad(maxNorm float64) float64 { return clipGradNorm(m.params, maxNorm) }

func (m *network[T]) newOptimizer(o OptimizerSpec) (Optimizer, error) {
	return newOptimizer(o, m.params, m.pool)
}

func (m *network[T]) evalChunk() int { return m.Layers[0].maxBatch }
func (m *network[T]) head() Head     { return m.Head }

func (m *network[T]) scaleOutput(beta float64) {
	out := m.Layers[len(m.Layers)-1]
	for i := range out.W {
		out.W[i] *= T(beta)
	}
	for i := range out.B {
		out.B[i] *= T(beta)
	}
}

func (m *network[T]) weightLen() int {
	n := 0
	for _, l := range m.Layers {
		n += len(l.W) + len(l.B) + len(l.Gamma) + len(l.Beta) + len(l.RunMean) + len(l.RunVar)
	}
	return n
}

// saveWeights copies every weight and running statistic into dst (exact in
// either precision).
func (m *network[T]) saveWeights(dst []float64) {
	o := 0
	for _, l := range m.Layers {
		for _, s := range [][]T{l.W, l.B, l.Gamma, l.Beta, l.RunMean, l.RunVar} {
			for _, v := range s {
				dst[o] = float64(v)
				o++
			}
		}
	}
}

// loadWeights restores weights saved by saveWeights.
func (m *network[T]) loadWeights(src []float64) {
	o := 0
	for _, l := range m.Layers {
		for _, s := range [][]T{l.W, l.B, l.Gamma, l.Beta, l.RunMean, l.RunVar} {
			for i := range s {
				s[i] = T(src[o])
				o++
			}
		}
	}
}
