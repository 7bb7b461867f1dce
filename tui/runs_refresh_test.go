package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
	"workbench/trainer"
)

func addStoredRun(t *testing.T, s sessions.Store, id, name string, lr float64, created time.Time, acc float64) {
	t.Helper()
	spec := trainer.DefaultSpec()
	spec.Optimizer.LR = lr
	r := &sessions.Run{ID: id, Name: name, Status: trainer.StatusDone, Spec: spec, Dataset: "spiral", Task: "binary",
		Created: created, Metrics: sessions.Metrics{"best_val_accuracy": acc}}
	if err := s.CreateRun(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

// refresh runs the Runs screen's load and applies its message, if any; it
// reports whether the load sent one.
func refresh(m *runsModel) (sent bool, full bool) {
	cmd := m.load()
	msg := cmd()
	if msg == nil {
		return false, false
	}
	*m, _ = m.Update(msg)
	return true, msg.(runsLoadedMsg).full
}

func ids(runs []*sessions.Run) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.ID
	}
	return out
}

// TestRunsRefreshIsIncremental checks, for every sort column in both
// directions, that a refresh fetches nothing when nothing changed and that
// merging changes gives the list a full load would.
func TestRunsRefreshIsIncremental(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 12; i++ {
		addStoredRun(t, s, fmt.Sprintf("run-%02d", i), fmt.Sprintf("n%d", i%4), 0.001*float64(i%3+1), t0.Add(time.Duration(i)*time.Minute), float64(i%5)/5)
	}
	st := DefaultStyles()
	step := 0
	for col := range runColumns {
		for _, desc := range []bool{false, true} {
			m := newRuns(&st, s)
			m.sortCol, m.desc = col, desc
			if sent, full := refresh(&m); !sent || !full || len(m.runs) != 12+step {
				t.Fatalf("first load: sent %v, full %v, %d runs", sent, full, len(m.runs))
			}
			if sent, _ := refresh(&m); sent {
				t.Fatalf("%s: a refresh with no change sent a message", runColumns[col].title)
			}
			// Changes: a new run, a rename, a deletion, a new best.
			step++
			addStoredRun(t, s, fmt.Sprintf("new-%02d", step), "zz", 0.002, t0.Add(-time.Hour), 0.99)
			name := fmt.Sprintf("a%d", step)
			s.UpdateRun(ctx, m.runs[len(m.runs)/2].ID, sessions.Patch{Name: &name})
			victim := m.runs[1].ID
			if err := s.DeleteRuns(ctx, victim); err != nil {
				t.Fatal(err)
			}
			addStoredRun(t, s, victim, "back", 0.003, t0.Add(time.Hour), 0.5) // the same ID, new content
			sent, full := refresh(&m)
			if !sent || full {
				t.Fatalf("%s: refresh after changes: sent %v, full %v", runColumns[col].title, sent, full)
			}
			want := newRuns(&st, s)
			want.sortCol, want.desc = col, desc
			refresh(&want)
			if !slices.Equal(ids(m.runs), ids(want.runs)) {
				t.Fatalf("%s desc=%v: merged %v\nfull   %v", runColumns[col].title, desc, ids(m.runs), ids(want.runs))
			}
			for i := range m.runs {
				if m.runs[i].Name != want.runs[i].Name {
					t.Fatalf("%s: row %d named %q, want %q", runColumns[col].title, i, m.runs[i].Name, want.runs[i].Name)
				}
			}
		}
	}
}

func TestRunsScreenShowsNoEscapes(t *testing.T) {
	s := tempStore(t)
	hostile := "\x1b[2J\x1b]0;pwned\x07evil\x1b[31m"
	r := &sessions.Run{ID: "20261128-120000-abcdef", Name: hostile, Status: trainer.StatusDone, Spec: trainer.DefaultSpec(),
		Dataset: "spiral\x1b[1m", Task: "binary", Tags: []string{"\x07bell"}, Notes: hostile, Created: time.Now(), Metrics: sessions.Metrics{}}
	if err := s.CreateRun(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	st := DefaultStyles()
	m := newRuns(&st, s)
	m.SetSize(120, 20)
	m.Focus()
	refresh(&m)
	views := []string{m.View()}
	m, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd != nil {
		m, _ = m.Update(cmd())
	}
	if m.detail == nil {
		t.Fatal("the detail did not open")
	}
	views = append(views, m.View())
	for _, v := range views {
		for _, bad := range []string{"\x1b[2J", "\x1b]0;", "\x07", "\x1b[31m", "\x1b[1m"} {
			if strings.Contains(v, bad) {
				t.Fatalf("the view holds %q:\n%q", bad, v)
			}
		}
		if !strings.Contains(v, "evil") {
			t.Fatalf("the name is gone:\n%s", v)
		}
	}
}

// TestRunsCursorOnTopFollowsNewRuns: a cursor on the first row stays on the
// first row when newer runs arrive (enter then opens the newest run); a
// cursor further down keeps its run.
func TestRunsCursorOnTopFollowsNewRuns(t *testing.T) {
	s := tempStore(t)
	st := DefaultStyles()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	addStoredRun(t, s, "run-a", "a", 0.01, t0, 0.5)
	addStoredRun(t, s, "run-b", "b", 0.01, t0.Add(time.Minute), 0.6)
	m := newRuns(&st, s)
	refresh(&m)
	if r := m.current(); r == nil || r.ID != "run-b" {
		t.Fatalf("the cursor starts on %s, want the newest run", runID(r))
	}
	addStoredRun(t, s, "run-c", "c", 0.01, t0.Add(2*time.Minute), 0.7)
	refresh(&m)
	if r := m.current(); r == nil || r.ID != "run-c" {
		t.Fatalf("after a new run the top cursor is on %s, want run-c", runID(r))
	}
	m.cursor = 1 // on run-b
	addStoredRun(t, s, "run-d", "d", 0.01, t0.Add(3*time.Minute), 0.8)
	refresh(&m)
	if r := m.current(); r == nil || r.ID != "run-b" {
		t.Fatalf("a cursor further down moved to %s, want it to keep run-b", runID(r))
	}
}

func runID(r *sessions.Run) string {
	if r == nil {
		return "no run"
	}
	return r.ID
}
