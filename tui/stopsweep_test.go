package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/trainer"
)

// TestXStopsTheWholeSweep: x stopped one trial and the sweep started the
// next (only quitting ended it). X on a trial stops its sweep: the
// running trials are saved as stopped, the rest are skipped, and ? lists
// the key.
func TestXStopsTheWholeSweep(t *testing.T) {
	a, store := setupAtLR(t, 1_000_000) // no trial ends by itself
	press(a, "w")
	a.setupScreen().input.SetValue("0.001,0.003,0.01,0.03,0.1,0.3")
	press(a, "enter")

	_, cmd := a.Update(keyMsg("t"))
	queue, pressed := []tea.Cmd{cmd}, false
	var done *sweepDoneMsg
	for n := 0; len(queue) > 0 && n < 100000; n++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch m := msg.(type) {
		case nil, refreshTickMsg, tea.QuitMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, m...)
			continue
		case sweepDoneMsg:
			done = &m
		}
		_, next := a.Update(msg)
		queue = append(queue, next)
		if _, ok := msg.(sweepTrialMsg); ok && !pressed {
			pressed = true
			_, next := a.Update(keyMsg("X"))
			queue = append(queue, next)
		}
	}
	if done == nil || done.err != nil || done.res.Status != "stopped" {
		t.Fatalf("the sweep did not stop: %+v", done)
	}
	// The end is said last: "stopping sweep" never stays after it.
	if !strings.HasPrefix(a.status, "sweep "+done.res.ID+" stopped") {
		t.Fatalf("status %q after the sweep's end", a.status)
	}
	started := 0
	for _, tr := range done.res.Trials {
		if tr.Status != trainer.StatusStopped {
			t.Fatalf("trial %d ended %s", tr.Trial.Index, tr.Status)
		}
		if !strings.HasPrefix(tr.Err, "not started") {
			started++
		}
	}
	if started == len(done.res.Trials) {
		t.Fatalf("every one of the %d trials started", started)
	}
	sws, _ := store.ListSweeps(context.Background())
	if len(sws) != 1 || sws[0].Status != "stopped" {
		t.Fatalf("stored sweeps: %+v", sws)
	}
	// Once it has ended, X says so; and ? lists it.
	press(a, "X")
	if !strings.Contains(a.status, "has ended") {
		t.Fatalf("X after the end: %q", a.status)
	}
	press(a, "?")
	if !strings.Contains(a.View(), "stop the whole sweep") {
		t.Fatalf("? lacks X:\n%s", a.View())
	}
}

// TestXOnARunOfNoSweepSaysSo: X on a lone run stops nothing, and says why.
func TestXOnARunOfNoSweepSaysSo(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 2
	a.setupScreen().setSpec(spec)
	press(a, "t", "X")
	if !strings.Contains(a.status, "not a trial of one") {
		t.Fatalf("status %q", a.status)
	}
}
