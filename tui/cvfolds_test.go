package tui

import (
	"fmt"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// TestTrainSaysHowManyFoldsAMeanCovers: a cross-validated run whose folds
// stopped early at different epochs ends on epochs that are means over
// fewer folds; Train's progress line says over how many (it did not), in
// the words that fit, keeping the status in view.
func TestTrainSaysHowManyFoldsAMeanCovers(t *testing.T) {
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "moons", Samples: 240, Noise: 0.3, Split: datasets.DefaultSplit, Seed: 4}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}}
	spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.1}
	spec.BatchSize, spec.Epochs, spec.CV = 16, 60, 3
	spec.EarlyStop = trainer.EarlyStopSpec{Patience: 3}
	data, evs := fixedRun(t, spec, "20261129-120000-cvfold")
	var last trainer.EpochEvent
	for _, ev := range evs {
		if e, ok := ev.(trainer.EpochEvent); ok {
			last = e
		}
	}
	if last.Folds == 0 || last.Folds >= spec.CV {
		t.Fatalf("the last epoch is a mean of %d folds: the test needs folds that stop apart", last.Folds)
	}
	for _, tc := range []struct {
		w, h int
		want string
	}{
		{120, 40, fmt.Sprintf("Epoch %d/60 · mean of %d/3 folds  took", last.Epoch, last.Folds)},
		{80, 24, fmt.Sprintf("Epoch %d/60 · mean of %d/3 folds  took", last.Epoch, last.Folds)},
		{50, 15, fmt.Sprintf("Epoch %d/60 · %d/3 folds  took", last.Epoch, last.Folds)},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.w, tc.h), func(t *testing.T) {
			a := newApp(t, nil, tc.w, tc.h)
			send(a, runStartedMsg{run: &liveRun{id: last.ID, spec: spec, queue: closedQueue(evs), data: data, plane: newPlane(data),
				key: "accuracy", status: trainer.StatusRunning}})
			lines := strings.Split(a.View(), "\n")
			if !strings.Contains(lines[2], tc.want) || !strings.HasSuffix(strings.TrimRight(lines[2], " "), "done") {
				t.Fatalf("the progress line %q, want %q and the status", lines[2], tc.want)
			}
		})
	}
	// A run of every fold, or no cross-validation, says nothing of folds.
	spec.CV = 0
	data, evs = fixedRun(t, spec, "20261129-120000-nocvnc")
	a := newApp(t, nil, 80, 24)
	send(a, runStartedMsg{run: &liveRun{id: "20261129-120000-nocvnc", spec: spec, queue: closedQueue(evs), data: data, plane: newPlane(data),
		key: "accuracy", status: trainer.StatusRunning}})
	if v := a.View(); strings.Contains(v, "folds") {
		t.Errorf("a run without cross-validation:\n%s", v)
	}
}
