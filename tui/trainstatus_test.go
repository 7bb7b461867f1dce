package tui

import (
	"workbench/datasets"

	"github.com/charmbracelet/x/ansi"

	"strings"

	"testing"

	"workbench/trainer"
)

// TestTurningRunsNamesTheRunShown trains circle then spiral, then turns
// back to circle with →: the status line names circle's run, not
// spiral's, which had ended last.
func TestTurningRunsNamesTheRunShown(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	circle := trainer.DefaultSpec()
	plane := trainer.DefaultSpec()
	plane.Data.Name = "spiral"
	addSynthRun(t, a, circle, "run-circle")
	addSynthRun(t, a, plane, "run-plane")
	press(a, "2")
	if got := a.lineOf(screenTrain).text; got != "run-plane done" {
		t.Fatalf("after spiral ended, status %q", got)
	}
	press(a, "right")
	if got := a.lineOf(screenTrain).text; got != "run-circle done" {
		t.Fatalf("showing circle, status %q", got)
	}
	press(a, "left")
	if got := a.lineOf(screenTrain).text; got != "run-plane done" {
		t.Fatalf("back on spiral, status %q", got)
	}
}

// TestTrainTabMarkedWithoutColour: under NO_COLOR (the tests' profile),
// where bold and underline do not show, brackets mark the run on screen.
func TestTrainTabMarkedWithoutColour(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spiral := trainer.DefaultSpec()
	spiral.Data.Name = "spiral"
	addSynthRun(t, a, trainer.DefaultSpec(), "run-circle")
	addSynthRun(t, a, spiral, "run-spiral")
	press(a, "2")
	tabs := strings.Split(a.trainScreen().View(), "\n")[0]
	if !strings.Contains(tabs, "[spiral done]") || strings.Contains(tabs, "[circle") {
		t.Fatalf("tab strip %q: want spiral's tab marked", tabs)
	}
	press(a, "right")
	if tabs = strings.Split(a.trainScreen().View(), "\n")[0]; !strings.Contains(tabs, "[circle done]") {
		t.Fatalf("tab strip %q: want circle's tab marked", tabs)
	}
}

// TestMetricPanelNamesTheBestEpoch: the second column holds every metric
// at the monitor's best epoch (32), where accuracy 0.5898 is not
// accuracy's own best (0.6452 now); its heading says "@ep 32", not
// "best".
func TestMetricPanelNamesTheBestEpoch(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	now := map[string]float64{"loss": 0.52, "accuracy": 0.6452}
	atBest := map[string]float64{"loss": 0.4506, "accuracy": 0.5898}
	r := &liveRun{key: "accuracy", last: &trainer.EpochEvent{Epoch: 40, Val: now}, best: atBest, bestEpoch: 32}
	lines := strings.Split(ansi.Strip(m.metricPanel(r, 40, 6)), "\n")
	if f := strings.Fields(lines[0]); len(f) != 5 || f[2] != "now" || f[3] != "@ep" || f[4] != "32" {
		t.Fatalf("heading %q", lines[0])
	}
	if f := strings.Fields(lines[2]); f[0] != "accuracy" || f[1] != "0.6452" || f[2] != "0.5898" {
		t.Fatalf("accuracy row %q", lines[2])
	}
}

// TestCVBoundarySaysWhyNone: a 3-fold run on circle keeps no model, so
// its boundary panel says so, while it trains and after; it said "none:
// no epoch ended" after all its epochs, and "computing…" before.
func TestCVBoundarySaysWhyNone(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	spec := trainer.DefaultSpec()
	spec.CV = 3
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	val := map[string]float64{"loss": 0.3, "accuracy": 0.9}
	r := &liveRun{spec: spec, data: data, plane: newPlane(data), key: "accuracy", last: &trainer.EpochEvent{Epoch: 5, Val: val}, best: val, bestEpoch: 5}
	for _, phase := range []string{"training", "done"} {
		if phase == "done" {
			r.fin = &trainer.FinishedEvent{Status: trainer.StatusDone}
		}
		v := strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(m.rightColumn(r, 48, 30)), "│", " ")), " ")
		if !strings.Contains(v, "a 3-fold run keeps no single model to draw") || strings.Contains(v, "no epoch ended") || strings.Contains(v, "computing") {
			t.Fatalf("%s: %s", phase, v)
		}
	}
}

// TestRegressionPanelsSayWhatTheyShow: on reg-plane the map is the
// prediction surface, not a decision boundary, and each metric row is
// in one form: "loss 0.0003 7.004e-05" mixed them.
func TestRegressionPanelsSayWhatTheyShow(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	spec := trainer.DefaultSpec()
	spec.Data.Name = "reg-plane"
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	now := map[string]float64{"loss": 0.0003, "mse": 4.37e-05, "r2": 0.9991}
	best := map[string]float64{"loss": 7.004e-05, "mse": 4.1e-05, "r2": 0.9993}
	r := &liveRun{spec: spec, data: data, plane: newPlane(data), key: "r2", last: &trainer.EpochEvent{Epoch: 9, Val: now}, best: best, bestEpoch: 7}
	v := ansi.Strip(m.rightColumn(r, 48, 30))
	if !strings.Contains(v, "prediction surface") || strings.Contains(v, "decision boundary") {
		t.Fatalf("the map's title:\n%s", v)
	}
	for _, want := range []string{"loss", "3.000e-04", "7.004e-05", "r2", "0.9991", "0.9993"} {
		if !strings.Contains(v, want) {
			t.Fatalf("no %q in:\n%s", want, v)
		}
	}
}

// TestScreenTabMarkedWithoutColour: the top bar marks the screen shown
// with brackets, the same width as the others' padding, so NO_COLOR (no
// bold, no underline) still tells it apart.
func TestScreenTabMarkedWithoutColour(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	for key, want := range map[string]string{"1": "[1 Setup]", "2": "[2 Train]", "3": "[3 Runs]", "4": "[4 Compare]"} {
		press(a, key)
		bar := ansi.Strip(strings.Split(a.View(), "\n")[0])
		if !strings.Contains(bar, want) || strings.Count(bar, "[") != 1 {
			t.Fatalf("after %s the bar reads %q: want only %s marked", key, bar, want)
		}
	}
}
