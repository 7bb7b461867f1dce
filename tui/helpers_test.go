package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	time.Local = time.UTC
	os.Exit(m.Run())
}

// run executes cmd and everything it leads to, feeding each message to a,
// as the Bubble Tea runtime would, but synchronously. Ticks and quit are
// dropped. It stops after limit messages.
func run(a *App, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0 && n < 10000; n++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil, refreshTickMsg, tea.QuitMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		}
		_, next := a.Update(msg)
		queue = append(queue, next)
	}
}

// send feeds one message and runs what follows.
func send(a *App, msg tea.Msg) {
	_, cmd := a.Update(msg)
	run(a, cmd)
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func press(a *App, keys ...string) {
	for _, k := range keys {
		send(a, keyMsg(k))
	}
}

// helpLine returns the app's last line: the keys of the screen shown.
func helpLine(a *App) string {
	l := strings.Split(a.View(), "\n")
	return l[len(l)-1]
}

func newApp(t testing.TB, store sessions.Store, w, h int) *App {
	a := New(store, Options{})
	a.noRefresh = true
	run(a, a.Init())
	send(a, tea.WindowSizeMsg{Width: w, Height: h})
	return a
}

func tempStore(t testing.TB) *sessions.SQLite {
	s, err := sessions.Open(filepath.Join(t.TempDir(), "tui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fixedRun trains spec for real (deterministic for its seed) and returns
// its events with every timing field pinned, for golden views.
func fixedRun(t testing.TB, spec trainer.Spec, id string) (*datasets.Prepared, []trainer.Event) {
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	h, err := trainer.RunWith(context.Background(), spec, data, trainer.Options{ID: id, SnapshotEvery: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	var evs []trainer.Event
	for ev := range h.Events {
		switch e := ev.(type) {
		case trainer.ProgressEvent:
			continue
		case trainer.StartEvent:
			e.Started = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
			ev = e
		case trainer.EpochEvent:
			e.Elapsed, e.SamplesPerSec = time.Duration(e.Epoch)*time.Millisecond, 100000
			ev = e
		case trainer.FinishedEvent:
			e.Elapsed, e.SamplesPerSec = time.Duration(e.Epochs)*time.Millisecond, 100000
			ev = e
		}
		evs = append(evs, ev)
	}
	return data, evs
}

// addFixedRun puts a finished fixed run on the Train screen.
func addFixedRun(t testing.TB, a *App, spec trainer.Spec, id string) {
	data, evs := fixedRun(t, spec, id)
	r := &liveRun{id: id, spec: spec, queue: closedQueue(evs), data: data, plane: newPlane(data), key: trainer.KeyMetric(data.Task()), status: trainer.StatusRunning}
	send(a, runStartedMsg{run: r})
}

// closedQueue returns a closed queue holding evs.
func closedQueue(evs []trainer.Event) *trainer.EventQueue {
	q := trainer.NewEventQueue()
	for _, e := range evs {
		q.Push(e)
	}
	q.Close()
	return q
}

// pausedRun starts a long default run, paused, recorded to no store, for
// the Train screen's controls; it is cancelled when the test ends.
func pausedRun(t testing.TB) *liveRun {
	spec := trainer.DefaultSpec()
	spec.Epochs = 100000
	data, err := datasets.Build(spec.Data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h, err := trainer.RunWith(ctx, spec, data, trainer.Options{StartPaused: true})
	if err != nil {
		t.Fatal(err)
	}
	return &liveRun{id: h.ID, spec: spec, handle: h, queue: sessions.Record(nil, data, h.Events, sessions.RecordOptions{}).Queue(), data: data, key: "accuracy"}
}

// setupAtLR returns an app on a fresh store, 120×40, whose Setup holds the
// default spec trained for epochs, with the cursor on the learning rate
// (where the sweep tests mark a field to sweep).
func setupAtLR(t *testing.T, epochs int) (*App, *sessions.SQLite) {
	t.Helper()
	store := tempStore(t)
	a := New(store, Options{})
	a.noRefresh = true
	run(a, a.Init())
	send(a, tea.WindowSizeMsg{Width: 120, Height: 40})
	spec := trainer.DefaultSpec()
	spec.Epochs = epochs
	a.setupScreen().setSpec(spec)
	for a.setupScreen().current() == nil || a.setupScreen().current().key != "optimizer.lr" {
		press(a, "down")
	}
	return a, store
}
