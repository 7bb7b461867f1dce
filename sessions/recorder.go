package sessions

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"sync"
	"time"

	"workbench/datasets"
	"workbench/trainer"
)

// maxRecordBatch bounds how many queued events one transaction takes.
const maxRecordBatch = 1024

// ThinAfter is the number of epochs a run's history keeps in full. Past it
// the recorder keeps every 2nd epoch up to 2·ThinAfter, every 4th up to
// 4·ThinAfter, and so on, so each doubling of a run's length adds
// ThinAfter/2 rows: a million-epoch run keeps about 43,000. The epoch at a
// pause and the last epoch are always kept. Summary metrics (best_…,
// last_…) come from the epochs kept.
const ThinAfter = 10_000

// keepEpoch reports whether the thinning rule keeps epoch e.
func keepEpoch(e int) bool {
	if e <= ThinAfter {
		return true
	}
	// stride is the largest power of two ≤ e/(ThinAfter/2): 2 in
	// (ThinAfter, 2·ThinAfter], 4 up to 4·ThinAfter, …
	stride := 1 << (bits.Len(uint(e/(ThinAfter/2))) - 1)
	return e%stride == 0
}

// Recorder writes one run's trainer events to a Store as they happen and
// hands every event, unchanged, to its reader through an unbounded queue.
// It never waits for the reader: the store keeps up with the trainer
// whatever the reader does. Queued epochs are written in one transaction
// per batch, so a crash loses at most the epochs not yet committed, which
// is the epoch in flight unless the trainer outruns the disk.
//
// The first failed write ends the run: the recorder stops the trainer,
// stores nothing more of its history (so it never has a gap), and the
// run ends as "interrupted" with the reason, both in the store (when it
// can still be written) and in the FinishedEvent its reader sees.
//
// Its methods are safe for concurrent use.
type Recorder struct {
	store   Store
	data    *datasets.Prepared
	sweepID string
	attempt *Attempt
	name    string
	onEpoch func(int)
	stop    func()
	out     *trainer.EventQueue

	mu      sync.Mutex
	err     error
	epochCt time.Duration // total time spent writing epochs
	epochs  int
	saved   bool
	done    chan struct{}
}

// RecordOptions adds to what a recorder writes.
type RecordOptions struct {
	Name    string // defaults to the spec's name
	SweepID string
	// Attempt makes the run an attempt of a distributed sweep's trial
	// (see Run.Attempt).
	Attempt *Attempt
	// OnEpoch, when set, is called on the recorder's goroutine right after
	// an epoch is committed, with the highest committed epoch.
	OnEpoch func(epoch int)
	// Stop, when set, is called after the first failed write, to end the
	// run (usually the trainer handle's Stop).
	Stop func()
}

// Record starts recording the events of a run on data. store may be nil:
// the recorder then only forwards.
func Record(store Store, data *datasets.Prepared, events <-chan trainer.Event, o RecordOptions) *Recorder {
	r := &Recorder{store: store, data: data, sweepID: o.SweepID, attempt: o.Attempt, name: o.Name, onEpoch: o.OnEpoch, stop: o.Stop,
		out: trainer.NewEventQueue(), done: make(chan struct{})}
	go r.loop(events)
	return r
}

// Events returns the run's events after they are recorded, as a channel
// that closes after the last one. Use either Events or Queue.
func (r *Recorder) Events() <-chan trainer.Event { return r.out.Out() }

// Queue returns the run's events after they are recorded, for readers
// that drain a whole backlog at once (see trainer.EventQueue).
func (r *Recorder) Queue() *trainer.EventQueue { return r.out }

// Done is closed when the recorder has handled the run's last event.
func (r *Recorder) Done() <-chan struct{} { return r.done }

// loop takes what the trainer has queued, records it, then hands it on.
func (r *Recorder) loop(in <-chan trainer.Event) {
	defer close(r.done)
	defer r.out.Close()
	w := &writer{r: r}
	buf := make([]trainer.Event, 0, 64)
	for {
		ev, ok := <-in
		if !ok {
			return
		}
		buf = append(buf[:0], ev)
		open := true
	gather:
		for len(buf) < maxRecordBatch {
			select {
			case ev, ok := <-in:
				if !ok {
					open = false
					break gather
				}
				buf = append(buf, ev)
			default:
				break gather
			}
		}
		w.record(buf)
		for i, e := range buf {
			r.out.Push(e)
			buf[i] = nil
		}
		if !open {
			return
		}
	}
}

// writer is the recorder's goroutine-local state.
type writer struct {
	r        *Recorder
	id       string
	failed   bool
	lastBeat time.Time
	pending  []Epoch // kept epochs not yet written
	latest   Epoch   // the newest epoch seen, kept or not
	done     int     // epochs seen
	written  int     // newest epoch written
}

// record writes a batch of events and rewrites, in place, a FinishedEvent
// that follows a failed write.
func (w *writer) record(batch []trainer.Event) {
	r := w.r
	for i, ev := range batch {
		switch e := ev.(type) {
		case trainer.StartEvent:
			w.id = e.ID
			w.lastBeat = time.Now()
			if r.store != nil {
				w.fail(r.store.CreateRun(context.Background(), r.runRow(e)))
			}
		case trainer.ProgressEvent:
			if r.store != nil && !w.failed && time.Since(w.lastBeat) > heartbeatEvery {
				w.lastBeat = time.Now()
				w.fail(r.store.Heartbeat(context.Background(), w.id))
			}
		case trainer.EpochEvent:
			w.latest = Epoch{Epoch: e.Epoch, Train: e.Train, Val: e.Val, LR: e.LR, Elapsed: e.Elapsed, SamplesPerSec: e.SamplesPerSec, Best: e.Best, Folds: e.Folds, Layers: e.Layers}
			w.done = e.Epoch
			switch {
			case keepEpoch(e.Epoch):
				w.pending = append(w.pending, w.latest)
			case e.Best: // thinned from the history, but the run's best values come from it
				sum := w.latest
				sum.SummaryOnly = true
				w.pending = append(w.pending, sum)
			}
		case trainer.PauseEvent:
			if e.Paused {
				w.keepLatest()
			}
		case trainer.FinishedEvent:
			w.keepLatest()
			w.flush()
			if w.failed {
				e.Status = trainer.StatusInterrupted
				e.Reason = fmt.Sprintf("the store could not be written: %v", r.Err())
				switch why, ok := StorageFailure(r.Err()); {
				case errors.Is(r.Err(), ErrTrialCancelled):
					e.Status, e.Reason = trainer.StatusStopped, ErrTrialCancelled.Error()
				case errors.Is(r.Err(), ErrSuperseded):
					e.Reason = r.Err().Error()
				case ok:
					e.Reason = fmt.Sprintf("the store could not be written (%s): %v", why, r.Err())
				}
				batch[i] = e
			}
			if r.store != nil {
				f := finalOf(e)
				if w.failed {
					f.EpochsDone, f.Weights = w.written, nil
				}
				err := r.store.FinishRun(context.Background(), w.id, f)
				r.mu.Lock()
				if r.err == nil && err != nil {
					r.err = err
				}
				r.saved = r.err == nil
				r.mu.Unlock()
			}
		}
	}
	w.flush()
}

// keepLatest makes sure the newest epoch is written to the history.
func (w *writer) keepLatest() {
	if w.done <= w.written {
		return
	}
	if n := len(w.pending); n > 0 && w.pending[n-1].Epoch == w.done {
		w.pending[n-1].SummaryOnly = false
		return
	}
	w.pending = append(w.pending, w.latest)
}

// flush writes the pending epochs and the run's progress in one
// transaction.
func (w *writer) flush() {
	r := w.r
	if r.store == nil || w.failed || (len(w.pending) == 0 && w.done == w.written) {
		w.pending = w.pending[:0]
		return
	}
	t0 := time.Now()
	err := r.store.AppendEpochs(context.Background(), w.id, w.pending, w.done)
	r.mu.Lock()
	r.epochCt += time.Since(t0)
	r.epochs += len(w.pending)
	r.mu.Unlock()
	if w.fail(err) {
		return
	}
	w.lastBeat = time.Now()
	for i := len(w.pending) - 1; i >= 0; i-- {
		if !w.pending[i].SummaryOnly {
			w.written = w.pending[i].Epoch
			if r.onEpoch != nil {
				r.onEpoch(w.written)
			}
			break
		}
	}
	w.pending = w.pending[:0]
}

// fail keeps the first storage error and stops the run; it reports whether
// err was an error.
func (w *writer) fail(err error) bool {
	if err == nil {
		return false
	}
	r := w.r
	r.mu.Lock()
	if r.err == nil {
		r.err = err
	}
	r.mu.Unlock()
	if !w.failed {
		w.failed = true
		if r.stop != nil {
			r.stop()
		}
	}
	return true
}

// Err returns the first storage error, if any.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Saved reports whether the run was recorded completely.
func (r *Recorder) Saved() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.saved
}

// EpochCost returns the mean time spent writing one epoch.
func (r *Recorder) EpochCost() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.epochs == 0 {
		return 0
	}
	return r.epochCt / time.Duration(r.epochs)
}

func (r *Recorder) runRow(e trainer.StartEvent) *Run {
	name := r.name
	if name == "" {
		name = e.Spec.Name
	}
	run := &Run{
		ID: e.ID, Name: name, Status: trainer.StatusRunning, Spec: e.Spec, Dataset: e.Spec.Data.Label(),
		Task: e.Task.String(), Summary: e.Summary, Params: e.Params, DataHash: e.DataHash,
		Tags: append([]string{}, e.Spec.Tags...), SweepID: r.sweepID, Created: e.Started, EpochsTotal: e.Spec.Epochs,
		Classes: e.ClassNames, Metrics: Metrics{}, Attempt: r.attempt,
		Monitor: e.Spec.BestMonitor(), // what "best" means while it trains
	}
	if r.data != nil {
		run.Scaler = r.data.Scaler
		run.Scaler.Target = e.TargetScaler
		run.Features = r.data.Meta.FeatureNames
	}
	return run
}

func finalOf(e trainer.FinishedEvent) Final {
	f := Final{
		Status: e.Status, Reason: e.Reason, EpochsDone: e.Epochs, BestEpoch: e.BestEpoch, Monitor: e.Monitor,
		Duration: e.Elapsed, SamplesPerSec: e.SamplesPerSec, Eval: Evaluations{Val: e.Val, Test: e.Test},
	}
	if e.Model != nil {
		if b, err := e.Model.Marshal(); err == nil {
			f.Weights = b
		}
	}
	return f
}
