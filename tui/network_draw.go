package tui

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"workbench/numfmt"
	"workbench/trainer"
)

// diagram is the title, the notes and the columns with their gutters:
// m.h lines, each exactly w cells wide. The columns are laid out on a
// canvas as tall as the tallest needs; when that is taller than the
// view, the view scrolls to keep the selected unit near its middle,
// starting at a whole unit of its column, and the note says there is more
// above or below.
//
// note is the line under the title: the keys, or in a view too narrow for
// the side pane the selected unit in brief (see unitLine).
func (m networkModel) diagram(n *netData, w, gw, selCol, selRow int, note string) []string {
	st := m.styles
	kind := "maps over the input plane"
	if !n.maps {
		kind = "activation histograms over " + fmt.Sprint(netSampleRows) + " validation rows"
	}
	lines := []string{st.Header.Render(truncate("network · "+kind, w))}
	cw := n.mw + 1
	rows := max(m.h-3, 0)
	if n.summary != "" { // on a line of its own, below the keys
		rows = max(m.h-4, 0)
	}
	slot := n.mh + 1
	tallest := 0
	for _, col := range n.cols {
		tallest = max(tallest, len(col.units))
	}
	canvas := max(rows, tallest*slot)
	// Each column's units, centred vertically; mid[c][i] is the canvas
	// row of unit i's middle.
	mid := make([][]int, len(n.cols))
	grid := make([][]string, len(n.cols)) // per column: canvas lines of cw cells
	off := 0                              // the canvas row at the view's top
	for c, col := range n.cols {
		cells := make([]string, canvas)
		for i := range cells {
			cells[i] = strings.Repeat(" ", cw)
		}
		top := max(0, (canvas-len(col.units)*slot)/2)
		if c == selCol && selRow < len(col.units) {
			want := top + selRow*slot - (rows-slot)/2
			if want > top { // start at a whole unit of the selected column
				want = top + (want-top)/slot*slot
			}
			off = max(0, min(want, canvas-rows))
		}
		for i, u := range col.units {
			y := top + i*slot
			if y+slot > canvas {
				break
			}
			for k, ln := range u.lines {
				cells[y+k] = ln + " "
			}
			sel := c == selCol && i == selRow
			label := u.label
			if sel {
				label = "▸" + label
			}
			label = truncate(label, cw-1)
			label += strings.Repeat(" ", max(cw-lipgloss.Width(label), 0))
			if sel {
				label = st.Selected.Render(label)
			} else {
				label = st.Subtle.Render(label)
			}
			cells[y+n.mh] = label
			mid[c] = append(mid[c], y+(n.mh-1)/2)
		}
		grid[c] = cells
	}
	var header strings.Builder
	for c, col := range n.cols {
		if c > 0 {
			header.WriteString(strings.Repeat(" ", gw))
		}
		name := col.name
		if col.activation != "" && col.name != "output" {
			name = strings.Replace(name, "layer ", "L", 1) + " " + col.activation
		}
		if len(col.units) < col.total {
			name += fmt.Sprintf(" %d/%d", len(col.units), col.total)
		}
		name = truncate(name, cw)
		header.WriteString(st.Header.Render(name) + strings.Repeat(" ", max(cw-lipgloss.Width(name), 0)))
	}
	var more []string
	if off > 0 {
		more = append(more, "▲ more above")
	}
	if off+rows < canvas {
		more = append(more, "▼ more below")
	}
	if len(more) > 0 { // the scroll hints stay whole; the note gives way
		hints := strings.Join(more, " · ")
		note = truncate(note, max(w-lipgloss.Width(hints)-3, 1)) + " · " + hints
	}
	lines = append(lines, st.Subtle.Render(truncate(note, w)))
	if n.summary != "" {
		lines = append(lines, st.Subtle.Render(truncate(n.summary, w)))
	}
	lines = append(lines, header.String())
	gutters := make([][]string, len(n.cols))
	for c := 1; c < len(n.cols); c++ {
		gutters[c] = m.gutter(n, c, gw, canvas, mid, selCol, selRow)
	}
	for y := off; y < off+rows; y++ {
		var b strings.Builder
		for c := range n.cols {
			if c > 0 {
				b.WriteString(gutters[c][y])
			}
			b.WriteString(grid[c][y])
		}
		lines = append(lines, b.String())
	}
	full := len(n.cols)*cw + (len(n.cols)-1)*gw
	for i, ln := range lines {
		lw := full
		if i < len(lines)-rows-1 { // the title and notes; the header is full wide
			lw = lipgloss.Width(ln)
		}
		switch {
		case lw > w:
			lines[i] = truncateANSI(ln, w)
		case lw < w:
			lines[i] = ln + strings.Repeat(" ", w-lw)
		}
	}
	return lines
}

// gutter draws the links into column c: the selected unit's incoming
// weights at its sources' rows when it is in column c, its outgoing
// weights at its targets' rows when it is in column c−1, and otherwise
// each unit's incoming weight norm as a dotted bar.
func (m networkModel) gutter(n *netData, c, gw, rows int, mid [][]int, selCol, selRow int) []string {
	out := make([]string, rows)
	for i := range out {
		out[i] = strings.Repeat(" ", gw)
	}
	dst, src := n.cols[c], n.cols[c-1]
	weight := func(i, j int) float64 {
		if k := i*dst.out + j; k >= 0 && k < len(dst.w) {
			return dst.w[k]
		}
		return math.NaN()
	}
	switch {
	case selCol == c && selRow < len(dst.units):
		j := dst.units[selRow].index
		big := 0.0
		for _, s := range src.units {
			big = math.Max(big, finiteAbs(weight(s.index, j)))
		}
		for k, s := range src.units {
			if k < len(mid[c-1]) {
				v := weight(s.index, j)
				out[mid[c-1][k]] = linkGlyph(v, ratioOr0(math.Abs(v), big), gw, true)
			}
		}
	case selCol == c-1 && selRow < len(src.units):
		i := src.units[selRow].index
		big := 0.0
		for _, d := range dst.units {
			big = math.Max(big, finiteAbs(weight(i, d.index)))
		}
		for k, d := range dst.units {
			if k < len(mid[c]) {
				v := weight(i, d.index)
				out[mid[c][k]] = linkGlyph(v, ratioOr0(math.Abs(v), big), gw, false)
			}
		}
	default:
		big := 0.0
		for _, d := range dst.units {
			big = math.Max(big, finiteAbs(d.norm))
		}
		for k, d := range dst.units {
			if k < len(mid[c]) {
				length := int(math.Round(ratioOr0(finiteAbs(d.norm), big) * float64(gw-1)))
				bar := strings.Repeat(" ", gw-length) + strings.Repeat("·", length)
				out[mid[c][k]] = m.styles.Subtle.Render(bar)
			}
		}
	}
	return out
}

func finiteAbs(v float64) float64 {
	if !finite(v) {
		return 0
	}
	return math.Abs(v)
}

func ratioOr0(a, b float64) float64 {
	if !(b > 0) || !finite(a/b) {
		return 0
	}
	return a / b
}

// pane is the selected unit's weights, the layers' health and the warnings.
func (m networkModel) pane(r *liveRun, n *netData, col, row, w int) string {
	st := m.styles
	c := n.cols[col]
	var lines []string
	if row < len(c.units) {
		u := c.units[row]
		what := "input"
		if col > 0 {
			what = fmt.Sprintf("%s unit %d", c.name, u.index+1)
			if c.activation != "" && c.name != "output" {
				what += " · " + c.activation
			}
		}
		lines = append(lines, st.Title.Render(truncate(u.label+" · "+what, w)))
		if !n.maps {
			lines = append(lines, st.Subtle.Render(truncate("range "+numfmt.Value(u.lo)+" … "+numfmt.Value(u.hi), w)))
		}
		names, ws := m.links(n, col, u)
		title := "incoming weights"
		if col == 0 {
			title = "outgoing weights"
		} else {
			lines = append(lines, st.Subtle.Render(truncate("bias "+numfmt.Value(u.bias)+" · ‖w‖ "+numfmt.Value(u.norm), w)))
		}
		lines = append(lines, st.Header.Render(fmt.Sprintf("%s (%d, largest first)", title, len(ws))))
		room := max(2, min(len(ws), (m.h-2)/3))
		big := 0.0
		for _, v := range ws {
			big = math.Max(big, finiteAbs(v))
		}
		// The names as long as they are, up to a third of the pane:
		// seven cells read pixel_… for every pixel.
		nameW := 7
		for k := 0; k < room && k < len(ws); k++ {
			nameW = max(nameW, lipgloss.Width(names[k]))
		}
		nameW = min(nameW, max(w/3, 7))
		for k := 0; k < room && k < len(ws); k++ {
			num := numfmt.Value(ws[k])
			barW := max(w-nameW-1-10, 2)
			lines = append(lines, fmt.Sprintf("%-*s %s %9s", nameW, truncateMiddle(names[k], nameW), linkGlyph(ws[k], ratioOr0(math.Abs(ws[k]), big), barW, true), num))
		}
		if len(ws) > room {
			lines = append(lines, st.Subtle.Render(fmt.Sprintf("… %d more", len(ws)-room)))
		}
	}
	lines = append(lines, "", st.Header.Render("layer health"))
	lines = append(lines, healthLines(&r.inside, st, w)...)
	return strings.Join(lines, "\n")
}

// unitLine is the side pane's first lines in one, for a view too narrow
// for the pane: the selected unit, its bias and its largest weights.
func (m networkModel) unitLine(n *netData, col, row int) string {
	c := n.cols[col]
	if row >= len(c.units) {
		return ""
	}
	u := c.units[row]
	names, ws := m.links(n, col, u)
	line := "▸" + u.label
	dir := "out"
	if col > 0 {
		line += " bias " + numfmt.Value(u.bias)
		dir = "in"
	}
	const shown = 3
	var parts []string
	for k := 0; k < len(ws) && k < shown; k++ {
		parts = append(parts, names[k]+" "+numfmt.Value(ws[k]))
	}
	if len(ws) > shown {
		parts = append(parts, fmt.Sprintf("%d more", len(ws)-shown))
	}
	if len(parts) > 0 {
		line += " · " + dir + ": " + strings.Join(parts, ", ")
	}
	return line
}

// links returns the selected unit's weights, largest magnitude first, with
// the names of the units at their other end.
func (m networkModel) links(n *netData, col int, u netUnit) ([]string, []float64) {
	var names []string
	var ws []float64
	if col == 0 {
		if len(n.cols) < 2 {
			return nil, nil
		}
		d := n.cols[1]
		for j := 0; j < d.out; j++ {
			if k := u.index*d.out + j; k < len(d.w) {
				names, ws = append(names, unitLabel(d, j)), append(ws, d.w[k])
			}
		}
	} else {
		c, src := n.cols[col], n.cols[col-1]
		for i := 0; i < src.total; i++ {
			if k := i*c.out + u.index; k < len(c.w) {
				names, ws = append(names, unitLabel(src, i)), append(ws, c.w[k])
			}
		}
	}
	idx := make([]int, len(ws))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return finiteAbs(ws[idx[a]]) > finiteAbs(ws[idx[b]]) })
	on, ow := make([]string, len(ws)), make([]float64, len(ws))
	for i, j := range idx {
		on[i], ow[i] = names[j], ws[j]
	}
	return on, ow
}

// unitLabel names unit i of a column, drawn or not.
func unitLabel(c netColumn, i int) string {
	if i >= 0 && i < len(c.labels) {
		return c.labels[i]
	}
	return fmt.Sprintf("#%d", i+1)
}

// healthMeasures are the sparklines drawn per hidden layer.
var healthMeasures = []struct {
	name string
	get  func(trainer.LayerHealth) float64
	pct  bool
}{
	{"weight", func(l trainer.LayerHealth) float64 { return l.WeightNorm }, false},
	{"grad", func(l trainer.LayerHealth) float64 { return l.GradNorm }, false},
	{"update", func(l trainer.LayerHealth) float64 { return l.UpdateRatio }, false},
	{"dead", func(l trainer.LayerHealth) float64 { return l.Dead }, true},
	{"satur.", func(l trainer.LayerHealth) float64 { return l.Saturated }, true},
	{"act σ", func(l trainer.LayerHealth) float64 { return l.ActStd }, false},
}

// healthLines draws each hidden layer's health as sparklines over the
// epochs, then the warnings.
func healthLines(in *runInside, st *Styles, w int) []string {
	if len(in.layers) == 0 {
		if in.ended && !in.sawEpoch {
			return []string{st.Subtle.Render(ansi.Wrap(noEpochsText, max(w, 1), ""))}
		}
		return []string{st.Subtle.Render(waitingText)}
	}
	last := in.layers[len(in.layers)-1]
	if len(last) == 0 {
		return []string{st.Subtle.Render("no hidden layer")}
	}
	var lines []string
	for _, l := range last {
		lines = append(lines, st.Accent.Render(truncate(fmt.Sprintf("layer %d · %s · %d units", l.Layer, l.Activation, l.Units), w)))
		for _, hm := range healthMeasures {
			cur := hm.get(l)
			num := numfmt.Value(cur)
			if hm.pct && finite(cur) {
				num = fmt.Sprintf("%.0f%%", 100*cur)
			}
			sw := max(w-7-11, 1)
			lines = append(lines, fmt.Sprintf("%-6s %s %10s", hm.name, sparkline(in.series(l.Layer, hm.get), sw), num))
		}
	}
	for _, wn := range newestWarnings(in.warnings, 4) {
		lines = append(lines, st.Bad.Render(wrap("⚠ "+wn.Text, w)))
	}
	return lines
}

// warningLines is the run's newest warnings, for the Train screen.
func warningLines(r *liveRun, st *Styles, w int) []string {
	var out []string
	for _, wn := range newestWarnings(r.inside.warnings, 2) {
		out = append(out, st.Bad.Render(wrap("⚠ "+wn.Text, w)))
	}
	return out
}

// newestWarnings returns at most n of ws, oldest first: the newest of each
// layer and rule. A rule that cleared and fired again for the same layer
// showed twice, in all but its epochs the same warning.
func newestWarnings(ws []trainer.HealthWarning, n int) []trainer.HealthWarning {
	type which struct {
		layer int
		rule  string
	}
	seen := map[which]bool{}
	var out []trainer.HealthWarning
	for i := len(ws) - 1; i >= 0 && len(out) < n; i-- {
		k := which{ws[i].Layer, ws[i].Rule}
		if !seen[k] {
			seen[k] = true
			out = append(out, ws[i])
		}
	}
	slices.Reverse(out)
	return out
}
