package analysis

import (
	"context"
	"path/filepath"
	"testing"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func tempStore(t testing.TB) *sessions.SQLite {
	t.Helper()
	s, err := sessions.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// train records spec in s and returns its run ID.
func train(t testing.TB, s sessions.Store, spec trainer.Spec) string {
	t.Helper()
	live, err := sessions.Start(context.Background(), s, spec, sessions.StartOptions{Trainer: trainer.Options{Workers: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var fin trainer.FinishedEvent
	for ev := range live.Events() {
		if f, ok := ev.(trainer.FinishedEvent); ok {
			fin = f
		}
	}
	if err := live.Recorder.Err(); err != nil {
		t.Fatal(err)
	}
	if fin.Status != trainer.StatusDone && fin.Status != trainer.StatusEarlyStopped {
		t.Fatalf("run ended %s: %s", fin.Status, fin.Reason)
	}
	return live.Handle.ID
}

// breastCancerSpec is `--data breast-cancer --scale standard --layers 16`
// with a short schedule, the data split fixed by data seed 1.
func breastCancerSpec(seed uint64) trainer.Spec {
	s := trainer.DefaultSpec()
	s.Data = datasets.Spec{Name: "breast-cancer", Scale: "standard", Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []trainer.LayerSpec{{Units: 16, Activation: "tanh"}}
	s.Epochs = 15
	s.Seed = seed
	return s
}

// rawSplits builds spec's data without scaling: the rows as a user's CSV
// would hold them.
func rawSplits(t testing.TB, ds datasets.Spec) *datasets.Prepared {
	t.Helper()
	ds.Scale = "none"
	p, err := datasets.Build(ds)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
