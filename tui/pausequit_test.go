package tui

import (
	"strings"
	"testing"
	"time"

	"workbench/trainer"
)

// openRun adds a live run with an open, empty queue to a's Train screen,
// without running what follows (it would wait on the queue).
func openRun(a *App, id string) *liveRun {
	r := &liveRun{id: id, spec: trainer.DefaultSpec(), queue: trainer.NewEventQueue(), key: "accuracy", status: trainer.StatusRunning}
	r.spec.Epochs = 20000
	a.Update(runStartedMsg{run: r})
	return r
}

// TestPausedRunHasNoETAAndIsNotTraining: a run paused at epoch 3071 of
// 20,000 said "ETA 11s" and the tab bar "⟳ 1 training".
func TestPausedRunHasNoETAAndIsNotTraining(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	r := openRun(a, "run-paused")
	r.halted = true
	r.lastEv = trainer.EpochEvent{Epoch: 3071, Elapsed: 2 * time.Second}
	r.last = &r.lastEv
	lines := strings.Split(a.View(), "\n")
	if !strings.Contains(lines[0], "⏸ 1 paused") || strings.Contains(lines[0], "training") {
		t.Fatalf("tab bar %q", lines[0])
	}
	if p := lines[2]; strings.Contains(p, "ETA") || !strings.Contains(p, "trained 2s") || !strings.Contains(p, "paused") {
		t.Fatalf("progress line %q", p)
	}
	openRun(a, "run-going")
	if bar := strings.Split(a.View(), "\n")[0]; !strings.Contains(bar, "⟳ 1 training · 1 paused") {
		t.Fatalf("tab bar with one of two paused %q", bar)
	}
}

// TestQuitDialogFollowsTheRuns: with one run the dialog says "Stop it";
// when the run ends with the dialog open, the dialog closes (it read "0
// runs still training. Stop them…") and the status line says q quits.
func TestQuitDialogFollowsTheRuns(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	r := openRun(a, "run-long")
	a.Update(keyMsg("q"))
	if v := a.View(); !a.confirm || !strings.Contains(v, "1 run still training.") || !strings.Contains(v, "Stop it (saved as stopped) and quit?") {
		t.Fatalf("the dialog:\n%s", v)
	}
	a.Update(runEventsMsg{id: r.id, events: []trainer.Event{trainer.FinishedEvent{ID: r.id, Status: trainer.StatusDone}}, closed: true})
	if v := a.View(); a.confirm || strings.Contains(v, "still training") || !strings.Contains(v, "every run has ended: q quits") {
		t.Fatalf("after the run ended:\n%s", v)
	}
}
