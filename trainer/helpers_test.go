package trainer

import (
	"context"
	"testing"

	"workbench/datasets"
)

// prepare builds a dataset spec or fails the test.
func prepare(t testing.TB, ds datasets.Spec) *datasets.Prepared {
	t.Helper()
	if ds.Split == ([3]float64{}) {
		ds.Split = datasets.DefaultSplit
	}
	p, err := datasets.Build(ds)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runAll trains to the end and returns the epoch events and the final event.
func runAll(t testing.TB, spec Spec, data *datasets.Prepared, o Options) ([]EpochEvent, FinishedEvent) {
	t.Helper()
	h, err := RunWith(context.Background(), spec, data, o)
	if err != nil {
		t.Fatal(err)
	}
	var eps []EpochEvent
	var fin FinishedEvent
	got := false
	for e := range h.Events {
		switch e := e.(type) {
		case EpochEvent:
			eps = append(eps, e)
		case FinishedEvent:
			fin, got = e, true
		}
	}
	if !got {
		t.Fatal("no FinishedEvent")
	}
	return eps, fin
}

func seedSpec(hidden []LayerSpec) Spec {
	s := DefaultSpec()
	s.Data = datasets.Spec{Name: "seed-example", Split: datasets.DefaultSplit}
	s.Model.Hidden = hidden
	s.Loss = "mse"
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.05}
	s.BatchSize = 0
	s.Epochs = 500
	return s
}
