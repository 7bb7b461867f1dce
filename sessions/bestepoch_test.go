package sessions

import (
	"context"
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
