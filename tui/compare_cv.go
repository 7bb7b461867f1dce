package tui

import (
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
