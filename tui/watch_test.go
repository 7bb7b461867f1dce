package tui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
	"workbench/sessions/pgtest"
	"workbench/trainer"
)

// TestPushedChangesReachRunsAndDetail: on PostgreSQL, a run another
// machine creates appears on Runs, and the open run's curve grows, from
// notifications alone (no poll), within 200 ms each.
func TestPushedChangesReachRunsAndDetail(t *testing.T) {
	u := pgtest.URL(t)
	local, err := sessions.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	remote, err := sessions.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	a := newApp(t, local, 100, 30)
	rm := a.screens[screenRuns].(*runsModel)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	next := watchStore(ctx, local)
	// Wait for the listener before writing: watchStore's first message
	// comes only after a change, so start it now and write after a pause.
	msgs := make(chan tea.Msg, 1)
	go func() { msgs <- next() }()
	time.Sleep(300 * time.Millisecond)
	// pushed runs one notification round: the message must arrive within
	// 200 ms of the write, and the screens handle it.
	pushed := func(what string, write func()) {
		t.Helper()
		start := time.Now()
		write()
		select {
		case msg := <-msgs:
			if time.Since(start) > 200*time.Millisecond*slack {
				t.Fatalf("%s: notified after %v", what, time.Since(start))
			}
			sc := msg.(storeChangedMsg)
			send(a, storeChangedMsg{ids: sc.ids}) // no ch: the test drives the next wait itself
			go func() { msgs <- waitForStoreChange(sc.ch)() }()
		case <-time.After(2 * time.Second):
			t.Fatalf("%s: no notification", what)
		}
	}
	spec := trainer.DefaultSpec()
	pushed("create", func() {
		r := &sessions.Run{ID: "remote-run", Name: "far away", Status: trainer.StatusRunning, Spec: spec, Dataset: "spiral",
			Task: "binary", Created: time.Now()}
		if err := remote.CreateRun(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	})
	if len(rm.runs) != 1 || rm.runs[0].ID != "remote-run" {
		t.Fatalf("Runs shows %d runs after the push", len(rm.runs))
	}
	send(a, runDetailMsg{run: &sessions.FullRun{Run: *rm.runs[0]}})
	for e := 1; e <= 3; e++ {
		pushed("epoch", func() {
			if err := remote.AppendEpoch(context.Background(), "remote-run", sessions.Epoch{Epoch: e, Val: sessions.Metrics{"loss": 1 / float64(e)}}); err != nil {
				t.Fatal(err)
			}
		})
		if rm.detail == nil || len(rm.detail.History) != e {
			t.Fatalf("after epoch %d the detail has %v epochs", e, rm.detail)
		}
	}
}
