package cli

import (
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/trainer"
)

// TestSweepShowCountsAStoppedTrialApart: a trial the sweep's stop cut short
// is not among the finished ones (the header said "3 finished" over an
// importance that, rightly, used 2).
func TestSweepShowCountsAStoppedTrialApart(t *testing.T) {
	rep := sweepReport{Sweep: sweepJSON{Sweep: &sessions.Sweep{ID: "sweep-1", Status: "stopped", Objective: "val_accuracy", Trials: 4}},
		Ranking: []rankedTrial{{Rank: 1, Status: trainer.StatusDone, Objective: 1.0}, {Rank: 2, Status: trainer.StatusEarlyStopped, Objective: 0.9},
			{Rank: 3, Status: trainer.StatusStopped, Objective: 0.8}, {Rank: 4, Status: sessions.TrialQueued}}}
	var b strings.Builder
	printSweep(&b, rep)
	if first, _, _ := strings.Cut(b.String(), "\n"); first != "sweep sweep-1: stopped, 4 trials (2 finished, 1 stopped), ranked by best val_accuracy" {
		t.Errorf("header %q", first)
	}
}

// TestSweepShowCountsDivergedTrialsApart: diverged trials are counted apart
// from the finished ones, and the header says the effects and importance
// leave them out.
func TestSweepShowCountsDivergedTrialsApart(t *testing.T) {
	rep := sweepReport{Sweep: sweepJSON{Sweep: &sessions.Sweep{ID: "sweep-2", Status: "done", Objective: "val_r2", Trials: 3}},
		Ranking: []rankedTrial{{Rank: 1, Status: trainer.StatusDone, Objective: 0.9}, {Rank: 2, Status: trainer.StatusDone, Objective: 0.5},
			{Rank: 3, Status: trainer.StatusDiverged, Objective: -2.7e109}}}
	var b strings.Builder
	printSweep(&b, rep)
	if first, _, _ := strings.Cut(b.String(), "\n"); first != "sweep sweep-2: done, 3 trials (2 finished, 1 diverged: left out of the effects and importance), ranked by best val_r2" {
		t.Errorf("header %q", first)
	}
}
