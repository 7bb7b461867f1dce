package datasets

import (
	"fmt"
	"math"
)

// Scaling is a kind of input scaling.
type Scaling int

// The scalings.
const (
	ScaleNone Scaling = iota
	ScaleMinMax
	ScaleStandard
)

var scalingNames = [...]string{"none", "minmax", "standard"}

func (s Scaling) String() string {
	if s < 0 || int(s) >= len(scalingNames) {
		return fmt.Sprintf("Scaling(%d)", int(s))
	}
	return scalingNames[s]
}

// ParseScaling parses "none" (or ""), "minmax" or "standard".
func ParseScaling(s string) (Scaling, error) {
	switch s {
	case "", "none":
		return ScaleNone, nil
	case "minmax", "normalize":
		return ScaleMinMax, nil
	case "standard", "standardize", "zscore":
		return ScaleStandard, nil
	}
	return 0, fmt.Errorf("unknown scaling %q (want none, minmax or standard)", s)
}

// Scaler is a fitted per-feature affine transform, x' = (x - Offset) * Factor.
// It is fitted on the training split only and serializes to JSON, so a saved
// model can predict on raw data.
//
// Impute rides along with the transform because both are the fitted
// preprocessing that a saved run applies to new rows: it says what predict
// does with a missing cell or an unseen category. Runs saved before it
// existed have none, and predict refuses such rows.
type Scaler struct {
	Kind   string    `json:"kind"`
	Offset []float64 `json:"offset,omitempty"`
	Factor []float64 `json:"factor,omitempty"`
	Impute *Imputer  `json:"impute,omitempty"`
	// Target is the regression target's scaling, set by the trainer on
	// runs that scale their target; nil means raw targets.
	Target *TargetScaler `json:"target,omitempty"`
}

// FitScaler fits a scaler of the given kind on s.
func FitScaler(kind Scaling, s *Split) Scaler {
	sc := Scaler{Kind: kind.String()}
	if kind == ScaleNone {
		return sc
	}
	d := s.D
	sc.Offset = make([]float64, d)
	sc.Factor = make([]float64, d)
	for j := 0; j < d; j++ {
		switch kind {
		case ScaleMinMax:
			lo, hi := math.Inf(1), math.Inf(-1)
			for i := 0; i < s.N; i++ {
				v := s.X[i*d+j]
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			if s.N == 0 {
				lo, hi = 0, 1
			}
			sc.Offset[j] = lo
			sc.Factor[j] = 1
			if hi > lo {
				sc.Factor[j] = 1 / (hi - lo)
			}
		case ScaleStandard:
			mean, sd := meanStd(s.N, func(i int) float64 { return s.X[i*d+j] })
			sc.Offset[j] = mean
			sc.Factor[j] = 1
			if sd > 0 {
				sc.Factor[j] = 1 / sd
			}
		}
	}
	return sc
}

// meanStd returns the mean and the population standard deviation
// (ddof 0) of the n values at(0)…at(n−1), by the corrected two-pass
// algorithm (Chan, Golub and LeVeque, "Algorithms for computing the sample
// variance", 1983), which also removes the rounding error of the first
// pass's mean. The deviation is 0 for a constant column and for one whose
// variance is within the rounding error of its mean, var ≤ n·ε·var +
// (n·ε·mean)²: such a spread is floating-point noise (a constant written
// as 1e8 and 1e8+1e-7), and dividing by it would blow the noise up to
// values of unit scale. scikit-learn's StandardScaler uses the same bound
// (_is_constant_feature) and also leaves such columns unscaled.
func meanStd(n int, at func(int) float64) (mean, sd float64) {
	if n == 0 {
		return 0, 0
	}
	fn := float64(n)
	for i := range n {
		mean += at(i)
	}
	mean /= fn
	var ss, corr float64
	for i := range n {
		d := at(i) - mean
		ss += d * d
		corr += d
	}
	mean += corr / fn
	v := max(ss-corr*corr/fn, 0) / fn
	const eps = 0x1p-52
	if v <= fn*eps*v+(fn*eps*mean)*(fn*eps*mean) {
		return mean, 0
	}
	return mean, math.Sqrt(v)
}

// Transform writes the scaled rows of src into dst; they may be the same
// slice. It panics if the lengths differ or are not a multiple of the
// feature count.
func (sc *Scaler) Transform(dst, src []float64) {
	if len(dst) != len(src) {
		panic("datasets: scaler length mismatch")
	}
	if len(sc.Offset) == 0 {
		copy(dst, src)
		return
	}
	d := len(sc.Offset)
	if len(src)%d != 0 {
		panic("datasets: scaler row width mismatch")
	}
	for i := 0; i < len(src); i += d {
		for j := 0; j < d; j++ {
			dst[i+j] = (src[i+j] - sc.Offset[j]) * sc.Factor[j]
		}
	}
}

// Inverse maps scaled rows back to raw units, for drawing axes.
func (sc *Scaler) Inverse(dst, src []float64) {
	if len(sc.Offset) == 0 {
		copy(dst, src)
		return
	}
	d := len(sc.Offset)
	for i := 0; i < len(src); i += d {
		for j := 0; j < d; j++ {
			dst[i+j] = src[i+j]/sc.Factor[j] + sc.Offset[j]
		}
	}
}
