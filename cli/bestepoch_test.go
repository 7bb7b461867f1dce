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
	id := "20261129-120000-runrun"
	db := runningDB(t, func(s sessions.Store) { runtest.Running(t, s, id) })
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

// runningDB records a running run by record into a fresh store file, kept
// open (as by the process that trains it) until the test ends, and
// returns the file's path.
func runningDB(t *testing.T, record func(sessions.Store)) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "r.db")
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	record(store)
	return db
}
