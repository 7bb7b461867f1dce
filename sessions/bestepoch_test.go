package sessions

import (
	"context"
	"encoding/json"
	"testing"

	"workbench/trainer"
)

// TestRunningRunHasItsBestEpoch: while a run trains, its row carries the
// best epoch so far, which each new best moves; it read 0 until the run
// finished, in the app's Runs screen and in 'runs show' and its JSON.
func TestRunningRunHasItsBestEpoch(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		ctx := context.Background()
		if err := s.CreateRun(ctx, &Run{ID: "r1", Status: trainer.StatusRunning, Spec: fastSpec(1), Dataset: "xor", Task: "binary"}); err != nil {
			t.Fatal(err)
		}
		best := func() int {
			t.Helper()
			f, err := s.GetRun(ctx, "r1")
			if err != nil {
				t.Fatal(err)
			}
			return f.BestEpoch
		}
		if got := best(); got != 0 {
			t.Fatalf("best epoch %d before any epoch, want 0", got)
		}
		ep := func(e int, loss float64, isBest bool) Epoch {
			return Epoch{Epoch: e, Train: Metrics{"loss": loss}, Val: Metrics{"loss": loss}, Best: isBest}
		}
		steps := []struct {
			eps  []Epoch
			done int
			want int
		}{
			{[]Epoch{ep(1, 0.9, true), ep(2, 0.5, true), ep(3, 0.7, false)}, 3, 2},
			{[]Epoch{ep(4, 0.8, false)}, 4, 2}, // no new best: it stays
			{[]Epoch{ep(5, 0.4, true), ep(6, 0.6, false)}, 6, 5},
		}
		for _, st := range steps {
			if err := s.AppendEpochs(ctx, "r1", st.eps, st.done); err != nil {
				t.Fatal(err)
			}
			if got := best(); got != st.want {
				t.Fatalf("after epoch %d the best epoch is %d, want %d", st.done, got, st.want)
			}
		}
		f, _ := s.GetRun(ctx, "r1")
		if f.Status != trainer.StatusRunning || f.Metrics["best_val_loss"] != 0.4 {
			t.Fatalf("status %s, best_val_loss %v", f.Status, f.Metrics["best_val_loss"])
		}
	})
}

// TestEvaluationKeepsFoldEpochs: a cross-validated run's evaluation keeps
// each fold's epochs through the store's JSON, and one saved before they
// were kept reads as saying nothing of folds.
func TestEvaluationKeepsFoldEpochs(t *testing.T) {
	in := Evaluations{Val: trainer.Evaluation{Metrics: map[string]float64{"loss": 0.2}, FoldEpochs: []int{12, 24, 18}}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Evaluations
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if n, of := out.Val.FoldsAt(13); n != 2 || of != 3 {
		t.Fatalf("after the round trip (%s): FoldsAt(13) = %d of %d, want 2 of 3", b, n, of)
	}
	var old Evaluations
	if err := json.Unmarshal([]byte(`{"val":{"metrics":{"loss":0.2},"folds":[{"loss":0.1},{"loss":0.3}]},"test":{"metrics":{}}}`), &old); err != nil {
		t.Fatal(err)
	}
	if n, of := old.Val.FoldsAt(5); n != 0 || of != 0 || len(old.Val.Folds) != 2 {
		t.Fatalf("an evaluation saved before FoldEpochs: FoldsAt %d of %d, folds %v", n, of, old.Val.Folds)
	}
}
