package tui

import (
	"slices"
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/trainer"
)

// TestCompareWarnsOfMixedDatasets: a circle run and a moons run were
// ranked against each other (1.0000* 0.5000) with nothing said. Each
// dataset is now ranked on its own, and the table says why.
func TestCompareWarnsOfMixedDatasets(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	spec := trainer.DefaultSpec()
	spec.Data.Name, spec.Epochs, spec.Name = "moons", 30, "moons run"
	rec := sessions.Record(store, nil, closedQueue(synthEvents(spec, "20261128-120200-cccccc", 0.2)).Out(), sessions.RecordOptions{})
	for range rec.Events() {
	}
	if err := rec.Err(); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store, 120, 40)
	send(a, compareRunsMsg{ids: []string{ids[0], "20261128-120200-cccccc"}})
	v := a.View()
	for _, want := range []string{"different datasets (circle, moons): their metrics are not comparable", "best among runs of the same dataset", "confusion matrices (test)"} {
		if !strings.Contains(v, want) {
			t.Errorf("Compare lacks %q:\n%s", want, v)
		}
	}
	for _, row := range a.compareScreen().cmp.Metrics {
		if row.Key == "best_val_accuracy" && !slices.Equal(row.Stars, []bool{true, true}) {
			t.Errorf("best_val_accuracy stars %v: each dataset's run is its best", row.Stars)
		}
	}
	// Runs of one dataset: no warning.
	send(a, compareRunsMsg{ids: ids})
	if v := a.View(); strings.Contains(v, "not comparable") {
		t.Errorf("a warning for one dataset:\n%s", v)
	}
}
