package tui

import (
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// TestTrainShowsEachWarningOnce: a rule that fires, clears and fires again
// for the same layer was listed twice under the metric panel at 80×24 (as
// on breast-cancer, tanh 8,8 at lr 2: "gradients vanish in layer 2" since
// epoch 50, then since 64). The newest of each layer and rule shows, once,
// on Train and in the network view.
func TestTrainShowsEachWarningOnce(t *testing.T) {
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "breast-cancer", Split: datasets.DefaultSplit, Seed: 1}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}, {Units: 8, Activation: "tanh"}}
	spec.Epochs = 20
	id := "20261129-120000-warnwn"
	evs := synthEvents(spec, id, 0.1)
	for i, ev := range evs {
		e, ok := ev.(trainer.EpochEvent)
		if !ok {
			continue
		}
		rel := 0.5
		if (e.Epoch >= 3 && e.Epoch <= 5) || (e.Epoch >= 10 && e.Epoch <= 12) {
			rel = 1e-5 // vanishing, twice, with a clear streak between
		}
		e.Layers = []trainer.LayerHealth{
			{Layer: 1, Activation: "tanh", Units: 8, WeightNorm: 1, GradNorm: 0.1, RelGrad: 0.5, UpdateRatio: 0.01, ActStd: 0.5},
			{Layer: 2, Activation: "tanh", Units: 8, WeightNorm: 1, GradNorm: 0.1, RelGrad: rel, UpdateRatio: 0.01, ActStd: 0.5},
		}
		evs[i] = e
	}
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, nil, 80, 24)
	send(a, runStartedMsg{run: &liveRun{id: id, spec: spec, queue: closedQueue(evs), data: data, key: "accuracy", status: trainer.StatusRunning}})
	r := a.trainScreen().selected()
	if n := len(r.inside.warnings); n != 2 {
		t.Fatalf("the rule fired %d times, want 2 (the test's history is wrong)", n)
	}
	v := a.View()
	if n := strings.Count(v, "⚠"); n != 1 {
		t.Fatalf("%d warnings on Train, want 1:\n%s", n, v)
	}
	if !strings.Contains(v, "since epoch 10") {
		t.Errorf("the warning shown is not the newest:\n%s", v)
	}
	lines := healthLines(&r.inside, a.trainScreen().styles, 60)
	if n := strings.Count(strings.Join(lines, "\n"), "⚠"); n != 1 {
		t.Errorf("%d warnings in the network view, want 1:\n%s", n, strings.Join(lines, "\n"))
	}
}
