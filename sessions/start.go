package sessions

import (
	"context"
	"path/filepath"

	"workbench/datasets"
	"workbench/trainer"
)

// StartOptions tunes Start.
type StartOptions struct {
	// Data is the prepared data; nil builds the spec's.
	Data *datasets.Prepared
	// Trainer passes options to the trainer.
	Trainer trainer.Options
	// Name and SweepID go into the run's row.
	Name    string
	SweepID string
	// Attempt makes the run an attempt of a distributed sweep's trial.
	Attempt *Attempt
	// OnEpoch is called after epochs are committed (see RecordOptions).
	OnEpoch func(epoch int)
}

// Live is a run started by Start: the trainer's handle, the data it trains
// on, and the recorder whose queue carries the run's events once stored.
type Live struct {
	Handle   *trainer.Handle
	Data     *datasets.Prepared
	Recorder *Recorder
}

// Start is the one way to start a recorded run: it builds the data (unless
// given), checks the spec against the data's task, starts the trainer and
// attaches a recorder that stops the run on the first failed write. store
// may be nil: the run then trains without being saved, through the same
// event queue. Cancelling ctx stops the run.
//
// Errors from building the data are returned as they are; an invalid spec
// or a spec that does not fit the task returns the trainer's error, which
// names the field.
func Start(ctx context.Context, store Store, spec trainer.Spec, o StartOptions) (*Live, error) {
	data := o.Data
	if data == nil {
		var err error
		if data, err = datasets.Build(spec.Data); err != nil {
			return nil, err
		}
	}
	spec.Data.Path = recordedPath(spec.Data.Path)
	if err := spec.CheckTask(data.Task()); err != nil {
		return nil, err
	}
	h, err := trainer.RunWith(ctx, spec, data, o.Trainer)
	if err != nil {
		return nil, err
	}
	rec := Record(store, data, h.Events, RecordOptions{Name: o.Name, SweepID: o.SweepID, Attempt: o.Attempt, OnEpoch: o.OnEpoch, Stop: h.Stop})
	return &Live{Handle: h, Data: data, Recorder: rec}, nil
}

// Events returns the run's events after they are recorded (see
// Recorder.Events).
func (l *Live) Events() <-chan trainer.Event { return l.Recorder.Events() }

// recordedPath is the CSV path a run records: absolute, so that a rerun or
// a clone from another directory reads the same file (a run trained on
// seed.csv in one directory failed in any other with "open seed.csv: no
// such file"). Stdin (-) and built-in sets (no path) stay as they are.
func recordedPath(p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
