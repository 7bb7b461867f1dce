package tui

import (
	"context"
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/trainer"
)

// TestRunDetailBeforeTheFirstEpoch: the detail of a run interrupted before
// its first epoch ended says it has no best epoch, where it said "best 0".
func TestRunDetailBeforeTheFirstEpoch(t *testing.T) {
	st := DefaultStyles()
	m := newRuns(&st, nil)
	m.SetSize(120, 40)
	m.detail = &sessions.FullRun{Run: sessions.Run{ID: "r1", Status: trainer.StatusInterrupted, Dataset: "circle", EpochsTotal: 50}}
	v := m.viewDetail()
	if !strings.Contains(v, "epochs · no best epoch yet") {
		t.Errorf("detail of a run with no epoch:\n%s", v)
	}
	if strings.Contains(v, "best 0") {
		t.Errorf("detail prints best 0:\n%s", v)
	}
}

// TestRunDetailKeysActOnTheRunShown: in an open run, c clones the run shown
// and ↓ scrolls its metrics (a QA pass found ↓ moved the hidden list's
// cursor, and c then cloned the run under it, not the one on screen; at
// 80×24 the metrics hid the confusion matrix and the keys, with nothing
// to say so).
func TestRunDetailKeysActOnTheRunShown(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store) // the newest, ids[1], lists first
	a := newApp(t, store, 80, 24)
	press(a, "3", "enter")
	v := a.View()
	if !strings.Contains(v, ids[1]) || !strings.Contains(v, "test confusion") || !strings.Contains(v, "c clone · R re-run") {
		t.Fatalf("the open run at 80×24 lacks its ID, the confusion matrix or the keys:\n%s", v)
	}
	if !strings.Contains(v, "▲ 0 above · ▼") {
		t.Fatalf("the metrics that do not fit are not counted:\n%s", v)
	}
	if strings.Count(v, "best_…_accuracy") > 0 {
		t.Errorf("metric names cut alike:\n%s", v)
	}
	press(a, "down")
	if v2 := a.View(); !strings.Contains(v2, "▲ 1 above") {
		t.Errorf("↓ did not scroll the metrics:\n%s", v2)
	}
	press(a, "c")
	if got := a.lineOf(screenSetup).text; !strings.HasPrefix(got, "cloned "+ids[1]) {
		t.Errorf("c in the open run %s: Setup says %q", ids[1], got)
	}
}

// TestRunDetailAtTheSmallestSize: at 50×15 an open run's loss chart takes
// the rows its lower charts cannot fill; they were blank.
func TestRunDetailAtTheSmallestSize(t *testing.T) {
	store := tempStore(t)
	storeSynthRuns(t, store)
	a := newApp(t, store, 50, 15)
	press(a, "3", "enter")
	if blank := blankBodyRows(a.View()); blank > 1 {
		t.Errorf("%d blank rows in the open run:\n%s", blank, a.View())
	}
}

// TestRunsListCutsLongNamesInTheMiddle: trials' names differ at the end,
// so the NAME column keeps it ("#20 optimizer.lr=0.00…" hid which was
// which).
func TestRunsListCutsLongNamesInTheMiddle(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	name := "#20 optimizer.lr=0.000127618"
	if err := store.UpdateRun(context.Background(), ids[0], sessions.Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store, 80, 24)
	press(a, "3")
	if v := a.View(); !strings.Contains(v, "0.000127618") {
		t.Errorf("the name's end is cut:\n%s", v)
	}
}

// TestRunDetailSaysTheThreshold: an open run with a decision rule says
// which threshold its metrics are at, under the metrics' heading, and the
// metrics still fit with the keys below them.
func TestRunDetailSaysTheThreshold(t *testing.T) {
	m, r := costRunDetail(map[string]float64{"best_val_accuracy": 0.7, "best_val_threshold": 0.19, "test_accuracy": 0.68, "test_threshold": 0.19})
	v := m.viewDetail()
	for _, want := range []string{"metrics (best at epoch 3)", "val and test at the threshold tuned on", "validation (cost FP 1, FN 5)", "best_val_threshold", "c clone · R re-run"} {
		if !strings.Contains(v, want) {
			t.Errorf("the open run lacks %q:\n%s", want, v)
		}
	}
	r.Spec.Decision = trainer.DecisionSpec{Threshold: 0.3}
	m.detail = &sessions.FullRun{Run: r}
	if v := m.viewDetail(); !strings.Contains(v, "val and test at threshold 0.3") {
		t.Errorf("a fixed threshold is not named:\n%s", v)
	}
}

// TestRunDetailSaysAnOldRunsThreshold: a run saved before its epochs
// followed the decision rule (no best_val_threshold) says its best_val_…
// are at 0.5.
func TestRunDetailSaysAnOldRunsThreshold(t *testing.T) {
	m, _ := costRunDetail(map[string]float64{"best_val_accuracy": 0.7, "test_accuracy": 0.68, "test_threshold": 0.19})
	if v := m.viewDetail(); !strings.Contains(v, "best_val_… at 0.5") {
		t.Errorf("an old run's threshold is not said:\n%s", v)
	}
}

// TestRunDetailConfusionSaysItsThreshold: a binary run with a decision
// rule heads its test confusion matrix with the threshold its counts are
// at (they are not at 0.5), and class names that fit are not cut ("good"
// read "go…" in a 46-cell panel).
func TestRunDetailConfusionSaysItsThreshold(t *testing.T) {
	st := DefaultStyles()
	m := newRuns(&st, nil)
	m.SetSize(120, 40)
	r := sessions.Run{ID: "r1", Status: trainer.StatusDone, Dataset: "credit", Task: "binary", EpochsDone: 5, EpochsTotal: 5, BestEpoch: 3,
		Classes: []string{"good", "bad"}, Metrics: map[string]float64{"best_val_accuracy": 0.7, "test_accuracy": 0.68, "test_threshold": 0.1434}}
	r.Spec.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 5}
	ev := &sessions.Evaluations{Test: trainer.Evaluation{Metrics: map[string]float64{"accuracy": 0.68, "threshold": 0.1434},
		Confusion: [][]int{{263, 217}, {15, 173}}}}
	m.detail = &sessions.FullRun{Run: r, Evaluation: ev}
	v := m.viewDetail()
	for _, want := range []string{"test confusion at 0.1434 (rows actual)", "good  bad", "good  263  217"} {
		if !strings.Contains(v, want) {
			t.Errorf("the open run lacks %q:\n%s", want, v)
		}
	}
	if got := confusionTitle(map[string]float64{"accuracy": 1}, 40); got != "test confusion (rows actual)" {
		t.Errorf("a run without a rule: %q", got)
	}
	if got := confusionTitle(map[string]float64{"threshold": 0.1434}, 28); got != "test confusion at 0.1434" {
		t.Errorf("in 28 cells: %q", got)
	}
}

// TestCompareConfusionSaysItsThreshold: Compare heads a decision-rule
// run's confusion matrix with the threshold its counts are at.
func TestCompareConfusionSaysItsThreshold(t *testing.T) {
	a := newApp(t, nil, 160, 48)
	press(a, "4")
	credit := &sessions.Run{ID: "20261129-122107-8002af", Status: trainer.StatusDone, Dataset: "credit", Task: "binary", Classes: []string{"good", "bad"}}
	plain := &sessions.Run{ID: "20261129-121950-8c31a1", Status: trainer.StatusDone, Dataset: "breast-cancer", Task: "binary"}
	a.Update(compareLoadedMsg{cmp: &sessions.Comparison{Runs: []*sessions.Run{credit, plain}, Histories: [][]sessions.Epoch{nil, nil}},
		evals: map[string]*sessions.Evaluations{
			credit.ID: {Test: trainer.Evaluation{Metrics: map[string]float64{"threshold": 0.1023}, Confusion: [][]int{{202, 278}, {5, 183}}}},
			plain.ID:  {Test: trainer.Evaluation{Metrics: map[string]float64{"accuracy": 0.98}, Confusion: [][]int{{30, 2}, {0, 53}}}},
		}})
	v := a.View()
	if !strings.Contains(v, "8002af at 0.1023") {
		t.Errorf("the credit run's confusion does not say its threshold:\n%s", v)
	}
	if strings.Contains(v, "8c31a1 at") {
		t.Errorf("a run without a rule names a threshold:\n%s", v)
	}
}

// costRunDetail returns the Runs screen (120×30) open on a finished
// credit run with a cost matrix (FP 1, FN 5) and the given metrics.
func costRunDetail(metrics map[string]float64) (runsModel, sessions.Run) {
	st := DefaultStyles()
	m := newRuns(&st, nil)
	m.SetSize(120, 30)
	r := sessions.Run{ID: "r1", Status: trainer.StatusDone, Dataset: "credit", Task: "binary", EpochsDone: 5, EpochsTotal: 5, BestEpoch: 3, Metrics: metrics}
	r.Spec.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 5}
	m.detail = &sessions.FullRun{Run: r}
	return m, r
}

// TestRunDetailTellsANoteFromTags: a note after the tags read as one more
// tag ("tags: baseline  long run, stopped early").
func TestRunDetailTellsANoteFromTags(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	note := "long run, stopped early"
	if err := store.UpdateRun(context.Background(), ids[1], sessions.Patch{Tags: &[]string{"baseline", "v2"}, Notes: &note}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	if v := a.View(); !strings.Contains(v, "tags: baseline, v2 · note: long run, stopped early") {
		t.Fatalf("the open run:\n%s", v)
	}
}
