package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// TestRunningRunShowsBestEpochSoFar: 'runs show' of a run still training
// says its best epoch so far, as its JSON does; best_epoch stayed 0 until
// the run finished.
func TestRunningRunShowsBestEpochSoFar(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	spec := trainer.DefaultSpec()
	id := "20261129-120000-runrun"
	in := make(chan trainer.Event, 8)
	rec := sessions.Record(store, nil, in, sessions.RecordOptions{})
	defer func() {
		close(in)
		<-rec.Done()
	}()
	in <- trainer.StartEvent{ID: id, Spec: spec, Task: datasets.Binary, Summary: "2 → 4 tanh → 1 sigmoid", Started: time.Now()}
	for e, loss := range []float64{0.9, 0.5, 0.7} {
		in <- trainer.EpochEvent{ID: id, Epoch: e + 1, Epochs: spec.Epochs, Train: map[string]float64{"loss": loss},
			Val: map[string]float64{"loss": loss, "accuracy": 1 - loss}, Best: e < 2}
	}
	for range 4 { // each event comes out once it is written
		<-rec.Events()
	}
	out, errs, code := cli(t, db, "", "runs", "show", id)
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "status:   running") || !strings.Contains(out, "best 2 by val_loss") {
		t.Errorf("runs show of a running run:\n%s", out)
	}
	out, _, _ = cli(t, db, "", "runs", "show", id, "--json")
	var r struct {
		Status    string `json:"status"`
		BestEpoch int    `json:"best_epoch"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Status != "running" || r.BestEpoch != 2 {
		t.Errorf("runs show --json: status %q best_epoch %d (%v)", r.Status, r.BestEpoch, err)
	}
}
