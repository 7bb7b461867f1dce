package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// detailHead is the open run's title, its summary line and, when it has
// any, why it ended, its tags and notes.
func (m runsModel) detailHead(w int) []string {
	st := m.styles
	r := &m.detail.Run
	var head []string
	title := sessions.CleanText(r.ID)
	if r.Name != "" {
		title = r.Name + "  " + title
	}
	head = append(head, st.Title.Render(truncate(title, w)))
	head = append(head, truncate(m.detailSummary(), w))
	var about []string // why it ended, its tags and notes: the ones it has
	if why := ReasonText(r.Status, r.Reason); why != "" {
		about = append(about, why)
	}
	if len(r.Tags) > 0 {
		about = append(about, "tags: "+strings.Join(r.Tags, ", "))
	}
	// The note is labelled: after the tags it read as one more
	// ("tags: baseline  long run, stopped early").
	if r.Notes != "" {
		about = append(about, "note: "+r.Notes)
	}
	if len(about) > 0 {
		head = append(head, st.Subtle.Render(truncate(strings.Join(about, " · "), w)))
	}
	return head
}

// detailSummary is the open run's summary line, what matters most first,
// so that a narrow terminal cuts the settings rather than the progress:
// the status, the epochs, a cross-validated run's folds (those still
// training, while it runs), the best epoch and its key metric, then the
// dataset, the architecture, the optimizer and the batch.
func (m runsModel) detailSummary() string {
	r := &m.detail.Run
	if r.Kind == sessions.KindEnsemble { // the optimizer and epochs were its first member's
		return fmt.Sprintf("%s · %s · %s", r.Status, r.Dataset, archOf(r.Summary))
	}
	parts := []string{string(r.Status), epochsCell(r.EpochsDone, r.EpochsTotal) + " epochs"}
	switch n, of := m.detail.FoldsTraining(); {
	case of > 0:
		parts = append(parts, fmt.Sprintf("%d/%d folds", n, of))
	case r.Spec.CV > 0:
		parts = append(parts, fmt.Sprintf("%d-fold CV", r.Spec.CV))
	}
	if r.BestEpoch > 0 {
		parts = append(parts, fmt.Sprintf("best %d", r.BestEpoch))
		if v := keyCell(r, "best_val_"); v != "—" {
			parts = append(parts, "val "+v)
		}
	} else {
		parts = append(parts, "no best epoch yet") // stopped before its first epoch ended
	}
	parts = append(parts, r.Dataset, archOf(r.Summary), fmt.Sprintf("%s lr %s", r.Spec.Optimizer.Name, numfmt.Short(r.Spec.Optimizer.LR)))
	if r.Spec.BatchSize == 0 {
		parts = append(parts, "full batch")
	} else {
		parts = append(parts, fmt.Sprintf("batch %d", r.Spec.BatchSize))
	}
	return strings.Join(parts, " · ")
}

// detailSizes are the open run's side panel's width (0: no room for it)
// and the height of the body under its head.
func (m runsModel) detailSizes(headLines int) (rightW, bodyH int) {
	if m.w >= 70 {
		rightW = min(max(m.w*2/5, 30), 60)
	}
	return rightW, max(m.h-headLines-1, 6)
}

// detailPanel is the open run's side panel, w cells wide and h lines high
// inside its border: the metrics, from the off-th when they do not all fit
// (↑↓ scroll them, and a line says how many are above and below), then
// the test confusion matrix and the keys, which always show. It returns
// the lines and the largest useful offset.
func (m runsModel) detailPanel(w, h, off int) ([]string, int) {
	st := m.styles
	f := m.detail
	r := &f.Run
	mt := sessions.MetricTable([]*sessions.Run{r})
	var names, values []string
	valW := 0
	for _, mr := range mt {
		if strings.HasPrefix(mr.Key, "best_train") {
			continue
		}
		v := numfmt.Value(mr.Values[0])
		names, values = append(names, mr.Key), append(values, v)
		valW = max(valW, lipgloss.Width(v))
	}
	// The names get what the values leave, so that a narrow panel cuts
	// no more of them than it must (best_val_accuracy and
	// best_val_balanced_accuracy were both "best_…_accuracy" at 80×24).
	keyW := max(min(metricKeyWidth(mt), w-1-valW), 8)
	var metrics []string
	for i := range names {
		metrics = append(metrics, fmt.Sprintf("%-*s %s", keyW, truncateMiddle(names[i], keyW), values[i]))
	}
	var tail []string
	if f.Evaluation != nil && len(f.Evaluation.Test.Confusion) > 0 {
		tail = append(tail, st.Header.Render(confusionTitle(f.Evaluation.Test.Metrics, w)), confusionView(f.Evaluation.Test.Confusion, r.Classes, st, w))
	}
	keys := "c clone · R re-run · x export · esc back"
	if sessions.NotRerunnable(r) != nil { // an ensemble or a compressed copy: R is refused
		keys = "c clone · x export · esc back"
	}
	tail = append(tail, st.Subtle.Render(truncate(keys, w)))
	if len(metrics) == 0 {
		return tail, 0
	}
	heading := st.Header.Render("metrics")
	if r.BestEpoch > 0 {
		heading = st.Header.Render(truncate(fmt.Sprintf("metrics (best at epoch %d)", r.BestEpoch), w))
	}
	// A decision rule moves the threshold off 0.5: say which one the
	// metrics are at.
	if rule := r.DecisionNote(false); rule != "" {
		heading += "\n" + st.Subtle.Render(wrap(rule, w))
	}
	// The epochs are scored before calibration, the test after it.
	if c := r.CalibrationNote(false); c != "" {
		heading += "\n" + st.Subtle.Render(wrap(c, w))
	}
	room := h - lipgloss.Height(heading) - lipgloss.Height(strings.Join(tail, "\n"))
	maxOff := 0
	if len(metrics) > room {
		shown := max(room-1, 1) // and a line that says what is hidden
		maxOff = len(metrics) - shown
		off = min(max(off, 0), maxOff)
		more := fmt.Sprintf("▲ %d above · ▼ %d below (↑↓)", off, len(metrics)-off-shown)
		metrics = append(metrics[off:off+shown:off+shown], st.Subtle.Render(truncate(more, w)))
	}
	return append(append([]string{heading}, metrics...), tail...), maxOff
}

// detailScroll is the largest offset the open run's metrics scroll to.
func (m runsModel) detailScroll() int {
	if m.detail == nil {
		return 0
	}
	rightW, bodyH := m.detailSizes(len(m.detailHead(m.w)))
	if rightW == 0 {
		return 0
	}
	_, maxOff := m.detailPanel(rightW-4, bodyH-2, 0)
	return maxOff
}

func (m runsModel) viewDetail() string {
	st := m.styles
	f := m.detail
	r := &f.Run
	w := m.w
	head := m.detailHead(w)
	rightW, bodyH := m.detailSizes(len(head))
	ch := newChart("loss", st)
	task, _ := datasets.ParseTask(r.Task)
	km := trainer.KeyMetric(task)
	mc := newChart(km, st)
	for _, e := range f.History {
		ch.add("train", st.TrainSeries, float64(e.Epoch), e.Train["loss"])
		ch.add("val", st.ValSeries, float64(e.Epoch), e.Val["loss"])
		if v, ok := e.Train[km]; ok {
			mc.add("train", st.TrainSeries, float64(e.Epoch), v)
		}
		if v, ok := e.Val[km]; ok {
			mc.add("val", st.ValSeries, float64(e.Epoch), v)
		}
	}
	if len(f.History) == 0 && r.Status != trainer.StatusRunning { // it will never have an epoch
		why := noEpochsText
		switch r.Kind { // a derived run did not stop early: it never trained
		case sessions.KindEnsemble:
			why = "no epochs: an ensemble's members trained, not the ensemble"
		case sessions.KindCompressed:
			why = "no epochs: the run it was compressed from trained"
		}
		ch.setEmpty(why)
		mc.setEmpty(why)
	}
	// A chart needs 5 rows: when the lower row cannot have them (near
	// 50×15) the loss chart takes them all, where they were left blank.
	lossH, lowH := bodyH*3/5, bodyH-bodyH*3/5
	if lowH < 5 {
		lossH, lowH = bodyH, 0
	}
	ch.setSize(w-rightW, lossH)
	mc.setSize(w-rightW, lowH)
	left := ch.view() + "\n" + mc.view()
	if f.Evaluation != nil {
		// The ROC (binary) or metric chart, the PR curve and the
		// reliability diagram.
		e, which := f.Evaluation.Test, "test"
		if len(e.Folds) > 0 || len(e.Reliability) == 0 {
			e, which = f.Evaluation.Val, "val" // a cross-validated run's out-of-fold bins
			if len(e.Folds) > 0 {
				which = "CV"
			}
		}
		first := func(cw int) string {
			mc.setSize(cw, lowH)
			return mc.view()
		}
		if task == datasets.Binary && len(e.ROC) > 1 { // as Train shows a finished run
			first = func(cw int) string { return rocChart(st, which, e, cw, lowH) }
		}
		left = ch.view() + "\n" + evalRow(st, task, e, first, w-rightW, lowH)
	}
	body := left
	if rightW > 0 {
		right, _ := m.detailPanel(rightW-4, bodyH-2, m.detailOff)
		rc := st.Panel.Width(rightW - 2).Height(bodyH - 2).Render(plain.MaxHeight(bodyH - 2).Render(strings.Join(right, "\n")))
		body = lipgloss.JoinHorizontal(lipgloss.Top, plain.Width(w-rightW).Render(left), rc)
	}
	return plain.MaxHeight(m.h).Render(strings.Join(head, "\n") + "\n" + body)
}
