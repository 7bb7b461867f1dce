package sweeps

import (
	"context"
	"strings"
	"testing"

	"workbench/analysis"
	"workbench/sessions"
)

func TestEnsembleTopTakesTheBestTrials(t *testing.T) {
	store := tempStore(t)
	ctx := context.Background()
	spec := Spec{Base: base(8), Grid: []Param{{Field: "lr", Values: []string{"0.001", "0.01", "0.05"}}}}
	res, err := Run(ctx, store, spec, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	ens, err := EnsembleTop(ctx, store, res, 2, analysis.EnsembleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	worst := res.Trials[0]
	for _, tr := range res.Trials {
		if tr.Objective < worst.Objective {
			worst = tr
		}
	}
	for _, m := range ens.Members {
		if m.ID == worst.RunID {
			t.Errorf("the worst trial %s is a member", m.ID)
		}
	}
	run, err := store.GetRun(ctx, ens.ID)
	if err != nil || run.Kind != sessions.KindEnsemble || !strings.HasPrefix(run.Name, "top 2 of sweep") {
		t.Fatalf("ensemble run %+v: %v", run, err)
	}
	if _, err := EnsembleTop(ctx, store, res, 4, analysis.EnsembleOptions{}); err == nil || !strings.Contains(err.Error(), "only 3") {
		t.Errorf("too many: %v", err)
	}
	// A sweep over a data field cannot be ensembled.
	res2, err := Run(ctx, store, Spec{Base: base(2), Grid: []Param{{Field: "data.noise", Values: []string{"0.1", "0.2"}}}}, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EnsembleTop(ctx, store, res2, 2, analysis.EnsembleOptions{}); err == nil || !strings.Contains(err.Error(), "data.noise") {
		t.Errorf("different data: %v", err)
	}
}
