package tui

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/trainer"
)

// statusBar is the status line of a view: the line above the help.
func statusBar(v string) string {
	lines := strings.Split(v, "\n")
	return strings.TrimSpace(lines[len(lines)-2])
}

// TestStatusLineBelongsToItsScreen: what Train says of its run ("<id>
// done") stays on Train; Runs, Compare and Setup show their own lines,
// and each screen's line is back when the user returns to it.
func TestStatusLineBelongsToItsScreen(t *testing.T) {
	const id = "20261128-130000-cccccc"
	store := tempStore(t)
	storeSynthRuns(t, store) // for Runs to clone from
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 5
	addSynthRun(t, a, spec, id)
	if got := statusBar(a.View()); got != id+" done" {
		t.Fatalf("Train's status line %q, want %q", got, id+" done")
	}
	for _, k := range []string{"3", "4", "1"} {
		press(a, k)
		if got := statusBar(a.View()); got != "" {
			t.Errorf("screen %s shows Train's line %q", k, got)
		}
	}
	press(a, "3")
	send(a, statusMsg{text: "exported to run.json"})
	press(a, "2")
	if got := statusBar(a.View()); got != id+" done" {
		t.Errorf("back on Train: %q, want %q", got, id+" done")
	}
	// A run that ends while the user is on Runs updates Train's line only.
	a.say(screenTrain, "training 20261128-140000-dddddd", true)
	press(a, "3")
	send(a, runEndedMsg{id: "20261128-140000-dddddd", status: string(trainer.StatusEarlyStopped)})
	if got := statusBar(a.View()); got != "exported to run.json" {
		t.Errorf("Runs' own line %q, want %q", got, "exported to run.json")
	}
	press(a, "2")
	if got := statusBar(a.View()); got != "20261128-140000-dddddd early_stopped" {
		t.Errorf("Train after its run ended: %q", got)
	}
	// Cloning from Runs speaks on Setup, where it lands, not on Runs.
	press(a, "3", "c")
	if a.screen != screenSetup || !strings.HasPrefix(statusBar(a.View()), "cloned ") {
		t.Fatalf("after c: screen %d, status %q", a.screen, statusBar(a.View()))
	}
	press(a, "3")
	if got := statusBar(a.View()); got != "exported to run.json" {
		t.Errorf("Runs after a clone: %q", got)
	}
}

// TestStoreErrorShowsOnEveryScreen: an app-wide problem is on every
// screen's line until that screen says something else.
func TestStoreErrorShowsOnEveryScreen(t *testing.T) {
	a := New(nil, Options{StoreErr: errors.New("disk full")})
	a.noRefresh = true
	send(a, tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, k := range []string{"1", "2", "3", "4"} {
		press(a, k)
		if got := statusBar(a.View()); !strings.Contains(got, "store unavailable, runs will not be saved: disk full") {
			t.Errorf("screen %s: %q", k, got)
		}
	}
}

// TestStartingMovesToTrain: t on Setup says "starting…" there until the
// run starts; then Train says "training <id>" and Setup no longer waits.
func TestStartingMovesToTrain(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	_, _ = a.Update(startRunsMsg{}) // the run's start comes later
	if got := statusBar(a.View()); got != "starting…" {
		t.Fatalf("Setup after t: %q", got)
	}
	const id = "20261128-150000-aaaaaa"
	spec := trainer.DefaultSpec()
	spec.Epochs = 3
	send(a, runStartedMsg{run: &liveRun{id: id, spec: spec, queue: closedQueue(synthEvents(spec, id, 0.1)), key: "accuracy"}})
	// "training <id>" went to Train, which the run's end then updated.
	if a.screen != screenTrain || a.status != id+" done" {
		t.Fatalf("screen %d, Train's line %q", a.screen, a.status)
	}
	if l := a.lineOf(screenSetup); l.text != "" {
		t.Errorf("Setup still says %q", l.text)
	}
}

// TestEditAndRestartSaysWhatItDid: e on Train opens Setup on the run's
// spec and says so (Setup's line stayed empty).
func TestEditAndRestartSaysWhatItDid(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 5
	addSynthRun(t, a, spec, "20261129-100000-eeeeee")
	press(a, "2", "e")
	if a.screen != screenSetup || !strings.HasPrefix(a.status, "the spec of 20261129-100000-eeeeee is in Setup") {
		t.Errorf("screen %d, status %q", a.screen, a.status)
	}
	// At 80 columns the line says it all, to "again".
	send(a, tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := a.View(); !strings.Contains(v, a.status) || !strings.HasSuffix(a.status, "then t trains it again") {
		t.Errorf("80×24 cuts %q:\n%s", a.status, v)
	}
}

// TestTrainWithoutRunsOffersNoRunKeys: before any run, Train's help line
// lists only the keys that do something (it offered pause, stop, restart…).
func TestTrainWithoutRunsOffersNoRunKeys(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	press(a, "2")
	if last := helpLine(a); strings.Contains(last, "pause") || !strings.Contains(last, "quit") {
		t.Errorf("help line with no run: %q", last)
	}
}

// TestCompareWithNothingOffersNoKeys: Compare before a comparison lists
// only the global keys.
func TestCompareWithNothingOffersNoKeys(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	press(a, "4")
	if last := helpLine(a); strings.Contains(last, "next metric") || !strings.Contains(last, "quit") {
		t.Errorf("help line with nothing to compare: %q", last)
	}
}

// TestSweepTableKeyOnARunOfItsOwn: w on a run that is no sweep's trial
// says so (it did nothing in silence).
func TestSweepTableKeyOnARunOfItsOwn(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 5
	addSynthRun(t, a, spec, "20261129-100000-wwwwww")
	press(a, "2", "w")
	if a.status != "w shows a sweep's trials: this run is not a trial of a sweep" || a.trainScreen().showSweep {
		t.Errorf("w on a run of its own: %q", a.status)
	}
}

// TestSetupNamesFieldsByTheirLabels: an error that starts with a spec path
// names the Setup field instead ("data.path: open x.csv: …" read as a
// path the form never shows).
func TestSetupNamesFieldsByTheirLabels(t *testing.T) {
	for in, want := range map[string]string{
		"data.path: open nofile.csv: no such file or directory":               "CSV path: open nofile.csv: no such file or directory",
		"optimizer.lr: not a number":                                          "learning rate: not a number",
		`model.hidden[1].activation: unknown value "relux" (want relu, tanh)`: `layer 2 activation: unknown value "relux" (want relu, tanh)`,
		"nothing to rewrite: here":                                            "nothing to rewrite: here",
	} {
		if got := setupHint(in); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
}
