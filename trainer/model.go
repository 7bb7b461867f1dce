package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"workbench/datasets"
)

// Model is a float64 network.
type Model = network[float64]

// network is a multilayer perceptron in precision T: hidden dense layers
// and a linear output layer whose head (sigmoid, softmax or identity)
// follows the task. It owns its batch buffers and a worker pool, so it is
// not safe for concurrent use; Snapshot makes an independent copy.
type network[T float] struct {
	Task    datasets.Task
	Inputs  int
	Outputs int
	Layers  []*layer[T]
	Head    Head

	params []*param[T]
	pool   *pool

	// rowsOK selects the row-parallel step (rowstep.go); rows holds its
	// arguments.
	rowsOK bool
	rows   rowState[T]

	// Float32 conversions at the float64 boundary (nil for float64).
	x32, g32 []T
	logits   []float64
}

// OutputsFor returns the width of the output layer for a task.
func OutputsFor(task datasets.Task, classes int) int {
	if task == datasets.Multiclass {
		return classes
	}
	return 1
}

// NewModel builds the network that ms describes for inputs features and the
// task's output head, with weights drawn from r, and buffers for batches of
// up to maxBatch rows. workers sets the size of its matrix worker pool
// (0 = GOMAXPROCS); it changes speed, never results.
func NewModel(ms ModelSpec, task datasets.Task, inputs, classes, maxBatch, workers int, r *rand.Rand) (*Model, error) {
	return newNetwork[float64](ms, task, inputs, classes, maxBatch, workers, r)
}

func newNetwork[T float](ms ModelSpec, task datasets.Task, inputs, classes, maxBatch, workers int, r *rand.Rand) (*network[T], error) {
	if inputs < 1 {
		return nil, fmt.Errorf("model: the data has no features")
	}
	outputs := OutputsFor(task, classes)
	if outputs < 1 {
		return nil, fmt.Errorf("model: a %s task needs classes", task)
	}
	m := &network[T]{Task: task, Inputs: inputs, Outputs: outputs, Head: headFor(task), pool: newPool(workers)}
	in := inputs
	for i, ls := range ms.Hidden {
		act, err := ParseActivation(ls.Activation)
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("model.hidden[%d].activation: %v", i, err)
		}
		m.Layers = append(m.Layers, newLayerT[T](in, ls.Units, act, ls.BatchNorm, ls.Dropout, maxBatch))
		in = ls.Units
	}
	m.Layers = append(m.Layers, newLayerT[T](in, outputs, Linear{}, false, 0, maxBatch))
	init := ms.Init
	if init == "" {
		init = "xavier_uniform"
	}
	for _, l := range m.Layers {
		l.init(init, r)
	}
	m.collectParams()
	m.boundary(maxBatch)
	return m, nil
}

// boundary allocates the float32 conversion buffers for maxBatch rows.
func (m *network[T]) boundary(maxBatch int) {
	if is32[T]() {
		m.x32 = make([]T, maxBatch*m.Inputs)
		m.g32 = make([]T, maxBatch*m.Outputs)
		m.logits = make([]float64, maxBatch*m.Outputs)
	}
}

// collectParams lists the parameters and sets up the row-parallel step,
// once the layers are built.
func (m *network[T]) collectParams() {
	m.params = m.params[:0]
	for i, l := range m.Layers {
		m.params = append(m.params, l.params(fmt.Sprintf("layer%d", i))...)
	}
	m.rowsOK = m.rowParallel()
	m.rows.fwd, m.rows.bwd = m.forwardBlock, m.backwardBlock
}

// Params returns the trainable tensors, in a fixed order.
func (m *network[T]) Params() []*param[T] { return m.params }

// NumParams returns the number of trainable values.
func (m *network[T]) NumParams() int {
	n := 0
	for _, p := range m.params {
		n += len(p.W)
	}
	return n
}

// Close releases the model's worker goroutines.
func (m *network[T]) Close() { m.pool.close() }

// Forward returns the logits (n×Outputs) for n rows of x. The result aliases
// an internal buffer, valid until the next call. r draws dropout masks in
// training mode and may be nil otherwise.
func (m *network[T]) Forward(x []T, n int, train bool, r *rand.Rand) []T {
	return m.forward(x, n, train, r, false)
}

func (m *network[T]) forward(x []T, n int, train bool, r *rand.Rand, fixedMask bool) []T {
	if len(x) < n*m.Inputs {
		panic("trainer: Forward input shorter than n rows")
	}
	if m.rowsOK {
		return m.forwardRegion(x[:n*m.Inputs], nil, n, train, r, fixedMask)
	}
	h := x
	for _, l := range m.Layers {
		h = l.forward(m.pool, h, n, train, r, fixedMask)
	}
	return h
}

// Backward back-propagates dlogits (n×Outputs) through the last Forward and
// overwrites every parameter's gradient.
func (m *network[T]) Backward(dlogits []T, n int, train bool) {
	if m.rowsOK {
		m.backwardRegion(dlogits[:n*m.Outputs], nil, n, train, nil)
		return
	}
	g := dlogits
	for i := len(m.Layers) - 1; i >= 0; i-- {
		g = m.Layers[i].backward(m.pool, g, n, train, i > 0)
	}
}

// penalty returns the L1 and L2 penalty, l1·Σ|w| + l2/2·Σw², over weights.
func (m *network[T]) penalty(l1, l2 float64) float64 {
	if l1 == 0 && l2 == 0 {
		return 0
	}
	s1, s2 := 0.0, 0.0
	for _, p := range m.params {
		if !p.Decay {
			continue
		}
		for _, v := range p.W {
			w := float64(v)
			s1 += math.Abs(w)
			s2 += w * w
		}
	}
	return l1*s1 + 0.5*l2*s2
}

// addPenaltyGrad adds the penalty's gradient to the weights' gradients.
func (m *network[T]) addPenaltyGrad(l1, l2 float64) {
	if l1 == 0 && l2 == 0 {
		return
	}
	a, b := T(l1), T(l2)
	for _, p := range m.params {
		if !p.Decay {
			continue
		}
		for i, w := range p.W {
			g := b * w
			if w > 0 {
				g += a
			} else if w < 0 {
				g -= a
			}
			p.G[i] += g
		}
	}
}

// finite reports whether every parameter is finite.
func (m *network[T]) finite() bool {
	for _, p := range m.params {
		var s T
		for _, w := range p.W {
			s += w * 0 // NaN or ±Inf make the product NaN
		}
		if s != 0 {
			return false
		}
	}
	for _, l := range m.Layers {
		for _, v := range l.RunVar {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return false
			}
		}
	}
	return true
}

// Snapshot returns an independent copy of the model's weights for
// prediction. It is safe for concurrent use.
func (m *network[T]) Snapshot() *Snapshot {
	s := &Snapshot{Task: m.Task, Inputs: m.Inputs, Outputs: m.Outputs}
	if is32[T]() {
		s.Precision = Float32
	}
	for _, l := range m.Layers {
		ls := LayerWeights{
			In: l.In, Out: l.Out, Activation: l.Act.Name(), BatchNorm: l.BN, Dropout: l.Dropout,
			W: copy64(l.W), B: copy64(l.B),
		}
		if l.BN {
			ls.Gamma = copy64(l.Gamma)
			ls.Beta = copy64(l.Beta)
			ls.RunMean = copy64(l.RunMean)
			ls.RunVar = copy64(l.RunVar)
		}
		s.Layers = append(s.Layers, ls)
	}
	return s
}

// copy64 returns a float64 copy of x (nil for nil).
func copy64[T float](x []T) []float64 {
	if x == nil {
		return nil
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// Summary describes the architecture in one line, such as
// "2 → 8 tanh → 8 tanh → 1 sigmoid, 105 params".
func Summary(ms ModelSpec, task datasets.Task, inputs, classes int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", inputs)
	for _, l := range ms.Hidden {
		fmt.Fprintf(&b, " → %d %s", l.Units, l.Activation)
		if l.BatchNorm {
			b.WriteString("+bn")
		}
		if l.Dropout > 0 {
			fmt.Fprintf(&b, "+do%.2g", l.Dropout)
		}
	}
	out := OutputsFor(task, classes)
	params := CountParams(ms, task, inputs, classes)
	head := map[Head]string{HeadLinear: "linear", HeadSigmoid: "sigmoid", HeadSoftmax: "softmax"}[headFor(task)]
	fmt.Fprintf(&b, " → %d %s, %d params", out, head, params)
	return b.String()
}

// CountParams returns the number of trainable parameters of the network
// ms builds for inputs features and a task of classes classes.
func CountParams(ms ModelSpec, task datasets.Task, inputs, classes int) int {
	params, in := 0, inputs
	for _, l := range ms.Hidden {
		params += in*l.Units + l.Units
		if l.BatchNorm {
			params += l.Units // γ and β replace the bias
		}
		in = l.Units
	}
	out := OutputsFor(task, classes)
	return params + in*out + out
}
