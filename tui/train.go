package tui

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// trainModel is the live Train screen: every run started in this session,
// one shown at a time.
type trainModel struct {
	runs         []*liveRun
	sel          int
	logY, smooth bool
	showTest     bool
	inputMode    string // "tag" or "note" while typing
	input        textinput.Model
	bar          progress.Model
	store        sessions.Store

	keys    TrainKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newTrain(st *Styles, store sessions.Store) trainModel {
	in := textinput.New()
	in.CharLimit = 500
	return trainModel{keys: DefaultTrainKeys(), styles: st, store: store, input: in,
		bar: progress.New(progress.WithDefaultGradient(), progress.WithoutPercentage())}
}

func (m *trainModel) SetSize(w, h int) {
	m.w, m.h = w, h
	for _, r := range m.runs {
		m.sizeCharts(r)
	}
}
func (m *trainModel) Focus()       { m.focused = true }
func (m *trainModel) Blur()        { m.focused = false }
func (m trainModel) Focused() bool { return m.focused }

func (m trainModel) awaitingInput() bool { return m.inputMode != "" }

// running counts the runs still training.
func (m trainModel) running() int {
	n := 0
	for _, r := range m.runs {
		if !r.closed {
			n++
		}
	}
	return n
}

func (m trainModel) selected() *liveRun {
	if m.sel < 0 || m.sel >= len(m.runs) {
		return nil
	}
	return m.runs[m.sel]
}

func (m trainModel) find(id string) *liveRun {
	for _, r := range m.runs {
		if r.id == id {
			return r
		}
	}
	return nil
}

// layout returns the sizes of the panes: the charts' width, the right
// column's width, each chart's height and the boundary's size in cells.
func (m trainModel) layout() (chartW, rightW, lossH, metricH, bw, bh int) {
	body := max(m.h-3, 4)
	rightW = 0
	if m.w >= 70 {
		rightW = min(max(m.w*2/5, 30), 70)
	}
	chartW = m.w - rightW
	lossH = max(body*3/5, 4)
	metricH = max(body-lossH, 3)
	bw = max(rightW-4, 0)
	bh = max(min(body/2, bw/2), 0)
	return
}

func (m *trainModel) sizeCharts(r *liveRun) {
	cw, _, lh, mh, _, _ := m.layout()
	r.loss.setSize(cw, lh)
	r.metric.setSize(cw, mh)
	r.loss.logY, r.loss.smooth, r.metric.smooth = m.logY, m.smooth, m.smooth
	r.loss.dirty, r.metric.dirty = true, true
}

// add adopts a newly started run and shows it.
func (m *trainModel) add(r *liveRun) tea.Cmd {
	r.loss = newChart("loss", m.styles)
	r.metric = newChart(r.key, m.styles)
	m.sizeCharts(r)
	m.runs = append(m.runs, r)
	m.sel = len(m.runs) - 1
	return waitForEvents(r.id, r.queue, time.Time{})
}

func (m trainModel) Update(msg tea.Msg) (trainModel, tea.Cmd) {
	switch msg := msg.(type) {
	case runEventsMsg:
		r := m.find(msg.id)
		if r == nil {
			return m, nil // not ours (or forgotten): drop it
		}
		for _, ev := range msg.events {
			r.apply(ev, m.styles)
		}
		r.delivered = time.Now()
		var cmds []tea.Cmd
		if msg.closed {
			r.closed = true
			cmds = append(cmds, func() tea.Msg { return runsChangedMsg{} })
			if r.rec != nil && r.rec.Err() != nil {
				err := r.rec.Err()
				cmds = append(cmds, func() tea.Msg { return statusMsg{text: "the run was not saved: " + err.Error(), err: true} })
			}
		} else {
			cmds = append(cmds, waitForEvents(r.id, r.queue, r.delivered))
		}
		_, _, _, _, bw, bh := m.layout()
		cmds = append(cmds, r.boundaryCmd(bw, bh))
		return m, tea.Batch(cmds...)
	case boundaryMsg:
		r := m.find(msg.id)
		if r == nil {
			return m, nil
		}
		r.computing = false
		r.grid = msg.grid
		r.gridView = r.grid.render(r.plane, m.showTest)
		_, _, _, _, bw, bh := m.layout()
		return m, r.boundaryCmd(bw, bh)
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		if m.inputMode != "" {
			return m.updateInput(msg)
		}
		return m.updateKeys(msg)
	}
	return m, nil
}

func (m trainModel) updateInput(msg tea.KeyMsg) (trainModel, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.inputMode = ""
		return m, nil
	case tea.KeyEnter:
		mode, text := m.inputMode, strings.TrimSpace(m.input.Value())
		m.inputMode = ""
		r := m.selected()
		if r == nil || m.store == nil {
			return m, func() tea.Msg { return statusMsg{text: "no store: tags and notes are not saved", err: true} }
		}
		store, id := m.store, r.id
		return m, func() tea.Msg {
			ctx := context.Background()
			run, err := store.GetRun(ctx, id)
			if err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			p := sessions.Patch{}
			if mode == "tag" {
				tags := append(run.Tags, strings.Fields(strings.ReplaceAll(text, ",", " "))...)
				p.Tags = &tags
			} else {
				p.Notes = &text
			}
			if err := store.UpdateRun(ctx, id, p); err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			return statusMsg{text: mode + " saved for " + id}
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m trainModel) updateKeys(msg tea.KeyMsg) (trainModel, tea.Cmd) {
	k := m.keys
	r := m.selected()
	switch {
	case key.Matches(msg, k.NextRun):
		if len(m.runs) > 0 {
			m.sel = (m.sel + 1) % len(m.runs)
		}
	case key.Matches(msg, k.PrevRun):
		if len(m.runs) > 0 {
			m.sel = (m.sel - 1 + len(m.runs)) % len(m.runs)
		}
	case key.Matches(msg, k.LogY):
		m.logY = !m.logY
		for _, r := range m.runs {
			m.sizeCharts(r)
		}
	case key.Matches(msg, k.Smooth):
		m.smooth = !m.smooth
		for _, r := range m.runs {
			m.sizeCharts(r)
		}
	case key.Matches(msg, k.TestPoints):
		m.showTest = !m.showTest
		for _, r := range m.runs {
			if r.grid != nil {
				r.gridView = r.grid.render(r.plane, m.showTest)
			}
		}
	case r == nil:
		return m, nil
	case key.Matches(msg, k.Pause):
		if r.closed {
			return m, nil
		}
		if r.handle.Paused() {
			r.handle.Resume()
		} else {
			r.handle.Pause()
		}
	case key.Matches(msg, k.Step):
		if !r.closed {
			if !r.handle.Paused() {
				r.handle.Pause()
			}
			r.handle.Step()
		}
	case key.Matches(msg, k.Stop):
		if !r.closed {
			r.handle.Stop()
		}
	case key.Matches(msg, k.Restart):
		if !r.closed {
			r.handle.Stop()
		}
		spec := r.spec
		return m, func() tea.Msg { return startRunsMsg{specs: []trainer.Spec{spec}} }
	case key.Matches(msg, k.Edit):
		if !r.closed {
			r.handle.Stop()
		}
		spec := r.spec
		return m, func() tea.Msg { return editSpecMsg{spec: spec} }
	case key.Matches(msg, k.Tag), key.Matches(msg, k.Annotate):
		m.inputMode = "tag"
		m.input.Placeholder = "tags, separated by spaces"
		if key.Matches(msg, k.Annotate) {
			m.inputMode = "note"
			m.input.Placeholder = "a note for this run"
		}
		m.input.Reset()
		return m, m.input.Focus()
	}
	return m, nil
}

// statusLabel names a run's state for the UI.
func statusLabel(r *liveRun) string {
	switch {
	case r.fin != nil:
		return strings.ReplaceAll(string(r.fin.Status), "_", " ")
	case r.handle != nil && r.handle.Paused():
		return "paused"
	case r.halted:
		return "paused"
	}
	return "running"
}

func (m trainModel) View() string {
	st := m.styles
	if len(m.runs) == 0 {
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center,
			st.Subtle.Render("No run yet. Press 1 for Setup, then t to train."))
	}
	r := m.selected()
	best := m.bestTrials()
	var tabs []string
	for i, x := range m.runs {
		name := x.spec.Data.Label()
		if x.trial != "" {
			name = x.trial
		}
		if best[x.id] {
			name = "★ " + name
		}
		label := fmt.Sprintf("● %s %s", name, statusLabel(x))
		dot := seriesStyle(x.id)
		if i == m.sel {
			tabs = append(tabs, dot.Render("●")+st.TabActive.Render(label[len("● "):]))
		} else {
			tabs = append(tabs, dot.Render("●")+st.Tab.Render(label[len("● "):]))
		}
	}
	header := truncateANSI(strings.Join(tabs, " "), m.w)
	lines := []string{header, m.progressLine(r)}
	if m.inputMode != "" {
		lines[1] = st.Focus.Render(m.inputMode+": ") + m.input.View()
	}
	cw, rw, _, _, _, _ := m.layout()
	left := r.loss.view() + "\n" + m.lowerLeft(r, cw)
	left = plain.Width(cw).MaxWidth(cw).MaxHeight(m.h - 2).Render(left)
	body := left
	if rw > 0 {
		body = lipgloss.JoinHorizontal(lipgloss.Top, left, m.rightColumn(r, rw, m.h-2))
	}
	return plain.MaxHeight(m.h).Render(strings.Join(lines, "\n") + "\n" + body)
}

// bestTrials marks, for each sweep, the trial with the best key metric so
// far on validation.
func (m trainModel) bestTrials() map[string]bool {
	type best struct {
		id string
		v  float64
	}
	bySweep := map[string]best{}
	for _, r := range m.runs {
		if r.sweep == "" || r.best == nil {
			continue
		}
		v, ok := r.best[r.key]
		if !ok {
			continue
		}
		b, seen := bySweep[r.sweep]
		if !seen || v > b.v {
			bySweep[r.sweep] = best{r.id, v}
		}
	}
	out := map[string]bool{}
	for _, b := range bySweep {
		out[b.id] = true
	}
	return out
}

// progressLine is epoch/total, a bar, ETA, samples/s and the status. A
// run without an epoch limit shows ∞, no bar and the time it has run.
func (m trainModel) progressLine(r *liveRun) string {
	st := m.styles
	epochs := r.spec.Epochs
	done := 0
	if r.last != nil {
		done = r.last.Epoch
	}
	frac := float64(done) / float64(max(epochs, 1))
	if r.fin == nil && r.progress.Batches > 0 && r.progress.Epoch > done {
		frac += float64(r.progress.Batch) / float64(r.progress.Batches) / float64(max(epochs, 1))
	}
	limit := fmt.Sprint(epochs)
	if epochs == 0 {
		limit, frac = "∞", 0
	}
	sps := r.progress.SamplesPerSec
	elapsed := r.progress.Elapsed
	if r.last != nil && r.last.Elapsed > elapsed {
		elapsed = r.last.Elapsed
		if sps == 0 {
			sps = r.last.SamplesPerSec
		}
	}
	eta := "ETA —"
	switch {
	case r.fin != nil:
		sps = r.fin.SamplesPerSec
		eta = "ETA done"
	case epochs == 0:
		eta = "running " + elapsed.Round(time.Second).String()
	case frac > 0:
		eta = "ETA " + (time.Duration(float64(elapsed)/frac) - elapsed).Round(time.Second).String()
	}
	status := statusLabel(r)
	statusStyle := st.Accent
	switch status {
	case "diverged", "stopped":
		statusStyle = st.Error
	case "done", "early stopped", "target reached":
		statusStyle = st.Good
	case "paused":
		statusStyle = st.Bad
	}
	info := fmt.Sprintf(" Epoch %d/%s  %s  %s samples/s  ", done, limit, eta, humanRate(sps))
	barW := max(m.w-lipgloss.Width(info)-len(status)-2, 0)
	m.bar.Width = min(barW, 40)
	bar := ""
	if m.bar.Width >= 5 && epochs > 0 {
		bar = m.bar.ViewAs(math.Min(frac, 1))
	}
	return truncateANSI(bar+info+statusStyle.Render(status), m.w)
}

func humanRate(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		return "—"
	case v >= 1e9:
		return numfmt.Value(v)
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// lowerLeft is the key metric chart, or after the run the ROC curve
// (binary) or predicted against actual (regression).
func (m trainModel) lowerLeft(r *liveRun, w int) string {
	if r.fin == nil || r.fin.Test.Metrics == nil {
		return r.metric.view()
	}
	_, _, _, mh, _, _ := m.layout()
	switch r.data.Task() {
	case datasets.Binary:
		if len(r.fin.Test.ROC) > 1 {
			return m.rocChart(r.fin.Test, w, mh)
		}
	case datasets.Regression:
		if len(r.fin.Test.Pairs) > 0 {
			return m.pairsChart(r.fin.Test, w, mh)
		}
	}
	return r.metric.view()
}

func (m trainModel) rocChart(e trainer.Evaluation, w, h int) string {
	st := m.styles
	if w < 12 || h < 5 {
		return ""
	}
	lc := linechart.New(w, h-1, 0, 1, 0, 1, linechart.WithXYSteps(4, 2), linechart.WithStyles(st.Axis, st.Axis, st.Text))
	lc.DrawXYAxisAndLabel()
	lc.DrawBrailleLineWithStyle(canvas.Float64Point{X: 0, Y: 0}, canvas.Float64Point{X: 1, Y: 1}, st.Subtle)
	// Rates outside [0, 1] or not finite would send the line drawing off
	// the canvas (NaN never ends it): such points are skipped.
	var pts []canvas.Float64Point
	for _, p := range e.ROC {
		if finite(p.FPR) && finite(p.TPR) && p.FPR >= 0 && p.FPR <= 1 && p.TPR >= 0 && p.TPR <= 1 {
			pts = append(pts, canvas.Float64Point{X: p.FPR, Y: p.TPR})
		}
	}
	drawPolyline(&lc, pts, st.TrainSeries)
	return st.Header.Render("test ROC, AUC "+numfmt.Value(e.Metrics["auc"])) + "\n" + lc.View()
}

func (m trainModel) pairsChart(e trainer.Evaluation, w, h int) string {
	st := m.styles
	if w < 12 || h < 5 {
		return ""
	}
	var pts []canvas.Float64Point
	for _, p := range e.Pairs {
		if finite(p[0]) && finite(p[1]) {
			pts = append(pts, canvas.Float64Point{X: clampPlot(p[0]), Y: clampPlot(p[1])})
		}
	}
	title := st.Header.Render("test: predicted (y) against actual (x), R² " + numfmt.Value(e.Metrics["r2"]))
	if len(pts) == 0 {
		return title + "\n" + st.Subtle.Render("n/a: no finite predictions")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = math.Min(lo, math.Min(p.X, p.Y)), math.Max(hi, math.Max(p.X, p.Y))
	}
	lo, hi = plotRange(lo, hi)
	lc := linechart.New(w, h-1, lo, hi, lo, hi, linechart.WithXYSteps(4, 2), linechart.WithStyles(st.Axis, st.Axis, st.Text),
		linechart.WithXLabelFormatter(axisLabel), linechart.WithYLabelFormatter(axisLabel))
	lc.DrawXYAxisAndLabel()
	lc.DrawBrailleLineWithStyle(canvas.Float64Point{X: lo, Y: lo}, canvas.Float64Point{X: hi, Y: hi}, st.Subtle)
	for _, p := range pts {
		lc.DrawRuneWithStyle(p, '•', st.TrainSeries)
	}
	return title + "\n" + lc.View()
}

// rightColumn is the decision boundary (2-D data) and the metric panel;
// after the run, the test metrics and confusion matrix.
func (m trainModel) rightColumn(r *liveRun, w, h int) string {
	st := m.styles
	var parts []string
	if r.plane != nil {
		title := st.Header.Render("decision boundary")
		if m.showTest {
			title += st.Subtle.Render(" + test points")
		}
		g := r.gridView
		if g == "" {
			g = st.Subtle.Render("computing…")
		}
		parts = append(parts, title, g)
	}
	parts = append(parts, m.metricPanel(r, w-4))
	if r.fin != nil && r.fin.Test.Confusion != nil && len(r.fin.Test.Confusion) <= 10 {
		parts = append(parts, st.Header.Render("test confusion (rows actual)"), confusionView(r.fin.Test.Confusion, r.start.ClassNames, st))
	}
	if r.fin != nil && r.fin.Reason != "" {
		parts = append(parts, st.Subtle.Render(wrap(r.fin.Reason, w-4)))
	}
	content := plain.MaxHeight(h - 2).Render(strings.Join(parts, "\n"))
	return st.Panel.Width(w - 2).Height(h - 2).Render(content)
}

// metricPanel lists the validation metrics: current, best; and test at the end.
func (m trainModel) metricPanel(r *liveRun, w int) string {
	st := m.styles
	if r.last == nil {
		return st.Subtle.Render("waiting for the first epoch…")
	}
	keys := make([]string, 0, len(r.last.Val))
	for k := range r.last.Val {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "loss") != (keys[j] == "loss") {
			return keys[i] == "loss"
		}
		return keys[i] < keys[j]
	})
	// Columns: now and best always; test after the run when there is room.
	// Each column is as wide as its widest cell, so exponent forms fit.
	cols := []string{"now", "best"}
	if r.fin != nil {
		cols = append(cols, "test")
	}
	cells := make([][]string, len(keys))
	widths := make([]int, len(cols))
	for i, k := range keys {
		cells[i] = make([]string, len(cols))
		for j, c := range cols {
			var v float64
			var ok bool
			switch c {
			case "now":
				v, ok = r.last.Val[k]
			case "best":
				v, ok = r.best[k]
			case "test":
				v, ok = r.fin.Test.Metrics[k]
			}
			cell := "—"
			if ok {
				cell = numfmt.Value(v)
			}
			cells[i][j] = cell
			widths[j] = max(widths[j], len(c), lipgloss.Width(cell), 6)
		}
	}
	used := func() int {
		n := 0
		for _, cw := range widths {
			n += cw + 2
		}
		return n
	}
	if w-used() < 10 && len(cols) == 3 {
		cols, widths = cols[:2], widths[:2]
	}
	nameW := max(w-used(), 6)
	head := fmt.Sprintf("%-*s", nameW, "val metric")
	for j, c := range cols {
		head += fmt.Sprintf("  %*s", widths[j], c)
	}
	rows := []string{st.Header.Render(truncate(head, w))}
	for i, k := range keys {
		row := fmt.Sprintf("%-*s", nameW, truncate(k, nameW))
		for j := range cols {
			row += fmt.Sprintf("  %*s", widths[j], cells[i][j])
		}
		rows = append(rows, truncate(row, w))
	}
	rows = append(rows, st.Subtle.Render(truncate(fmt.Sprintf("best epoch %d · lr %s · %s", r.bestEpoch, numfmt.Short(r.last.LR), r.start.Summary), w)))
	return strings.Join(rows, "\n")
}

func confusionView(cm [][]int, classes []string, st *Styles) string {
	name := func(i int) string {
		if i < len(classes) {
			return truncate(classes[i], 6)
		}
		return fmt.Sprint(i)
	}
	var b strings.Builder
	b.WriteString(fmt.Sprintf("%6s", ""))
	for j := range cm {
		b.WriteString(fmt.Sprintf(" %6s", name(j)))
	}
	for i, row := range cm {
		b.WriteString("\n" + fmt.Sprintf("%6s", name(i)))
		for j, v := range row {
			cell := fmt.Sprintf(" %6d", v)
			if i == j {
				cell = st.Good.Render(cell)
			}
			b.WriteString(cell)
		}
	}
	return b.String()
}

// truncateANSI cuts a styled string to w cells.
func truncateANSI(s string, w int) string {
	return plain.MaxWidth(w).Render(s)
}
