package tui

import (
	"fmt"
	"strings"

	"workbench/sessions"
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
		return fitPanel(analysisView(*m.panel, st, m.w), m.w, m.h, st)
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
	cols := fitColumns(m.w-3, m.content)
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
		if m.filter != "" { // the store has runs the filter leaves out
			msg = "No runs match " + m.filter + ": esc clears the filter, / changes it."
		}
		if m.err != nil {
			msg = m.err.Error()
		}
		if m.filterErr != nil {
			msg = "The filter is refused, so no runs are listed (/ changes it, esc clears it): " + m.filterErr.Error()
		}
		lines = append(lines, st.Subtle.Render(wrap(msg, m.w)))
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
			cell := runCell(c, r, m.metric)
			switch done, _, ok := strings.Cut(cell, "/"); {
			case c.sort == "name":
				// Trials' names differ at the end: "#20 optimizer.lr=0.00…"
				// hid which was which. Whole words go, never part of one.
				cell = truncateWords(cell, c.width)
			case c.sort == "epochs" && ok && len(cell) > c.width:
				cell = truncate(done+"/…", c.width) // 19235/30… read as 19235 of 30-odd
			default:
				cell = truncate(cell, c.width)
			}
			b.WriteString(fmt.Sprintf("%-*s", c.width, cell))
			if j < len(cols)-1 {
				b.WriteString(" ")
			}
		}
		lines = append(lines, truncateANSI(b.String(), m.w))
	}
	return strings.Join(lines, "\n")
}

// fitPanel cuts an analysis result to h rows, saying how many it left out:
// at 50×15 credit's 13 importances lost their last 4 with nothing to say so.
func fitPanel(v string, w, h int, st *Styles) string {
	lines := strings.Split(v, "\n")
	if len(lines) <= h || h < 2 {
		return plain.MaxHeight(h).Render(v)
	}
	cut := len(lines) - (h - 1)
	return strings.Join(lines[:h-1], "\n") + "\n" + st.Subtle.Render(truncate(fmt.Sprintf("… %d more rows: a taller terminal shows them", cut), w))
}
