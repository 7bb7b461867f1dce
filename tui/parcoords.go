package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/numfmt"
	"workbench/sweeps"
)

// parTrial is one polyline: a value per axis (a category index on
// categorical axes; NaN when missing) and its objective.
type parTrial struct {
	id   string
	vals []float64
	obj  float64
}

// brush is a selected range of one axis, in 0 (bottom) … 1 (top).
type brush struct {
	on     bool
	lo, hi float64
}

// brushStep is how far one key press moves or widens a brush.
const brushStep = 0.05

// parcoordsModel draws trials as polylines across one axis per swept
// field plus the objective, in braille, coloured by objective, the best
// highlighted; the keyboard brushes a range of the selected axis and the
// trials outside every brush are dimmed. It is not safe for concurrent
// use (Bubble Tea models never are).
type parcoordsModel struct {
	axes    []sweeps.CoordAxis
	trials  []parTrial
	lower   bool
	cursor  int
	brushes []brush
	keys    ParcoordsKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newParcoords(st *Styles) parcoordsModel {
	return parcoordsModel{keys: DefaultParcoordsKeys(), styles: st}
}

func (m *parcoordsModel) SetSize(w, h int) { m.w, m.h = w, h }
func (m *parcoordsModel) Focus()           { m.focused = true }
func (m *parcoordsModel) Blur()            { m.focused = false }
func (m parcoordsModel) Focused() bool     { return m.focused }

// setData replaces the axes and trials, keeping brushes of axes that keep
// their name (so a live sweep's reloads do not lose the user's brush).
func (m *parcoordsModel) setData(axes []sweeps.CoordAxis, trials []parTrial, lower bool) {
	old := map[string]brush{}
	for i, a := range m.axes {
		if i < len(m.brushes) {
			old[a.Name] = m.brushes[i]
		}
	}
	m.axes, m.trials, m.lower = axes, trials, lower
	m.brushes = make([]brush, len(axes))
	for i, a := range axes {
		m.brushes[i] = old[a.Name]
	}
	m.cursor = min(m.cursor, max(len(axes)-1, 0))
}

// inBrush reports whether a trial lies inside every active brush.
func (m parcoordsModel) inBrush(t parTrial) bool {
	for i, b := range m.brushes {
		if !b.on {
			continue
		}
		p := m.axes[i].Norm(t.vals[i])
		if math.IsNaN(p) || p < b.lo-1e-9 || p > b.hi+1e-9 {
			return false
		}
	}
	return true
}

// Brushed returns the IDs of the trials inside every brush.
func (m parcoordsModel) Brushed() []string {
	var ids []string
	for _, t := range m.trials {
		if m.inBrush(t) {
			ids = append(ids, t.id)
		}
	}
	return ids
}

func (m parcoordsModel) Update(msg tea.Msg) (parcoordsModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !m.focused || len(m.axes) == 0 {
		return m, nil
	}
	b := &m.brushes[m.cursor]
	start := func() {
		if !b.on {
			*b = brush{on: true, lo: 0.5, hi: 1}
		}
	}
	switch {
	case key.Matches(k, m.keys.Left):
		m.cursor = (m.cursor + len(m.axes) - 1) % len(m.axes)
	case key.Matches(k, m.keys.Right):
		m.cursor = (m.cursor + 1) % len(m.axes)
	case key.Matches(k, m.keys.Up):
		start()
		d := math.Min(brushStep, 1-b.hi)
		b.lo, b.hi = b.lo+d, b.hi+d
	case key.Matches(k, m.keys.Down):
		start()
		d := math.Min(brushStep, b.lo)
		b.lo, b.hi = b.lo-d, b.hi-d
	case key.Matches(k, m.keys.Widen):
		start()
		b.lo, b.hi = math.Max(b.lo-brushStep, 0), math.Min(b.hi+brushStep, 1)
	case key.Matches(k, m.keys.Narrow):
		start()
		if b.hi-b.lo > 2*brushStep {
			b.lo, b.hi = b.lo+brushStep, b.hi-brushStep
		}
	case key.Matches(k, m.keys.Clear):
		*b = brush{}
	case key.Matches(k, m.keys.ClearAll):
		for i := range m.brushes {
			m.brushes[i] = brush{}
		}
	}
	return m, nil
}

// Cell styles of the canvas.
const (
	pcBest = iota - 2 // the best trial, over everything
	pcNone

	pcDim
	pcAxis
	pcBrush
	pcScale // pcScale … pcScale+len(ObjScale)-1: worst … best
)

// braille dot bits by [row][column] inside a cell.
var brailleBits = [4][2]uint8{{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}

// dotGrid is a braille grid with one style per cell (the last drawn wins).
type dotGrid struct {
	w, h  int
	bits  []uint8
	style []int
}

func newDotGrid(w, h int) *dotGrid {
	c := &dotGrid{w: w, h: h, bits: make([]uint8, w*h), style: make([]int, w*h)}
	for i := range c.style {
		c.style[i] = pcNone
	}
	return c
}

func (c *dotGrid) dot(x, y, st int) {
	if x < 0 || y < 0 || x >= 2*c.w || y >= 4*c.h {
		return
	}
	i := (y/4)*c.w + x/2
	c.bits[i] |= brailleBits[y%4][x%2]
	c.style[i] = st
}

// line draws from (x0,y0) to (x1,y1) in dots (Bresenham).
func (c *dotGrid) line(x0, y0, x1, y1, st int) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for n := 0; n < 4*(c.w+c.h)+8; n++ {
		c.dot(x0, y0, st)
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// axisCols places n axes across w columns, leaving room for labels.
func axisCols(n, w int) []int {
	cols := make([]int, n)
	if n == 1 {
		cols[0] = w / 2
		return cols
	}
	pad := min(max(w/(2*n), 1), 8)
	for i := range cols {
		cols[i] = pad + i*(w-1-2*pad)/(n-1)
	}
	return cols
}

// objRank orders trial indices worst first, so better lines draw on top;
// trials without an objective come first.
func (m parcoordsModel) objRank() []int {
	idx := make([]int, len(m.trials))
	for i := range idx {
		idx[i] = i
	}
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := m.trials[idx[a]].obj, m.trials[idx[b]].obj
		if ok(x) != ok(y) {
			return !ok(x)
		}
		if m.lower {
			return x > y
		}
		return x < y
	})
	return idx
}

func (m parcoordsModel) View() string {
	st := m.styles
	if m.w < 20 || m.h < 8 {
		return st.Subtle.Render("too small for parallel coordinates")
	}
	if len(m.axes) == 0 || len(m.trials) == 0 {
		return st.Subtle.Render("no trials to draw yet")
	}
	rows := m.h - 4
	c := newDotGrid(m.w, rows)
	cols := axisCols(len(m.axes), m.w)
	ydot := func(p float64) int { return int(math.Round((1 - p) * float64(4*rows-1))) }
	for _, col := range cols {
		for y := 0; y < 4*rows; y++ {
			c.dot(2*col, y, pcAxis)
		}
	}
	order := m.objRank()
	nScale := len(st.ObjScale)
	// Lines outside the brush first (dimmed), then the rest worst to best.
	for pass := 0; pass < 2; pass++ {
		for r, ti := range order {
			t := m.trials[ti]
			in := m.inBrush(t)
			if (pass == 0) == in {
				continue
			}
			style := pcDim
			if in {
				style = pcScale + min(r*nScale/max(len(order), 1), nScale-1)
				if math.IsNaN(t.obj) || math.IsInf(t.obj, 0) {
					style = pcDim
				}
			}
			for a := 0; a+1 < len(m.axes); a++ {
				p, q := m.axes[a].Norm(t.vals[a]), m.axes[a+1].Norm(t.vals[a+1])
				if math.IsNaN(p) || math.IsNaN(q) {
					continue
				}
				c.line(2*cols[a], ydot(p), 2*cols[a+1], ydot(q), style)
			}
		}
	}
	// The brushed range of each axis stands out.
	for i, b := range m.brushes {
		if !b.on {
			continue
		}
		for y := ydot(b.hi); y <= ydot(b.lo); y++ {
			c.dot(2*cols[i], y, pcBrush)
		}
	}
	best := -1
	if n := len(order); n > 0 {
		if t := m.trials[order[n-1]]; !math.IsNaN(t.obj) && !math.IsInf(t.obj, 0) && m.inBrush(t) {
			best = order[n-1]
		}
	}
	var lines []string
	lines = append(lines, m.axisRow(cols, func(i int) string { return m.axes[i].Name }, true))
	lines = append(lines, m.axisRow(cols, func(i int) string { return m.axes[i].Label(1) }, false))
	if best >= 0 {
		// The best trial is drawn last, in its own style, over the others.
		t := m.trials[best]
		for a := 0; a+1 < len(m.axes); a++ {
			p, q := m.axes[a].Norm(t.vals[a]), m.axes[a+1].Norm(t.vals[a+1])
			if !math.IsNaN(p) && !math.IsNaN(q) {
				c.line(2*cols[a], ydot(p), 2*cols[a+1], ydot(q), pcBest)
			}
		}
	}
	for y := 0; y < rows; y++ {
		lines = append(lines, m.canvasRow(c, y))
	}
	lines = append(lines, m.axisRow(cols, func(i int) string { return m.axes[i].Label(0) }, false))
	lines = append(lines, truncateANSI(m.status(best), m.w))
	return strings.Join(lines, "\n")
}

// canvasRow renders one row, one style call per run of equal styles.
func (m parcoordsModel) canvasRow(c *dotGrid, y int) string {
	st := m.styles
	var b strings.Builder
	var run strings.Builder
	cur := pcBest - 1
	flush := func() {
		if run.Len() == 0 {
			return
		}
		s := run.String()
		switch {
		case cur == pcNone:
			b.WriteString(s)
		case cur == pcBest:
			b.WriteString(st.Focus.Render(s))
		case cur == pcDim:
			b.WriteString(st.Subtle.Render(s))
		case cur == pcAxis:
			b.WriteString(st.Axis.Render(s))
		case cur == pcBrush:
			b.WriteString(st.Accent.Render(s))
		default:
			b.WriteString(st.ObjScale[cur-pcScale].Render(s))
		}
		run.Reset()
	}
	for x := 0; x < c.w; x++ {
		i := y*c.w + x
		s := c.style[i]
		if c.bits[i] == 0 {
			s = pcNone
		}
		if s != cur {
			flush()
			cur = s
		}
		if c.bits[i] == 0 {
			run.WriteByte(' ')
		} else {
			run.WriteRune(rune(0x2800 + int(c.bits[i])))
		}
	}
	flush()
	return b.String()
}

// axisRow centres a text on each axis, clipped to the room between axes.
func (m parcoordsModel) axisRow(cols []int, text func(i int) string, names bool) string {
	row := []rune(strings.Repeat(" ", m.w))
	room := m.w
	if len(cols) > 1 {
		room = max(cols[1]-cols[0]-1, 1)
	}
	type span struct{ from, to, axis int }
	var spans []span
	for i, col := range cols {
		s := []rune(text(i))
		if names && i == m.cursor && m.focused {
			s = append([]rune("▸"), s...)
		}
		if len(s) > room {
			s = append(s[:max(room-1, 0)], '…')
		}
		from := min(max(col-len(s)/2, 0), max(m.w-len(s), 0))
		copy(row[from:], s)
		spans = append(spans, span{from, from + len(s), i})
	}
	out := string(row)
	if names && m.focused && m.cursor < len(spans) {
		sp := spans[m.cursor]
		r := []rune(out)
		return string(r[:sp.from]) + m.styles.Focus.Render(string(r[sp.from:sp.to])) + string(r[sp.to:])
	}
	return out
}

// status says what the brush holds and which trial is best in it.
func (m parcoordsModel) status(best int) string {
	in := len(m.Brushed())
	a := m.axes[m.cursor]
	b := m.brushes[m.cursor]
	var s string
	if b.on {
		s = fmt.Sprintf("▸ %s %s … %s", a.Name, a.Label(b.lo), a.Label(b.hi))
	} else {
		s = "▸ " + a.Name + ": ↑↓ brush a range"
	}
	s += fmt.Sprintf(" · %d of %d trials in the brush", in, len(m.trials))
	if best >= 0 {
		s += " · " + m.styles.Focus.Render("best "+numfmt.Value(m.trials[best].obj)+" "+m.trials[best].id)
	}
	return s
}
