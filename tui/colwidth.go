package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"workbench/sessions"
)

// truncateWords cuts s to n cells by dropping whole words from its middle,
// keeping the first (a trial's #4) and as many of the last as fit:
// "#4 data.noise=0.1 seed=8 lr=0.003" reads "#4 … seed=8 lr=0.003", where
// a cut inside a word turned lr=0.0943382 into "…943382", another-looking
// number. With no room for one whole last word it keeps that word's value
// ("#20 …=0.000127618"), else the first word alone ("#4 …"); a single word
// is cut in the middle.
func truncateWords(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	words := strings.Fields(s)
	if len(words) < 2 {
		return truncateMiddle(s, n)
	}
	first := words[0]
	for k := 1; k < len(words); k++ {
		if c := first + " … " + strings.Join(words[k:], " "); k > 1 && lipgloss.Width(c) <= n {
			return c
		}
		if c := first + " " + strings.Join(words[k:], " "); k == 1 && lipgloss.Width(c) <= n {
			return c
		}
	}
	// The last word's value alone, whole: "#20 …=0.000127618".
	last := words[len(words)-1]
	if i := strings.LastIndex(last, "="); i >= 0 {
		if c := first + " …" + last[i:]; lipgloss.Width(c) <= n {
			return c
		}
	}
	if c := first + " …"; lipgloss.Width(c) <= n {
		return c
	}
	return truncateMiddle(s, n)
}

// maxColumnWidth caps how far a Runs column grows to show its longest
// cell; a column not named here grows to 16.
var maxColumnWidth = map[string]int{"NAME/ID": 40, "ARCHITECTURE": 32, "TAGS": 24}

// runCell is column c's text for r, with the metric the BEST VAL and TEST
// columns show ("" for each run's key metric).
func runCell(c runColumn, r *sessions.Run, metric string) string {
	if metric != "" && (c.sort == "val_key" || c.sort == "test_key") {
		return metricCell(r, map[string]string{"val_key": "best_val_", "test_key": "test_"}[c.sort], metric)
	}
	return c.cell(r)
}

// contentWidths is how wide each column would be to show every run's cell
// and its title with the sort arrow whole, and a cell to spare, up to
// maxColumnWidth.
func contentWidths(runs []*sessions.Run, metric string) map[string]int {
	out := map[string]int{}
	for _, c := range runColumns {
		title := c.title
		if c.sort == "val_key" || c.sort == "test_key" {
			title = metricTitle(title, metric)
		}
		w := lipgloss.Width(title) + 1
		for _, r := range runs {
			w = max(w, lipgloss.Width(runCell(c, r, metric)))
		}
		limit, ok := maxColumnWidth[c.title]
		if !ok {
			limit = 16
		}
		// One cell more than the text: with the separator, two spaces
		// between columns ("acc 0.9940 acc 0.9940" read as one).
		out[c.title] = min(w+1, max(limit, c.width))
	}
	return out
}
