package tui

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func TestSetupKeysEditTheSpec(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	// Walk down to the learning rate and step it up the log scale.
	for a.setupScreen().current() == nil || a.setupScreen().current().key != "optimizer.lr" {
		press(a, "down")
		if a.setupScreen().cursor >= len(a.setupScreen().fields) {
			t.Fatal("no learning-rate field")
		}
	}
	press(a, "right")
	if a.setupScreen().spec.Optimizer.LR != 0.1 {
		t.Fatalf("lr after → is %v, want 0.1 (the next step after 0.03)", a.setupScreen().spec.Optimizer.LR)
	}
	press(a, "left", "left")
	if a.setupScreen().spec.Optimizer.LR != 0.01 {
		t.Fatalf("lr after ←← is %v, want 0.01", a.setupScreen().spec.Optimizer.LR)
	}
	// Typing an invalid value marks it and blocks training.
	press(a, "enter")
	if !a.awaitingInput() {
		t.Fatal("enter did not open the field for typing")
	}
	a.setupScreen().input.SetValue("fast")
	press(a, "enter")
	if a.setupScreen().invalid["optimizer.lr"] != "not a number" {
		t.Fatalf("invalid = %v", a.setupScreen().invalid)
	}
	if !strings.Contains(a.View(), "fast  ✗ not a number") {
		t.Fatal("the invalid value is not marked inline")
	}
	press(a, "t")
	if len(a.trainScreen().runs) != 0 || a.statusOK || !strings.Contains(a.status, "fix learning rate first") {
		t.Fatalf("training started with an invalid field (status %q)", a.status)
	}
	// Fixing it clears the mark; q is typed into the field, not quitting.
	press(a, "enter")
	a.setupScreen().input.SetValue("0.5")
	press(a, "enter")
	if len(a.setupScreen().invalid) != 0 || a.setupScreen().spec.Optimizer.LR != 0.5 {
		t.Fatalf("after fixing: %v, lr %v", a.setupScreen().invalid, a.setupScreen().spec.Optimizer.LR)
	}
	// Layers: add, remove.
	n := len(a.setupScreen().spec.Model.Hidden)
	press(a, "a")
	if len(a.setupScreen().spec.Model.Hidden) != n+1 {
		t.Fatal("a did not add a layer")
	}
	for a.setupScreen().current() == nil || a.setupScreen().current().layer < 0 {
		press(a, "up")
	}
	press(a, "d")
	if len(a.setupScreen().spec.Model.Hidden) != n {
		t.Fatal("d did not remove the layer")
	}
	// Presets: the spiral's, then the seed example.
	press(a, "p")
	if s := a.setupScreen().spec; s.Data.Name != "spiral" || s.Optimizer.Name != "adam" || len(s.Model.Hidden) != 2 || s.Model.Hidden[0].Units != 16 {
		t.Fatalf("preset 2: %+v", s)
	}
	press(a, "p")
	if a.setupScreen().spec.Data.Name != "seed-example" || a.setupScreen().spec.Loss != "mse" || a.setupScreen().spec.Optimizer.Name != "adam" {
		t.Fatalf("preset 3: %+v", a.setupScreen().spec)
	}
	if !strings.Contains(a.View(), "2 → 4 tanh → 1 sigmoid, 17 params") {
		t.Fatal("no summary line for the seed example")
	}
	keys := map[string]bool{}
	for _, f := range a.setupScreen().fields {
		keys[f.key] = true
	}
	if !keys["optimizer.beta1"] || !keys["optimizer.beta2"] || keys["optimizer.momentum"] {
		t.Fatalf("Adam's settings are not in the form: %v", keys)
	}
}

func TestSetupDatasetChangeFitsTheLoss(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	press(a, "down") // the dataset field, below the Train button
	if a.setupScreen().current().key != "data.name" {
		t.Fatalf("on %s", a.setupScreen().current().key)
	}
	for a.setupScreen().spec.Data.Name != "iris" {
		press(a, "right")
	}
	if a.setupScreen().spec.Loss != "ce" {
		t.Fatalf("iris kept loss %q", a.setupScreen().spec.Loss)
	}
	if err := a.setupScreen().validate(); err != "" {
		t.Fatalf("iris spec invalid: %s", err)
	}
}

func TestTrainIgnoresUnknownRunsAndControlsTheSelectedRun(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	send(a, runEventsMsg{id: "nobody", events: []trainer.Event{trainer.EpochEvent{ID: "nobody", Epoch: 1}}})
	if len(a.trainScreen().runs) != 0 {
		t.Fatal("an unknown run appeared")
	}
	r := pausedRun(t)
	h := r.handle
	a.Update(runStartedMsg{run: r}) // not run(): that would block on the channel
	if a.screen != screenTrain || a.trainScreen().selected() != r {
		t.Fatal("a started run is not shown")
	}
	press(a, " ")
	if h.Paused() {
		t.Fatal("space did not resume")
	}
	press(a, " ")
	if !h.Paused() {
		t.Fatal("space did not pause")
	}
	if !strings.Contains(a.View(), "paused") {
		t.Fatal("the view does not say paused")
	}
	press(a, "y")
	if !a.trainScreen().logY {
		t.Fatal("y did not toggle log-y")
	}
	// Quitting while a run trains asks first.
	a.Update(keyMsg("q"))
	if !a.confirm || !strings.Contains(a.View(), "1 run still training") {
		t.Fatal("q did not ask before stopping a training run")
	}
	a.Update(keyMsg("n"))
	if a.confirm {
		t.Fatal("another key did not cancel the question")
	}
	h.Stop()
	for range h.Events {
	}
}

func TestRunsKeys(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 120, 40)
	press(a, "3")
	if len(a.runsScreen().runs) != 2 {
		t.Fatalf("%d runs listed", len(a.runsScreen().runs))
	}
	col := a.runsScreen().sortCol
	press(a, "s")
	if a.runsScreen().sortCol == col {
		t.Fatal("s did not change the sort column")
	}
	press(a, " ", " ")
	if len(a.runsScreen().selectedIDs()) != 2 {
		t.Fatalf("selected %v", a.runsScreen().selectedIDs())
	}
	press(a, "C")
	if a.screen != screenCompare || a.compareScreen().cmp == nil || len(a.compareScreen().cmp.Runs) != 2 {
		t.Fatal("C did not open Compare on the selection")
	}
	metric := a.compareScreen().metric
	press(a, "m")
	if a.compareScreen().metric == metric {
		t.Fatal("m did not change the metric")
	}
	press(a, "3", "/")
	a.runsScreen().input.SetValue("fast")
	press(a, "enter")
	if len(a.runsScreen().runs) != 1 || a.runsScreen().runs[0].ID != ids[1] {
		t.Fatalf("filter kept %d runs", len(a.runsScreen().runs))
	}
	press(a, "d", "n")
	if len(a.runsScreen().runs) != 1 {
		t.Fatal("delete without confirmation")
	}
	press(a, "d", "y")
	if len(a.runsScreen().runs) != 0 {
		t.Fatalf("%d runs after confirmed delete", len(a.runsScreen().runs))
	}
	press(a, "esc")
	if len(a.runsScreen().runs) != 1 {
		t.Fatalf("esc did not clear the filter: %d runs", len(a.runsScreen().runs))
	}
	press(a, "c")
	if a.screen != screenSetup || a.setupScreen().spec.Name != "baseline" {
		t.Fatal("c did not clone the run into Setup")
	}
	if !strings.Contains(a.status, "cloned ") || !strings.Contains(a.status, "into Setup") {
		t.Fatalf("the status after a clone says %q", a.status)
	}
}

// TestFlow drives the whole app as a user: train a preset, see epochs,
// pause, resume, wait for the end, find the run on Runs, quit.
func TestFlow(t *testing.T) {
	store := tempStore(t)
	spec := trainer.DefaultSpec()
	spec.Data.Samples = 1000
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 16, Activation: "tanh"}, {Units: 16, Activation: "tanh"}}
	spec.Epochs = 0 // no limit: the run cannot finish before the keys reach it
	app := New(store, Options{Spec: &spec})
	app.noRefresh = true
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	wait := func(what string) {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), what) },
			teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	wait("[ ▶ Train ]")
	tm.Send(keyMsg("t"))
	wait("Epoch ")
	tm.Send(keyMsg(" "))
	wait("paused")
	tm.Send(keyMsg(" "))
	wait("running")
	tm.Send(keyMsg("x"))
	wait("stopped")
	tm.Send(keyMsg("3"))
	wait("acc ")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	runs, err := store.ListRuns(context.Background(), sessions.Query{})
	if err != nil || len(runs) != 1 || runs[0].Status != trainer.StatusStopped || runs[0].EpochsDone < 1 {
		t.Fatalf("stored runs: %v %v", runs, err)
	}
}

func TestSweepFromSetup(t *testing.T) {
	a, store := setupAtLR(t, 20)
	press(a, "w")
	a.setupScreen().input.SetValue("0.01,0.1")
	press(a, "enter")
	if a.setupScreen().sweep["optimizer.lr"] != "0.01,0.1" || !strings.Contains(a.View(), "⟳ 0.01,0.1") || !strings.Contains(a.View(), "Sweep 2 trials") {
		t.Fatalf("sweep mark: %v\n%s", a.setupScreen().sweep, a.View())
	}
	press(a, "t")
	if len(a.trainScreen().runs) != 2 {
		t.Fatalf("%d trials shown", len(a.trainScreen().runs))
	}
	for _, r := range a.trainScreen().runs {
		if r.sweep == "" || !strings.Contains(r.trial, "lr=") {
			t.Fatalf("trial not tagged: %+v", r.trial)
		}
	}
	// The sweep's end leaves the user where they are, with Compare ready.
	if a.screen != screenTrain || a.compareScreen().cmp == nil || len(a.compareScreen().cmp.Runs) != 2 {
		t.Fatalf("after the sweep: screen %d, compare %v", a.screen, a.compareScreen().cmp != nil)
	}
	if v := a.View(); !strings.Contains(v, "on Compare (4)") {
		t.Fatalf("the status does not say where the top trials are:\n%s", v)
	}
	// w shows the sweep's trials ranked, with sparklines.
	press(a, "w")
	if v := a.View(); !strings.Contains(v, "2 trials, best first") || !strings.ContainsAny(v, "▁▂▃▄▅▆▇█") {
		t.Fatalf("no ranked table of the trials:\n%s", v)
	}
	sws, _ := store.ListSweeps(context.Background())
	if len(sws) != 1 || sws[0].Trials != 2 || sws[0].Status != "done" {
		t.Fatalf("stored sweeps: %+v", sws)
	}
	// On Runs, w opens a trial's sweep; its line replaces an earlier error
	// (which stayed over the sweep).
	press(a, "3")
	send(a, statusMsg{text: "this run is not a trial of a sweep", err: true})
	press(a, "w")
	if !a.runsScreen().sweepOpen || !a.statusOK || !strings.HasPrefix(a.status, "sweep "+sws[0].ID+": esc returns") {
		t.Fatalf("w on a trial: open %v, status %q", a.runsScreen().sweepOpen, a.status)
	}
}

func TestSetupOpensATypedCSVPath(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/loans.csv"
	bad := dir + "/ragged.csv"
	writeFile(t, good, "age,city,approved\n25,paris,0\n40,lyon,1\n35,paris,1\n22,nice,0\n")
	writeFile(t, bad, "a,b,y\n1,2,0\n3,4\n")
	a := newApp(t, nil, 120, 40)
	press(a, "down", "enter")
	a.setupScreen().input.SetValue(good)
	press(a, "enter")
	if a.setupScreen().spec.Data.Path != good || a.setupScreen().table == nil || a.setupScreen().table.Meta.Task != datasets.Binary || a.setupScreen().table.D != 4 {
		t.Fatalf("CSV not opened: %+v", a.setupScreen().spec.Data)
	}
	if a.setupScreen().spec.Loss != "bce" || a.setupScreen().validate() != "" {
		t.Fatalf("loss %q, validate %q", a.setupScreen().spec.Loss, a.setupScreen().validate())
	}
	// A bad file: the error names the line, and training is blocked.
	for a.setupScreen().current() == nil || a.setupScreen().current().key != "data.path" {
		press(a, "down")
	}
	press(a, "enter")
	a.setupScreen().input.SetValue(bad)
	press(a, "enter")
	if !strings.Contains(a.status, "line 3, column 3") || a.statusOK {
		t.Fatalf("status %q", a.status)
	}
	press(a, "t")
	if len(a.trainScreen().runs) != 0 {
		t.Fatal("trained on a CSV that did not load")
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSetupDatasetSwitchDropsSyntheticSettings: switched from circle to
// iris, Setup trains (and sweeps) a spec without circle's 500 samples and
// noise, and keeps them in the form for a switch back.
func TestSetupDatasetSwitchDropsSyntheticSettings(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	a.setupScreen().spec.Data.Noise = 0.2
	press(a, "down")
	for a.setupScreen().spec.Data.Name != "iris" {
		press(a, "right")
	}
	msg, ok := a.setupScreen().start()().(startRunsMsg)
	if !ok || len(msg.specs) != 1 {
		t.Fatalf("t on iris sent %T", msg)
	}
	if d := msg.specs[0].Data; d.Samples != 0 || d.Noise != 0 {
		t.Errorf("iris trains with samples %d, noise %g", d.Samples, d.Noise)
	}
	if d := a.setupScreen().sweepSpec().Base.Data; d.Samples != 0 || d.Noise != 0 {
		t.Errorf("a sweep of iris has samples %d, noise %g", d.Samples, d.Noise)
	}
	for a.setupScreen().spec.Data.Name != "circle" {
		press(a, "left")
	}
	if d := a.setupScreen().spec.Data; d.Samples != 500 || d.Noise != 0.2 {
		t.Errorf("back on circle: samples %d, noise %g, want 500 and 0.2", d.Samples, d.Noise)
	}
}
