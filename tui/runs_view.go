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

func (m runsModel) View() string {
	st := m.styles
	if m.store == nil {
		return st.Error.Render("no session store: runs are not saved in this session")
	}
	if m.sweepOpen {
		return m.sweep.View()
	}
	if m.detail != nil {
		return m.viewDetail()
	}
	if m.panel != nil {
		return plain.MaxHeight(m.h).Render(analysisView(*m.panel, st, m.w))
	}
	var lines []string
	head := fmt.Sprintf("%d runs", len(m.runs))
	if len(m.runs) == 1 {
		head = "1 run"
	}
	if len(m.selected) > 0 {
		head += fmt.Sprintf(" · %d selected (C compares)", len(m.selected))
	}
	if m.filter != "" {
		head += " · filter: " + m.filter
	}
	if m.filtering {
		head = m.input.View()
	}
	if m.confirm != "" {
		head = st.Error.Render("delete run " + sessions.CleanText(m.confirm) + " with its history and weights? y to confirm")
	}
	if m.replace != "" {
		name, _ := sessions.ExportFileName(m.replace)
		head = st.Error.Render(name + " exists: replace it? y to confirm")
	}
	lines = append(lines, head)
	cols := fitColumns(m.w - 3)
	var hb strings.Builder
	hb.WriteString("   ")
	for i, c := range cols {
		title := c.title
		if c.sort == "val_key" || c.sort == "test_key" {
			title = metricTitle(title, m.metric)
		}
		if runColumns[m.sortCol].title == c.title {
			title += map[bool]string{true: "↓", false: "↑"}[m.desc]
		}
		hb.WriteString(fmt.Sprintf("%-*s", c.width, truncate(title, c.width)))
		if i < len(cols)-1 {
			hb.WriteString(" ")
		}
	}
	lines = append(lines, st.Header.Render(truncate(hb.String(), m.w)))
	if len(m.runs) == 0 {
		msg := "No saved runs yet. Train one from Setup (1, then t)."
		if m.err != nil {
			msg = m.err.Error()
		}
		lines = append(lines, st.Subtle.Render(msg))
		return strings.Join(lines, "\n")
	}
	room := max(m.h-len(lines), 1)
	off := m.offset
	if m.cursor < off {
		off = m.cursor
	}
	if m.cursor >= off+room {
		off = m.cursor - room + 1
	}
	for i := off; i < min(len(m.runs), off+room); i++ {
		r := m.runs[i]
		var b strings.Builder
		cur, sel := " ", " "
		if i == m.cursor {
			cur = st.Selected.Render("›")
		}
		if m.selected[r.ID] {
			sel = "✓"
		}
		b.WriteString(cur + sel)
		b.WriteString(seriesStyle(r.ID).Render("●"))
		for j, c := range cols {
			cell := c.cell(r)
			if m.metric != "" && (c.sort == "val_key" || c.sort == "test_key") {
				cell = metricCell(r, map[string]string{"val_key": "best_val_", "test_key": "test_"}[c.sort], m.metric)
			}
			b.WriteString(fmt.Sprintf("%-*s", c.width, truncate(cell, c.width)))
			if j < len(cols)-1 {
				b.WriteString(" ")
			}
		}
		lines = append(lines, truncateANSI(b.String(), m.w))
	}
	return strings.Join(lines, "\n")
}

func (m runsModel) viewDetail() string {
	st := m.styles
	f := m.detail
	r := &f.Run
	w := m.w
	var head []string
	title := sessions.CleanText(r.ID)
	if r.Name != "" {
		title = r.Name + "  " + title
	}
	head = append(head, st.Title.Render(truncate(title, w)))
	best := "no best epoch yet" // stopped before its first epoch ended
	if r.BestEpoch > 0 {
		best = fmt.Sprintf("best %d", r.BestEpoch)
	}
	head = append(head, truncate(fmt.Sprintf("%s · %s · %s · %s lr %s · batch %d · %s epochs · %s", r.Status, r.Dataset, archOf(r.Summary),
		r.Spec.Optimizer.Name, numfmt.Short(r.Spec.Optimizer.LR), r.Spec.BatchSize, epochsCell(r.EpochsDone, r.EpochsTotal), best), w))
	var about []string // why it ended, its tags and notes: the ones it has
	if why := ReasonText(r.Status, r.Reason); why != "" {
		about = append(about, why)
	}
	if len(r.Tags) > 0 {
		about = append(about, "tags: "+strings.Join(r.Tags, ","))
	}
	if r.Notes != "" {
		about = append(about, r.Notes)
	}
	if len(about) > 0 {
		head = append(head, st.Subtle.Render(truncate(strings.Join(about, "  "), w)))
	}
	rightW := 0
	if w >= 70 {
		rightW = min(max(w*2/5, 30), 60)
	}
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
		ch.setEmpty(noEpochsText)
		mc.setEmpty(noEpochsText)
	}
	bodyH := max(m.h-len(head)-1, 6)
	ch.setSize(w-rightW, bodyH*3/5)
	mc.setSize(w-rightW, bodyH-bodyH*3/5)
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
			mc.setSize(cw, bodyH-bodyH*3/5)
			return mc.view()
		}
		if task == datasets.Binary && len(e.ROC) > 1 { // as Train shows a finished run
			first = func(cw int) string { return rocChart(st, which, e, cw, bodyH-bodyH*3/5) }
		}
		left = ch.view() + "\n" + evalRow(st, task, e, first, w-rightW, bodyH-bodyH*3/5)
	}
	var right []string
	mt := sessions.MetricTable([]*sessions.Run{r})
	keyW := max(min(metricKeyWidth(mt), rightW-4-1-numfmt.Width), 8)
	for _, mr := range mt {
		if strings.HasPrefix(mr.Key, "best_train") {
			continue
		}
		right = append(right, fmt.Sprintf("%-*s %s", keyW, truncateMiddle(mr.Key, keyW), numfmt.Value(mr.Values[0])))
	}
	switch {
	case len(right) == 0: // no heading over nothing
	case r.BestEpoch > 0:
		right = append([]string{st.Header.Render(truncate(fmt.Sprintf("metrics (best at epoch %d)", r.BestEpoch), rightW-4))}, right...)
	default:
		right = append([]string{st.Header.Render("metrics")}, right...)
	}
	if f.Evaluation != nil && len(f.Evaluation.Test.Confusion) > 0 {
		right = append(right, st.Header.Render("test confusion (rows actual)"), confusionView(f.Evaluation.Test.Confusion, r.Classes, st, rightW-4))
	}
	right = append(right, st.Subtle.Render("c clone · R re-run · x export · esc back"))
	body := left
	if rightW > 0 {
		rc := st.Panel.Width(rightW - 2).Height(bodyH - 2).Render(plain.MaxHeight(bodyH - 2).Render(strings.Join(right, "\n")))
		body = lipgloss.JoinHorizontal(lipgloss.Top, plain.Width(w-rightW).Render(left), rc)
	}
	return plain.MaxHeight(m.h).Render(strings.Join(head, "\n") + "\n" + body)
}
