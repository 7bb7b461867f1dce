package sweeps

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"workbench/trainer"
)

// The importance methods.
const (
	// ImportanceGrid is the exact functional ANOVA of a complete grid.
	ImportanceGrid = "fanova-grid"
	// ImportanceSubgrid is the exact functional ANOVA of the complete
	// sub-grid the finished trials cover, when a grid sweep stopped (or
	// lost trials) before every value of some field had one: a full
	// factorial of fewer values, which says nothing of the others.
	ImportanceSubgrid = "fanova-subgrid"
	// ImportanceForest is functional ANOVA on a random forest fitted to
	// the trials.
	ImportanceForest = "fanova-forest"
)

// importanceMinTrials and importancePerParam set when a forest's
// importances are trusted: at least max(10, 5·parameters) finished
// trials. Below that a forest fits a few points and its shares swing
// from one trial to the next.
const (
	importanceMinTrials = 10
	importancePerParam  = 5
)

// Importance is how much of the objective's variance each swept field
// explains. It is plain data.
type Importance struct {
	// Method is ImportanceGrid, ImportanceSubgrid or ImportanceForest (""
	// with no trials).
	Method string `json:"method"`
	// Trials is the number of finished trials with an objective.
	Trials int `json:"trials"`
	// GridPoints is the size of a grid sweep's grid (seeds included), 0
	// for a sweep with random axes; Points is how many of its points have
	// a finished trial with an objective. Fewer points than the grid's
	// make the decomposition a sub-grid's or an estimate.
	GridPoints int `json:"grid_points,omitempty"`
	Points     int `json:"points,omitempty"`
	// Trusted is false when there are too few trials; Note says why.
	Trusted bool   `json:"trusted"`
	Note    string `json:"note,omitempty"`
	// Params are sorted by share, largest first. The shares are main
	// effects: what is left of 1 is in interactions between fields.
	Params []ParamImportance `json:"params"`
}

// How says how the shares were computed, for a heading: exact on the
// complete grid, exact on a sub-grid of some of its points, or estimated by
// a forest ("" with no method).
func (imp Importance) How() string {
	switch imp.Method {
	case ImportanceGrid:
		return "exact fANOVA of the complete grid"
	case ImportanceSubgrid:
		return fmt.Sprintf("exact fANOVA of a sub-grid, %d of the grid's %d points", imp.Points, imp.GridPoints)
	case ImportanceForest:
		if imp.GridPoints > 0 {
			return fmt.Sprintf("estimated by fANOVA on a random forest, %d of the grid's %d points", imp.Points, imp.GridPoints)
		}
		return "fANOVA on a random forest"
	}
	return ""
}

// ParamImportance is one field's share of the objective's variance, 0…1.
type ParamImportance struct {
	Field string  `json:"field"`
	Share float64 `json:"share"`
}

// MinTrustedTrials is how many finished trials a forest's importances
// need to be trusted with d swept fields.
func MinTrustedTrials(d int) int { return max(importanceMinTrials, importancePerParam*d) }

// axis encodes one field's values as numbers for the forest.
type axis struct {
	field  string
	dist   *Dist          // a random axis; nil for grid and seed axes
	cats   map[string]int // categorical: value → index
	lo, hi float64
}

func (a *axis) encode(v string) (float64, bool) {
	if a.dist != nil {
		x, ok := encode(*a.dist, v)
		if ok && a.dist.Kind == "int" {
			x = math.Round(x)
		}
		return x, ok
	}
	i, ok := a.cats[v]
	return float64(i), ok
}

// buildAxes describes the fields; grid and seed values are categories in
// numeric order when they are all numbers.
func buildAxes(s Spec, fields []string, values [][]string) []*axis {
	var out []*axis
	for j, f := range fields {
		a := &axis{field: f}
		for i := range s.Random {
			if s.Random[i].Field == f {
				a.dist = &s.Random[i]
			}
		}
		if a.dist != nil && a.dist.Kind != "choice" {
			dim := dimOf(*a.dist)
			a.lo, a.hi = dim.low-dim.step/2, dim.high+dim.step/2
			if !(a.hi > a.lo) {
				a.hi = a.lo + 1
			}
			out = append(out, a)
			continue
		}
		if a.dist != nil {
			a.cats = map[string]int{}
			for k, it := range a.dist.Items {
				a.cats[it] = k
			}
			a.lo, a.hi = -0.5, float64(len(a.dist.Items))-0.5
			out = append(out, a)
			continue
		}
		seen := map[string]bool{}
		var vals []string
		for _, row := range values {
			if !seen[row[j]] {
				seen[row[j]] = true
				vals = append(vals, row[j])
			}
		}
		sortValues(vals)
		a.cats = map[string]int{}
		for k, v := range vals {
			a.cats[v] = k
		}
		a.lo, a.hi = -0.5, float64(len(vals))-0.5
		out = append(out, a)
	}
	return out
}

// sortValues orders values numerically when they all are numbers.
func sortValues(vals []string) {
	for _, v := range vals {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return
		}
	}
	sort.SliceStable(vals, func(i, j int) bool {
		a, _ := strconv.ParseFloat(vals[i], 64)
		b, _ := strconv.ParseFloat(vals[j], 64)
		return a < b
	})
}

// Importances decomposes the variance of the objectives over the swept
// fields. Trials whose objective is NaN or infinite are left out. A
// complete grid (every combination has a trial) gets the exact
// decomposition; anything else a random forest's, seeded so that the
// same trials give the same shares.
func Importances(s Spec, specs []trainer.Spec, objectives []float64) Importance {
	fields := s.Fields()
	var rows [][]string
	var ys []float64
	for i, sp := range specs {
		y := objectives[i]
		if math.IsNaN(y) || math.IsInf(y, 0) || math.Abs(y) > 1e150 {
			continue
		}
		row := make([]string, len(fields))
		for j, f := range fields {
			row[j] = ParamValue(sp, f)
		}
		rows = append(rows, row)
		ys = append(ys, y)
	}
	imp := Importance{Trials: len(ys), Params: []ParamImportance{}}
	if len(fields) == 0 || len(ys) < 2 {
		imp.Note = "too few finished trials to estimate importance"
		return imp
	}
	axes := buildAxes(s, fields, rows)
	var shares []float64
	if len(s.Random) == 0 {
		imp.GridPoints, imp.Points = gridPoints(s), distinctRows(rows)
		shares = gridANOVA(axes, rows, ys)
	}
	if shares != nil {
		imp.Method, imp.Trusted = ImportanceGrid, true
		if imp.Points < imp.GridPoints {
			imp.Method = ImportanceSubgrid
			imp.Note = fmt.Sprintf("a sub-grid of %d of the grid's %d points (%s): exact on it, silent on the values left out",
				imp.Points, imp.GridPoints, missingValues(s, axes))
		}
	} else {
		imp.Method = ImportanceForest
		var x [][]float64
		var fy []float64
		for i, row := range rows {
			xr := make([]float64, len(axes))
			ok := true
			for j, a := range axes {
				if xr[j], ok = a.encode(row[j]); !ok {
					break
				}
			}
			if ok {
				x, fy = append(x, xr), append(fy, ys[i])
			}
		}
		imp.Trials = len(fy)
		if len(fy) < 2 {
			imp.Note = "too few finished trials to estimate importance"
			return imp
		}
		lo, hi := make([]float64, len(axes)), make([]float64, len(axes))
		for j, a := range axes {
			lo[j], hi[j] = a.lo, a.hi
		}
		shares = fitForest(x, fy, s.Seed).mainEffects(lo, hi)
		if need := MinTrustedTrials(len(axes)); len(fy) < need {
			imp.Note = "too few trials to trust: " + strconv.Itoa(len(fy)) + " of the " + strconv.Itoa(need) + " needed"
		} else {
			imp.Trusted = true
		}
		if imp.GridPoints > 0 {
			// A grid with holes is no full factorial: the forest fills
			// them in, so the shares are an estimate.
			est := fmt.Sprintf("an estimate: %d of the grid's %d points have a finished trial", imp.Points, imp.GridPoints)
			if imp.Note != "" {
				est += "; " + imp.Note
			}
			imp.Note = est
		}
	}
	if constant(ys) {
		imp.Note = strings.TrimSuffix("the objective did not vary; "+imp.Note, "; ")
	}
	for j, a := range axes {
		imp.Params = append(imp.Params, ParamImportance{Field: a.field, Share: shares[j]})
	}
	sort.SliceStable(imp.Params, func(i, j int) bool { return imp.Params[i].Share > imp.Params[j].Share })
	return imp
}

// gridPoints is the number of points in s's grid, seeds included.
func gridPoints(s Spec) int {
	n := 1
	for _, p := range s.Grid {
		n *= max(len(gridValues(s, p)), 1)
	}
	if s.Seeds > 1 {
		n *= s.Seeds
	}
	return n
}

// missingValues names the grid's fields whose values the finished trials
// do not all cover, as "lr 2 of 3 values".
func missingValues(s Spec, axes []*axis) string {
	want := map[string]int{}
	for _, p := range s.Grid {
		want[p.Field] = len(gridValues(s, p))
	}
	if s.Seeds > 1 {
		want["seed"] = s.Seeds
	}
	var parts []string
	for _, a := range axes {
		if n := want[a.field]; len(a.cats) < n {
			parts = append(parts, fmt.Sprintf("%s %d of %d values", a.field, len(a.cats), n))
		}
	}
	return strings.Join(parts, ", ")
}

// gridValues are a grid axis's distinct values as a trial's spec reads
// them back (0.10 and 0.1 are one value).
func gridValues(s Spec, p Param) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range p.Values {
		if sp, err := apply(s.Base, map[string]string{p.Field: v}); err == nil {
			v = ParamValue(sp, p.Field)
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// distinctRows counts the different points among rows.
func distinctRows(rows [][]string) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[strings.Join(r, "\x00")] = true
	}
	return len(seen)
}

func constant(ys []float64) bool {
	for _, y := range ys {
		if y != ys[0] {
			return false
		}
	}
	return true
}

// gridANOVA is the exact decomposition of a full factorial: each field's
// main effect is the variance of the mean objective per value (repeats of
// a point are averaged first). It returns nil unless every combination of
// the observed values has a trial.
func gridANOVA(axes []*axis, rows [][]string, ys []float64) []float64 {
	cells := 1
	for _, a := range axes {
		cells *= len(a.cats)
		if cells > 1<<20 {
			return nil
		}
	}
	sum := make([]float64, cells)
	cnt := make([]int, cells)
	for i, row := range rows {
		k := 0
		for j, a := range axes {
			k = k*len(a.cats) + a.cats[row[j]]
		}
		sum[k] += ys[i]
		cnt[k]++
	}
	cell := make([]float64, cells)
	var grand float64
	for k := range cell {
		if cnt[k] == 0 {
			return nil
		}
		cell[k] = sum[k] / float64(cnt[k])
		grand += cell[k]
	}
	grand /= float64(cells)
	var total float64
	for _, v := range cell {
		total += (v - grand) * (v - grand)
	}
	total /= float64(cells)
	shares := make([]float64, len(axes))
	if total == 0 {
		return shares
	}
	stride := cells
	for j, a := range axes {
		n := len(a.cats)
		stride /= n
		means := make([]float64, n)
		for k, v := range cell {
			means[(k/stride)%n] += v
		}
		var vj float64
		for _, m := range means {
			m /= float64(cells / n)
			vj += (m - grand) * (m - grand)
		}
		shares[j] = vj / float64(n) / total
	}
	return shares
}
