package tui

import (
	"strings"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// TestOpenRunningRunShowsBestEpochSoFar: a run another process is
// training, opened on Runs, says its best epoch so far; the store kept 0
// until the run finished, so the panel read "no best epoch yet".
func TestOpenRunningRunShowsBestEpochSoFar(t *testing.T) {
	store := tempStore(t)
	spec := trainer.DefaultSpec()
	id := "20261129-120000-runrun"
	in := make(chan trainer.Event, 8)
	rec := sessions.Record(store, nil, in, sessions.RecordOptions{})
	defer func() {
		close(in)
		<-rec.Done()
	}()
	in <- trainer.StartEvent{ID: id, Spec: spec, Task: datasets.Binary, ClassNames: []string{"0", "1"},
		Summary: "2 → 4 tanh → 1 sigmoid", Started: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	for e, loss := range []float64{0.9, 0.5, 0.7} {
		in <- trainer.EpochEvent{ID: id, Epoch: e + 1, Epochs: spec.Epochs, Train: map[string]float64{"loss": loss},
			Val: map[string]float64{"loss": loss, "accuracy": 1 - loss}, Best: e < 2}
	}
	for range 4 { // each event comes out once it is written
		<-rec.Events()
	}
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
