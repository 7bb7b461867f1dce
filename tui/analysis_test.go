package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"workbench/analysis"
	"workbench/sessions"
	"workbench/trainer"
)

// storeTrainedRuns trains and stores two short runs on the same data, with
// their weights: what the analysis actions need.
func storeTrainedRuns(t *testing.T, s sessions.Store) {
	t.Helper()
	for i, lr := range []float64{0.01, 0.1} {
		spec := trainer.DefaultSpec()
		spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: lr}
		spec.Epochs = 5
		spec.Name = []string{"baseline", "fast lr"}[i]
		live, err := sessions.Start(context.Background(), s, spec, sessions.StartOptions{Trainer: trainer.Options{Workers: 1}})
		if err != nil {
			t.Fatal(err)
		}
		for range live.Events() {
		}
		if err := live.Recorder.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunsAnalysisActions(t *testing.T) {
	store := tempStore(t)
	storeTrainedRuns(t, store)
	a := newApp(t, store, 120, 40)
	press(a, "3", " ", " ", "E")
	if a.runsScreen().panel == nil || a.runsScreen().panel.ensemble == nil {
		t.Fatalf("E did not show an ensemble; status %q", a.status)
	}
	view := a.View()
	for _, want := range []string{"ensemble mean of 2 runs", "gain over the best member", "gain over the members' mean", "baseline", "fast lr"} {
		if !strings.Contains(view, want) {
			t.Errorf("the ensemble view lacks %q:\n%s", want, view)
		}
	}
	// Over the table, the list's keys do nothing (d asked to delete the
	// run hidden under the cursor) and the help line says esc.
	press(a, "d")
	if a.runsScreen().confirm != "" || a.runsScreen().panel == nil {
		t.Errorf("d over the ensemble's table: confirm %q", a.runsScreen().confirm)
	}
	if last := helpLine(a); !strings.HasPrefix(last, "esc back") {
		t.Errorf("help line over the table: %q", last)
	}
	press(a, "esc")
	if a.runsScreen().panel != nil || len(a.runsScreen().runs) != 3 {
		t.Fatalf("after esc: panel %v, %d runs listed (want the ensemble to join the list)", a.runsScreen().panel != nil, len(a.runsScreen().runs))
	}
	// The cursor is on the newest run, the ensemble: i works on any model.
	press(a, "i")
	if a.runsScreen().panel == nil || a.runsScreen().panel.importance == nil {
		t.Fatalf("i did not show importances; status %q", a.status)
	}
	if view := a.View(); !strings.Contains(view, "baseline test accuracy") || !strings.Contains(view, "█") {
		t.Errorf("the importance view:\n%s", view)
	}
	press(a, "esc", "down", "z")
	if a.runsScreen().panel == nil || a.runsScreen().panel.compress == nil {
		t.Fatalf("z did not compress; status %q", a.status)
	}
	view = a.View()
	for _, want := range []string{"saved bytes", "non-zero weights", "rows/s (test)", "int8"} {
		if !strings.Contains(view, want) {
			t.Errorf("the compress view lacks %q:\n%s", want, view)
		}
	}
}

// TestRunsQuestionTakesTheNextKey: a delete question says y confirms and
// any other key cancels, on the help line, and any other key does, a
// screen's number too (the question stayed pending on another screen).
func TestRunsQuestionTakesTheNextKey(t *testing.T) {
	store := tempStore(t)
	storeSynthRuns(t, store)
	a := newApp(t, store, 120, 40)
	press(a, "3", "d")
	if last := helpLine(a); !strings.HasPrefix(last, "y confirm • any other key cancel") {
		t.Errorf("help line during the question: %q", last)
	}
	press(a, "2")
	if a.screen != screenRuns || a.runsScreen().confirm != "" || a.status != "delete cancelled" {
		t.Errorf("2 during the question: screen %d, confirm %q, status %q", a.screen, a.runsScreen().confirm, a.status)
	}
	if n := len(a.runsScreen().runs); n != 2 {
		t.Errorf("%d runs after the cancel", n)
	}
}

// TestRerunOfAnEnsembleIsRefused: R on an ensemble says how to make it
// again (it trained its first member's spec as a plain run), with the
// app's keys (it named 'workbench ensemble'), and its open view does not
// offer R.
func TestRerunOfAnEnsembleIsRefused(t *testing.T) {
	store := tempStore(t)
	storeTrainedRuns(t, store)
	a := newApp(t, store, 120, 40)
	press(a, "3", " ", " ", "E", "esc", "g", "R")
	if a.statusOK || !strings.Contains(a.status, "is an ensemble of") || !strings.Contains(a.status, "select them (space) and press E") ||
		strings.Contains(a.status, "workbench ensemble") || a.trainScreen().Running() != 0 {
		t.Errorf("R on the ensemble: status %q, %d training", a.status, a.trainScreen().Running())
	}
	press(a, "enter")
	if v := a.View(); !strings.Contains(v, "c clone · x export · esc back") || strings.Contains(v, "R re-run") {
		t.Errorf("the open ensemble's keys:\n%s", v)
	}
}

// TestEnsembleDetailSaysWhyItHasNoEpochs: an open ensemble does not claim
// it "stopped before its first epoch ended".
func TestEnsembleDetailSaysWhyItHasNoEpochs(t *testing.T) {
	store := tempStore(t)
	storeTrainedRuns(t, store)
	a := newApp(t, store, 120, 40)
	press(a, "3", " ", " ", "E", "esc", "g", "enter")
	v := a.View()
	if strings.Contains(v, "stopped before its first epoch") || !strings.Contains(v, "an ensemble's members trained") || strings.Contains(v, "no best epoch yet") {
		t.Errorf("the open ensemble:\n%s", v)
	}
}

// TestImportanceViewSaysTheThreshold: a binary run whose decision rule
// moved the threshold says its baseline accuracy is at it; at 0.5 it
// says nothing more.
func TestImportanceViewSaysTheThreshold(t *testing.T) {
	st := DefaultStyles()
	r := &analysis.ImportanceResult{RunID: "r1", Metric: "accuracy", Baseline: 0.6527, Threshold: 0.1434, Repeats: 5,
		Features: []analysis.Importance{{Feature: "Amount", Columns: 1, Mean: 0.05}}}
	if v := importanceView(r, &st, 100); !strings.Contains(v, "baseline test accuracy 0.6527 at threshold 0.1434;") {
		t.Errorf("a tuned threshold is not said:\n%s", v)
	}
	if v := importanceView(r, &st, 78); !strings.Contains(v, "at threshold 0.1434") || !strings.Contains(v, "is shuffled") {
		t.Errorf("at 80 columns the line is cut:\n%s", v)
	}
	r.Threshold = 0.5
	if v := importanceView(r, &st, 100); !strings.Contains(v, "baseline test accuracy 0.6527; bars") {
		t.Errorf("at 0.5:\n%s", v)
	}
}

// TestImportancePanelSaysWhatItCut: at 50×15 a run with 13 features lost
// its last importances with nothing to say so; the panel now says how many
// rows it left out and stays within its height.
func TestImportancePanelSaysWhatItCut(t *testing.T) {
	st := DefaultStyles()
	m := newRuns(&st, tempStore(t))
	m.SetSize(50, 11)
	r := &analysis.ImportanceResult{RunID: "r1", Metric: "accuracy", Baseline: 0.65, Repeats: 5}
	for i := range 13 {
		r.Features = append(r.Features, analysis.Importance{Feature: fmt.Sprintf("f%d", i), Columns: 1, Mean: 0.01})
	}
	m.panel = &analysisDoneMsg{importance: r}
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 11 || !strings.Contains(lines[10], "more rows") {
		t.Errorf("%d rows, the last %q", len(lines), lines[len(lines)-1])
	}
}
