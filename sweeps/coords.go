package sweeps

import (
	"math"
	"sort"
	"strconv"

	"workbench/numfmt"
)

// CoordAxis is one vertical axis of a parallel-coordinates figure:
// numeric (optionally log-scaled) or categorical.
type CoordAxis struct {
	Name   string
	Labels []string // categorical: the categories, bottom to top
	Log    bool
	Lo, Hi float64 // numeric range, in log10 units when Log
	// Objective marks the objective axis (values printed as metrics).
	Objective bool
}

// Norm places v on axis a in 0…1, or NaN when it has no place.
func (a CoordAxis) Norm(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN()
	}
	if a.Labels != nil {
		if len(a.Labels) <= 1 {
			return 0.5
		}
		return v / float64(len(a.Labels)-1)
	}
	if a.Log {
		if v <= 0 {
			return math.NaN()
		}
		v = math.Log10(v)
	}
	span := a.Hi - a.Lo
	if !(span > 0) || math.IsInf(span, 0) {
		return 0.5
	}
	return math.Min(math.Max((v-a.Lo)/span, 0), 1)
}

// Label prints axis a's value at position p (0…1).
func (a CoordAxis) Label(p float64) string {
	if a.Labels != nil {
		if len(a.Labels) == 0 {
			return ""
		}
		return a.Labels[int(math.Round(p*float64(len(a.Labels)-1)))]
	}
	// Weighted rather than lo+p·(hi−lo), which overflows on ±MaxFloat64.
	v := a.Lo*(1-p) + a.Hi*p
	if a.Log {
		v = math.Pow(10, v)
	}
	if a.Objective {
		return numfmt.Value(v)
	}
	return numfmt.Short(v)
}

// Coordinates returns the axes of a parallel-coordinates figure (one per
// field, then the objective) and each trial's value on them, in the
// report's trial order: a number, or a category index on categorical
// axes; NaN where a trial has no value.
func (rep *Report) Coordinates() ([]CoordAxis, [][]float64) {
	var axes []CoordAxis
	dists := map[string]Dist{}
	for _, d := range rep.Spec.Random {
		dists[d.Field] = d
	}
	for _, f := range rep.Fields {
		a := CoordAxis{Name: f}
		var vals []string
		seen := map[string]bool{}
		numeric := true
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, t := range rep.Trials {
			v := t.Params[f]
			if !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				numeric = false
				continue
			}
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		d, isDist := dists[f]
		switch {
		case isDist && d.Kind == "choice":
			a.Labels = append([]string{}, d.Items...)
		case isDist:
			a.Lo, a.Hi = d.Min, d.Max
			if d.Kind == "log" {
				a.Log, a.Lo, a.Hi = true, math.Log10(d.Min), math.Log10(d.Max)
			}
		case numeric && len(vals) > 0:
			a.Lo, a.Hi = lo, hi
			if lo > 0 && hi/lo >= 100 {
				a.Log, a.Lo, a.Hi = true, math.Log10(lo), math.Log10(hi)
			}
		default:
			sortValues(vals)
			gridOrder(vals, rep.Spec.Grid, f)
			a.Labels = vals
		}
		axes = append(axes, a)
	}
	obj := CoordAxis{Name: rep.Sweep.Objective, Objective: true}
	obj.Lo, obj.Hi = math.Inf(1), math.Inf(-1)
	for _, t := range rep.Trials {
		if t.HasObj && !math.IsNaN(t.Objective) && !math.IsInf(t.Objective, 0) {
			obj.Lo, obj.Hi = math.Min(obj.Lo, t.Objective), math.Max(obj.Hi, t.Objective)
		}
	}
	if math.IsInf(obj.Lo, 0) {
		obj.Lo, obj.Hi = 0, 1
	}
	axes = append(axes, obj)
	rows := make([][]float64, len(rep.Trials))
	for j, t := range rep.Trials {
		row := make([]float64, len(axes))
		for i, f := range rep.Fields {
			row[i] = axisValue(axes[i], t.Params[f])
		}
		row[len(axes)-1] = math.NaN()
		if t.HasObj {
			row[len(axes)-1] = t.Objective
		}
		rows[j] = row
	}
	return axes, rows
}

// axisValue reads a trial's text value on axis a (NaN when it has none).
func axisValue(a CoordAxis, v string) float64 {
	if a.Labels != nil {
		for i, l := range a.Labels {
			if l == v {
				return float64(i)
			}
		}
		return math.NaN()
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// gridOrder puts a categorical grid axis's values in the grid's order: in
// the ranked trials' order of first appearance, layers=8;16,16;32 read
// 16,16 at the bottom and 8 in the middle. Values the grid does not name
// as written keep their order after the ones it does.
func gridOrder(vals []string, grid []Param, field string) {
	for _, p := range grid {
		if p.Field != field {
			continue
		}
		at := func(v string) int {
			for i, g := range p.Values {
				if g == v {
					return i
				}
			}
			return len(p.Values)
		}
		sort.SliceStable(vals, func(i, j int) bool { return at(vals[i]) < at(vals[j]) })
		return
	}
}
