package sessions

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/trainer"
)

// fastSpec is a run of tiny epochs (thousands a second).
func fastSpec(epochs int) trainer.Spec {
	s := trainer.DefaultSpec()
	s.Data = datasets.Spec{Name: "xor", Samples: 100, Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}}
	s.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
	s.Epochs = epochs
	return s
}

// TestStoreKeepsUpWithASlowReader reads a fast run's events slowly, as a
// busy UI would, then not at all: once the run pauses the store holds
// every epoch up to the pause, and later the stop, with no reader left. A
// recorder that waited for the reader would stall there for good, so the
// generous bounds (seconds, for a loaded machine and a PostgreSQL server
// on the same cores; the store usually takes milliseconds) cannot hide it.
// Bounds of one epoch's time made the test fail under load.
func TestStoreKeepsUpWithASlowReader(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		s := be.open(t)
		live, err := Start(context.Background(), s, fastSpec(0), StartOptions{})
		if err != nil {
			t.Fatal(err)
		}
		q := live.Recorder.Queue()
		stopReading := make(chan struct{})
		readerDone := make(chan struct{})
		go func() { // a reader that takes one event every 10 ms
			defer close(readerDone)
			for {
				select {
				case <-stopReading:
					return
				case <-time.After(10 * time.Millisecond):
				}
				q.Drain(nil)
			}
		}()
		started := time.Now()
		h := live.Handle
		// Train a while: at least 0.5 s and 200 epochs (slow machines, -race).
		for time.Since(started) < 500*time.Millisecond || (h.Epoch() < 200 && time.Since(started) < 30*time.Second) {
			time.Sleep(10 * time.Millisecond)
		}
		h.Pause()
		for !h.Halted() {
			time.Sleep(time.Millisecond)
		}
		n := h.Epoch()
		if n < 100 {
			t.Fatalf("only %d epochs in 0.5 s: not a fast run", n)
		}
		close(stopReading)
		<-readerDone
		epochsDone := func() int {
			r, err := s.GetRun(context.Background(), h.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r.EpochsDone
		}
		deadline := time.Now().Add(5 * time.Second * slack)
		for epochsDone() < n && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if got := epochsDone(); got < n-1 || got > n {
			t.Fatalf("paused at epoch %d, the store has %d", n, got)
		}
		// The recorder may still put the epoch in flight between the
		// reads: the history lies between the counts before and after it.
		before := epochsDone()
		hist, err := s.History(context.Background(), h.ID)
		after := epochsDone()
		if err != nil || len(hist) < before || len(hist) > after || hist[len(hist)-1].Epoch != len(hist) {
			t.Fatalf("history: %d epochs (%v), want %d–%d contiguous", len(hist), err, before, after)
		}
		h.Stop()
		select {
		case <-live.Recorder.Done():
		case <-time.After(5 * time.Second * slack):
			t.Fatal("the store did not record the stop within 5 s, with no reader")
		}
		r, _ := s.GetRun(context.Background(), h.ID)
		if r.Status != trainer.StatusStopped || r.EpochsDone != n {
			t.Fatalf("status %s with %d epochs, want stopped at %d", r.Status, r.EpochsDone, n)
		}
	})
}

// failingStore fails every epoch write after the first few batches.
type failingStore struct {
	*SQLite
	okBatches atomic.Int64
}

var errDiskFull = errors.New("database or disk is full (SQLITE_FULL)")

func (f *failingStore) AppendEpochs(ctx context.Context, id string, eps []Epoch, done int) error {
	if f.okBatches.Add(-1) < 0 {
		return errDiskFull
	}
	return f.SQLite.AppendEpochs(ctx, id, eps, done)
}

// TestFirstFailedWriteEndsTheRun: the run stops at once, its history has
// no gap, and it ends as interrupted with the reason, in the store and for
// the reader.
func TestFirstFailedWriteEndsTheRun(t *testing.T) {
	fs := &failingStore{SQLite: tempStore(t)}
	fs.okBatches.Store(3)
	live, err := Start(context.Background(), fs, fastSpec(1_000_000), StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var fin trainer.FinishedEvent
	for ev := range live.Events() {
		if f, ok := ev.(trainer.FinishedEvent); ok {
			fin = f
		}
	}
	if fin.Status != trainer.StatusInterrupted || !errors.Is(live.Recorder.Err(), errDiskFull) {
		t.Fatalf("finished %s (%q), recorder error %v", fin.Status, fin.Reason, live.Recorder.Err())
	}
	if fin.Epochs >= 1_000_000 {
		t.Fatal("the trainer was not stopped")
	}
	r, err := fs.GetRun(context.Background(), live.Handle.ID)
	if err != nil {
		t.Fatal(err)
	}
	hist, _ := fs.History(context.Background(), r.ID)
	if r.Status != trainer.StatusInterrupted || r.Reason == "" || r.EpochsDone != len(hist) {
		t.Fatalf("stored %s (%q) with epochs_done %d and %d epochs", r.Status, r.Reason, r.EpochsDone, len(hist))
	}
	for i, e := range hist {
		if e.Epoch != i+1 {
			t.Fatalf("gap: epoch %d at position %d", e.Epoch, i)
		}
	}
}

func TestKeepEpochThinsPastThinAfter(t *testing.T) {
	for _, c := range []struct {
		e    int
		keep bool
	}{
		{1, true}, {ThinAfter, true}, {ThinAfter + 1, false}, {ThinAfter + 2, true},
		{2*ThinAfter + 2, false}, {2*ThinAfter + 4, true}, {1_000_000, false}, {1_000_064, true},
	} {
		if got := keepEpoch(c.e); got != c.keep {
			t.Errorf("keepEpoch(%d) = %v, want %v", c.e, got, c.keep)
		}
	}
	kept := 0
	for e := 1; e <= 1_000_000; e++ {
		if keepEpoch(e) {
			kept++
		}
	}
	if kept > 50_000 {
		t.Fatalf("a million-epoch run keeps %d rows", kept)
	}
	t.Logf("a million-epoch run keeps %d rows", kept)
}

// TestLongRunHistoryIsThinned records 25,000 fast epochs: the history
// keeps every epoch up to ThinAfter, then a subset, always increasing,
// with the last epoch and the epochs_done count exact.
func TestLongRunHistoryIsThinned(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 25,000 epochs")
	}
	s := tempStore(t)
	live, err := Start(context.Background(), s, fastSpec(25_000), StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range live.Events() {
	}
	r, _ := s.GetRun(context.Background(), live.Handle.ID)
	hist, _ := s.History(context.Background(), r.ID)
	if r.EpochsDone != 25_000 || hist[len(hist)-1].Epoch != 25_000 {
		t.Fatalf("epochs_done %d, last stored epoch %d", r.EpochsDone, hist[len(hist)-1].Epoch)
	}
	if len(hist) >= 25_000 || len(hist) < ThinAfter {
		t.Fatalf("%d rows for 25,000 epochs", len(hist))
	}
	for i, e := range hist {
		if (i < ThinAfter && e.Epoch != i+1) || (i > 0 && e.Epoch <= hist[i-1].Epoch) {
			t.Fatalf("epoch %d at position %d", e.Epoch, i)
		}
	}
}
