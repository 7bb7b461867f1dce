package trainer

import (
	"encoding/json"
	"fmt"
	"math"

	"workbench/datasets"
)

// QuantizedFormat and QuantizedVersion identify a saved int8 model: the
// weights format's fields, with each layer's "w" an In×Out row-major array
// of int8 codes (base64), "w_exp" one power-of-two exponent per output
// unit, "x_exp" the exponent of the layer's input, and "b" float biases
// (batch norm folded in).
const (
	QuantizedFormat  = "workbench-mlp-int8"
	QuantizedVersion = 1
)

// Quantized is an MLP with symmetric int8 weights (one scale per output
// unit) and int8 activations (one scale per layer input, calibrated on
// data). A layer multiplies int8 inputs by int8 weights into int32 sums,
// rescales them, adds the float bias and applies the activation in float.
//
// Every scale is a power of two, so the integer path computes exactly what
// the dequantized float computation does: each product of an input code
// and a weight code times 2^(x_exp+w_exp) is exact in float64, and so is
// their sum. Predict is safe for concurrent use.
type Quantized struct {
	Task      datasets.Task
	Inputs    int
	Outputs   int
	Layers    []QuantizedLayer
	Threshold float64
}

// QuantizedLayer is one dense layer of a Quantized model.
type QuantizedLayer struct {
	In, Out    int
	Activation string
	W          []int8    // In×Out codes; weight (i, j) is W[i*Out+j]·2^WExp[j]
	WExp       []int     // per output unit
	XExp       int       // an input value v is coded round(v·2^-XExp), clamped to ±127
	B          []float64 // per output unit
	act        Activation
	// wp packs the codes of units 2j and 2j+1 of each input row into one
	// int64 (low and high 32-bit lanes), so one 64-bit multiply-add
	// accumulates two int8×int8 products in two int32 lanes.
	wp []int64
	// xInv is 2^-XExp and scale[j] 2^(XExp+WExp[j]): multiplying by a power
	// of two is exact, and cheaper than math.Ldexp.
	xInv  float64
	scale []float64
}

// pack builds the layer's packed weights and activation; both
// constructors call it before the layer is used.
func (l *QuantizedLayer) pack() {
	l.act, _ = ParseActivation(l.Activation)
	l.xInv = math.Ldexp(1, -l.XExp)
	l.scale = make([]float64, l.Out)
	for j := range l.scale {
		l.scale[j] = math.Ldexp(1, l.XExp+l.WExp[j])
	}
	half := (l.Out + 1) / 2
	l.wp = make([]int64, l.In*half)
	for i := 0; i < l.In; i++ {
		for jj := 0; jj < half; jj++ {
			v := int64(l.W[i*l.Out+2*jj])
			if 2*jj+1 < l.Out {
				v += int64(l.W[i*l.Out+2*jj+1]) << 32
			}
			l.wp[i*half+jj] = v
		}
	}
}

// Quantize returns the int8 version of s. calib holds n rows of inputs, as
// the model sees them (scaled), from which the range of each layer's input
// is calibrated; batch norm is folded into the weights first. It returns an
// error when calib is empty.
func Quantize(s *Snapshot, calib []float64, n int) (*Quantized, error) {
	if n < 1 || len(calib) < n*s.Inputs {
		return nil, fmt.Errorf("quantize: calibration needs at least one row of %d inputs", s.Inputs)
	}
	folded := foldBatchNorm(s)
	// The largest magnitude reaching each layer, from a float pass.
	maxIn := make([]float64, len(folded.Layers))
	h := calib[:n*s.Inputs]
	for li, l := range folded.Layers {
		for _, v := range h {
			maxIn[li] = math.Max(maxIn[li], math.Abs(v))
		}
		act, _ := ParseActivation(l.Activation)
		z := make([]float64, n*l.Out)
		for i := 0; i < n; i++ {
			row := z[i*l.Out : (i+1)*l.Out]
			copy(row, l.B)
			for k := 0; k < l.In; k++ {
				x := h[i*l.In+k]
				if x == 0 {
					continue
				}
				w := l.W[k*l.Out : (k+1)*l.Out]
				for j := range row {
					row[j] += x * w[j]
				}
			}
		}
		act.Forward(z, z)
		h = z
	}
	q := &Quantized{Task: s.Task, Inputs: s.Inputs, Outputs: s.Outputs, Threshold: s.Threshold}
	for li, l := range folded.Layers {
		ql := QuantizedLayer{In: l.In, Out: l.Out, Activation: l.Activation, W: make([]int8, len(l.W)),
			WExp: make([]int, l.Out), XExp: scaleExp(maxIn[li]), B: append([]float64(nil), l.B...)}
		for j := 0; j < l.Out; j++ {
			m := 0.0
			for i := 0; i < l.In; i++ {
				m = math.Max(m, math.Abs(l.W[i*l.Out+j]))
			}
			e := scaleExp(m)
			ql.WExp[j] = e
			for i := 0; i < l.In; i++ {
				ql.W[i*l.Out+j] = code(l.W[i*l.Out+j], e)
			}
		}
		ql.pack()
		q.Layers = append(q.Layers, ql)
	}
	return q, nil
}

// scaleExp returns the smallest e such that m·2^-e is at most 127: the
// power-of-two scale that codes magnitudes up to m in int8.
func scaleExp(m float64) int {
	if !(m > 0) || math.IsInf(m, 0) {
		return 0
	}
	e := int(math.Ceil(math.Log2(m / 127)))
	for math.Ldexp(m, -e) > 127 {
		e++
	}
	for math.Ldexp(m, -(e-1)) <= 127 {
		e--
	}
	return e
}

// code returns v·2^-e rounded to the nearest integer, clamped to ±127.
func code(v float64, e int) int8 {
	c := math.Round(math.Ldexp(v, -e))
	return int8(max(-127, min(127, c)))
}

// foldBatchNorm returns a copy of s whose batch-normalized layers are
// plain dense layers computing the same inference-mode function.
func foldBatchNorm(s *Snapshot) *Snapshot {
	c := s.Clone()
	for li := range c.Layers {
		l := &c.Layers[li]
		if !l.BatchNorm {
			continue
		}
		l.B = make([]float64, l.Out)
		for j := 0; j < l.Out; j++ {
			g := l.Gamma[j] / math.Sqrt(l.RunVar[j]+bnEps)
			for i := 0; i < l.In; i++ {
				l.W[i*l.Out+j] *= g
			}
			l.B[j] = l.Beta[j] - g*l.RunMean[j]
		}
		l.BatchNorm = false
		l.Gamma, l.Beta, l.RunMean, l.RunVar = nil, nil, nil, nil
	}
	return c
}

// Shape returns the widths of the input and of the output.
func (q *Quantized) Shape() (inputs, outputs int) { return q.Inputs, q.Outputs }

// DecisionThreshold returns the binary decision threshold (0.5 unless set).
func (q *Quantized) DecisionThreshold() float64 {
	if q.Threshold == 0 {
		return 0.5
	}
	return q.Threshold
}

// quantBlock is how many rows the integer path computes together: each
// packed weight is loaded once for all of them.
const quantBlock = 4

// Predict returns the head's outputs for n rows of scaled inputs x through
// the integer path.
func (q *Quantized) Predict(x []float64, n int) []float64 {
	if len(x) < n*q.Inputs {
		panic("trainer: Predict input shorter than n rows")
	}
	widest := q.Inputs
	for _, l := range q.Layers {
		widest = max(widest, l.Out)
	}
	b := quantBlock
	xq := make([]int8, b*widest)
	acc := make([]int64, b*(widest+1)/2+b)
	bufA, bufB := make([]float64, b*widest), make([]float64, b*widest)
	logits := make([]float64, n*q.Outputs)
	for r := 0; r < n; r += b {
		m := min(b, n-r)
		h := x[r*q.Inputs : (r+m)*q.Inputs]
		for li := range q.Layers {
			l := &q.Layers[li]
			out := bufA[:m*l.Out]
			if li%2 == 1 {
				out = bufB[:m*l.Out]
			}
			l.forwardRows(out, h, m, xq, acc)
			h = out
		}
		copy(logits[r*q.Outputs:(r+m)*q.Outputs], h)
	}
	res := make([]float64, n*q.Outputs)
	headFor(q.Task).Apply(res, logits, n, q.Outputs)
	return res
}

// forwardRows computes m ≤ quantBlock rows: code the inputs, sum int8×int8
// products in int32 lanes, rescale, add the bias and apply the activation.
func (l *QuantizedLayer) forwardRows(out, in []float64, m int, xq []int8, acc []int64) {
	half := (l.Out + 1) / 2
	for i, v := range in[:m*l.In] {
		c := math.Round(v * l.xInv)
		xq[i] = int8(max(-127, min(127, c)))
	}
	a := acc[:quantBlock*half]
	clear(a)
	a0, a1, a2, a3 := a[:half], a[half:2*half], a[2*half:3*half], a[3*half:]
	var x [quantBlock]int64
	for i := 0; i < l.In; i++ {
		nz := false
		for r := range x {
			x[r] = 0
			if r < m {
				x[r] = int64(xq[r*l.In+i])
				nz = nz || x[r] != 0
			}
		}
		if !nz {
			continue
		}
		w := l.wp[i*half : (i+1)*half]
		x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
		a0, a1, a2, a3 := a0[:len(w)], a1[:len(w)], a2[:len(w)], a3[:len(w)]
		for jj, v := range w {
			a0[jj] += x0 * v
			a1[jj] += x1 * v
			a2[jj] += x2 * v
			a3[jj] += x3 * v
		}
	}
	for r := 0; r < m; r++ {
		row := out[r*l.Out : (r+1)*l.Out]
		for jj, s := range a[r*half : (r+1)*half] {
			lo := int32(s)
			j := 2 * jj
			row[j] = float64(lo)*l.scale[j] + l.B[j]
			if j+1 < l.Out {
				hi := int32((s - int64(lo)) >> 32)
				row[j+1] = float64(hi)*l.scale[j+1] + l.B[j+1]
			}
		}
		if _, linear := l.act.(Linear); !linear {
			l.act.Forward(row, row)
		}
	}
}

// NumParams returns the number of weights and biases.
func (q *Quantized) NumParams() int {
	n := 0
	for _, l := range q.Layers {
		n += len(l.W) + len(l.B)
	}
	return n
}

// NonZeroWeights counts the non-zero weight codes.
func (q *Quantized) NonZeroWeights() int {
	n := 0
	for _, l := range q.Layers {
		for _, w := range l.W {
			if w != 0 {
				n++
			}
		}
	}
	return n
}

type quantizedFile struct {
	Format    string          `json:"format"`
	Version   int             `json:"version"`
	Task      datasets.Task   `json:"task"`
	Inputs    int             `json:"inputs"`
	Outputs   int             `json:"outputs"`
	Threshold float64         `json:"threshold,omitempty"`
	Layers    []quantizedJSON `json:"layers"`
}

type quantizedJSON struct {
	In         int       `json:"in"`
	Out        int       `json:"out"`
	Activation string    `json:"activation"`
	W          []byte    `json:"w"`
	WExp       []int     `json:"w_exp"`
	XExp       int       `json:"x_exp"`
	B          []float64 `json:"b"`
}

// Marshal encodes the model in the int8 format.
func (q *Quantized) Marshal() ([]byte, error) {
	f := quantizedFile{Format: QuantizedFormat, Version: QuantizedVersion, Task: q.Task, Inputs: q.Inputs, Outputs: q.Outputs, Threshold: q.Threshold}
	for _, l := range q.Layers {
		w := make([]byte, len(l.W))
		for i, v := range l.W {
			w[i] = byte(v)
		}
		for _, v := range l.B {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("weights: a non-finite value cannot be saved")
			}
		}
		f.Layers = append(f.Layers, quantizedJSON{In: l.In, Out: l.Out, Activation: l.Activation, W: w, WExp: l.WExp, XExp: l.XExp, B: l.B})
	}
	return json.Marshal(f)
}

// UnmarshalQuantized decodes and checks a model saved by Marshal.
func UnmarshalQuantized(b []byte) (*Quantized, error) {
	var f quantizedFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("weights: %v", err)
	}
	if f.Format != QuantizedFormat || f.Version != QuantizedVersion {
		return nil, fmt.Errorf("weights: format %q version %d is not %q version %d", f.Format, f.Version, QuantizedFormat, QuantizedVersion)
	}
	if len(f.Layers) == 0 {
		return nil, fmt.Errorf("weights: no layers")
	}
	q := &Quantized{Task: f.Task, Inputs: f.Inputs, Outputs: f.Outputs, Threshold: f.Threshold}
	in := f.Inputs
	for i, l := range f.Layers {
		if err := checkLayerShape(i, in, l.In, l.Out, len(l.W)); err != nil {
			return nil, err
		}
		if len(l.WExp) != l.Out || len(l.B) != l.Out {
			return nil, fmt.Errorf("weights: layer %d has %d weight exponents and %d biases, want %d of each", i, len(l.WExp), len(l.B), l.Out)
		}
		if l.XExp < -1000 || l.XExp > 1000 {
			return nil, fmt.Errorf("weights: layer %d has an input exponent %d out of range", i, l.XExp)
		}
		for _, e := range l.WExp {
			if e < -1000 || e > 1000 {
				return nil, fmt.Errorf("weights: layer %d has a weight exponent %d out of range", i, e)
			}
		}
		act, err := ParseActivation(l.Activation)
		if err != nil {
			return nil, fmt.Errorf("weights: layer %d: %v", i, err)
		}
		ql := QuantizedLayer{In: l.In, Out: l.Out, Activation: l.Activation, W: make([]int8, len(l.W)), WExp: l.WExp, XExp: l.XExp, B: l.B, act: act}
		for k, v := range l.W {
			ql.W[k] = int8(v)
		}
		ql.pack()
		q.Layers = append(q.Layers, ql)
		in = l.Out
	}
	if in != f.Outputs {
		return nil, fmt.Errorf("weights: the last layer has %d units, want %d outputs", in, f.Outputs)
	}
	return q, nil
}
