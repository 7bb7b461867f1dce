package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"workbench/datasets"
	"workbench/trainer"
)

// evalRowEvents is a finished synthetic run of task: eight epochs, then
// an evaluation with reliability bins (and, binary, ROC and PR curves).
// With cv it is a 3-fold run, whose curves are the out-of-fold ones on
// its validation evaluation and whose test evaluation has none.
func evalRowEvents(id string, task datasets.Task, cv bool, v float64) []trainer.Event {
	spec := trainer.DefaultSpec()
	spec.Epochs = 8
	classes := []string{"0", "1"}
	if task == datasets.Multiclass {
		classes = []string{"setosa", "versicolor", "virginica"}
	}
	if cv {
		spec.CV = 3
	}
	evs := []trainer.Event{trainer.StartEvent{ID: id, Spec: spec, Task: task, ClassNames: classes, Summary: "4 → 8 tanh → 3",
		Params: 67, TrainRows: 100, ValRows: 25, TestRows: 25, Started: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}}
	metrics := func(e float64) map[string]float64 {
		acc := 1 - 0.5*math.Exp(-e/3)
		return map[string]float64{"loss": 0.7 * math.Exp(-e/4), "accuracy": acc, "auc": acc, "pr_auc": acc, "ece": v, "brier": 0.1}
	}
	for e := 1; e <= 8; e++ {
		evs = append(evs, trainer.EpochEvent{ID: id, Epoch: e, Epochs: 8, Train: metrics(float64(e)), Val: metrics(float64(e) - 0.5),
			LR: 0.01, Elapsed: time.Duration(e) * time.Millisecond, SamplesPerSec: 1000, Best: true})
	}
	curves := trainer.Evaluation{Metrics: metrics(8)}
	for b := range 10 {
		c := (float64(b) + 0.5) / 10
		bin := trainer.ReliabilityBin{Lo: float64(b) / 10, Hi: float64(b+1) / 10, Count: 3, Confidence: c, Observed: c * c}
		if b == 4 {
			bin.Confidence, bin.Observed = v, v // the hostile value, where there is one
		}
		curves.Reliability = append(curves.Reliability, bin)
	}
	if task == datasets.Binary {
		for i := 0; i <= 10; i++ {
			f := float64(i) / 10
			curves.ROC = append(curves.ROC, trainer.ROCPoint{FPR: f, TPR: math.Sqrt(f), Threshold: 1 - f})
			curves.PR = append(curves.PR, trainer.PRPoint{Recall: f, Precision: 1 - 0.4*f*f, Threshold: 1 - f})
		}
		curves.PR[5].Recall = v
		curves.Confusion = [][]int{{12, 1}, {2, 10}}
	} else {
		curves.Confusion = [][]int{{8, 0, 0}, {0, 7, 1}, {0, 2, 7}}
	}
	val, test := curves, trainer.Evaluation{Metrics: metrics(7.5), Confusion: curves.Confusion}
	if cv {
		val.Std = map[string]float64{"accuracy": 0.02}
		val.Folds = []map[string]float64{metrics(7), metrics(8), metrics(9)}
		test.Std, test.Folds = val.Std, val.Folds
	} else {
		test.Reliability, test.ROC, test.PR = curves.Reliability, curves.ROC, curves.PR
	}
	return append(evs, trainer.FinishedEvent{ID: id, Status: trainer.StatusDone, Epochs: 8, BestEpoch: 8, Monitor: "val_loss",
		Best: metrics(7.5), Val: val, Test: test, Elapsed: 8 * time.Millisecond, SamplesPerSec: 1000})
}

// showRun puts a finished run of events on the Train screen.
func showRun(a *App, task datasets.Task, evs []trainer.Event) {
	start := evs[0].(trainer.StartEvent)
	r := &liveRun{id: start.ID, spec: start.Spec, queue: closedQueue(nil), key: trainer.KeyMetric(task), status: trainer.StatusRunning}
	a.Update(runStartedMsg{run: r})
	r.data = &datasets.Prepared{Meta: datasets.Meta{Task: task, ClassNames: start.ClassNames}}
	a.Update(runEventsMsg{id: start.ID, events: evs, closed: true})
}

// TestTrainShowsReliabilityForEveryClassifier checks that a finished
// multiclass run and a cross-validated run show the reliability diagram
// on Train (and a binary CV run its out-of-fold PR curve) beside the key
// metric chart, as the run detail does.
func TestTrainShowsReliabilityForEveryClassifier(t *testing.T) {
	for _, c := range []struct {
		name string
		task datasets.Task
		cv   bool
		want []string
	}{
		{"multiclass", datasets.Multiclass, false, []string{"accuracy", "reliability, ECE 0.0300"}},
		{"multiclass-cv", datasets.Multiclass, true, []string{"accuracy", "reliability, ECE 0.0300"}},
		{"binary-cv", datasets.Binary, true, []string{"CV ROC, AUC", "PR, AP", "reliability, ECE 0.0300"}},
		{"binary", datasets.Binary, false, []string{"test ROC, AUC", "PR, AP", "reliability, ECE 0.0300"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := newApp(t, nil, 120, 40)
			showRun(a, c.task, evalRowEvents("20261128-140000-"+c.name, c.task, c.cv, 0.03))
			view := a.View()
			for _, w := range c.want {
				if !strings.Contains(view, w) {
					t.Errorf("no %q in:\n%s", w, view)
				}
			}
			if c.name != "binary" {
				goldenView(t, "train-"+c.name, view)
			}
		})
	}
}

// TestHostileEvalRowsOnTrain draws the reliability diagram and PR curve of
// finished multiclass, binary and cross-validated runs whose curves hold
// NaN, ±Inf, 1e300, one point or none: no panic, no line past the width.
func TestHostileEvalRowsOnTrain(t *testing.T) {
	for _, h := range hostile {
		v := first(h.vals)
		for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass} {
			for _, cv := range []bool{false, true} {
				for _, size := range [][2]int{{120, 40}, {80, 24}} {
					where := fmt.Sprintf("%s/%v/cv=%v/%dx%d", h.name, task, cv, size[0], size[1])
					t.Run(where, func(t *testing.T) {
						a := newApp(t, nil, size[0], size[1])
						a.opts.CrashDir = t.TempDir()
						evs := evalRowEvents("20261128-150000-hostile", task, cv, v)
						fin := evs[len(evs)-1].(trainer.FinishedEvent)
						switch len(h.vals) {
						case 0: // no curve at all
							fin.Val.Reliability, fin.Val.PR, fin.Val.ROC = nil, nil, nil
							fin.Test.Reliability, fin.Test.PR, fin.Test.ROC = nil, nil, nil
						case 1: // one bin, one point
							for _, e := range []*trainer.Evaluation{&fin.Val, &fin.Test} {
								if len(e.Reliability) > 0 {
									e.Reliability = e.Reliability[4:5]
								}
								if len(e.PR) > 0 {
									e.PR = e.PR[5:6]
								}
							}
						}
						evs[len(evs)-1] = fin
						showRun(a, task, evs)
						checkView(t, a, where)
					})
				}
			}
		}
	}
}

// TestConfusionLabelsUseTheRoom: a binary matrix's class names take the
// room a wide panel leaves ("malignant" read "maligna…" in 42 columns),
// and keep to 8 cells in a narrow one.
func TestConfusionLabelsUseTheRoom(t *testing.T) {
	st := DefaultStyles()
	cm := [][]int{{29, 3}, {2, 51}}
	classes := []string{"malignant", "benign"}
	v := ansi.Strip(confusionView(cm, classes, &st, 42))
	lines := strings.Split(v, "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "malignant") || !strings.HasPrefix(lines[1], "malignant") || strings.Contains(v, "…") {
		t.Errorf("at 42 columns:\n%s", v)
	}
	if v := ansi.Strip(confusionView(cm, classes, &st, 26)); !strings.Contains(v, "maligna…") {
		t.Errorf("at 26 columns:\n%s", v)
	}
}
