package tui

import (
	"math"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// synthEvents is a finished binary run made from formulas, not training,
// so the views drawn from it are the same on every CPU. rate sets how
// fast its curves fall.
func synthEvents(spec trainer.Spec, id string, rate float64) []trainer.Event {
	n := spec.Epochs
	evs := []trainer.Event{trainer.StartEvent{ID: id, Spec: spec, Task: datasets.Binary, ClassNames: []string{"0", "1"},
		Summary: trainer.Summary(spec.Model, datasets.Binary, 2, 2), Params: 33, TrainRows: 140, ValRows: 30, TestRows: 30,
		DataHash: "synthetic", Started: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}}
	metrics := func(e int, split float64) map[string]float64 {
		t := float64(e)
		loss := 0.7*math.Exp(-rate*t) + 0.03 + split*0.01*math.Sin(t)
		acc := math.Round((1-0.5*math.Exp(-rate*t*1.5))*1000) / 1000
		return map[string]float64{"loss": loss, "accuracy": acc, "auc": math.Min(1, acc+0.02), "f1": acc, "precision": acc, "recall": acc}
	}
	best, bestEpoch := math.Inf(1), 0
	for e := 1; e <= n; e++ {
		val := metrics(e, 1)
		isBest := val["loss"] < best
		if isBest {
			best, bestEpoch = val["loss"], e
		}
		train := metrics(e, 0)
		delete(train, "auc")
		delete(train, "f1")
		delete(train, "precision")
		delete(train, "recall")
		evs = append(evs, trainer.EpochEvent{ID: id, Epoch: e, Epochs: n, Train: train, Val: val, LR: spec.Optimizer.LR,
			Elapsed: time.Duration(e) * time.Millisecond, SamplesPerSec: 100000, Best: isBest})
	}
	test := trainer.Evaluation{Metrics: metrics(n, 2), Confusion: [][]int{{14, 1}, {0, 15}}}
	for i := 0; i <= 10; i++ {
		f := float64(i) / 10
		test.ROC = append(test.ROC, trainer.ROCPoint{FPR: f, TPR: math.Sqrt(f), Threshold: 1 - f})
	}
	return append(evs, trainer.FinishedEvent{ID: id, Status: trainer.StatusDone, Epochs: n, BestEpoch: bestEpoch,
		Monitor: "val_loss", Best: metrics(bestEpoch, 1), Val: test, Test: test,
		Elapsed: time.Duration(n) * time.Millisecond, SamplesPerSec: 100000})
}

// synthGrid is a decision boundary from a formula (a circle), for plane pl.
func synthGrid(pl *plane, w, h int) *boundaryGrid {
	g := &boundaryGrid{w: w, h: h, x0: pl.x0, x1: pl.x1, y0: pl.y0, y1: pl.y1, task: datasets.Binary, classes: 2}
	rows := 2 * h
	g.value = make([]float64, w*rows)
	for r := 0; r < rows; r++ {
		y := pl.y1 - (float64(r)+0.5)/float64(rows)*(pl.y1-pl.y0)
		for c := 0; c < w; c++ {
			x := pl.x0 + (float64(c)+0.5)/float64(w)*(pl.x1-pl.x0)
			d := math.Sqrt(x*x+y*y) / math.Max(math.Abs(pl.x1), 1)
			g.value[r*w+c] = 1 / (1 + math.Exp(12*(d-0.5)))
		}
	}
	return g
}

// addSynthRun puts a finished synthetic run on the Train screen, with a
// synthetic decision boundary over spec's (generated) data.
func addSynthRun(t testing.TB, a *App, spec trainer.Spec, id string) {
	t.Helper()
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	pl := newPlane(data)
	r := &liveRun{id: id, spec: spec, queue: closedQueue(synthEvents(spec, id, 0.1)), data: data, plane: pl,
		key: "accuracy", status: trainer.StatusRunning}
	send(a, runStartedMsg{run: r})
	if pl != nil {
		_, _, _, _, bw, bh := a.trainScreen().layout()
		send(a, boundaryMsg{id: id, grid: synthGrid(pl, bw, bh)})
	}
}

// storeSynthRuns records two synthetic runs with fixed IDs and times.
func storeSynthRuns(t testing.TB, s sessions.Store) []string {
	t.Helper()
	var ids []string
	for i, lr := range []float64{0.01, 0.1} {
		spec := trainer.DefaultSpec()
		spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: lr}
		spec.Epochs = 30
		spec.Name = []string{"baseline", "fast lr"}[i]
		id := []string{"20261128-120000-aaaaaa", "20261128-120100-bbbbbb"}[i]
		rec := sessions.Record(s, nil, closedQueue(synthEvents(spec, id, 0.05*float64(i+1))).Out(), sessions.RecordOptions{})
		for range rec.Events() {
		}
		if err := rec.Err(); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// synthConfusion10 is a 10-class confusion matrix of a 270-row test split.
func synthConfusion10() [][]int {
	cm := make([][]int, 10)
	for i := range cm {
		cm[i] = make([]int, 10)
		cm[i][i] = 25 + i
		cm[i][(i+3)%10] = i % 3
	}
	return cm
}

// addSynthDigits puts a finished synthetic 10-class run on the Train
// screen (no decision boundary: 64 features).
func addSynthDigits(t testing.TB, a *App, id string) {
	t.Helper()
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "digits", Split: datasets.DefaultSplit, Seed: 1}
	spec.Epochs = 20
	evs := synthEvents(spec, id, 0.2)
	start := evs[0].(trainer.StartEvent)
	start.Task, start.ClassNames = datasets.Multiclass, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	evs[0] = start
	fin := evs[len(evs)-1].(trainer.FinishedEvent)
	fin.Test.Confusion, fin.Test.ROC = synthConfusion10(), nil
	evs[len(evs)-1] = fin
	r := &liveRun{id: id, spec: spec, queue: closedQueue(evs), data: &datasets.Prepared{Meta: datasets.Meta{Task: datasets.Multiclass}},
		key: "accuracy", status: trainer.StatusRunning}
	send(a, runStartedMsg{run: r})
}
