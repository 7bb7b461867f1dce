package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// TestSweepShowStoppedGrid: a 3×2 grid sweep stopped after four trials
// covers the 2×2 sub-grid of its first two learning rates; sweep show said
// "exact fANOVA of the complete grid, 4 trials". It now says the shares
// are exact on a sub-grid of 4 of the grid's 6 points, and which values
// are left out.
func TestSweepShowStoppedGrid(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	base := trainer.DefaultSpec()
	base.Data = datasets.Spec{Name: "moons", Samples: 120, Noise: 0.15, Split: datasets.DefaultSplit, Seed: 2}
	base.Epochs = 300 // long enough that the fifth trial cannot end before the cancel lands, under load too
	spec := sweeps.Spec{Base: base, Grid: []sweeps.Param{
		{Field: "lr", Values: []string{"0.001", "0.01", "0.1"}}, {Field: "act", Values: []string{"relu", "tanh"}}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := sweeps.Run(ctx, store, spec, sweeps.Options{Parallel: 1, OnTrialStart: func(tr sweeps.Trial, _ string, _ *trainer.Handle, _ *datasets.Prepared, _ *trainer.EventQueue) {
		if tr.Index == 4 {
			cancel()
		}
	}})
	store.Close()
	if err != nil || res.Status != "stopped" {
		t.Fatalf("sweep: %v, status %v", err, res)
	}
	out, errs, code := cli(t, db, "", "sweep", "show", res.ID)
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{
		"exact fANOVA of a sub-grid, 4 of the grid's 6 points, 4 trials",
		"(a sub-grid of 4 of the grid's 6 points (lr 2 of 3 values): exact on it, silent on the values left out)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("sweep show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "complete grid") {
		t.Errorf("sweep show still claims the complete grid:\n%s", out)
	}
	out, _, _ = cli(t, db, "", "sweep", "show", res.ID, "--json")
	var rep struct {
		Importance struct {
			Method     string `json:"method"`
			Points     int    `json:"points"`
			GridPoints int    `json:"grid_points"`
		} `json:"importance"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Importance.Method != "fanova-subgrid" || rep.Importance.Points != 4 || rep.Importance.GridPoints != 6 {
		t.Errorf("--json importance %+v (%v)", rep.Importance, err)
	}
}
