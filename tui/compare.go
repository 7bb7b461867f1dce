package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/numfmt"
	"workbench/sessions"
)

// compareModel is the Compare screen: overlaid curves, the hyperparameters
// that differ, a metric table with the best marked, confusion matrices.
type compareModel struct {
	store   sessions.Store
	cmp     *sessions.Comparison
	evals   map[string]*sessions.Evaluations
	metrics []string // curve choices, e.g. val_loss, val_accuracy
	metric  int
	chart   *chart
	logY    bool
	smooth  bool
	err     error
	vp      viewport.Model // scrolls what does not fit

	keys    CompareKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newCompare(st *Styles, store sessions.Store) compareModel {
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{} // scrolled through CompareKeys
	return compareModel{store: store, keys: DefaultCompareKeys(), styles: st, chart: newChart("", st), vp: vp}
}

func (m *compareModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.vp.Width, m.vp.Height = w, h
	m.sizeChart()
	m.refresh()
}
func (m *compareModel) Focus()       { m.focused = true }
func (m *compareModel) Blur()        { m.focused = false }
func (m compareModel) Focused() bool { return m.focused }

// wide reports whether the metric table fits beside the chart.
func (m *compareModel) wide() bool { return m.w >= 130 }

func (m *compareModel) sizeChart() {
	if m.wide() {
		m.chart.setSize(m.w*3/5, max(m.h/2, 6))
		return
	}
	m.chart.setSize(m.w, max(m.h*2/5, 6))
}

// refresh renders the content into the viewport, keeping the scroll
// position where it can.
func (m *compareModel) refresh() {
	if m.cmp == nil {
		return
	}
	m.vp.SetContent(m.content())
	// SetContent keeps an offset that a taller screen no longer needs: the
	// chart stayed scrolled off with blank rows under the table.
	m.vp.SetYOffset(m.vp.YOffset)
}

// load fetches the comparison off the UI path.
func loadCompare(store sessions.Store, ids []string) tea.Cmd {
	return func() tea.Msg {
		c, err := sessions.Compare(context.Background(), store, ids)
		if err != nil {
			return compareLoadedMsg{err: err}
		}
		c = sessions.CleanComparison(c)
		evals := map[string]*sessions.Evaluations{}
		for _, r := range c.Runs {
			if ev, err := store.Evaluation(context.Background(), r.ID); err == nil {
				evals[r.ID] = ev
			}
		}
		return compareLoadedMsg{cmp: c, evals: evals}
	}
}

func (m compareModel) Update(msg tea.Msg) (compareModel, tea.Cmd) {
	switch msg := msg.(type) {
	case compareLoadedMsg:
		m.err = msg.err
		if msg.err != nil {
			return m, func() tea.Msg { return statusMsg{text: msg.err.Error(), err: true} }
		}
		m.cmp = msg.cmp
		m.evals = msg.evals
		m.metrics = []string{"val_loss", "train_loss"}
		seen := map[string]bool{"val_loss": true, "train_loss": true}
		for _, h := range m.cmp.Histories {
			if len(h) == 0 {
				continue
			}
			for k := range h[0].Val {
				if !seen["val_"+k] {
					seen["val_"+k] = true
					m.metrics = append(m.metrics, "val_"+k)
				}
			}
		}
		m.metric = 0
		m.vp.GotoTop()
		m.redraw()
		return m, nil
	case tea.KeyMsg:
		if !m.focused || m.cmp == nil {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Metric):
			m.metric = (m.metric + 1) % len(m.metrics)
		case key.Matches(msg, m.keys.LogY):
			m.logY = !m.logY
		case key.Matches(msg, m.keys.Smooth):
			m.smooth = !m.smooth
		case key.Matches(msg, m.keys.Down):
			m.vp.ScrollDown(1)
			return m, nil
		case key.Matches(msg, m.keys.Up):
			m.vp.ScrollUp(1)
			return m, nil
		case key.Matches(msg, m.keys.PageDown):
			m.vp.PageDown()
			return m, nil
		case key.Matches(msg, m.keys.PageUp):
			m.vp.PageUp()
			return m, nil
		default:
			return m, nil
		}
		m.redraw()
	}
	return m, nil
}

// redraw rebuilds the overlaid curves of the chosen metric.
func (m *compareModel) redraw() {
	m.chart.reset()
	if m.cmp == nil || len(m.metrics) == 0 {
		return
	}
	name := m.metrics[m.metric]
	m.chart.title = name
	m.chart.logY, m.chart.smooth = m.logY, m.smooth
	split, metric, _ := strings.Cut(name, "_")
	for i, r := range m.cmp.Runs {
		style := seriesStyle(r.ID)
		label := truncateWords(shortID(r), 24)
		for _, e := range m.cmp.Histories[i] {
			src := e.Val
			if split == "train" {
				src = e.Train
			}
			if v, ok := src[metric]; ok {
				m.chart.add(label, style, float64(e.Epoch), v)
			}
		}
	}
	m.sizeChart()
	m.refresh()
}

func shortID(r *sessions.Run) string {
	if r.Name != "" {
		return r.Name // cut by truncateWords to the room there is
	}
	id := sessions.CleanText(r.ID)
	if i := strings.LastIndex(id, "-"); i > 0 {
		return id[i+1:]
	}
	return id
}

func (m compareModel) View() string {
	if m.cmp == nil {
		msg := "Nothing to compare yet: on Runs (3), select runs with space and press C."
		if m.err != nil {
			msg = m.err.Error()
		}
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, m.styles.Subtle.Render(msg))
	}
	return m.vp.View()
}

// metricKeyWidth is the longest metric name the table shows.
func metricKeyWidth(rows []sessions.MetricRow) int {
	w := len("metric")
	for _, r := range rows {
		if !strings.HasPrefix(r.Key, "best_train") {
			w = max(w, len(r.Key))
		}
	}
	return w
}

// content is everything Compare shows, top to bottom: the chart and the
// metric table (side by side when wide), then the hyperparameters that
// differ and the confusion matrices. On a narrow screen the differences
// come right after the chart, so they are never pushed off it; the rest
// scrolls (↑↓, pgup/pgdn).
func (m compareModel) content() string {
	st := m.styles
	cw := m.w * 3 / 5
	if !m.wide() {
		cw = m.w
	}
	left := m.chart.view()
	// The metric table with the best marked: beside the chart, or below it.
	colW := compareColW(m.cmp.Metrics)
	// The columns widen for the runs' names when there is room ("#1
	// …943382" made lr=0.0943382 another number), keeping 8 cells for the
	// metric names.
	room := m.w
	if m.wide() {
		room -= cw
	}
	nameW := 0
	for _, r := range m.cmp.Runs {
		nameW = max(nameW, min(lipgloss.Width(shortID(r)), 24))
	}
	colW = max(colW, min(nameW, (room-8)/max(len(m.cmp.Runs), 1)-1))
	// Metric names as long as they are (best_val_balanced_accuracy is 26)
	// when the table has the room: cut in the middle, they read alike.
	room -= len(m.cmp.Runs) * (colW + 1)
	keyW := max(min(metricKeyWidth(m.cmp.Metrics), room), 8)
	var mt []string
	hdr := fmt.Sprintf("%-*s", keyW, "metric")
	for _, r := range m.cmp.Runs {
		hdr += seriesStyle(r.ID).Render(fmt.Sprintf(" %*s", colW, truncateWords(shortID(r), colW)))
	}
	title := "metrics (* best)"
	if sessions.Groups(m.cmp.Runs, "best_val_accuracy") > 1 {
		title = "metrics (* best among runs of the same dataset, task and loss)"
	}
	if colW > 10 {
		title += ", ~ within one std of the best: not significant"
	}
	mt = append(mt, st.Header.Render(truncate(title, m.w)))
	if warn := mixedWarning(m.cmp.Runs); warn != "" {
		tableW := m.w
		if m.wide() {
			tableW -= cw
		}
		mt = append(mt, st.Error.Render(wrap(warn, max(tableW, 20))))
	}
	mt = append(mt, hdr)
	for _, row := range m.cmp.Metrics {
		if strings.HasPrefix(row.Key, "best_train") {
			continue
		}
		line := fmt.Sprintf("%-*s", keyW, truncateMiddle(row.Key, keyW))
		for i := range row.Values {
			cell, mark := compareCell(row, i)
			if mark == '*' {
				cell = st.Good.Render(fmt.Sprintf(" %*s*", colW-1, cell))
			} else {
				cell = fmt.Sprintf(" %*s%c", colW-1, cell, mark)
			}
			line += cell
		}
		mt = append(mt, line)
	}
	var top string
	if m.wide() {
		right := plain.Width(m.w - cw).Render(strings.Join(mt, "\n"))
		top = lipgloss.JoinHorizontal(lipgloss.Top, plain.Width(cw).Render(left), right)
	}
	// Below: hyperparameters that differ, and confusion matrices.
	var cms []string
	for _, r := range m.cmp.Runs {
		if ev := m.evals[r.ID]; ev != nil && len(ev.Test.Confusion) > 0 && len(ev.Test.Confusion) <= 4 {
			head := truncateWords(shortID(r), 40)
			if th, ok := ev.Test.Metrics["threshold"]; ok { // counts at a tuned or fixed threshold, not 0.5
				head += " at " + numfmt.Value(th)
			}
			cms = append(cms, seriesStyle(r.ID).Render(head)+"\n"+confusionView(ev.Test.Confusion, r.Classes, st, 40))
		}
	}
	var diff []string
	diff = append(diff, st.Header.Render("hyperparameters that differ"))
	if len(m.cmp.Diff) == 0 {
		diff = append(diff, st.Subtle.Render("none: the runs share one spec"))
	}
	names := make([]string, len(m.cmp.Runs))
	for i, r := range m.cmp.Runs {
		names[i] = shortID(r)
	}
	valW := diffValueWidth(m.cmp.Diff, names, m.w, len(cms) > 0)
	if len(m.cmp.Diff) > 0 {
		// Headings name the runs: without colour (NO_COLOR) nothing else
		// says which column is which.
		hdr := fmt.Sprintf("%-26s", "setting")
		for _, r := range m.cmp.Runs {
			hdr += seriesStyle(r.ID).Render(fmt.Sprintf(" %-*s", valW, truncateWords(shortID(r), valW)))
		}
		diff = append(diff, hdr)
	}
	for _, d := range m.cmp.Diff {
		line := fmt.Sprintf("%-26s", truncate(d.Field, 26))
		for i := range d.Values {
			line += seriesStyle(m.cmp.Runs[i].ID).Render(fmt.Sprintf(" %-*s", valW, truncate(d.Shown(i), valW)))
		}
		diff = append(diff, line)
	}
	bottom := strings.Join(diff, "\n")
	if diffW := 26 + (valW+1)*len(m.cmp.Runs); len(cms) > 0 && m.w >= 100 && diffW <= m.w/2 {
		for i := range cms {
			cms[i] = plain.PaddingRight(2).Render(cms[i])
		}
		matrices := st.Header.Render("confusion matrices (test)") + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, cms...)
		bottom = lipgloss.JoinHorizontal(lipgloss.Top, plain.Width(m.w/2).Render(bottom), matrices)
	}
	if !m.wide() {
		return plain.MaxWidth(m.w).Render(left + "\n" + bottom + "\n" + strings.Join(mt, "\n"))
	}
	return plain.MaxWidth(m.w).Render(top + "\n" + bottom)
}

// diffValueWidth is the width of a value column in the table of
// hyperparameters that differ: the widest value, from 12 up to the width
// of the screen, or of its half when confusion matrices go beside the
// table (at 100 columns or more). 12 cut "xavier_uniform" and CSV paths
// where the row had room for them.
func diffValueWidth(diff []sessions.DiffRow, names []string, w int, matrices bool) int {
	valW := 12
	for _, d := range diff {
		for i := range d.Values {
			valW = max(valW, lipgloss.Width(d.Shown(i)))
		}
	}
	for _, n := range names { // the headings too: "#2 …" hid lr=0.00162646
		valW = max(valW, min(lipgloss.Width(n), 24))
	}
	room := w
	if matrices && w >= 100 {
		room = w / 2
	}
	return max(12, min(valW, (room-26)/max(len(names), 1)-1))
}
