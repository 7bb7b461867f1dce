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

// frameEvery is the UI's frame for live runs: a run's queued events are
// handed to the UI at most once a frame, all of them at once, so the UI
// folds a whole backlog in one pass, never falls more than a frame behind
// the recorder, and renders about 10 times a second per run however fast
// epochs come. The queues are unbounded: the recorder never waits.
const frameEvery = 100 * time.Millisecond

// liveRun is a run started from this UI: its handle, recorder and
// everything the Train screen shows of it.
type liveRun struct {
	id     string
	spec   trainer.Spec
	handle *trainer.Handle
	rec    *sessions.Recorder
	queue  *trainer.EventQueue // the run's events, after the store
	data   *datasets.Prepared
	plane  *plane
	key    string // the key metric, such as accuracy or r2
	sweep  string // the sweep this run is a trial of, if any
	trial  string // the trial's name within its sweep
	// sweepCtx and stopSweep are the sweep's own: X cancels it, which
	// stops its running trials (saved as stopped) and skips the rest.
	sweepCtx  context.Context
	stopSweep context.CancelFunc
	// rank is the validation metric its sweep ranks it by (the
	// objective, such as cost), or "" for key.
	rank string

	start     trainer.StartEvent
	status    trainer.Status
	progress  trainer.ProgressEvent
	last      *trainer.EpochEvent // nil before the first epoch, else &lastEv
	lastEv    trainer.EpochEvent
	best      map[string]float64
	bestEpoch int
	fin       *trainer.FinishedEvent
	closed    bool
	halted    bool // the trainer reported that it stopped at a pause
	delivered time.Time

	loss, metric *chart
	grid         *boundaryGrid
	gridView     string
	computing    bool
	nextSnap     *trainer.Snapshot
	shownSnap    *trainer.Snapshot // the weights the current grid was drawn from
	inside       runInside         // the network view and layer health (inside.go)
}

// startRun builds the data and starts a recorded run off the UI path. The
// store may be nil: the run then trains without being saved.
func startRun(ctx context.Context, spec trainer.Spec, store sessions.Store) tea.Cmd {
	return func() tea.Msg {
		data, err := datasets.Build(spec.Data)
		if err != nil {
			return runStartedMsg{err: err}
		}
		// Weights go to the boundary (2-D data) and the network view.
		snapEvery := boundaryEvery
		pl := newPlane(data)
		live, err := sessions.Start(ctx, store, spec, sessions.StartOptions{Data: data, Trainer: trainer.Options{SnapshotEvery: snapEvery}})
		if err != nil {
			return runStartedMsg{err: err}
		}
		r := &liveRun{id: live.Handle.ID, spec: spec, handle: live.Handle, rec: live.Recorder, queue: live.Recorder.Queue(),
			data: data, plane: pl, key: trainer.KeyMetric(data.Task()), status: trainer.StatusRunning}
		return runStartedMsg{run: r}
	}
}

// waitForEvents hands over a run's queued events once a frame: it waits
// until something is queued and a frame has passed since the last
// delivery, then takes everything queued at once.
func waitForEvents(id string, q *trainer.EventQueue, last time.Time) tea.Cmd {
	return func() tea.Msg {
		<-q.Ready()
		if d := frameEvery - time.Since(last); d > 0 {
			time.Sleep(d)
		}
		evs, closed := q.Drain(nil)
		return runEventsMsg{id: id, events: evs, closed: closed}
	}
}

// apply folds one event into the run's state. It returns true when the
// event carried weights for the decision boundary.
func (r *liveRun) apply(ev trainer.Event, st *Styles) {
	r.inside.fold(ev)
	switch e := ev.(type) {
	case trainer.StartEvent:
		r.start = e
	case trainer.ProgressEvent:
		r.progress = e
	case trainer.PauseEvent:
		r.halted = e.Paused
	case trainer.EpochEvent:
		r.lastEv = e
		r.last = &r.lastEv // one allocation per run, not per epoch
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
		if r.last == nil { // it ended before its first epoch did
			r.loss.setEmpty(noEpochsText)
			r.metric.setEmpty(noEpochsText)
		}
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
	r.nextSnap, r.shownSnap, r.computing = nil, snap, true
	return computeBoundary(r.id, r.plane, snap, w, h)
}

// rankMetric is the validation metric trials are ranked and starred by:
// the sweep's objective, else the key metric.
func (r *liveRun) rankMetric() string {
	if r.rank != "" {
		return r.rank
	}
	return r.key
}

// objectiveMetric is the validation metric a sweep's objective names
// (cost for val_cost), or "" for the key metric: the default, or a
// train_ objective, which the live views do not keep.
func objectiveMetric(objective string) string {
	m, err := trainer.ParseMonitor(objective)
	if err != nil || m.Split != "val" {
		return ""
	}
	return m.Metric
}

// startSweep runs a sweep on its own goroutine. Each trial that starts is
// delivered on the returned channel as a sweepTrialMsg, and the end as a
// sweepDoneMsg, after which the channel closes. ctx cancels the sweep.
func startSweep(ctx context.Context, spec sweeps.Spec, store sessions.Store) tea.Cmd {
	ch := make(chan tea.Msg, 16)
	rank := objectiveMetric(spec.Objective)
	ctx, stop := context.WithCancel(ctx) // this sweep's alone, for X
	go func() {
		defer close(ch)
		defer stop()
		var sweepID string
		o := sweeps.Options{
			OnStart: func(id string, _ []sweeps.Trial) { sweepID = id },
			OnTrialStart: func(t sweeps.Trial, id string, h *trainer.Handle, data *datasets.Prepared, events *trainer.EventQueue) {
				pl := newPlane(data)
				r := &liveRun{id: id, spec: t.Spec, handle: h, queue: events, data: data, plane: pl,
					key: trainer.KeyMetric(data.Task()), rank: rank, status: trainer.StatusRunning, sweep: sweepID, trial: t.Spec.Name,
					sweepCtx: ctx, stopSweep: stop}
				ch <- sweepTrialMsg{run: r, ch: ch}
			},
		}
		// Weights for live views (the boundary on 2-D data, the network
		// view on any), at most every boundaryEvery.
		o.SnapshotEvery = boundaryEvery
		res, err := sweeps.Run(ctx, store, spec, o)
		ch <- sweepDoneMsg{res: res, err: err}
	}()
	return waitSweep(ch)
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
