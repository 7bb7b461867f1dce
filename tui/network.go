package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/numfmt"
	"workbench/trainer"
)

// NetworkKeys drive the network view.
type NetworkKeys struct {
	Up, Down, Left, Right, Close key.Binding
}

// DefaultNetworkKeys returns the network view's key map.
func DefaultNetworkKeys() NetworkKeys {
	return NetworkKeys{
		Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "unit up")),
		Down:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "unit down")),
		Left:  key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "layer left")),
		Right: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "layer right")),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close the network")),
	}
}

// ShortHelp is one row.
func (k NetworkKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Left, k.Right, k.Close}
}

// FullHelp is columns.
func (k NetworkKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// networkModel is the network view of the Train screen: every input and
// unit as a map over the input plane (or a histogram), one column per
// layer, with the selected unit's links and weights, and the layers'
// health. It draws the run it is given; the run holds the computed data.
type networkModel struct {
	keys     NetworkKeys
	styles   *Styles
	w, h     int
	focused  bool
	col, row int // the selected unit: a column and a position among its shown units
}

func newNetwork(st *Styles) networkModel {
	return networkModel{keys: DefaultNetworkKeys(), styles: st, col: 1}
}

func (m *networkModel) SetSize(w, h int) { m.w, m.h = w, h }
func (m *networkModel) Focus()           { m.focused = true }
func (m *networkModel) Blur()            { m.focused = false }
func (m networkModel) Focused() bool     { return m.focused }

// helpKeys is the Train screen's key map, or the network view's while it
// is open.
func (m trainModel) helpKeys() help.KeyMap {
	if m.net.Focused() {
		return m.net.keys
	}
	return m.keys
}

// handles reports whether a key is one of the view's own.
func (m networkModel) handles(msg tea.KeyMsg) bool {
	k := m.keys
	return key.Matches(msg, k.Up, k.Down, k.Left, k.Right, k.Close)
}

// Update moves the selection; esc closes the view.
func (m networkModel) Update(msg tea.Msg) (networkModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !m.focused {
		return m, nil
	}
	switch {
	case key.Matches(km, m.keys.Close):
		m.focused = false
	case key.Matches(km, m.keys.Up):
		m.row--
	case key.Matches(km, m.keys.Down):
		m.row++
	case key.Matches(km, m.keys.Left):
		m.col--
	case key.Matches(km, m.keys.Right):
		m.col++
	}
	return m, nil
}

// clamp keeps the selection on a drawn unit of n.
func (m networkModel) clamp(n *netData) (col, row int) {
	if n == nil || len(n.cols) == 0 {
		return 0, 0
	}
	col = max(0, min(m.col, len(n.cols)-1))
	row = max(0, min(m.row, len(n.cols[col].units)-1))
	return col, row
}

// netGeometry lays the view out for a network of cols columns whose
// largest has maxUnits units: the diagram's and the side pane's widths,
// a map's size in cells, the gutter's width and the units per column.
func netGeometry(w, h, cols, maxUnits int) (netW, paneW, mw, mh, gw, perCol int) {
	if w >= 90 {
		paneW = max(30, min(w/3, 52))
	}
	netW = w - paneW
	gw = 5
	if cols > 5 {
		gw = 3
	}
	cols = max(cols, 1)
	mw = max(2, min((netW-(cols-1)*gw)/cols-1, 24))
	if cols > 1 {
		gw = max(gw, min(12, (netW-cols*(mw+1))/(cols-1)))
	}
	rows := max(h-3, 2)
	want := max(1, min(maxUnits, maxShownUnits))
	perCol = max(1, min(want, rows/2))
	mh = max(1, min(mw/2, rows/perCol-1, 6))
	return
}

// refresh starts computing r's view when the view is open and r has
// weights that are not drawn yet at the current size, unless a
// computation is in flight: so the view follows the snapshots at their
// bounded rate, one computation at a time, and costs nothing when closed.
func (m networkModel) refresh(r *liveRun) tea.Cmd {
	if !m.focused || r == nil || r.inside.computing || r.inside.snap == nil {
		return nil
	}
	in := &r.inside
	snap := in.snap
	maxUnits := snap.Inputs
	for _, l := range snap.Layers {
		maxUnits = max(maxUnits, l.Out)
	}
	_, _, mw, mh, _, perCol := netGeometry(m.w, m.h, len(snap.Layers)+1, maxUnits)
	if in.net != nil && in.drawn == snap && in.net.mw == mw && in.net.mh == mh {
		return nil
	}
	if in.netIn == nil {
		in.netIn = newNetInput(r.data, r.plane)
	}
	in.computing, in.drawn = true, snap
	return computeNetwork(r.id, in.netIn, snap, mw, mh, perCol)
}

// receive stores a computed view in its run and starts the next one if
// newer weights came meanwhile.
func (m networkModel) receive(r *liveRun, msg networkMsg) tea.Cmd {
	r.inside.computing = false
	r.inside.net = msg.net
	return m.refresh(r)
}

// viewFor draws r's network: the diagram on the left, the selected unit
// and the layers' health on the right. A frame whose inputs did not change
// reuses the last drawing (kept in the run), so that an open view costs
// almost nothing between snapshots and epochs.
func (m networkModel) viewFor(r *liveRun) string {
	in := &r.inside
	col, row := m.clamp(in.net)
	k := viewKey{net: in.net, col: col, row: row, w: m.w, h: m.h, epochs: len(in.epochs), warns: len(in.warnings), focused: m.focused}
	if n := len(in.epochs); n > 0 {
		k.lastEpoch = in.epochs[n-1]
	}
	if in.view != "" && in.viewKey == k {
		return in.view
	}
	in.view, in.viewKey = m.draw(r), k
	return in.view
}

// draw is viewFor without the cache.
func (m networkModel) draw(r *liveRun) string {
	st := m.styles
	if m.w < 40 || m.h < 8 {
		return st.Subtle.Render(wrap("The terminal is too small for the network view.", m.w))
	}
	n := r.inside.net
	if n == nil || len(n.cols) == 0 {
		msg := "computing the network…"
		if r.inside.snap == nil {
			msg = "waiting for the first weights…"
		}
		return plain.Width(m.w).Height(m.h).Render(st.Subtle.Render(msg))
	}
	maxUnits := 0
	for _, c := range n.cols {
		maxUnits = max(maxUnits, c.total)
	}
	netW, paneW, _, _, gw, _ := netGeometry(m.w, m.h, len(n.cols), maxUnits)
	col, row := m.clamp(n)
	// The diagram's lines are built to known widths, so they are joined
	// by hand: lipgloss measuring and padding the whole colour-laden
	// block was most of a frame's cost.
	left := m.diagram(n, netW, gw, col, row)
	if paneW == 0 {
		return strings.Join(left, "\n")
	}
	pane := strings.Split(m.pane(r, n, col, row, paneW-4), "\n")
	pane = pane[:min(len(pane), m.h-2)]
	right := strings.Split(st.Panel.Width(paneW-2).Height(m.h-2).Render(strings.Join(pane, "\n")), "\n")
	var b strings.Builder
	for i := 0; i < m.h && (i < len(left) || i < len(right)); i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(left) {
			b.WriteString(left[i])
		} else {
			b.WriteString(strings.Repeat(" ", netW))
		}
		if i < len(right) {
			b.WriteString(right[i])
		}
	}
	return b.String()
}

// diagram is the title, the notes and the columns with their gutters:
// m.h lines, each exactly w cells wide.
func (m networkModel) diagram(n *netData, w, gw, selCol, selRow int) []string {
	st := m.styles
	kind := "maps over the input plane"
	if !n.maps {
		kind = "activation histograms over " + fmt.Sprint(netSampleRows) + " validation rows"
	}
	lines := []string{st.Header.Render(truncate("network · "+kind, w))}
	note := "arrows select a unit · esc closes"
	if n.summary != "" {
		note = n.summary
	}
	lines = append(lines, st.Subtle.Render(truncate(note, w)))
	cw := n.mw + 1
	rows := m.h - 3
	slot := n.mh + 1
	// Each column's units, centred vertically; mid[c][i] is the text row
	// of unit i's middle.
	mid := make([][]int, len(n.cols))
	grid := make([][]string, len(n.cols)) // per column: rows lines of cw cells
	for c, col := range n.cols {
		cells := make([]string, rows)
		for i := range cells {
			cells[i] = strings.Repeat(" ", cw)
		}
		top := max(0, (rows-len(col.units)*slot)/2)
		for i, u := range col.units {
			y := top + i*slot
			if y+slot > rows {
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
	lines = append(lines, header.String())
	gutters := make([][]string, len(n.cols))
	for c := 1; c < len(n.cols); c++ {
		gutters[c] = m.gutter(n, c, gw, rows, mid, selCol, selRow)
	}
	for y := 0; y < rows; y++ {
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
		if i < 2 {
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
		for k := 0; k < room && k < len(ws); k++ {
			num := numfmt.Value(ws[k])
			barW := max(w-8-10, 2)
			lines = append(lines, fmt.Sprintf("%-7s %s %9s", truncate(names[k], 7), linkGlyph(ws[k], ratioOr0(math.Abs(ws[k]), big), barW, true), num))
		}
		if len(ws) > room {
			lines = append(lines, st.Subtle.Render(fmt.Sprintf("… %d more", len(ws)-room)))
		}
	}
	lines = append(lines, "", st.Header.Render("layer health"))
	lines = append(lines, healthLines(&r.inside, st, w)...)
	return strings.Join(lines, "\n")
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
		return []string{st.Subtle.Render("waiting for the first epoch…")}
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
	ws := in.warnings
	if len(ws) > 4 {
		ws = ws[len(ws)-4:]
	}
	for _, wn := range ws {
		lines = append(lines, st.Bad.Render(wrap("⚠ "+wn.Text, w)))
	}
	return lines
}

// warningLines is the run's newest warnings, for the Train screen.
func warningLines(r *liveRun, st *Styles, w int) []string {
	ws := r.inside.warnings
	if len(ws) > 2 {
		ws = ws[len(ws)-2:]
	}
	var out []string
	for _, wn := range ws {
		out = append(out, st.Bad.Render(wrap("⚠ "+wn.Text, w)))
	}
	return out
}
