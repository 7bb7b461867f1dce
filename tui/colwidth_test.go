package tui

import (
	"context"
	"strings"
	"testing"

	"workbench/sessions"
)

func TestTruncateWords(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"#4 data.noise=0.1 seed=8 lr=0.003", 40, "#4 data.noise=0.1 seed=8 lr=0.003"},
		{"#4 data.noise=0.1 seed=8 lr=0.003", 22, "#4 … seed=8 lr=0.003"},
		{"#1 lr=0.0943382", 12, "#1 …"},
		{"#1 lr=0.0943382", 14, "#1 …=0.0943382"},
		{"#20 optimizer.lr=0.000127618", 22, "#20 …=0.000127618"},
		{"20261129-165320-d4206f", 12, truncateMiddle("20261129-165320-d4206f", 12)},
		{"", 5, ""},
		{"a b", 0, ""},
	} {
		if got := truncateWords(c.s, c.n); got != c.want {
			t.Errorf("truncateWords(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

// TestRunsColumnsFitTheirContent: at 120 columns trials' names were cut
// ("#4 data-…ed=8 lr=0.003") and EPOCHS read "29959/10…" with room to
// spare; columns now take the width of their cells when there is room.
func TestRunsColumnsFitTheirContent(t *testing.T) {
	content := map[string]int{"NAME/ID": 34, "DATASET": 8, "STATUS": 8, "BEST VAL": 11, "TEST": 11, "EPOCHS": 13, "TAGS": 5, "LR": 6, "OPT": 5}
	got := map[string]int{}
	for _, c := range fitColumns(117, content) {
		got[c.title] = c.width
	}
	if got["NAME/ID"] != 34 || got["EPOCHS"] != 13 {
		t.Fatalf("widths %v", got)
	}

	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	for i, name := range []string{"#4 data.noise=0.1 seed=8 lr=0.003", "#12 data.noise=0.3 seed=8 lr=0.0943382"} {
		if err := store.UpdateRun(context.Background(), ids[i], sessions.Patch{Name: &name}); err != nil {
			t.Fatal(err)
		}
	}
	a := newApp(t, store, 120, 40)
	press(a, "3")
	v := a.View()
	for _, want := range []string{"#4 data.noise=0.1 seed=8 lr=0.003 ", "#12 data.noise=0.3 seed=8 lr=0.0943382 "} {
		if !strings.Contains(v, want) {
			t.Errorf("%q is cut:\n%s", want, v)
		}
	}
	// Compare's headings name them whole, or by whole words.
	press(a, " ", "down", " ", "C")
	v = a.View()
	if strings.Contains(v, "…943382") || !strings.Contains(v, "lr=0.0943382") {
		t.Errorf("Compare cuts a number:\n%s", v)
	}
}

// TestRunsEpochsNeverCutInANumber: with no room for 19235/30000 the cell
// read 19235/30…, as if the run had 30-odd epochs.
func TestRunsEpochsNeverCutInANumber(t *testing.T) {
	store := tempStore(t)
	storeSynthRuns(t, store)
	a := newApp(t, store, 80, 24)
	press(a, "3")
	m := a.runsScreen()
	for _, r := range m.runs {
		r.EpochsDone, r.EpochsTotal = 19235, 30000
	}
	m.content = contentWidths(m.runs, m.metric)
	if v := a.View(); strings.Contains(v, "/30…") || !strings.Contains(v, "19235/") {
		t.Errorf("EPOCHS:\n%s", v)
	}
}
