package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// boundaryEvery bounds how often a live decision boundary is recomputed.
const boundaryEvery = 200 * time.Millisecond

// maxEventBatch bounds how many queued events one message carries.
const maxEventBatch = 4096

// eventBatchWindow is how long a read waits after the first event to
// gather more: it bounds the UI to about 10 updates a second per run,
// however fast epochs come, so rendering never competes with training
// for the CPU. The trainer's queue is unbounded: it never waits.
const eventBatchWindow = 100 * time.Millisecond

// liveRun is a run started from this UI: its handle, recorder and
// everything the Train screen shows of it.
type liveRun struct {
	id     string
	spec   trainer.Spec
	handle *trainer.Handle
	rec    *sessions.Recorder
	events <-chan trainer.Event
	data   *datasets.Prepared
	plane  *plane
	key    string // the key metric, such as accuracy or r2
	sweep  string // the sweep this run is a trial of, if any
	trial  string // the trial's name within its sweep

	start     trainer.StartEvent
	status    trainer.Status
	progress  trainer.ProgressEvent
	last      *trainer.EpochEvent
	best      map[string]float64
	bestEpoch int
	fin       *trainer.FinishedEvent
	closed    bool

	loss, metric *chart
	grid         *boundaryGrid
	gridView     string
	computing    bool
	nextSnap     *trainer.Snapshot
}

// startRun builds the data and starts a run off the UI path. The store may
// be nil: the run then trains without being saved.
func startRun(spec trainer.Spec, store sessions.Store) tea.Cmd {
	return func() tea.Msg {
		data, err := datasets.Build(spec.Data)
		if err != nil {
			return runStartedMsg{err: err}
		}
		if err := spec.CheckTask(data.Task()); err != nil {
			return runStartedMsg{err: err}
		}
		var snapEvery time.Duration
		pl := newPlane(data)
		if pl != nil {
			snapEvery = boundaryEvery
		}
		h, err := trainer.RunWith(appContext, spec, data, trainer.Options{SnapshotEvery: snapEvery})
		if err != nil {
			return runStartedMsg{err: err}
		}
		r := &liveRun{id: h.ID, spec: spec, handle: h, events: h.Events, data: data, plane: pl,
			key: trainer.KeyMetric(data.Task()), status: trainer.StatusRunning}
		if store != nil {
			r.rec = sessions.Record(store, data, h.Events, sessions.RecordOptions{})
			r.events = r.rec.Events
		}
		return runStartedMsg{run: r}
	}
}

// waitForEvents reads the next events of a run: it blocks for one, then
// takes what else is queued, up to maxEventBatch, so a fast run costs one
// message per batch rather than one per event.
func waitForEvents(id string, ch <-chan trainer.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return runEventsMsg{id: id, closed: true}
		}
		batch := []trainer.Event{ev}
		if _, last := ev.(trainer.FinishedEvent); !last {
			time.Sleep(eventBatchWindow)
		}
		for len(batch) < maxEventBatch {
			select {
			case ev, ok := <-ch:
				if !ok {
					return runEventsMsg{id: id, events: batch, closed: true}
				}
				batch = append(batch, ev)
			default:
				return runEventsMsg{id: id, events: batch}
			}
		}
		return runEventsMsg{id: id, events: batch}
	}
}

// apply folds one event into the run's state. It returns true when the
// event carried weights for the decision boundary.
func (r *liveRun) apply(ev trainer.Event, st *Styles) {
	switch e := ev.(type) {
	case trainer.StartEvent:
		r.start = e
	case trainer.ProgressEvent:
		r.progress = e
	case trainer.EpochEvent:
		e2 := e
		r.last = &e2
		x := float64(e.Epoch)
		r.loss.add("train", st.TrainSeries, x, e.Train["loss"])
		r.loss.add("val", st.ValSeries, x, e.Val["loss"])
		if v, ok := e.Train[r.key]; ok {
			r.metric.add("train", st.TrainSeries, x, v)
		}
		if v, ok := e.Val[r.key]; ok {
			r.metric.add("val", st.ValSeries, x, v)
		}
		if e.Best || r.best == nil {
			r.best, r.bestEpoch = e.Val, e.Epoch
		}
		if e.Model != nil {
			r.nextSnap = e.Model
		}
	case trainer.FinishedEvent:
		e2 := e
		r.fin = &e2
		r.status = e.Status
		if e.Model != nil {
			r.nextSnap = e.Model
		}
	}
}

// boundaryCmd starts a boundary computation when new weights wait and none
// is in flight.
func (r *liveRun) boundaryCmd(w, h int) tea.Cmd {
	if r.plane == nil || r.computing || r.nextSnap == nil {
		return nil
	}
	snap := r.nextSnap
	r.nextSnap, r.computing = nil, true
	return computeBoundary(r.id, r.plane, snap, w, h)
}

// startSweep runs a sweep on its own goroutine. Each trial that starts is
// delivered on the returned channel as a sweepTrialMsg, and the end as a
// sweepDoneMsg, after which the channel closes. ctx cancels the sweep.
func startSweep(ctx context.Context, spec sweeps.Spec, store sessions.Store) tea.Cmd {
	ch := make(chan tea.Msg, 16)
	go func() {
		defer close(ch)
		var sweepID string
		o := sweeps.Options{
			OnStart: func(id string, _ []sweeps.Trial) { sweepID = id },
			OnTrialStart: func(t sweeps.Trial, id string, h *trainer.Handle, data *datasets.Prepared, events <-chan trainer.Event) {
				pl := newPlane(data)
				r := &liveRun{id: id, spec: t.Spec, handle: h, events: events, data: data, plane: pl,
					key: trainer.KeyMetric(data.Task()), status: trainer.StatusRunning, sweep: sweepID, trial: t.Spec.Name}
				ch <- sweepTrialMsg{run: r, ch: ch}
			},
		}
		if pl2D(spec) {
			o.SnapshotEvery = boundaryEvery
		}
		res, err := sweeps.Run(ctx, store, spec, o)
		ch <- sweepDoneMsg{res: res, err: err}
	}()
	return waitSweep(ch)
}

// pl2D reports whether a sweep's data is 2-D (for live boundaries).
func pl2D(spec sweeps.Spec) bool {
	for _, i := range datasets.List() {
		if i.Name == spec.Base.Data.Name {
			return i.Kind == "synthetic"
		}
	}
	return false
}

// waitSweep reads the next message of a sweep.
func waitSweep(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}
