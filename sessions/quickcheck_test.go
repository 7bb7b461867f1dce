package sessions

import "testing"

func TestQuickCheckSummaryIsOneLine(t *testing.T) {
	for res, want := range map[string]string{
		"*** in database main ***\nTree 12 page 442 cell 1: invalid page number 1775417872\nPage 489: never used\nPage 490: never used": "Tree 12 page 442 cell 1: invalid page number 1775417872 (and 2 more problems)",
		"row 3 missing from index i\n":   "row 3 missing from index i",
		"*** in database main ***\n  \n": "*** in database main ***",
	} {
		if got := quickCheckSummary(res); got != want {
			t.Errorf("%q: %q, want %q", res, got, want)
		}
	}
}
