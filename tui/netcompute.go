package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/trainer"
)

// maxShownUnits bounds the units drawn per layer: past it, and past what
// fits on screen, a layer shows its units of largest weight norm.
const maxShownUnits = 64

// netSampleRows is the number of validation rows behind each histogram.
const netSampleRows = 256

// netData is everything the network view draws of one snapshot, computed
// off the UI path. It is immutable once built.
type netData struct {
	id      string
	cols    []netColumn
	maps    bool // unit maps over the input plane; else histograms
	mw, mh  int  // a map's size in cells (2·mh pixel rows)
	summary string
}

// netColumn is one column of the view: the inputs, a hidden layer or the
// output layer.
type netColumn struct {
	name       string // "inputs", "layer 1", "output"
	activation string
	units      []netUnit // the shown units, in their layer's order
	total      int       // units in the layer
	// w[i*out+j] links unit i of the previous column to unit j of this
	// one (layer indices, not shown ones); nil for the inputs.
	w   []float64
	out int
	// labels names every unit of the layer, drawn or not.
	labels []string
}

// netUnit is one drawn unit.
type netUnit struct {
	index int     // within its layer
	label string  // x1, x1sq, h1.3, out …
	norm  float64 // incoming weights' norm (outgoing for an input)
	bias  float64
	// vals are the unit's map, mw × 2mh pixels row-major, each in [−1, 1]
	// on the boundary's colour scale; or its histogram, mw bins of counts
	// scaled to [0, 1] with signs in binSign.
	vals    []float64
	binSign []float64
	lo, hi  float64  // the histogram's range
	lines   []string // vals drawn: mh lines of mw cells
}

// netInput is what a network computation needs besides the weights.
type netInput struct {
	plane    *plane
	features []string
	classes  []string  // the output units' names, one per class (multiclass)
	sample   []float64 // up to netSampleRows validation rows (scaled)
	rows     int
}

// newNetInput prepares a run's data for the network view: its plane when
// 2-D, else a validation sample.
func newNetInput(data *datasets.Prepared, pl *plane) *netInput {
	in := &netInput{plane: pl}
	if data == nil {
		return in
	}
	in.features = data.Meta.FeatureNames
	in.classes = data.Meta.ClassNames
	if pl != nil {
		in.features = append([]string{"x1", "x2"}, pl.crosses...)
		return in
	}
	s := &data.Val
	if s.N == 0 {
		s = &data.Train
	}
	in.rows = min(s.N, netSampleRows)
	in.sample = s.X[:in.rows*s.D]
	return in
}

// computeNetwork builds the view of snap off the UI path: maps of mw×mh
// cells (or histograms of mw bins) for at most perCol units per column.
func computeNetwork(id string, in *netInput, snap *trainer.Snapshot, mw, mh, perCol int) tea.Cmd {
	if snap == nil || in == nil {
		return nil
	}
	return func() tea.Msg { return networkMsg{id: id, net: buildNetwork(id, in, snap, mw, mh, perCol)} }
}

// buildNetwork is computeNetwork's work. It never panics on odd weights:
// non-finite values draw as blank.
func buildNetwork(id string, in *netInput, snap *trainer.Snapshot, mw, mh, perCol int) *netData {
	mw, mh, perCol = max(mw, 1), max(mh, 1), max(min(perCol, maxShownUnits), 1)
	n := &netData{id: id, mw: mw, mh: mh, maps: in.plane != nil}
	var x []float64
	rows := 0
	if n.maps {
		x, rows = gridInputs(in.plane, mw, 2*mh)
	} else {
		x, rows = in.sample, in.rows
	}
	if len(snap.Layers) == 0 || snap.Inputs < 1 || len(x) < rows*snap.Inputs {
		return n
	}
	acts := snap.Activations(x, rows)

	// The inputs column: each feature over the plane or the sample.
	first := snap.Layers[0]
	inCol := netColumn{name: "inputs", total: snap.Inputs}
	for i := 0; i < snap.Inputs; i++ {
		u := netUnit{index: i, label: fmt.Sprintf("x%d", i+1)}
		if i < len(in.features) {
			u.label = in.features[i]
		}
		u.norm = rowNorm(first.W, i, first.Out)
		inCol.units = append(inCol.units, u)
		inCol.labels = append(inCol.labels, u.label)
	}
	n.cols = append(n.cols, inCol)
	for li, l := range snap.Layers {
		c := netColumn{name: fmt.Sprintf("layer %d", li+1), activation: l.Activation, total: l.Out, w: l.W, out: l.Out}
		if li == len(snap.Layers)-1 {
			c.name = "output"
		}
		for j := 0; j < l.Out; j++ {
			u := netUnit{index: j, label: fmt.Sprintf("h%d.%d", li+1, j+1), norm: colNorm(l.W, j, l.In, l.Out)}
			if c.name == "output" {
				u.label = fmt.Sprintf("out%d", j+1)
				switch {
				case l.Out == 1:
					u.label = "out"
				case l.Out == len(in.classes) && in.classes[j] != "":
					u.label = in.classes[j] // "T-shirt/top", not out1
				}
			}
			c.labels = append(c.labels, u.label)
			if j < len(l.B) {
				u.bias = l.B[j]
			} else if j < len(l.Beta) {
				u.bias = l.Beta[j]
			}
			c.units = append(c.units, u)
		}
		n.cols = append(n.cols, c)
	}
	var cut []int
	for ci := range n.cols {
		c := &n.cols[ci]
		if len(c.units) > perCol {
			c.units = topUnits(c.units, perCol)
			cut = append(cut, ci)
		}
		for ui := range c.units {
			u := &c.units[ui]
			var vals []float64
			var stride int
			if ci == 0 {
				vals, stride = x, snap.Inputs
			} else {
				vals, stride = acts[ci-1], c.total
			}
			if n.maps {
				u.vals = unitMap(vals, stride, u.index, rows, ci == len(n.cols)-1, snap.Task)
				u.lines = renderMap(u.vals, mw, mh)
			} else {
				u.vals, u.binSign, u.lo, u.hi = unitHistogram(vals, stride, u.index, rows, mw)
				u.lines = renderHistogram(u.vals, u.binSign, mw, mh)
			}
		}
	}
	n.summary = cutSummary(n.cols, cut, perCol)
	return n
}

// cutSummary says which columns show only their top perCol units, in
// one short line: "showing the top 64 units of layers 1, 2 by weight
// norm". The column headers give each column's total. It is "" when no
// column is cut.
func cutSummary(cols []netColumn, cut []int, perCol int) string {
	if len(cut) == 0 {
		return ""
	}
	var layers, parts []string
	for _, ci := range cut {
		switch {
		case ci == 0:
			parts = append(parts, "the inputs")
		case ci == len(cols)-1:
		default:
			layers = append(layers, fmt.Sprint(ci))
		}
	}
	switch len(layers) {
	case 0:
	case 1:
		parts = append(parts, "layer "+layers[0])
	default:
		parts = append(parts, "layers "+strings.Join(layers, ", "))
	}
	if last := len(cols) - 1; cut[len(cut)-1] == last && last > 0 {
		parts = append(parts, "the output")
	}
	return fmt.Sprintf("showing the top %d units of %s by weight norm", perCol, strings.Join(parts, ", "))
}

// gridInputs returns the scaled model inputs at the centres of a w×h
// pixel grid over the plane, row by row from the top.
func gridInputs(pl *plane, w, h int) ([]float64, int) {
	x := make([]float64, 0, w*h*(2+len(pl.crosses)))
	for r := 0; r < h; r++ {
		yv := pl.y1 - (float64(r)+0.5)/float64(h)*(pl.y1-pl.y0)
		for c := 0; c < w; c++ {
			xv := pl.x0 + (float64(c)+0.5)/float64(w)*(pl.x1-pl.x0)
			x = datasets.CrossRow(x, xv, yv, pl.crosses)
		}
	}
	pl.scaler.Transform(x, x)
	return x, w * h
}

// unitMap maps column j of vals (rows × stride) onto [−1, 1]: hidden units
// and inputs by their largest magnitude, so 0 stays white and the sign
// picks the colour; the output as the boundary does (a probability's
// distance from ½, or a regression value within its range).
func unitMap(vals []float64, stride, j, rows int, output bool, task datasets.Task) []float64 {
	out := make([]float64, rows)
	for r := range out {
		out[r] = vals[r*stride+j]
	}
	if output && task == datasets.Binary {
		for r, v := range out {
			out[r] = 2*sigmoidOf(v) - 1
		}
		return out
	}
	if output && task == datasets.Regression {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range out {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		for r, v := range out {
			if hi > lo && finite(hi-lo) {
				out[r] = 2*(v-lo)/(hi-lo) - 1
			} else {
				out[r] = 0
			}
		}
		return out
	}
	m := 0.0
	for _, v := range out {
		if finite(v) {
			m = math.Max(m, math.Abs(v))
		}
	}
	for r, v := range out {
		if m > 0 && finite(m) {
			out[r] = v / m
		} else if m == 0 {
			out[r] = 0
		}
	}
	return out
}

func sigmoidOf(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// unitHistogram counts column j of vals in bins equal bins between its
// finite minimum and maximum. Counts are scaled so the tallest is 1; sign
// is each bin centre's sign (−1, 0 or 1) relative to the range's
// magnitude, for colour.
func unitHistogram(vals []float64, stride, j, rows, bins int) (counts, sign []float64, lo, hi float64) {
	counts, sign = make([]float64, bins), make([]float64, bins)
	lo, hi = math.Inf(1), math.Inf(-1)
	for r := 0; r < rows; r++ {
		if v := vals[r*stride+j]; finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return counts, sign, 0, 0
	}
	span := hi - lo
	if !finite(span) {
		return counts, sign, lo, hi
	}
	for r := 0; r < rows; r++ {
		v := vals[r*stride+j]
		if !finite(v) {
			continue
		}
		b := bins / 2
		if span > 0 {
			b = min(int((v-lo)/span*float64(bins)), bins-1)
		}
		counts[b]++
	}
	top := 0.0
	for _, c := range counts {
		top = math.Max(top, c)
	}
	mag := math.Max(math.Abs(lo), math.Abs(hi))
	for b := range counts {
		counts[b] /= math.Max(top, 1)
		centre := lo + (float64(b)+0.5)/float64(bins)*span
		if mag > 0 {
			sign[b] = math.Max(-1, math.Min(1, centre/mag))
		}
	}
	return counts, sign, lo, hi
}

// topUnits keeps the k units of largest norm, in their layer's order.
func topUnits(us []netUnit, k int) []netUnit {
	idx := make([]int, len(us))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) float64 {
		if v := us[i].norm; finite(v) {
			return v
		}
		return -1
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) > key(idx[b]) })
	idx = idx[:k]
	sort.Ints(idx)
	out := make([]netUnit, k)
	for i, j := range idx {
		out[i] = us[j]
	}
	return out
}

// rowNorm is the norm of row i of an in×out matrix; colNorm of column j.
func rowNorm(w []float64, i, out int) float64 {
	if (i+1)*out > len(w) {
		return 0
	}
	return hypotAll(w[i*out : (i+1)*out])
}

func colNorm(w []float64, j, in, out int) float64 {
	s := 0.0
	for i := 0; i < in && i*out+j < len(w); i++ {
		s = math.Hypot(s, w[i*out+j])
	}
	return s
}

func hypotAll(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s = math.Hypot(s, x)
	}
	return s
}
