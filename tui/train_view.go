package tui

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

// statusLabel names a run's state for the UI: its status word (see
// statuswords.go), or paused.
func statusLabel(r *liveRun) string {
	switch {
	case r.fin != nil:
		return string(r.fin.Status)
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
			name = truncateMiddle(x.trial, 28) // trials differ in their last settings
		}
		if best[x.id] {
			name = "★ " + name
		}
		label := fmt.Sprintf("● %s %s", name, statusLabel(x))
		dot := seriesStyle(x.id)
		if i == m.sel { // brackets mark it where bold and underline do not show (NO_COLOR)
			tabs = append(tabs, dot.Render("●")+st.TabActive.Render("["+label[len("● "):]+"]"))
		} else {
			tabs = append(tabs, dot.Render("●")+st.Tab.Render(label[len("● "):]))
		}
	}
	header := truncateANSI(tabStrip(tabs, m.sel, m.w), m.w)
	lines := []string{header, m.progressLine(r)}
	if m.inputMode != "" {
		lines[1] = st.Focus.Render(m.inputMode+": ") + m.input.View()
	}
	if m.net.Focused() {
		return plain.MaxHeight(m.h).Render(strings.Join(lines, "\n") + "\n" + m.net.viewFor(r))
	}
	if m.showSweep && r.sweep != "" {
		return plain.MaxHeight(m.h).Render(strings.Join(lines, "\n") + "\n" + m.sweepTable(r, m.w, m.h-2))
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

// tabStrip joins tabs into one line of at most w cells that always shows
// tab sel: when they overflow, it shows a window around sel with ‹ and ›
// where tabs are hidden.
func tabStrip(tabs []string, sel, w int) string {
	if len(tabs) == 0 {
		return ""
	}
	sel = min(max(sel, 0), len(tabs)-1)
	width := func(lo, hi int) int { // tabs[lo:hi] with separators and markers
		n := 0
		for i := lo; i < hi; i++ {
			n += lipgloss.Width(tabs[i]) + 1
		}
		if lo > 0 {
			n += 2
		}
		if hi < len(tabs) {
			n += 2
		}
		return n - 1
	}
	lo, hi := sel, sel+1
	for {
		grew := false
		if hi < len(tabs) && width(lo, hi+1) <= w {
			hi, grew = hi+1, true
		}
		if lo > 0 && width(lo-1, hi) <= w {
			lo, grew = lo-1, true
		}
		if !grew {
			break
		}
	}
	out := strings.Join(tabs[lo:hi], " ")
	if lo > 0 {
		out = "‹ " + out
	}
	if hi < len(tabs) {
		out += " ›"
	}
	return out
}

// bestTrials marks, for each sweep, the trial with the best objective (or
// key metric) so far on validation: the lowest for val_cost.
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
		k := r.rankMetric()
		v, ok := r.best[k]
		if !ok || !finite(v) {
			continue
		}
		b, seen := bySweep[r.sweep]
		if !seen || (trainer.LowerIsBetter("val_"+k) && v < b.v) || (!trainer.LowerIsBetter("val_"+k) && v > b.v) {
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
	status := statusLabel(r)
	switch {
	case r.fin != nil:
		sps = r.fin.SamplesPerSec
		eta = "took " + numfmt.Duration(r.fin.Elapsed)
	case status == "paused": // it read "running 2s … paused", or an ETA that was not running
		eta = "trained " + elapsed.Round(time.Second).String()
	case epochs == 0:
		eta = "running " + elapsed.Round(time.Second).String()
	case frac > 0:
		eta = "ETA " + (time.Duration(float64(elapsed)/frac) - elapsed).Round(time.Second).String()
	}
	statusStyle := st.Accent
	switch trainer.Status(status) {
	case trainer.StatusDiverged, trainer.StatusStopped, trainer.StatusFailed, trainer.StatusInterrupted:
		statusStyle = st.Error
	case trainer.StatusDone, trainer.StatusEarlyStopped, trainer.StatusTargetReached:
		statusStyle = st.Good
	case "paused":
		statusStyle = st.Bad
	}
	info := progressInfo(r, done, limit, eta, humanRate(sps), m.w-len(status)-2)
	barW := max(m.w-lipgloss.Width(info)-len(status)-2, 0)
	m.bar.Width = min(barW, 40)
	bar := ""
	if m.bar.Width >= 5 && epochs > 0 {
		bar = m.bar.ViewAs(math.Min(frac, 1))
	}
	return truncateANSI(bar+info+statusStyle.Render(status), m.w)
}

// progressInfo is the progress line's text in w cells if it can: the
// epoch, for a cross-validated run after folds stopped early how many
// folds its mean covers, the ETA and the rate, which goes first when
// there is no room.
func progressInfo(r *liveRun, done int, limit, eta, rate string, w int) string {
	long, short := "", ""
	if r.last != nil && r.last.Folds > 0 && r.last.Folds < r.spec.CV {
		long = fmt.Sprintf(" · mean of %d/%d folds", r.last.Folds, r.spec.CV)
		short = fmt.Sprintf(" · %d/%d folds", r.last.Folds, r.spec.CV)
	}
	tries := []string{
		fmt.Sprintf(" Epoch %d/%s%s  %s  %s samples/s  ", done, limit, long, eta, rate),
		fmt.Sprintf(" Epoch %d/%s%s  %s  %s samples/s  ", done, limit, short, eta, rate),
		fmt.Sprintf(" Epoch %d/%s%s  %s  ", done, limit, short, eta),
	}
	for _, t := range tries[:len(tries)-1] {
		if long == "" || lipgloss.Width(t) <= w {
			return t
		}
	}
	return tries[len(tries)-1]
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

// rightColumn is the decision boundary (2-D data) and the metric panel;
// after the run, the test metrics and confusion matrix.
func (m trainModel) rightColumn(r *liveRun, w, h int) string {
	st := m.styles
	var parts []string
	if r.plane != nil {
		title := st.Header.Render("decision boundary")
		if r.data != nil && r.data.Task() == datasets.Regression { // it has no classes to draw a boundary between
			title = st.Header.Render("prediction surface")
		}
		if m.showTest {
			title += st.Subtle.Render(" + test points")
		}
		g := plain.MaxWidth(w - 4).Render(r.gridView) // a grid of the old size, until redrawn
		switch {
		case r.gridView != "":
		case r.spec.CV > 0: // it has K models, one per fold, and keeps none
			g = st.Subtle.Render(wrap(fmt.Sprintf("none: a %d-fold run keeps no single model to draw (set cross-validation folds to 0 to see it)", r.spec.CV), w-4))
		case r.fin != nil && !r.computing && r.nextSnap == nil: // it ended with no weights to draw
			g = st.Subtle.Render("none: no epoch ended")
		default:
			g = st.Subtle.Render("computing…")
		}
		parts = append(parts, title, g)
	}
	var tail []string
	if r.fin != nil && r.fin.Test.Confusion != nil {
		tail = append(tail, st.Header.Render(confusionTitle(r.fin.Test.Metrics, w-4)), confusionView(r.fin.Test.Confusion, r.start.ClassNames, st, w-4))
	}
	if r.fin != nil {
		if why := ReasonText(r.fin.Status, r.fin.Reason); why != "" {
			tail = append(tail, st.Subtle.Render(wrap(why, w-4)))
		}
	}
	tail = append(tail, warningLines(r, st, w-4)...)
	// The metric panel gets the rows the rest leaves, so the confusion
	// matrix is never cut off by a long list of metrics.
	used := lipgloss.Height(strings.Join(parts, "\n")) + lipgloss.Height(strings.Join(tail, "\n"))
	if len(parts) == 0 {
		used--
	}
	if len(tail) == 0 {
		used--
	}
	parts = append(parts, m.metricPanel(r, w-4, max(h-2-used, 2)))
	parts = append(parts, tail...)
	content := plain.MaxHeight(h - 2).Render(strings.Join(parts, "\n"))
	return st.Panel.Width(w - 2).Height(h - 2).Render(content)
}

// metricPanel lists the validation metrics: current, best; and test at the
// end, in at most maxRows lines: the loss and the task's key metrics
// first, then the rest, with a line that counts what did not fit.
func (m trainModel) metricPanel(r *liveRun, w, maxRows int) string {
	st := m.styles
	if r.last == nil {
		if r.fin != nil {
			return st.Subtle.Render(ansi.Wrap(noEpochsText, max(w, 1), ""))
		}
		return st.Subtle.Render(waitingText)
	}
	keys := make([]string, 0, len(r.last.Val))
	for k := range r.last.Val {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		for i, p := range []string{"loss", r.key, "auc", "f1", "precision", "recall", "r2", "mae", "rmse"} {
			if k == p {
				return i
			}
		}
		return 100
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	// A header, the metrics, a "+N more" line when some do not fit and the
	// best-epoch line when there is room for it beside one metric: at
	// 80×24 the boundary and the confusion matrix leave three rows.
	hidden := 0
	showBest := maxRows >= 4
	limit := maxRows - 1
	if showBest {
		limit--
	}
	switch {
	case len(keys) > limit && limit <= 1:
		// Room for one row (a warning under the boundary at 80×24): the
		// key metric, rather than a "+N more" line under a header with
		// no values at all.
		if i := slices.Index(keys, r.key); i > 0 {
			keys[0] = keys[i]
		}
		keys = keys[:min(limit, 1)]
	case len(keys) > limit:
		limit--
		hidden, keys = len(keys)-limit, keys[:limit]
	}
	// Columns: now and at the best epoch always; test after the run when
	// there is room. Each column is as wide as its widest cell, so
	// exponent forms fit. The second column is every metric at the epoch
	// the monitor chose, not each metric's own best, and its heading
	// says so: "best" read as each metric's best value.
	bestCol := fmt.Sprintf("@ep %d", r.bestEpoch)
	cols := []string{"now", bestCol}
	if r.fin != nil {
		cols = append(cols, "test")
	}
	cells := make([][]string, len(keys))
	widths := make([]int, len(cols))
	var vals []float64
	var text []string
	for i, k := range keys {
		// A row's values are formatted alike (numfmt.Values): "0.0003"
		// beside "7.004e-05" read as values of another kind.
		vals = vals[:0]
		cells[i] = make([]string, len(cols))
		for j, c := range cols {
			var v float64
			var ok bool
			switch c {
			case "now":
				v, ok = r.last.Val[k]
			case bestCol:
				v, ok = r.best[k]
			case "test":
				v, ok = r.fin.Test.Metrics[k]
			}
			if ok {
				vals = append(vals, v)
			} else {
				cells[i][j] = "—"
			}
		}
		text = numfmt.Values(text, vals...)
		for j, c := range cols {
			if cells[i][j] == "" {
				cells[i][j], text = text[0], text[1:]
			}
			widths[j] = max(widths[j], len(c), lipgloss.Width(cells[i][j]), 6)
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
	// Wide values (a regression's mae of 23268.8149) leave the names no
	// room and were cut mid-number ("22547.5…"): keep one column, the best
	// value of a finished run, the current one of a run in progress.
	if w-used() < 6 && len(cols) == 2 {
		keep := 1
		if r.fin == nil {
			keep = 0
		}
		cols, widths = cols[keep:keep+1], widths[keep:keep+1]
		for i := range cells {
			cells[i] = cells[i][keep : keep+1]
		}
	}
	nameW := max(w-used(), 6)
	head := fmt.Sprintf("%-*s", nameW, "val metric")
	for j, c := range cols {
		head += fmt.Sprintf("  %*s", widths[j], c)
	}
	rows := []string{st.Header.Render(truncate(head, w))}
	for i, k := range keys {
		row := fmt.Sprintf("%-*s", nameW, truncateMiddle(k, nameW))
		for j := range cols {
			row += fmt.Sprintf("  %*s", widths[j], cells[i][j])
		}
		rows = append(rows, truncate(row, w))
	}
	if hidden > 0 {
		rows = append(rows, st.Subtle.Render(truncate(fmt.Sprintf("+%d more metrics (Runs › enter shows all)", hidden), w)))
	}
	if showBest {
		rows = append(rows, st.Subtle.Render(truncate(fmt.Sprintf("best epoch %d · lr %s · %s", r.bestEpoch, numfmt.Short(r.last.LR), r.start.Summary), w)))
	}
	return strings.Join(rows, "\n")
}
