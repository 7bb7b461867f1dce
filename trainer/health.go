package trainer

import "math"

// LayerHealth describes one hidden layer after an epoch. Every value is
// finite: a non-finite one is reported as ±math.MaxFloat64 (±Inf) or 0
// (NaN), so that JSON encoders never fail on it.
type LayerHealth struct {
	// Layer is the hidden layer's number, 1 for the first.
	Layer      int    `json:"layer"`
	Activation string `json:"activation"`
	Units      int    `json:"units"`
	// WeightNorm is the Frobenius norm of the layer's weight matrix at the
	// end of the epoch (biases left out).
	WeightNorm float64 `json:"weight_norm"`
	// GradNorm is the norm of the weights' gradient on the epoch's first
	// batch, penalties and clipping included.
	GradNorm float64 `json:"grad_norm"`
	// RelGrad is GradNorm over the output layer's gradient norm on the
	// same batch (1 when that is 0: there is nothing to compare with).
	RelGrad float64 `json:"rel_grad"`
	// UpdateRatio is ‖ΔW‖/‖W‖ of the optimizer step on the epoch's first
	// batch: the fraction by which one step moves the weights.
	UpdateRatio float64 `json:"update_ratio"`
	// Dead is the fraction of units whose output is exactly 0 on every
	// row of the validation split (a dead ReLU).
	Dead float64 `json:"dead"`
	// Saturated is the fraction of units near a limit of their activation
	// (|tanh| > 0.99, sigmoid < 0.01 or > 0.99) on at least 90% of the
	// validation rows. Only tanh and sigmoid saturate; it is 0 otherwise.
	Saturated float64 `json:"saturated"`
	// ActMean and ActStd are the mean and standard deviation of the
	// layer's outputs over every unit and validation row.
	ActMean float64 `json:"act_mean"`
	ActStd  float64 `json:"act_std"`
}

// Thresholds of LayerHealth's definitions.
const (
	// SaturationLimit is how close to a limit an output counts as
	// saturated: |tanh| > 1−SaturationLimit, sigmoid < SaturationLimit or
	// > 1−SaturationLimit.
	SaturationLimit = 0.01
	// SaturatedRows is the fraction of validation rows on which a unit
	// must be saturated to count as a saturated unit.
	SaturatedRows = 0.9
)

// health holds the buffers of the layer-health measurements, allocated
// once per run. Per hidden layer: the weights before the measured step,
// and per-unit counters over the validation pass.
type health struct {
	prevW    [][]float64
	gradNorm []float64 // per layer, output included
	update   []float64
	live     [][]bool // per unit: some row had a non-zero output
	sat      [][]int  // per unit: rows near a limit
	sum, sq  []float64
	rows     int
	on       bool // the validation pass is being measured
}

func newHealth(m *Model) *health {
	h := &health{gradNorm: make([]float64, len(m.Layers)), update: make([]float64, len(m.Layers))}
	hidden := m.Layers[:len(m.Layers)-1]
	for _, l := range hidden {
		h.prevW = append(h.prevW, make([]float64, len(l.W)))
		h.live = append(h.live, make([]bool, l.Out))
		h.sat = append(h.sat, make([]int, l.Out))
	}
	h.sum, h.sq = make([]float64, len(hidden)), make([]float64, len(hidden))
	return h
}

// beforeStep keeps the hidden weights that the next step will change.
func (h *health) beforeStep(m *Model) {
	for i, w := range h.prevW {
		copy(w, m.Layers[i].W)
	}
}

// afterStep measures the step that followed beforeStep: the gradient
// norms (still in the layers' gradients) and the update ratios.
func (h *health) afterStep(m *Model) {
	for i, l := range m.Layers {
		h.gradNorm[i] = norm(l.dW)
	}
	for i, w := range h.prevW {
		cur := m.Layers[i].W
		d := 0.0
		for j, v := range cur {
			x := v - w[j]
			d += x * x
		}
		h.update[i] = ratio(math.Sqrt(d), norm(w))
	}
}

// start resets the validation counters.
func (h *health) start() {
	for i := range h.live {
		clear(h.live[i])
		clear(h.sat[i])
	}
	clear(h.sum)
	clear(h.sq)
	h.rows = 0
	h.on = true
}

// observe folds the hidden outputs of the model's last inference Forward
// over n rows.
func (h *health) observe(m *Model, n int) {
	for i := range h.live {
		l := m.Layers[i]
		a := l.a[:n*l.Out]
		live, sat := h.live[i], h.sat[i]
		kind := saturationKind(l.Act)
		s, q := 0.0, 0.0
		for r := 0; r < n; r++ {
			row := a[r*l.Out : (r+1)*l.Out]
			for j, v := range row {
				s += v
				q += v * v
				if v != 0 {
					live[j] = true
				}
				if kind == 't' && math.Abs(v) > 1-SaturationLimit || kind == 's' && (v < SaturationLimit || v > 1-SaturationLimit) {
					sat[j]++
				}
			}
		}
		h.sum[i] += s
		h.sq[i] += q
	}
	h.rows += n
}

func saturationKind(a Activation) byte {
	switch a.(type) {
	case Tanh:
		return 't'
	case Sigmoid:
		return 's'
	}
	return 0
}

// finish returns the epoch's layer health, a fresh slice.
func (h *health) finish(m *Model) []LayerHealth {
	h.on = false
	out := make([]LayerHealth, len(h.live))
	outGrad := h.gradNorm[len(m.Layers)-1]
	for i := range out {
		l := m.Layers[i]
		dead, sat := 0, 0
		for j, lv := range h.live[i] {
			if !lv && h.rows > 0 {
				dead++
			}
			if h.rows > 0 && float64(h.sat[i][j]) >= SaturatedRows*float64(h.rows) {
				sat++
			}
		}
		cells := float64(h.rows * l.Out)
		mean, std := 0.0, 0.0
		if cells > 0 {
			mean = h.sum[i] / cells
			std = math.Sqrt(math.Max(h.sq[i]/cells-mean*mean, 0))
		}
		out[i] = LayerHealth{
			Layer: i + 1, Activation: l.Act.Name(), Units: l.Out,
			WeightNorm: norm(l.W), GradNorm: h.gradNorm[i], RelGrad: relGrad(h.gradNorm[i], outGrad),
			UpdateRatio: h.update[i],
			Dead:        float64(dead) / float64(l.Out), Saturated: float64(sat) / float64(l.Out),
			ActMean: mean, ActStd: std,
		}
		out[i].Sanitize()
	}
	return out
}

// Sanitize replaces non-finite values: NaN by 0, ±Inf by ±math.MaxFloat64.
func (lh *LayerHealth) Sanitize() {
	for _, p := range []*float64{&lh.WeightNorm, &lh.GradNorm, &lh.RelGrad, &lh.UpdateRatio, &lh.Dead, &lh.Saturated, &lh.ActMean, &lh.ActStd} {
		switch {
		case math.IsNaN(*p):
			*p = 0
		case math.IsInf(*p, 1):
			*p = math.MaxFloat64
		case math.IsInf(*p, -1):
			*p = -math.MaxFloat64
		}
	}
}

// norm is the Euclidean norm, scaled so that large values do not overflow.
func norm(v []float64) float64 {
	scale := 0.0
	for _, x := range v {
		scale = math.Max(scale, math.Abs(x))
	}
	if scale == 0 || math.IsInf(scale, 0) || math.IsNaN(scale) {
		return scale
	}
	s := 0.0
	for _, x := range v {
		y := x / scale
		s += y * y
	}
	return scale * math.Sqrt(s)
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func relGrad(g, out float64) float64 {
	if out == 0 {
		return 1
	}
	return g / out
}
