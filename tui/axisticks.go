package tui

import (
	"math"
	"strconv"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"
)

// xTick is one label under an epoch axis: its text and the graph column
// (0 is the first column right of the y axis) it starts at.
type xTick struct {
	col   int
	label string
}

// epochTicks picks the labels of an epoch axis drawn over cells columns
// for x from lo to hi: round values (multiples of 1, 2 or 5 × 10ⁿ, at
// least 1 apart, as epochs are whole) at an even step, each at its
// value's column, with at least one blank column between two labels, and
// only those within the data's own span [dataLo, dataHi] (a single
// epoch's chart spans one more epoch that does not exist). ntcharts'
// labels sit at every 4th column and skip a column whose left neighbour is
// taken, so once epochs reach 4 digits they fell at uneven gaps
// ("934 1000    1133") and read as values that were not round.
func epochTicks(lo, hi, dataLo, dataHi float64, cells int) []xTick {
	if cells < 1 || !finite(lo) || !finite(hi) || !finite(dataLo) || !finite(dataHi) {
		return nil
	}
	dataLo, dataHi = math.Max(dataLo, lo), math.Min(dataHi, hi)
	if hi <= lo || dataHi < dataLo {
		return nil
	}
	col := func(v float64) int {
		return int(math.Round((v - lo) / (hi - lo) * float64(cells-1)))
	}
	for i := 0; ; i++ {
		step := niceStep(i)
		if !finite(step) {
			return nil
		}
		first, last := math.Ceil(dataLo/step), math.Floor(dataHi/step)
		if last < first { // only at step 1: no whole epoch in the span
			return nil
		}
		n := last - first + 1
		width := max(len(tickLabel(first*step, step)), len(tickLabel(last*step, step)))
		// The columns between two ticks, less one for rounding either
		// way, leave a blank after the widest label.
		if gap := step / (hi - lo) * float64(cells-1); gap-1 < float64(width+1) && n > 1 {
			continue
		}
		var ticks []xTick
		for k := first; k <= last && len(ticks) <= cells; k++ {
			v := k * step
			ticks = append(ticks, xTick{col: col(v), label: tickLabel(v, step)})
		}
		if ticks = fitTicks(ticks, cells); len(ticks) == 0 {
			// Too narrow for a round value: the first epoch, if it fits.
			v := math.Ceil(dataLo)
			ticks = fitTicks([]xTick{{col: col(v), label: tickLabel(v, 1)}}, cells)
		}
		return ticks
	}
}

// niceStep returns the i-th step of 1, 2, 5, 10, 20, 50, ….
func niceStep(i int) float64 { return [...]float64{1, 2, 5}[i%3] * math.Pow10(i/3) }

// tickLabel writes tick value v of an axis stepping by step: whole numbers
// in full up to 9 digits (100,000,000 epochs is the most a spec takes),
// beyond that in as many significant digits as tell v from its neighbours.
func tickLabel(v, step float64) string {
	if math.Abs(v) < 1e9 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	digits := int(math.Ceil(math.Log10(math.Abs(v)/step))) + 1
	return strconv.FormatFloat(v, 'g', min(max(digits, 1), 17), 64)
}

// fitTicks drops labels that would run past the last column.
func fitTicks(ticks []xTick, cells int) []xTick {
	out := ticks[:0]
	for _, t := range ticks {
		if t.col >= 0 && t.col+len(t.label) <= cells {
			out = append(out, t)
		}
	}
	return out
}

// drawEpochTicks writes ticks on lc's label row, under the graph.
func drawEpochTicks(lc *linechart.Model, ticks []xTick, st lipgloss.Style) {
	o := lc.Origin()
	for _, t := range ticks {
		lc.Canvas.SetStringWithStyle(canvas.Point{X: o.X + 1 + t.col, Y: o.Y + 1}, t.label, st)
	}
}
