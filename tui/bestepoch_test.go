package tui

import (
	"strings"
	"testing"

	"workbench/sessions/runtest"
)

// TestOpenRunningRunShowsBestEpochSoFar: a run another process is
// training, opened on Runs, says its best epoch so far; the store kept 0
// until the run finished, so the panel read "no best epoch yet".
func TestOpenRunningRunShowsBestEpochSoFar(t *testing.T) {
	store := tempStore(t)
	id := "20261129-120000-runrun"
	runtest.Running(t, store, id)
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	v := a.View()
	if !strings.Contains(v, "running · ") || !strings.Contains(v, "3/100 epochs · best 2") {
		t.Fatalf("the open running run:\n%s", v)
	}
	if !strings.Contains(v, "metrics (best at epoch 2)") {
		t.Errorf("the metrics heading:\n%s", v)
	}
}
