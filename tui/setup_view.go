package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"workbench/datasets"
)

func (m setupModel) viewForm(w, h int) string {
	st := m.styles
	var lines []string
	sum := m.derived.summary
	switch {
	case m.dataErr != nil:
		sum = "the data did not load: fix the dataset fields"
	case sum == "":
		sum = "loading the dataset…"
	}
	lines = append(lines, st.Subtle.Render(truncate(sum, w-2)))
	btn := "[ ▶ Train ]  t or enter"
	if n := m.derived.trials; n > 0 {
		btn = fmt.Sprintf("[ ▶ Sweep %d trials ]  t or enter", n)
	}
	if why := m.derived.why; why != "" {
		btn = "[ ▶ Train ]  " + st.Invalid.Render(truncate(why, max(w-16, 10)))
	}
	if m.cursor == 0 {
		lines = append(lines, st.Selected.Render("› ")+st.Focus.Render(btn))
	} else {
		lines = append(lines, "  "+btn)
	}
	// One more than the longest label (cross-validation folds, 22), so a
	// value never touches its label ("cross-validation folds0").
	labelW := 23
	showHint := w >= 78
	body := []string{}
	cursorLine := 0
	cut := false // the focused row's invalid reason runs past the form
	section := ""
	for i, f := range m.fields {
		if f.section != section {
			section = f.section
			body = append(body, st.Header.Render(section))
		}
		val := m.value(&m.fields[i])
		if f.key == "data.name" && m.pending != "" {
			val = m.pending + "  (enter to choose a file)"
			if len([]rune(val))+4 > w-2-labelW { // at 80×24 it read "(enter to c"
				val = m.pending + " (enter)"
			}
		}
		if t, ok := m.typed[f.key]; ok {
			val = t
		}
		focused := m.cursor == i+1
		mark := "  "
		if focused {
			mark = st.Selected.Render("› ")
			cursorLine = len(body)
		}
		label := fmt.Sprintf("%-*s", labelW, truncate(f.label, labelW))
		var valStr string
		switch {
		case focused && m.editing:
			valStr = m.editView()
		case m.invalid[f.key] != "":
			valStr = st.Invalid.Render(val + "  ✗ " + m.invalid[f.key])
		case focused && (len(f.steps) > 0 || f.key == "seed"):
			valStr = st.Focus.Render("‹ " + val + " ›")
		case focused && f.key == "data.ignore":
			valStr = st.Focus.Render(val + "  (enter to choose)")
		case focused: // no steps: ‹ › promised what ←/→ did not do
			valStr = st.Focus.Render(val + "  (enter to type)")
		default:
			valStr = st.Text.Render(val)
		}
		if n, small := m.smallSet(); small && (f.key == "data.split[0]" || f.key == "data.split[1]") && !(focused && m.editing) {
			// Shown as if it applied, and silently ignored.
			note := fmt.Sprintf("  n/a: %d rows, every split uses all", n)
			if 2+labelW+lipgloss.Width(val+note) > w {
				note = fmt.Sprintf("  n/a: %d rows", n) // at 80 columns
			}
			valStr += st.Subtle.Render(note)
		}
		if sw, ok := m.sweep[f.key]; ok && !(focused && m.editing) {
			valStr += st.Accent.Render("  ⟳ " + sw)
		}
		line := mark + label + valStr
		if showHint && !m.editing {
			line += "  " + st.Subtle.Render(f.hint)
		}
		if focused && m.invalid[f.key] != "" && lipgloss.Width(line) > w {
			cut = true
		}
		body = append(body, plain.MaxWidth(w).Render(line))
	}
	// The lines under the form: the focused field's range when the hints
	// have no room beside the values, whole over as many lines as the
	// longest range of the form takes (at 80 columns one line cut
	// momentum's "… none for sgd"), so that the form does not move from
	// field to field; and the whole reason of an invalid value that its
	// row cuts (the value column cut "✗ unknown dataset "mons": …" before
	// its "did you mean moons?"), over up to three lines.
	var under []string
	if f := m.current(); f != nil {
		switch why := m.invalid[f.key]; {
		case why != "" && (cut || !showHint):
			under = strings.Split(wrapLines("✗ "+why, w-2, 3), "\n")
			for i := range under {
				under[i] = st.Invalid.Render(under[i])
			}
		case !showHint:
			under = strings.Split(wrapLines(rangeLine(f), w-2, 3), "\n")
			for i := range under {
				under[i] = st.Subtle.Render(under[i])
			}
		}
	}
	if !showHint {
		for len(under) < m.rangeLines(w-2) { // the Train button too: the form does not move
			under = append(under, "")
		}
	}
	room := h - len(lines) - 1 - len(under)
	off := m.offset
	if cursorLine < off {
		off = cursorLine
	}
	if cursorLine >= off+room {
		off = cursorLine - room + 1
	}
	off = max(0, min(off, max(0, len(body)-room)))
	end := min(len(body), off+room)
	lines = append(lines, body[off:end]...)
	lines = append(lines, under...)
	return plain.Width(w).Height(h).MaxHeight(h).Render(strings.Join(lines, "\n"))
}

func (m setupModel) viewInfo(w, h int) string {
	st := m.styles
	inner := w - 4
	var b []string
	switch {
	case m.dataErr != nil:
		b = append(b, st.Error.Render("cannot load the data"), wrap(setupHint(m.dataErr.Error()), inner))
	case m.table == nil:
		b = append(b, st.Subtle.Render("loading…"))
	default:
		meta := m.table.Meta
		b = append(b, st.Title.Render(meta.Name), wrap(meta.Description, inner), "")
		b = append(b, fmt.Sprintf("%s · %d rows × %d features", meta.Task, meta.Rows, meta.Features))
		if m.derived.hint != "" {
			b = append(b, st.Bad.Render(wrap(m.derived.hint, inner)))
		}
		if len(meta.ClassNames) > 0 && len(meta.ClassCounts) == len(meta.ClassNames) {
			for i, c := range meta.ClassNames {
				if i >= 5 {
					b = append(b, st.Subtle.Render(fmt.Sprintf("… %d more classes", len(meta.ClassNames)-5)))
					break
				}
				frac := float64(meta.ClassCounts[i]) / float64(max(meta.Rows, 1))
				bar := strings.Repeat("█", int(frac*float64(max(inner-22, 4))+0.5))
				b = append(b, fmt.Sprintf("%-10s %4d %s", truncate(c, 10), meta.ClassCounts[i], st.Accent.Render(bar)))
			}
		}
		if m.table.D == 2 {
			ph := max(3, h-len(b)-6)
			b = append(b, "", scatter(m.table, inner, min(ph, 10), st))
		}
		b = append(b, "", st.Subtle.Render(wrap("source: "+meta.Source, inner)))
		if meta.License != "" {
			b = append(b, st.Subtle.Render(wrap("licence: "+meta.License, inner)))
		}
	}
	content := strings.Join(b, "\n")
	return st.Panel.Width(w - 2).Height(h - 2).MaxHeight(h).Render(plain.MaxHeight(h - 2).Render(content))
}

// scatter draws a 2-D table's points as characters, class 1 as 'o'.
func scatter(t *datasets.Table, w, h int, st *Styles) string {
	if w < 4 || h < 2 {
		return ""
	}
	x0, x1, y0, y1 := t.X[0], t.X[0], t.X[1], t.X[1]
	for i := 0; i < t.N; i++ {
		x, y := t.X[2*i], t.X[2*i+1]
		x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	if y1 == y0 {
		y1 = y0 + 1
	}
	grid := make([][]rune, h)
	for r := range grid {
		grid[r] = []rune(strings.Repeat("·", w))
	}
	for i := 0; i < t.N; i++ {
		c := int((t.X[2*i] - x0) / (x1 - x0) * float64(w-1))
		r := int((y1 - t.X[2*i+1]) / (y1 - y0) * float64(h-1))
		ch := '*'
		if t.Meta.Task == datasets.Binary {
			ch = 'x'
			if t.Y[i] >= 0.5 {
				ch = 'o'
			}
		}
		grid[r][c] = ch
	}
	lines := make([]string, h)
	for r, row := range grid {
		var sb strings.Builder
		for _, ch := range row {
			switch ch {
			case 'o':
				sb.WriteString(st.TrainSeries.Render("o"))
			case 'x':
				sb.WriteString(st.ValSeries.Render("x"))
			case '·':
				sb.WriteString(st.Subtle.Render("·"))
			default:
				sb.WriteRune(ch)
			}
		}
		lines[r] = sb.String()
	}
	return strings.Join(lines, "\n")
}

// truncateMiddle cuts s to n cells by dropping its middle, so names that
// differ only at the end (best_val_precision_macro, …_weighted; trial
// names that differ in their last setting) stay distinct.
func truncateMiddle(s string, n int) string {
	r := []rune(s)
	if n <= 0 || len(r) <= n {
		return truncate(s, n)
	}
	head := (n - 1) * 2 / 5
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// wrapLines wraps s at w cells into at most n lines, the last cut with
// "…" when s needs more.
// rangeLine is what the line under the form says of field f's range.
func rangeLine(f *field) string { return "range: " + f.hint }

// rangeLines is how many lines, up to three, the longest range line of
// the form takes at w columns.
func (m setupModel) rangeLines(w int) int {
	n := 1
	for i := range m.fields {
		n = max(n, strings.Count(wrapLines(rangeLine(&m.fields[i]), w, 3), "\n")+1)
	}
	return n
}

func wrapLines(s string, w, n int) string {
	lines := strings.Split(ansi.Wrap(s, max(w, 1), ""), "\n")
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = truncate(lines[n-1]+" …", w)
	}
	return strings.Join(lines, "\n")
}

func wrap(s string, w int) string {
	if w < 8 {
		return truncate(s, w)
	}
	return plain.Width(w).Render(s)
}

// infoMinWidth is the narrowest Setup that has room for the info panel
// beside the form.
const infoMinWidth = 70

func (m setupModel) View() string {
	if m.w < 20 || m.h < 5 {
		return ""
	}
	infoW := 0
	if m.w >= infoMinWidth {
		infoW = min(max(m.w*2/5, 30), 60)
	}
	formW := m.w - infoW
	form := m.viewForm(formW, m.h)
	if infoW == 0 {
		if m.picking || m.choosingCols { // no room beside the form
			return m.viewPicker(m.w, m.h)
		}
		return form
	}
	if m.picking || m.choosingCols {
		return lipgloss.JoinHorizontal(lipgloss.Top, form, m.viewPicker(infoW, m.h))
	}
	info := m.viewInfo(infoW, m.h)
	if m.lrf.active() {
		info = m.styles.Panel.Width(infoW - 2).Height(m.h - 2).Render(plain.MaxHeight(m.h - 2).Render(m.lrf.view(m.styles, infoW-4, m.h-2)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, form, info)
}

// viewPicker is the file or column picker, in a panel.
func (m setupModel) viewPicker(w, h int) string {
	var content string
	if m.picking {
		content = m.viewFiles(w-4, h-2)
	} else {
		content = m.viewColumns(w-4, h-2)
	}
	return m.styles.PanelFocused.Width(w - 2).Height(h - 2).MaxHeight(h).Render(plain.MaxHeight(h - 2).Render(content))
}

// smallSet returns the loaded table's rows, and whether they are too few
// to split (datasets.SmallSetRows): train, validation and test are then
// all of them, whatever the fractions say.
func (m setupModel) smallSet() (rows int, small bool) {
	if m.table == nil {
		return 0, false
	}
	rows = max(m.table.Meta.Rows, m.table.N)
	return rows, rows > 0 && rows < datasets.SmallSetRows
}
