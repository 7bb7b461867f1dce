package sessions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"workbench/trainer"
)

// distributedSweep stores a distributed sweep of n trials at url.
func distributedSweep(t testing.TB, url, id string, n int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows []TrialRow
	for i := range n {
		rows = append(rows, TrialRow{Trial: i, Spec: testSpec(3), Params: map[string]string{"lr": "0.1"}})
	}
	if err := InsertSweepTx(ctx, tx, &Sweep{ID: id, Status: "running", Objective: "val_loss", Config: "{}", Created: time.Now()}, rows); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestFencedEpochWrites: once a trial's next attempt begins, every write
// of the previous attempt's run fails with ErrSuperseded, in the write's
// own transaction, and its end is recorded interrupted without touching
// the trial; the current attempt writes and ends the trial and the sweep.
func TestFencedEpochWrites(t *testing.T) {
	url := pgURL(t)
	s, err := Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	distributedSweep(t, url, "sw", 1)

	start := func(id string) Attempt {
		tr, ok, err := s.BeginAttempt(ctx, "sw", 0)
		if err != nil || !ok {
			t.Fatalf("BeginAttempt: %v %v", ok, err)
		}
		a := Attempt{SweepID: "sw", Trial: 0, Number: tr.Attempt}
		if err := s.CreateRun(ctx, &Run{ID: id, Status: trainer.StatusRunning, Spec: testSpec(3), SweepID: "sw", Created: time.Now(), Metrics: Metrics{}, Attempt: &a}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	epoch := func(n int) Epoch { return Epoch{Epoch: n, Train: Metrics{"loss": 1}, Val: Metrics{"loss": 1}} }
	a1 := start("r1")
	if err := s.AppendEpoch(ctx, "r1", epoch(1)); err != nil {
		t.Fatalf("current attempt: %v", err)
	}
	a2 := start("r2")
	if a1.Number != 1 || a2.Number != 2 {
		t.Fatalf("attempts %d and %d, want 1 and 2", a1.Number, a2.Number)
	}
	if err := s.AppendEpoch(ctx, "r1", epoch(2)); !errors.Is(err, ErrSuperseded) {
		t.Fatalf("stale attempt's epoch write: %v, want ErrSuperseded", err)
	}
	if h, _ := s.History(ctx, "r1"); len(h) != 1 {
		t.Errorf("the stale write left %d epochs, want 1", len(h))
	}
	if err := s.FinishRun(ctx, "r1", Final{Status: trainer.StatusDone, EpochsDone: 1}); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.GetRun(ctx, "r1"); r.Status != trainer.StatusInterrupted {
		t.Errorf("stale run ended %s (%s), want interrupted", r.Status, r.Reason)
	}
	trials, _ := s.Trials(ctx, "sw")
	if tr := trials[0]; tr.State != TrialRunning || tr.RunID != "r2" || tr.Attempt != 2 {
		t.Errorf("trial: %+v, want attempt 2 running as r2", tr)
	}
	for i := 1; i <= 3; i++ {
		if err := s.AppendEpoch(ctx, "r2", epoch(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FinishRun(ctx, "r2", Final{Status: trainer.StatusDiverged, EpochsDone: 3}); err != nil {
		t.Fatal(err)
	}
	trials, _ = s.Trials(ctx, "sw")
	sw, _ := s.GetSweep(ctx, "sw")
	if trials[0].State != TrialDone || sw.Status != "done" || sw.Trials != 1 {
		t.Errorf("after a diverged last attempt: trial %s, sweep %s with %d trials; want done, done, 1 (a diverged trial is a result)", trials[0].State, sw.Status, sw.Trials)
	}
	att, err := s.Attempts(ctx, "sw")
	if err != nil || att["r1"].Number != 1 || att["r2"].Number != 2 {
		t.Errorf("attempts: %v %v", att, err)
	}
	if _, ok, _ := s.BeginAttempt(ctx, "sw", 0); ok {
		t.Errorf("a final trial began another attempt")
	}
}

// TestAttemptOnSQLite: distributed sweeps are refused on SQLite, clearly.
func TestAttemptOnSQLite(t *testing.T) {
	s := tempStore(t)
	if _, _, err := s.BeginAttempt(context.Background(), "sw", 0); !errors.Is(err, ErrNotDistributed) {
		t.Errorf("BeginAttempt on SQLite: %v", err)
	}
	if _, err := s.Trials(context.Background(), "sw"); !errors.Is(err, ErrNotDistributed) {
		t.Errorf("Trials on SQLite: %v", err)
	}
}
