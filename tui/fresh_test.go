package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"workbench/sessions"
	"workbench/trainer"
)

// The help line fits its width at every size and, when keys are left
// out, ends in "…", never in a dangling separator.
func TestShortHelpEndsInAnEllipsis(t *testing.T) {
	bindings := combinedHelp{DefaultTrainKeys(), DefaultGlobalKeys()}.ShortHelp()
	for w := 1; w <= 200; w++ {
		s := fitShortHelp(help.New(), bindings, w)
		if lipgloss.Width(s) > w {
			t.Fatalf("width %d: %d cells: %q", w, lipgloss.Width(s), s)
		}
		if strings.HasSuffix(s, "•") || strings.HasSuffix(s, "• ") {
			t.Fatalf("width %d: ends in a separator: %q", w, s)
		}
	}
}

// storeRealRuns records n short real runs of the Playground default (all
// its metrics, balanced_accuracy among them) and returns their IDs.
func storeRealRuns(t *testing.T, s sessions.Store, n int) []string {
	var ids []string
	for i := range n {
		spec := trainer.DefaultSpec()
		spec.Epochs, spec.Seed = 3, uint64(i+1)
		id := fmt.Sprintf("20261129-0600%02d-abcde%d", i, i)
		_, evs := fixedRun(t, spec, id)
		rec := sessions.Record(s, nil, closedQueue(evs).Out(), sessions.RecordOptions{})
		for range rec.Events() {
		}
		if err := rec.Err(); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// Run detail and Compare print metric names whole when they have the
// room, rather than best_val…nced_accuracy.
func TestMetricNamesPrintWholeWhenTheyFit(t *testing.T) {
	store := tempStore(t)
	ids := storeRealRuns(t, store, 2)
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	if v := a.View(); !strings.Contains(v, "best_val_balanced_accuracy ") {
		t.Errorf("run detail cuts the name:\n%s", v)
	}
	send(a, compareRunsMsg{ids: ids})
	for range 8 {
		press(a, "down")
	}
	if v := a.View(); !strings.Contains(v, "best_val_balanced_accuracy ") {
		t.Errorf("Compare cuts the name:\n%s", v)
	}
}

// The keys dialog fits a narrow terminal whole, on every screen: its
// columns go into rows rather than past the edge, where they wrapped the
// frame apart.
func TestHelpDialogFitsNarrowTerminals(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {64, 30}} {
		a := newApp(t, tempStore(t), size[0], size[1])
		for _, screen := range []string{"1", "2", "3", "4"} {
			press(a, screen, "?")
			v := a.View()
			for i, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > size[0] {
					t.Fatalf("%v screen %s: line %d is %d wide:\n%s", size, screen, i, lipgloss.Width(l), v)
				}
			}
			if !strings.Contains(v, "╝") || !strings.Contains(v, "q         quit") && !strings.Contains(v, "quit") {
				t.Errorf("%v screen %s: the dialog is cut:\n%s", size, screen, v)
			}
			if strings.Count(v, "╔") != 1 || !strings.Contains(v, "? or esc closes") {
				t.Errorf("%v screen %s: broken frame:\n%s", size, screen, v)
			}
			press(a, "?")
		}
	}
}

// w on a field of choices asks for choices, not learning rates.
func TestSweepPlaceholderFitsTheField(t *testing.T) {
	a := newApp(t, tempStore(t), 120, 40)
	m := a.setupScreen()
	for i, f := range m.fields {
		if f.key == "schedule.name" {
			m.cursor = i + 1 // the Train button is line 0
		}
	}
	press(a, "w")
	if ph := a.setupScreen().input.Placeholder; !strings.Contains(ph, "constant,step") || strings.Contains(ph, "0.001") {
		t.Errorf("placeholder %q", ph)
	}
}

// The sweep table's status and best columns read whole (early_stopped,
// best accuracy) when the screen has the room.
func TestSweepTableColumnsReadWhole(t *testing.T) {
	a := newApp(t, tempStore(t), 120, 40)
	m := a.trainScreen()
	st := DefaultStyles()
	var runs []*liveRun
	for i, lr := range []string{"0.001", "0.1"} {
		r := &liveRun{id: fmt.Sprintf("run%d", i), key: "accuracy", sweep: "sweep-x", trial: "#" + lr + " optimizer.lr=" + lr,
			best: map[string]float64{"accuracy": 0.98}, fin: &trainer.FinishedEvent{Status: trainer.StatusEarlyStopped}, metric: newChart("accuracy", &st)}
		runs = append(runs, r)
	}
	m.runs = runs
	runs[0].spec.Epochs, runs[0].last = 3000, &trainer.EpochEvent{Epoch: 449}
	v := m.sweepTable(runs[0], 120, 20)
	// Headings apart ("epoch best accuracy  val accuracy" ran together),
	// epochs done of the limit.
	for _, want := range []string{"early_stopped", " epochs  best val accuracy  val accuracy by epoch", " 449/3000 "} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q:\n%s", want, v)
		}
	}
}

// At 80 columns the network view's help line still says how to leave it.
func TestNetworkHelpShowsTheWayOut(t *testing.T) {
	bindings := combinedHelp{DefaultNetworkKeys(), DefaultGlobalKeys()}.ShortHelp()
	if s := fitShortHelp(help.New(), bindings, 80); !strings.Contains(s, "esc/v close") {
		t.Errorf("help line %q", s)
	}
}

// space, n and x say what happened: paused with the way on, resumed, or
// that the run has ended (they did nothing at all on an ended run).
func TestPauseStepStopSayWhatHappened(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	r := pausedRun(t)
	h := r.handle
	a.Update(runStartedMsg{run: r})
	press(a, " ")
	if a.status != "training "+h.ID {
		t.Errorf("after resume: %q", a.status)
	}
	press(a, " ")
	if !strings.HasPrefix(a.status, "paused "+h.ID+": space resumes") {
		t.Errorf("after pause: %q", a.status)
	}
	h.Stop()
	for range h.Events {
	}

	b := newApp(t, nil, 120, 40)
	addFixedRun(t, b, trainer.DefaultSpec(), "20261129-060000-fixed1")
	for _, k := range []string{" ", "n", "x"} {
		b.status = ""
		press(b, k)
		if !strings.Contains(b.status, "has ended (done): r trains it again") {
			t.Errorf("%q on an ended run: status %q", k, b.status)
		}
	}
}

// While a screen takes text, its help line gives the keys that work then
// (enter, esc), not the screen's commands or q quit, which type letters.
func TestHelpLineWhileTyping(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	last := func() string { return helpLine(a) }
	press(a, "down", "down", "enter")
	if l := last(); !strings.HasPrefix(l, "enter set • esc cancel") || strings.Contains(l, "quit") {
		t.Errorf("typing a value: %q", l)
	}
	press(a, "esc")
	if l := last(); !strings.HasPrefix(l, "t train") {
		t.Errorf("after esc: %q", l)
	}
	press(a, "3", "/")
	if l := last(); !strings.HasPrefix(l, "enter apply • esc cancel") {
		t.Errorf("filtering runs: %q", l)
	}
	press(a, "esc", "1")
	openCSVPicker(t, a)
	if l := last(); !strings.Contains(l, "enter pick") || strings.Contains(l, "t train") {
		t.Errorf("picking a file: %q", l)
	}
}

// A binary run's detail draws its ROC curve beside the PR curve and the
// reliability diagram, as Train does when a run ends (the README says so).
func TestRunDetailDrawsTheROC(t *testing.T) {
	store := tempStore(t)
	storeRealRuns(t, store, 1)
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	v := a.View()
	for _, want := range []string{"test ROC, AUC", "PR, AP", "reliability, ECE"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q in the run's detail:\n%s", want, v)
		}
	}
}

// A run's detail has its own help line: esc back and what the panel
// offers, not the list's keys.
func TestRunDetailHelpLine(t *testing.T) {
	store := tempStore(t)
	storeRealRuns(t, store, 1)
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	if last := helpLine(a); !strings.HasPrefix(last, "esc back • c clone to setup • R re-run • x export") {
		t.Errorf("help line %q", last)
	}
}

// Adding or removing a layer says what it did to the network on Setup's
// status line, where the last preset's name stayed.
func TestLayerChangesSayWhatTheyDid(t *testing.T) {
	a := newApp(t, tempStore(t), 120, 40)
	n := len(a.setupScreen().spec.Model.Hidden)
	press(a, "a")
	if got := len(a.setupScreen().spec.Model.Hidden); got != n+1 {
		t.Fatalf("%d layers after a, want %d", got, n+1)
	}
	if want := fmt.Sprintf("layer %d added (", n+1); !strings.Contains(a.status, want) || !strings.Contains(a.status, "parameters, were") {
		t.Errorf("status after a: %q, want %q… and the parameter counts", a.status, want)
	}
}
