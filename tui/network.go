package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
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
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/v", "close")), // v is Train's toggle
	}
}

// ShortHelp is one row, the way out first: on a narrow screen the help
// line keeps only its first keys.
func (k NetworkKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Close, k.Up, k.Down, k.Left, k.Right}
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
	if m.inputMode != "" {
		return typingKeys
	}
	if m.net.Focused() {
		return m.net.keys
	}
	if len(m.runs) == 0 { // the run keys would do nothing: only the global keys
		return ModeKeys{}
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

// minMapRows is the fewest rows a map gets (6 pixel rows, enough to see a
// boundary in it) unless its width caps it lower. Units that do not fit
// at that height are scrolled to, rather than squeezed into one row.
const minMapRows = 3

// netGeometry lays the view out for a network of cols columns whose
// largest has maxUnits units: the diagram's and the side pane's widths,
// a map's size in cells, the gutter's width and the units per column.
// Every unit up to maxShownUnits is drawn; when they do not fit at
// minMapRows, the diagram scrolls (see diagram).
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
	perCol = max(1, min(maxUnits, maxShownUnits))
	tallest := max(1, min(mw/2, 6)) // at most square, and 6 rows
	mh = max(min(tallest, minMapRows), min(tallest, rows/perCol-1))
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
	k := viewKey{net: in.net, col: col, row: row, w: m.w, h: m.h, epochs: len(in.epochs), warns: len(in.warnings), focused: m.focused, ended: in.ended}
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
	if paneW == 0 {
		return strings.Join(m.diagram(n, netW, gw, col, row, m.unitLine(n, col, row)), "\n")
	}
	left := m.diagram(n, netW, gw, col, row, "arrows select a unit · esc closes")
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
