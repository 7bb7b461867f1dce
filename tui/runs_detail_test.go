package tui

import (
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
