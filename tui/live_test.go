package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/trainer"
)

// pump is a small Bubble Tea runtime for tests: Cmds run on their own
// goroutines, as in the real program, and their messages are fed to the
// app's Update on the test goroutine.
type pump struct {
	a    *App
	msgs chan tea.Msg
	quit atomic.Bool // a Cmd returned tea.QuitMsg
}

func newPump(a *App) *pump { return &pump{a: a, msgs: make(chan tea.Msg, 1024)} }

func (p *pump) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		switch msg := msg.(type) {
		case nil, refreshTickMsg:
		case tea.QuitMsg:
			p.quit.Store(true)
		case tea.BatchMsg:
			for _, c := range msg {
				p.exec(c)
			}
		default:
			p.msgs <- msg
		}
	}()
}

func (p *pump) send(msg tea.Msg) {
	_, cmd := p.a.Update(msg)
	p.exec(cmd)
}

// until feeds messages until cond holds; it fails the test after limit.
func (p *pump) until(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(limit)
	for !cond() {
		select {
		case msg := <-p.msgs:
			p.send(msg)
		case <-time.After(time.Millisecond):
		case <-deadline:
			t.Fatalf("after %v: %s", limit, what)
		}
	}
}

// runFor feeds messages for d.
func (p *pump) runFor(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case msg := <-p.msgs:
			p.send(msg)
		case <-end:
			return
		}
	}
}

// fastSpiral is the fast run: 20,000 epochs of spiral, 8,8 tanh,
// Adam 0.01.
func fastSpiral() trainer.Spec {
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "spiral", Samples: 200, Split: datasets.DefaultSplit, Seed: 1}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}, {Units: 8, Activation: "tanh"}}
	spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
	spec.Epochs = 20000
	return spec
}

// TestLiveLoopKeepsUpWithAFastRun drives a fast run through the real
// trainer, recorder and App: after a pause, the store and the screen agree
// with the trainer's epoch, and a stop reaches the store at once.
func TestLiveLoopKeepsUpWithAFastRun(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	p := newPump(a)
	p.send(startRunsMsg{specs: []trainer.Spec{fastSpiral()}})
	p.until(t, 10*time.Second, "the run did not start", func() bool { return a.trainScreen().selected() != nil })
	r := a.trainScreen().selected()
	started := time.Now()
	p.runFor(500 * time.Millisecond)

	p.send(keyMsg(" "))
	if !strings.Contains(a.View(), "paused") {
		t.Fatal("the screen does not say paused at once")
	}
	p.until(t, 2*time.Second, "the trainer did not halt", r.handle.Halted)
	n := r.handle.Epoch()
	if n == 0 || n >= 20000 {
		t.Fatalf("paused at epoch %d: the run is not fast enough to test the lag", n)
	}
	stored := func() int {
		run, err := store.GetRun(context.Background(), r.id)
		if err != nil {
			t.Fatal(err)
		}
		return run.EpochsDone
	}
	// The store holds every epoch up to the pause within one epoch's time
	// or 50 ms, whichever is larger (times slack under the race detector).
	bound := max(50*time.Millisecond, time.Since(started)/time.Duration(n)) * slack
	deadline := time.Now().Add(bound)
	for stored() < n-1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := stored(); got < n-1 || got > n {
		t.Fatalf("the trainer paused at epoch %d; the store has %d", n, got)
	}
	// The screen shows it within a frame.
	p.runFor((frameEvery + 50*time.Millisecond) * slack)
	if r.last == nil || r.last.Epoch != n {
		t.Fatalf("the trainer paused at epoch %d; the screen shows %v", n, r.last)
	}
	if !strings.Contains(a.View(), "Epoch "+strconv.Itoa(n)+"/20000") {
		t.Fatalf("the progress line does not show epoch %d", n)
	}

	// x stops it: the store says stopped within 200 ms.
	p.send(keyMsg("x"))
	deadline = time.Now().Add(200 * time.Millisecond * slack)
	var status trainer.Status
	for time.Now().Before(deadline) {
		run, err := store.GetRun(context.Background(), r.id)
		if err != nil {
			t.Fatal(err)
		}
		if status = run.Status; status == trainer.StatusStopped {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	if status != trainer.StatusStopped {
		t.Fatalf("%v after x the store says %s", 200*time.Millisecond*slack, status)
	}
	p.until(t, time.Second, "the screen did not close the run", func() bool { return r.closed })
	if !strings.Contains(a.View(), "stopped") {
		t.Fatal("the screen does not say stopped")
	}
}

// TestQuitSavesRunsInFlightAsStopped quits while a fast run trains.
func TestQuitSavesRunsInFlightAsStopped(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	p := newPump(a)
	spec := fastSpiral()
	spec.Epochs = 0 // no limit: it trains until stopped
	p.send(startRunsMsg{specs: []trainer.Spec{spec}})
	p.until(t, 10*time.Second, "the run did not start", func() bool { return a.trainScreen().selected() != nil })
	r := a.trainScreen().selected()
	p.runFor(300 * time.Millisecond)
	if !strings.Contains(a.View(), "/∞") {
		t.Fatal("a run without a limit does not show ∞")
	}
	p.send(keyMsg("q"))
	if !a.confirm {
		t.Fatal("q did not ask")
	}
	p.send(keyMsg("y"))
	start := time.Now()
	for !p.quit.Load() && time.Since(start) < 2*time.Second*slack {
		p.runFor(time.Millisecond)
	}
	if !p.quit.Load() {
		t.Fatal("the app did not quit within 2 s")
	}
	run, err := store.GetRun(context.Background(), r.id)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != trainer.StatusStopped || run.EpochsDone < 1 || run.EpochsDone != r.handle.Epoch() {
		t.Fatalf("saved as %s with %d epochs; the trainer did %d", run.Status, run.EpochsDone, r.handle.Epoch())
	}
}

// TestPanicInViewLeavesACrashFileAndSavesRuns makes View panic while a run
// trains.
func TestPanicInViewLeavesACrashFileAndSavesRuns(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	dir := t.TempDir()
	a.opts.CrashDir = dir
	quitAsked := false
	a.quitProgram = func() { quitAsked = true }
	p := newPump(a)
	spec := fastSpiral()
	spec.Epochs = 0
	p.send(startRunsMsg{specs: []trainer.Spec{spec}})
	p.until(t, 10*time.Second, "the run did not start", func() bool { return a.trainScreen().selected() != nil })
	r := a.trainScreen().selected()
	p.runFor(100 * time.Millisecond)
	a.viewHook = func() { panic("a bug in a view") }
	out := a.View()
	if !strings.Contains(out, "hit a bug") || !quitAsked {
		t.Fatalf("after the panic the view says %q and quit was asked: %v", out, quitAsked)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "workbench-crash-*.txt"))
	if len(files) != 1 {
		t.Fatalf("crash files: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "a bug in a view") || !strings.Contains(string(b), "goroutine") {
		t.Fatalf("the crash file lacks the panic or the stack:\n%s", b)
	}
	run, err := store.GetRun(context.Background(), r.id)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != trainer.StatusStopped {
		t.Fatalf("the run in flight was saved as %s", run.Status)
	}
	if _, cmd := a.Update(keyMsg("j")); cmd == nil {
		t.Fatal("after a crash Update does not quit")
	}
}

// TestPanicInUpdateIsCaught makes Update panic through a hostile message.
func TestPanicInUpdateIsCaught(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	a.opts.CrashDir = t.TempDir()
	a.viewHook = nil
	// A run whose queue is nil makes add's waitForEvents fine but apply
	// of a nil chart panics: simulate any bug with a nil liveRun.
	_, cmd := a.Update(runStartedMsg{run: nil})
	if a.crashFile == "" || cmd == nil {
		t.Fatal("a panic in Update was not caught")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("Update did not quit after the panic")
	}
}
