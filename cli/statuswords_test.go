package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"workbench/sessions"
	"workbench/trainer"
)

// stoppedRun trains a run with no epoch limit into the store at db and
// cancels it after its second epoch, as x in the app or Ctrl-C in
// 'workbench train' do: the trainer saves it stopped with the reason
// "cancelled".
func stoppedRun(t *testing.T, db string) string {
	t.Helper()
	store, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	spec := trainer.DefaultSpec()
	spec.Epochs = 0
	live, err := sessions.Start(ctx, store, spec, sessions.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var fin trainer.FinishedEvent
	for ev := range live.Events() {
		switch e := ev.(type) {
		case trainer.EpochEvent:
			if e.Epoch == 2 {
				cancel()
			}
		case trainer.FinishedEvent:
			fin = e
		}
	}
	if err := live.Recorder.Err(); err != nil || fin.Status != trainer.StatusStopped || fin.Reason != "cancelled" {
		t.Fatalf("the run ended %s (%q), err %v", fin.Status, fin.Reason, err)
	}
	return fin.ID
}

// TestStoppedRunReadsStopped: a run stopped on request reads "stopped",
// the word the runs list uses, in 'runs show' and in train's last line,
// never "cancelled"; the JSON keeps the stored reason.
func TestStoppedRunReadsStopped(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	id := stoppedRun(t, db)
	out, errs, code := cli(t, db, "", "runs", "show", id)
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "status:   stopped\n") || strings.Contains(out, "cancelled") {
		t.Errorf("runs show:\n%s", out)
	}
	out, _, _ = cli(t, db, "", "runs", "list")
	if !strings.Contains(out, " stopped ") {
		t.Errorf("runs list:\n%s", out)
	}
	out, _, _ = cli(t, db, "", "runs", "show", id, "--json")
	var r struct{ Status, Reason string }
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Status != "stopped" || r.Reason != "cancelled" {
		t.Errorf("runs show --json: status %q reason %q (%v)", r.Status, r.Reason, err)
	}

	var b strings.Builder
	p := &kerasPrinter{w: &b}
	p.print(trainer.FinishedEvent{Status: trainer.StatusStopped, Reason: "cancelled", Epochs: 7, BestEpoch: 6, Elapsed: time.Second})
	if got := b.String(); !strings.HasPrefix(got, "stopped after 7 epochs (best epoch 6, ") {
		t.Errorf("train's last line: %q", got)
	}
	b.Reset()
	p.print(trainer.FinishedEvent{Status: trainer.StatusEarlyStopped, Reason: "val_loss did not improve for 3 epochs", Epochs: 9, BestEpoch: 6})
	if got := b.String(); !strings.HasPrefix(got, "early_stopped after 9 epochs: val_loss did not improve for 3 epochs (best epoch 6, ") {
		t.Errorf("train's last line: %q", got)
	}
	b.Reset()
	p.print(trainer.FinishedEvent{Status: trainer.StatusDone, Epochs: 1, BestEpoch: 1})
	if got := b.String(); !strings.HasPrefix(got, "done after 1 epoch (best epoch 1, ") {
		t.Errorf("train's last line after one epoch: %q", got)
	}
}
