package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/sessions/runtest"
)

// TestRunningRunShowsBestEpochSoFar: 'runs show' of a run still training
// says its best epoch so far, as its JSON does (best_epoch stayed 0 until
// the run finished), and how long it has been running.
func TestRunningRunShowsBestEpochSoFar(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	id := "20261129-120000-runrun"
	runtest.Running(t, store, id)
	out, errs, code := cli(t, db, "", "runs", "show", id)
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "status:   running") || !strings.Contains(out, "best 2 by val_loss") {
		t.Errorf("runs show of a running run:\n%s", out)
	}
	// Its time and rate are stored when it ends: it said "0s, 0 samples/s".
	if !strings.Contains(out, "best 2 by val_loss, running for ") || strings.Contains(out, "samples/s") {
		t.Errorf("runs show of a running run gives a time or rate it does not have:\n%s", out)
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
