package datasets

import "math"

// TargetScaler is a regression target's affine scaling, fitted on the
// training split: the network trains on (y − Offset)·Factor and its
// outputs are mapped back by y = z/Factor + Offset. The zero value (or
// Factor 0) is the identity.
type TargetScaler struct {
	Kind   string  `json:"kind"`
	Offset float64 `json:"offset"`
	Factor float64 `json:"factor"`
}

// FitTargetScaler fits kind (none, standard or minmax) on targets y. A
// constant target (within rounding, see meanStd) keeps factor 1.
func FitTargetScaler(kind string, y []float64) TargetScaler {
	t := TargetScaler{Kind: kind, Factor: 1}
	if len(y) == 0 {
		return t
	}
	switch kind {
	case "standard":
		mean, sd := meanStd(len(y), func(i int) float64 { return y[i] })
		t.Offset = mean
		if sd > 0 {
			t.Factor = 1 / sd
		}
	case "minmax":
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range y {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		t.Offset = lo
		if hi > lo {
			t.Factor = 1 / (hi - lo)
		}
	default:
		t.Kind = "none"
	}
	return t
}

// Identity reports whether the scaler changes nothing.
func (t TargetScaler) Identity() bool { return t.Factor == 0 || (t.Factor == 1 && t.Offset == 0) }

// Apply scales one raw target.
func (t TargetScaler) Apply(y float64) float64 {
	if t.Identity() {
		return y
	}
	return (y - t.Offset) * t.Factor
}

// Invert maps scaled outputs back to raw units in place.
func (t TargetScaler) Invert(v []float64) {
	if t.Identity() {
		return
	}
	for i, z := range v {
		v[i] = z/t.Factor + t.Offset
	}
}
