package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"workbench/sessions"
)

// TestRunsColumnsByPriority: when the Runs table drops columns for width,
// a column shows only if every column above it in columnPriority shows,
// so the run's result (STATUS, BEST VAL) outranks its settings (LR): at 50
// columns the list showed LR instead of BEST VAL.
func TestRunsColumnsByPriority(t *testing.T) {
	for w := 10; w <= 200; w++ {
		cols := fitColumns(w, nil)
		shown := map[string]bool{}
		used := 0
		for _, c := range cols {
			shown[c.title] = true
			used += c.width + 1
		}
		if used > w {
			t.Fatalf("at %d cells the columns take %d", w, used)
		}
		for i, title := range columnPriority {
			if !shown[title] && i+1 < len(columnPriority) && shown[columnPriority[i+1]] {
				t.Fatalf("at %d cells %s shows while %s, above it, does not", w, columnPriority[i+1], title)
			}
		}
	}
	store := tempStore(t)
	storeSynthRuns(t, store)
	for _, tc := range []struct {
		w, h      int
		want, not []string
	}{
		{50, 15, []string{"NAME/ID", "STATUS", "BEST VAL"}, []string{"LR", "DATASET", "TEST"}},
		{80, 24, []string{"NAME/ID", "DATASET", "STATUS", "BEST VAL", "TEST"}, []string{"LR", "OPT", "ARCHITECTURE"}},
		// Columns as wide as their cells leave room for the architecture.
		{120, 40, []string{"NAME/ID", "DATASET", "ARCHITECTURE", "OPT", "LR", "STATUS", "BEST VAL", "TEST", "TAGS", "EPOCHS"}, []string{"DATE"}},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.w, tc.h), func(t *testing.T) {
			a := newApp(t, store, tc.w, tc.h)
			press(a, "3")
			lines := strings.Split(a.View(), "\n")
			i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "NAME/ID") })
			if i < 0 {
				t.Fatalf("no header:\n%s", a.View())
			}
			head := strings.Fields(strings.ReplaceAll(lines[i], "BEST VAL", "BEST_VAL"))
			for _, want := range tc.want {
				if !slices.ContainsFunc(head, func(h string) bool { return strings.TrimRight(h, "↑↓") == strings.ReplaceAll(want, " ", "_") }) {
					t.Errorf("the header lacks %s: %q", want, lines[i])
				}
			}
			for _, not := range tc.not {
				if strings.Contains(lines[i], not) {
					t.Errorf("the header shows %s: %q", not, lines[i])
				}
			}
			// The result itself, not only its heading.
			if !strings.Contains(lines[i+1], "acc 0.") {
				t.Errorf("the first run shows no best value: %q", lines[i+1])
			}
		})
	}
}

// TestKeyCellKeepsAWideValueWhole: a diverged regression's R² of
// -1.916e+90 read "r2 -1.916e…" in the BEST VAL column, its magnitude
// cut; the value alone fits. A value that fits keeps its metric's name.
func TestKeyCellKeepsAWideValueWhole(t *testing.T) {
	for _, c := range []struct {
		task string
		key  string
		v    float64
		want string
	}{
		{"regression", "best_val_r2", -1.9157e90, "-1.916e+90"},
		{"regression", "test_r2", -2.7577e109, "-2.758e+109"},
		{"regression", "best_val_r2", 0.8412, "r2 0.8412"},
		{"binary", "best_val_accuracy", 0.95, "acc 0.9500"},
	} {
		r := &sessions.Run{Task: c.task, Metrics: map[string]float64{c.key: c.v}}
		prefix := strings.TrimSuffix(c.key, map[string]string{"regression": "r2", "binary": "accuracy"}[c.task])
		got := keyCell(r, prefix)
		if got != c.want || utf8.RuneCountInString(got) > keyColumnWidth {
			t.Errorf("%s %v: %q, want %q", c.key, c.v, got, c.want)
		}
	}
}
