package tui

import (
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
