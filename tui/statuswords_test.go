package tui

import (
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// endedEvents are a synthetic run's events ending with status s and
// reason why.
func endedEvents(id string, s trainer.Status, why string) []trainer.Event {
	spec := trainer.DefaultSpec()
	spec.Epochs = 5
	evs := synthEvents(spec, id, 0.1)
	fin := evs[len(evs)-1].(trainer.FinishedEvent)
	fin.Status, fin.Reason = s, why
	evs[len(evs)-1] = fin
	return evs
}

// TestStatusWordsAgreeAcrossScreens: an early-stopped run and one stopped
// with x (the trainer's reason "cancelled") read early_stopped and stopped
// on the Train tabs, the status line, the Runs list and a run's page; no
// screen says "early stopped" or "cancelled" for them.
func TestStatusWordsAgreeAcrossScreens(t *testing.T) {
	const early, stopped = "20261128-150000-eeeeee", "20261128-150100-ffffff"
	cases := map[string][]trainer.Event{
		early:   endedEvents(early, trainer.StatusEarlyStopped, "val_loss did not improve for 3 epochs; restored epoch 2"),
		stopped: endedEvents(stopped, trainer.StatusStopped, "cancelled"),
	}
	data, err := datasets.Build(trainer.DefaultSpec().Data)
	if err != nil {
		t.Fatal(err)
	}
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	for _, id := range []string{early, stopped} {
		rec := sessions.Record(store, nil, closedQueue(cases[id]).Out(), sessions.RecordOptions{})
		for range rec.Events() {
		}
		if err := rec.Err(); err != nil {
			t.Fatal(err)
		}
		send(a, runStartedMsg{run: &liveRun{id: id, spec: trainer.DefaultSpec(), queue: closedQueue(cases[id]), data: data, key: "accuracy", status: trainer.StatusRunning}})
	}
	noOtherWords := func(where, v string) {
		t.Helper()
		for _, bad := range []string{"early stopped", "cancelled"} {
			if strings.Contains(v, bad) {
				t.Errorf("%s says %q:\n%s", where, bad, v)
			}
		}
	}
	v := a.View()
	if !strings.Contains(v, "circle early_stopped") || !strings.Contains(v, "circle stopped") {
		t.Errorf("the Train tabs lack early_stopped and stopped:\n%s", v)
	}
	if a.status != stopped+" stopped" {
		t.Errorf("Train's status line %q, want %q", a.status, stopped+" stopped")
	}
	noOtherWords("Train", v)
	press(a, "left") // the early-stopped run, with its reason under the panel
	if v := a.View(); !strings.Contains(v, "val_loss did not improve") {
		t.Errorf("the early-stopped run's reason is not shown:\n%s", v)
	}
	press(a, "3")
	v = a.View()
	if !strings.Contains(v, "early_stopped") || !strings.Contains(v, " stopped ") {
		t.Errorf("the Runs list lacks early_stopped and stopped:\n%s", v)
	}
	noOtherWords("Runs", v)
	if n := len(a.runsScreen().runs); n != 2 {
		t.Fatalf("%d runs listed, want 2", n)
	}
	for range 2 {
		r := a.runsScreen().current()
		press(a, "enter")
		v := a.View()
		want := "\n" + string(r.Status) + " · " // the summary line starts with it
		if !strings.Contains(v, want) {
			t.Errorf("the page of %s lacks %q:\n%s", r.ID, want, v)
		}
		noOtherWords("the page of "+r.ID, v)
		press(a, "esc", "down")
	}
}

// TestReasonText: a stopped run's "cancelled" says nothing the status
// does not; every other reason is kept as stored.
func TestReasonText(t *testing.T) {
	for _, c := range []struct {
		s         trainer.Status
		why, want string
	}{
		{trainer.StatusStopped, "cancelled", ""},
		{trainer.StatusStopped, "the sweep was cancelled", "the sweep was cancelled"},
		{trainer.StatusDiverged, "the loss became NaN in epoch 3", "the loss became NaN in epoch 3"},
		{trainer.StatusEarlyStopped, "val_loss did not improve for 3 epochs", "val_loss did not improve for 3 epochs"},
		{trainer.StatusDone, "", ""},
	} {
		if got := ReasonText(c.s, c.why); got != c.want {
			t.Errorf("ReasonText(%s, %q) = %q, want %q", c.s, c.why, got, c.want)
		}
	}
}
