package datasets

import (
	"fmt"
	"math"

	"workbench/numfmt"
)

// rangeHintRatio is how many times larger one feature's values may be
// than another's before unscaled data earns a hint: a network's first
// layer then sees one feature and ignores the rest (tanh saturates), and
// a first run ends at AUC 0.5.
const rangeHintRatio = 100

// RangeHint says when t's features differ in size by more than 100× and
// scale (or, when empty, the dataset's default scaling) is none, naming the
// widest and the narrowest feature, e.g. "income spans 0–90,000 while age
// spans 18–70". It returns "" when the ranges are comparable or the data
// is scaled. Front ends add their own advice ("try --scale standard").
// Missing (NaN) cells are skipped.
func RangeHint(t *Table, scale string) string {
	if scale == "" {
		scale = t.Meta.DefaultScale
	}
	if k, err := ParseScaling(scale); err != nil || k != ScaleNone {
		return ""
	}
	return rangeHint(t.X, t.N, t.D, t.Meta.FeatureNames)
}

// RangeHint is RangeHint of the training split of p, for data prepared
// without scaling; "" when p was scaled.
func (p *Prepared) RangeHint() string {
	if k, err := ParseScaling(p.Scaler.Kind); err != nil || k != ScaleNone {
		return ""
	}
	return rangeHint(p.Train.X, p.Train.N, p.Train.D, p.Meta.FeatureNames)
}

// rangeHint compares the features' sizes (the largest absolute value of
// each). A one-hot or other 0/1 column is the narrow side only when no
// other numeric column is, so that income is compared with age rather than
// with city=Paris.
func rangeHint(x []float64, n, d int, names []string) string {
	if n == 0 || d < 2 || len(x) < n*d {
		return ""
	}
	lo, hi := make([]float64, d), make([]float64, d)
	indicator := make([]bool, d)
	for j := 0; j < d; j++ {
		lo[j], hi[j], indicator[j] = math.Inf(1), math.Inf(-1), true
	}
	for i := 0; i < n; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			if math.IsNaN(v) {
				continue
			}
			lo[j], hi[j] = math.Min(lo[j], v), math.Max(hi[j], v)
			if v != 0 && v != 1 {
				indicator[j] = false
			}
		}
	}
	size := func(j int) float64 {
		if lo[j] > hi[j] {
			return 0 // every cell missing
		}
		return math.Max(math.Abs(lo[j]), math.Abs(hi[j]))
	}
	wide := -1
	for j := 0; j < d; j++ {
		if size(j) > 0 && (wide < 0 || size(j) > size(wide)) {
			wide = j
		}
	}
	if wide < 0 {
		return ""
	}
	narrow := -1
	for _, ind := range []bool{false, true} {
		for j := 0; j < d; j++ {
			if j != wide && indicator[j] == ind && size(j) > 0 && (narrow < 0 || size(j) < size(narrow)) {
				narrow = j
			}
		}
		if narrow >= 0 {
			break
		}
	}
	if narrow < 0 || size(wide) <= rangeHintRatio*size(narrow) {
		return ""
	}
	return fmt.Sprintf("%s spans %s while %s spans %s", featureName(names, wide), span(lo[wide], hi[wide]),
		featureName(names, narrow), span(lo[narrow], hi[narrow]))
}

func featureName(names []string, j int) string {
	if j < len(names) {
		return names[j]
	}
	return fmt.Sprintf("feature %d", j)
}

func span(lo, hi float64) string {
	if lo < 0 {
		return numfmt.Grouped(lo) + " to " + numfmt.Grouped(hi)
	}
	return numfmt.Grouped(lo) + "–" + numfmt.Grouped(hi)
}
