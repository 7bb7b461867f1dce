package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// hostile are the values nothing the trainer emits may crash a view with.
var hostile = []struct {
	name string
	vals []float64 // one value per epoch; empty means no epoch at all
}{
	{"NaN", []float64{math.NaN(), math.NaN(), math.NaN()}},
	{"+Inf", []float64{math.Inf(1), math.Inf(1)}},
	{"-Inf", []float64{math.Inf(-1), 1, math.Inf(-1)}},
	{"1e300", []float64{1e300, -1e300, 1e300}},
	{"max float", []float64{math.MaxFloat64, -math.MaxFloat64}},
	{"constant", []float64{0.5, 0.5, 0.5, 0.5}},
	{"one point", []float64{0.25}},
	{"none", nil},
	{"mixed", []float64{0.7, math.NaN(), 1e-300, math.Inf(1), -0.0, 2.2391942156130109e29}},
}

// hostileEvents is a finished run of each task whose every number is v.
func hostileEvents(id string, task datasets.Task, vals []float64) []trainer.Event {
	spec := trainer.DefaultSpec()
	spec.Epochs = len(vals)
	evs := []trainer.Event{trainer.StartEvent{ID: id, Spec: spec, Task: task, Summary: "2 → 4 tanh → 1", Params: 17,
		TrainRows: 10, ValRows: 3, TestRows: 3, Started: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}}
	metrics := func(v float64) map[string]float64 {
		m := map[string]float64{"loss": v}
		switch task {
		case datasets.Regression:
			m["r2"], m["mae"], m["rmse"] = v, v, v
		default:
			m["accuracy"], m["auc"], m["f1"] = v, v, v
		}
		return m
	}
	last := 0.0
	for i, v := range vals {
		evs = append(evs, trainer.EpochEvent{ID: id, Epoch: i + 1, Epochs: len(vals), Train: metrics(v), Val: metrics(v),
			LR: v, Elapsed: time.Duration(i) * time.Millisecond, SamplesPerSec: v, Best: i == 0})
		evs = append(evs, trainer.ProgressEvent{ID: id, Epoch: i + 1, Epochs: len(vals), Batch: 1, Batches: 1, Loss: v, SamplesPerSec: v})
		last = v
	}
	test := trainer.Evaluation{Metrics: metrics(last)}
	switch task {
	case datasets.Binary:
		test.ROC = []trainer.ROCPoint{{FPR: 0, TPR: 0}, {FPR: last, TPR: last, Threshold: last}, {FPR: math.NaN(), TPR: math.Inf(1)}, {FPR: 1, TPR: 1}}
		test.Confusion = [][]int{{math.MaxInt32, 0}, {3, -1}}
	case datasets.Multiclass:
		test.Confusion = [][]int{{1, 2, 3}, {4, 5, 6}, {7, 8, math.MaxInt32}}
	case datasets.Regression:
		test.Pairs = [][2]float64{{last, last}, {1e300, -1e300}, {math.NaN(), 1}, {0, math.Inf(-1)}}
	}
	return append(evs, trainer.FinishedEvent{ID: id, Status: trainer.StatusDiverged, Reason: fmt.Sprintf("the loss became %v", last),
		Epochs: len(vals), BestEpoch: min(1, len(vals)), Monitor: "val_loss", Best: metrics(last), Val: test, Test: test,
		SamplesPerSec: last})
}

// checkView fails when the app caught a panic or a line overflows.
func checkView(t *testing.T, a *App, where string) {
	t.Helper()
	out := a.View()
	if a.crashFile != "" {
		t.Fatalf("%s: a view panicked:\n%s", where, a.crashFile)
	}
	for i, line := range strings.Split(out, "\n") {
		if w := lipgloss.Width(line); w > a.w {
			t.Fatalf("%s: line %d is %d cells wide in %d:\n%s", where, i, w, a.w, line)
		}
	}
}

// TestHostileValuesNeverCrashAView feeds NaN, ±Inf, 1e300, a constant
// series, one point and none to every chart, table and panel: the Train
// screen (curves, progress, metric panel, ROC, predicted-against-actual,
// confusion), the Runs table and detail, and Compare.
func TestHostileValuesNeverCrashAView(t *testing.T) {
	for _, h := range hostile {
		for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
			for _, size := range [][2]int{{120, 40}, {80, 24}, {50, 15}} {
				where := fmt.Sprintf("%s/%v/%dx%d", h.name, task, size[0], size[1])
				t.Run(where, func(t *testing.T) {
					a := newApp(t, nil, size[0], size[1])
					a.opts.CrashDir = t.TempDir()
					id := "20261128-120000-" + fmt.Sprintf("%06d", len(h.vals))
					evs := hostileEvents(id, task, h.vals)
					// Live: every event but the last, then the end.
					r := &liveRun{id: id, spec: evs[0].(trainer.StartEvent).Spec, queue: closedQueue(nil), key: trainer.KeyMetric(task), status: trainer.StatusRunning}
					a.Update(runStartedMsg{run: r})
					r.data = &datasets.Prepared{Meta: datasets.Meta{Task: task}}
					a.Update(runEventsMsg{id: id, events: evs[:len(evs)-1]})
					checkView(t, a, where+" live")
					for _, k := range []string{"y", "s"} { // log-y and smoothing
						press(a, k)
						checkView(t, a, where+" "+k)
					}
					a.Update(runEventsMsg{id: id, events: evs[len(evs)-1:], closed: true})
					checkView(t, a, where+" finished")

					// Runs: the table and a run's detail.
					run := hostileRun(id, task, h.vals)
					press(a, "3")
					a.Update(runsLoadedMsg{runs: []*sessions.Run{run, run}})
					checkView(t, a, where+" runs")
					a.Update(runDetailMsg{run: &sessions.FullRun{Run: *run, History: hostileHistory(h.vals), Evaluation: &sessions.Evaluations{Test: evs[len(evs)-1].(trainer.FinishedEvent).Test}}})
					checkView(t, a, where+" detail")

					// Compare two such runs.
					press(a, "4")
					a.Update(compareLoadedMsg{cmp: &sessions.Comparison{Runs: []*sessions.Run{run, run},
						Histories: [][]sessions.Epoch{hostileHistory(h.vals), hostileHistory(h.vals)}, Epochs: len(h.vals),
						Metrics: []sessions.MetricRow{{Key: "best_val_loss", Values: []float64{first(h.vals), first(h.vals)}, Have: []bool{true, true}, Best: 0, Stars: []bool{true, false}}}}})
					checkView(t, a, where+" compare")
					for _, k := range []string{"m", "y", "s"} {
						press(a, k)
						checkView(t, a, where+" compare "+k)
					}
				})
			}
		}
	}
}

func first(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return v[0]
}

func hostileHistory(vals []float64) []sessions.Epoch {
	var h []sessions.Epoch
	for i, v := range vals {
		m := sessions.Metrics{"loss": v, "accuracy": v}
		h = append(h, sessions.Epoch{Epoch: i + 1, Train: m, Val: m, LR: v, SamplesPerSec: v})
	}
	return h
}

func hostileRun(id string, task datasets.Task, vals []float64) *sessions.Run {
	v := first(vals)
	m := sessions.Metrics{}
	for _, k := range []string{"loss", "accuracy", "r2", "auc"} {
		m["best_val_"+k], m["last_val_"+k], m["test_"+k] = v, v, v
	}
	return &sessions.Run{ID: id, Name: "hostile " + fmt.Sprint(v), Status: trainer.StatusDiverged, Dataset: "spiral",
		Task: task.String(), Summary: "2 → 4 tanh → 1", Params: 17, EpochsDone: len(vals), EpochsTotal: len(vals),
		SamplesPerSec: v, Duration: time.Second, Metrics: m, Created: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
}

// TestNumbersPrintForPeople: a diverged loss shows in exponent form in
// the metric panel, never as hundreds of digits.
func TestNumbersPrintForPeople(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	id := "20261128-120000-big"
	evs := hostileEvents(id, datasets.Binary, []float64{0.5, 2.2391942156130109e29})
	r := &liveRun{id: id, spec: evs[0].(trainer.StartEvent).Spec, queue: closedQueue(nil), key: "accuracy", status: trainer.StatusRunning,
		data: &datasets.Prepared{Meta: datasets.Meta{Task: datasets.Binary}}}
	a.Update(runStartedMsg{run: r})
	a.Update(runEventsMsg{id: id, events: evs, closed: true})
	out := a.View()
	if !strings.Contains(out, "2.239e+29") || strings.Contains(out, "223919421561") {
		t.Fatalf("the panel does not print the diverged loss as 2.239e+29:\n%s", out)
	}
}

// TestHostileBoundary renders decision-boundary grids whose predictions are
// NaN, ±Inf and 1e300, for every task, with and without test points.
func TestHostileBoundary(t *testing.T) {
	pl := &plane{x0: -1, x1: 1, y0: -1, y1: 1, train: []point{{0, 0, 1}, {math.NaN(), 1e300, 0}}, test: []point{{0.5, 0.5, 2}}}
	for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
		for _, h := range hostile {
			pl.task, pl.classes = task, 3
			n := 8 * 2 * 4
			g := &boundaryGrid{w: 8, h: 4, x0: -1, x1: 1, y0: -1, y1: 1, task: task, classes: 3, value: make([]float64, n), conf: make([]float64, n)}
			g.lo, g.hi = math.Inf(1), math.Inf(-1)
			for i := range g.value {
				v := 0.5
				if len(h.vals) > 0 {
					v = h.vals[i%len(h.vals)]
				}
				g.value[i], g.conf[i] = v, v
				g.lo, g.hi = math.Min(g.lo, v), math.Max(g.hi, v)
			}
			for _, showTest := range []bool{false, true} {
				out := g.render(pl, showTest)
				if lines := strings.Split(out, "\n"); len(lines) != 4 || lipgloss.Width(lines[0]) != 8 {
					t.Fatalf("%v %s: %d lines, first %d wide:\n%s", task, h.name, len(lines), lipgloss.Width(lines[0]), out)
				}
			}
		}
	}
}

// TestHostileSweepTable draws the ranked trials of a sweep whose curves
// hold hostile values.
func TestHostileSweepTable(t *testing.T) {
	for _, h := range hostile {
		a := newApp(t, nil, 120, 40)
		a.opts.CrashDir = t.TempDir()
		for i, status := range []trainer.Status{trainer.StatusDone, trainer.StatusPruned} {
			id := fmt.Sprintf("20261128-120000-swp%03d", i)
			evs := hostileEvents(id, datasets.Binary, h.vals)
			fin := evs[len(evs)-1].(trainer.FinishedEvent)
			fin.Status = status
			evs[len(evs)-1] = fin
			r := &liveRun{id: id, spec: evs[0].(trainer.StartEvent).Spec, queue: closedQueue(nil), key: "accuracy",
				status: trainer.StatusRunning, sweep: "sweep-1", trial: fmt.Sprintf("lr=%d", i),
				data: &datasets.Prepared{Meta: datasets.Meta{Task: datasets.Binary}}}
			a.Update(runStartedMsg{run: r})
			a.Update(runEventsMsg{id: id, events: evs, closed: true})
		}
		press(a, "w")
		checkView(t, a, h.name+" sweep table")
		if v := a.View(); !strings.Contains(v, "2 trials, best first") {
			t.Fatalf("%s: no table:\n%s", h.name, v)
		}
	}
}
