package sessions

import (
	"context"
	"sync"
	"time"

	"workbench/datasets"
	"workbench/trainer"
)

// Recorder writes one run's trainer events to a Store as they happen and
// forwards every event, unchanged, on Events. Writes happen on the
// recorder's own goroutine, never on the trainer's. Its methods are safe
// for concurrent use.
type Recorder struct {
	// Events carries the run's events after they are recorded; it closes
	// after the last one. The reader must drain it.
	Events <-chan trainer.Event

	store   Store
	data    *datasets.Prepared
	sweepID string
	name    string
	onEpoch func(int)

	mu      sync.Mutex
	err     error
	epochCt time.Duration // total time spent writing epochs
	epochs  int
	saved   bool
}

// RecordOptions adds to what a recorder writes.
type RecordOptions struct {
	Name    string // defaults to the spec's name
	SweepID string
	// OnEpoch, when set, is called on the recorder's goroutine right after
	// each epoch is committed.
	OnEpoch func(epoch int)
}

// Record starts recording the events of a run on data. Storage errors do
// not stop the run or the forwarding: the first is kept for Err.
func Record(store Store, data *datasets.Prepared, events <-chan trainer.Event, o RecordOptions) *Recorder {
	out := make(chan trainer.Event, 64)
	r := &Recorder{Events: out, store: store, data: data, sweepID: o.SweepID, name: o.Name, onEpoch: o.OnEpoch}
	go func() {
		defer close(out)
		var id string
		lastBeat := time.Now()
		for ev := range events {
			switch e := ev.(type) {
			case trainer.StartEvent:
				id = e.ID
				r.keep(store.CreateRun(context.Background(), r.runRow(e)))
			case trainer.ProgressEvent:
				if time.Since(lastBeat) > heartbeatEvery {
					lastBeat = time.Now()
					r.keep(store.Heartbeat(context.Background(), id))
				}
			case trainer.EpochEvent:
				t0 := time.Now()
				err := store.AppendEpoch(context.Background(), id, Epoch{
					Epoch: e.Epoch, Train: e.Train, Val: e.Val, LR: e.LR, Elapsed: e.Elapsed, SamplesPerSec: e.SamplesPerSec,
				})
				r.mu.Lock()
				r.epochCt += time.Since(t0)
				r.epochs++
				r.mu.Unlock()
				lastBeat = time.Now()
				r.keep(err)
				if err == nil && r.onEpoch != nil {
					r.onEpoch(e.Epoch)
				}
			case trainer.FinishedEvent:
				r.keep(store.FinishRun(context.Background(), id, finalOf(e)))
				r.mu.Lock()
				r.saved = r.err == nil
				r.mu.Unlock()
			}
			out <- ev
		}
	}()
	return r
}

func (r *Recorder) keep(err error) {
	if err == nil {
		return
	}
	r.mu.Lock()
	if r.err == nil {
		r.err = err
	}
	r.mu.Unlock()
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
		Classes: e.ClassNames, Metrics: Metrics{},
	}
	if r.data != nil {
		run.Scaler = r.data.Scaler
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
