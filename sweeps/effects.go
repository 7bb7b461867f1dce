package sweeps

import (
	"math"
	"sort"
	"strconv"

	"workbench/trainer"
)

// Effect is the mean objective for each value (or range of values) of one
// swept field.
type Effect struct {
	Field string `json:"field"`
	// Binned is true when Values are quantile bins of a continuous random
	// axis rather than the values themselves.
	Binned bool          `json:"binned,omitempty"`
	Values []EffectValue `json:"values"`
}

// EffectValue is one value's (or one bin's) mean objective over the
// trials that had it. A bin's Value reads "LO–HI"; Lo and Hi are its
// smallest and largest values ("LO" alone when they are equal).
type EffectValue struct {
	Value string   `json:"value"`
	Lo    *float64 `json:"lo,omitempty"`
	Hi    *float64 `json:"hi,omitempty"`
	Mean  float64  `json:"mean"`
	N     int      `json:"n"`
}

// maxEffectBins is the most quantile bins a continuous axis is cut into;
// each bin holds at least minPerBin trials when there are enough.
const (
	maxEffectBins = 5
	minPerBin     = 3
)

// Effects groups trials by each field's value and averages the objective,
// so users see which knob matters. Grid axes, choices and seeds keep one
// entry per value, in first-seen order. A continuous random axis
// (uniform, log or int) with more distinct values than maxEffectBins is cut
// into up to maxEffectBins quantile bins of near-equal counts, in
// increasing order: random search draws every value once, and a mean over
// one trial says nothing. Trials whose objective is NaN are left out.
func Effects(s Spec, fields []string, specs []trainer.Spec, objectives []float64) []Effect {
	dists := map[string]Dist{}
	for _, d := range s.Random {
		dists[d.Field] = d
	}
	var out []Effect
	for _, f := range fields {
		if d, ok := dists[f]; ok && d.Kind != "choice" {
			if e, ok := binnedEffect(f, specs, objectives); ok {
				out = append(out, e)
				continue
			}
		}
		out = append(out, valueEffect(f, specs, objectives))
	}
	return out
}

func valueEffect(f string, specs []trainer.Spec, objectives []float64) Effect {
	e := Effect{Field: f}
	idx := map[string]int{}
	for i, s := range specs {
		if math.IsNaN(objectives[i]) {
			continue
		}
		v := ParamValue(s, f)
		j, ok := idx[v]
		if !ok {
			j = len(e.Values)
			idx[v] = j
			e.Values = append(e.Values, EffectValue{Value: v})
		}
		e.Values[j].Mean += objectives[i]
		e.Values[j].N++
	}
	for j := range e.Values {
		e.Values[j].Mean /= float64(e.Values[j].N)
	}
	// Numbers in their order (the trials' order read "0.01 0.001 0.1").
	nums := make(map[string]float64, len(e.Values))
	for _, v := range e.Values {
		x, err := strconv.ParseFloat(v.Value, 64)
		if err != nil {
			return e
		}
		nums[v.Value] = x
	}
	sort.SliceStable(e.Values, func(a, b int) bool { return nums[e.Values[a].Value] < nums[e.Values[b].Value] })
	return e
}

// binnedEffect cuts field f's numeric values into quantile bins. It
// reports false when the values are few enough to show one by one.
func binnedEffect(f string, specs []trainer.Spec, objectives []float64) (Effect, bool) {
	type point struct{ x, y float64 }
	var pts []point
	distinct := map[float64]bool{}
	for i, s := range specs {
		if math.IsNaN(objectives[i]) {
			continue
		}
		x, err := strconv.ParseFloat(ParamValue(s, f), 64)
		if err != nil || math.IsNaN(x) {
			return Effect{}, false
		}
		pts = append(pts, point{x, objectives[i]})
		distinct[x] = true
	}
	if len(distinct) <= maxEffectBins {
		return Effect{}, false
	}
	sort.SliceStable(pts, func(a, b int) bool { return pts[a].x < pts[b].x })
	bins := min(maxEffectBins, max(2, len(pts)/minPerBin))
	e := Effect{Field: f, Binned: true}
	for b := 0; b < bins; b++ {
		lo, hi := b*len(pts)/bins, (b+1)*len(pts)/bins
		// Equal values stay in one bin: move the cut past a tie.
		for lo > 0 && lo < len(pts) && pts[lo].x == pts[lo-1].x {
			lo++
		}
		for hi < len(pts) && hi > 0 && pts[hi].x == pts[hi-1].x {
			hi++
		}
		if lo >= hi {
			continue
		}
		v := EffectValue{N: hi - lo}
		for _, p := range pts[lo:hi] {
			v.Mean += p.y
		}
		v.Mean /= float64(v.N)
		a, z := pts[lo].x, pts[hi-1].x
		v.Lo, v.Hi = &a, &z
		v.Value = binLabel(a, z)
		e.Values = append(e.Values, v)
	}
	return e, true
}

// binLabel names a bin by its smallest and largest values, to three
// significant digits: sampled values such as 0.00108209 carry no meaning
// past that.
func binLabel(lo, hi float64) string {
	a, z := strconv.FormatFloat(lo, 'g', 3, 64), strconv.FormatFloat(hi, 'g', 3, 64)
	if a == z {
		return a
	}
	return a + "–" + z
}
