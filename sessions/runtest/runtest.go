// Package runtest records runs into a store for the tests of the packages
// above sessions (cli, tui), so that each builds the same fixture. It is
// for tests only; each call records its own run, so calls on different
// stores, or with different IDs, are safe for concurrent use.
package runtest

import (
	"fmt"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// Started is when the runs Running records started.
var Started = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// Running records into store a binary run of the default spec that is
// still training, as another process's run reads: its StartEvent (classes
// "0" and "1") and three epochs whose val_loss is 0.9, 0.5 and 0.7, so
// that its best epoch so far is 2 (val_accuracy 0.5). It returns the spec
// once every event is written; no FinishedEvent follows.
func Running(t testing.TB, store sessions.Store, id string) trainer.Spec {
	t.Helper()
	return record(t, store, id, trainer.DefaultSpec(), nil)
}

// RunningSpec is Running for another spec of a binary task. A decision
// rule's fixed threshold is in each epoch's validation metrics, as the
// trainer puts it there.
func RunningSpec(t testing.TB, store sessions.Store, id string, spec trainer.Spec) trainer.Spec {
	t.Helper()
	return record(t, store, id, spec, nil)
}

// RunningCV is Running for a k-fold cross-validated run (spec.CV = k):
// folds[i] is how many folds epoch i+1 is the mean of, k until a fold
// stops early (trainer.EpochEvent.Folds).
func RunningCV(t testing.TB, store sessions.Store, id string, k int, folds [3]int) trainer.Spec {
	t.Helper()
	spec := trainer.DefaultSpec()
	spec.CV = k
	return record(t, store, id, spec, folds[:])
}

func record(t testing.TB, store sessions.Store, id string, spec trainer.Spec, folds []int) trainer.Spec {
	t.Helper()
	summary := "2 → 4 tanh → 1 sigmoid"
	if spec.CV > 0 {
		summary += fmt.Sprintf(" · %d-fold CV", spec.CV)
	}
	in := make(chan trainer.Event, 8)
	rec := sessions.Record(store, nil, in, sessions.RecordOptions{})
	in <- trainer.StartEvent{ID: id, Spec: spec, Task: datasets.Binary, ClassNames: []string{"0", "1"}, Summary: summary, Started: Started}
	for e, loss := range []float64{0.9, 0.5, 0.7} {
		ev := trainer.EpochEvent{ID: id, Epoch: e + 1, Epochs: spec.Epochs, Train: map[string]float64{"loss": loss},
			Val: map[string]float64{"loss": loss, "accuracy": 1 - loss}, Best: e < 2}
		if thr := spec.Decision.Threshold; thr != 0 {
			ev.Val["threshold"] = thr
		}
		if folds != nil {
			ev.Folds = folds[e]
		}
		in <- ev
	}
	close(in) // the run stays running in the store: nothing finishes it
	for range rec.Events() {
	}
	<-rec.Done()
	if err := rec.Err(); err != nil {
		t.Fatalf("runtest: recording run %s: %v", id, err)
	}
	return spec
}
