package tui

import (
	"slices"
	"strings"

	"workbench/numfmt"
	"workbench/sessions"
)

// compareColW is the width of a run's column in Compare's metric table:
// wider when a cross-validated run puts mean ± std in it.
func compareColW(rows []sessions.MetricRow) int {
	for _, r := range rows {
		if r.Std != nil {
			return 16
		}
	}
	return 10
}

// compareCell writes run i's value in a metric row, "0.9500 ± 0.0300" for
// a cross-validated run, and its mark: * best, ~ within one std of the
// best (not significant), or a space.
func compareCell(row sessions.MetricRow, i int) (text string, mark byte) {
	if !row.Have[i] {
		return "—", ' '
	}
	text = numfmt.Value(row.Values[i])
	if row.Std != nil && row.HasStd[i] {
		text += "±" + numfmt.Value(row.Std[i])
	}
	switch {
	case i < len(row.Stars) && row.Stars[i]:
		return text, '*'
	case row.NotSignificant != nil && row.NotSignificant[i]:
		return text, '~'
	}
	return text, ' '
}

// mixedWarning says when the runs are of different datasets or tasks,
// whose metrics are not comparable: a circle run's 1.0000 was starred over
// a CSV run's 0.5000 as if it were the better network.
func mixedWarning(runs []*sessions.Run) string {
	var datasets, tasks []string
	for _, r := range runs {
		if !slices.Contains(datasets, r.Dataset) {
			datasets = append(datasets, r.Dataset)
		}
		if !slices.Contains(tasks, r.Task) {
			tasks = append(tasks, r.Task)
		}
	}
	var what []string
	if len(datasets) > 1 {
		what = append(what, "datasets ("+strings.Join(datasets, ", ")+")")
	}
	if len(tasks) > 1 {
		what = append(what, "tasks ("+strings.Join(tasks, ", ")+")")
	}
	if len(what) == 0 {
		return ""
	}
	return "different " + strings.Join(what, " and ") + ": their metrics are not comparable; * marks the best of each"
}
