package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// DefaultRescueAfter is River's rescue of stuck jobs, a backstop: a
// worker's heartbeat hands on its trials when it dies.
const DefaultRescueAfter = 24 * time.Hour

// WorkerOptions tunes a worker.
type WorkerOptions struct {
	// Concurrency is how many trials train at once, each on one core
	// (0 = the number of cores).
	Concurrency int
	// Queue is the queue to take trials from (DefaultQueue if empty).
	Queue string
	// RescueAfter is how long a job may run before River hands it to
	// another worker (0 = DefaultRescueAfter). River cannot tell a live
	// job from a dead one, so it must be longer than any trial; the
	// heartbeat hands on a dead worker's trials sooner. Any worker
	// rescues: the shortest setting among them wins.
	RescueAfter time.Duration
	// Heartbeat is how often the worker marks its runs alive (0 = 5 s);
	// a run without a heartbeat for StaleAfter (0 = 6 heartbeats) is
	// taken to have lost its worker.
	Heartbeat  time.Duration
	StaleAfter time.Duration
	// Log receives a line per trial that starts or ends, and problems
	// with the store; nil discards them.
	Log io.Writer
}

func (o *WorkerOptions) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.Queue == "" {
		o.Queue = DefaultQueue
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = DefaultRescueAfter
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 5 * time.Second
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 6 * o.Heartbeat
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// worker trains trial jobs. It is safe for concurrent use by River's
// goroutines.
type worker struct {
	river.WorkerDefaults[TrialArgs]
	store    *sessions.SQLite
	db       *DB
	o        WorkerOptions
	stopping atomic.Bool
	logMu    sync.Mutex

	mu     sync.Mutex
	active map[string]bool // run IDs training here
	sweeps map[string]*sweepInfo
	data   map[string]*datasets.Prepared
}

// sweepInfo is what a worker keeps of each sweep it trains trials of.
type sweepInfo struct {
	spec sweeps.Spec
	obj  string
}

func (w *worker) logf(format string, args ...any) {
	w.logMu.Lock()
	defer w.logMu.Unlock()
	fmt.Fprintf(w.o.Log, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// Work runs one attempt of a trial.
func (w *worker) Work(ctx context.Context, job *river.Job[TrialArgs]) error {
	a := job.Args
	t, ok, err := w.store.BeginAttempt(ctx, a.SweepID, a.Trial)
	if errors.Is(err, sessions.ErrNotFound) {
		return river.JobCancel(err) // its sweep was deleted
	}
	if err != nil || !ok {
		return err
	}
	att := sessions.Attempt{SweepID: a.SweepID, Trial: a.Trial, Number: t.Attempt}
	info, err := w.sweep(ctx, a.SweepID)
	if err != nil {
		return w.endAttempt(ctx, job, att, err)
	}
	data, err := w.dataFor(t.Spec.Data)
	if err != nil {
		return w.endAttempt(ctx, job, att, err)
	}
	opts := trainer.Options{Workers: 1} // one core per trial, as the local pool
	if prune := sweeps.SharedPruner(info.spec, info.obj, a.Trial, t.Spec.Epochs, w.store, a.SweepID); prune != nil {
		opts.Prune = prune
	}
	name := t.Spec.Name
	if t.Attempt > 1 {
		name = fmt.Sprintf("%s (attempt %d)", name, t.Attempt)
	}
	live, err := sessions.Start(ctx, w.store, t.Spec, sessions.StartOptions{Data: data, Trainer: opts, SweepID: a.SweepID, Attempt: &att, Name: name})
	if err != nil {
		return w.endAttempt(ctx, job, att, err)
	}
	id := live.Handle.ID
	w.track(id, true)
	defer w.track(id, false)
	w.logf("trial %d of %s: attempt %d, run %s", a.Trial+1, a.SweepID, t.Attempt, id)
	var fin trainer.FinishedEvent
	for ev := range live.Events() {
		if f, ok := ev.(trainer.FinishedEvent); ok {
			fin = f
		}
	}
	recErr := live.Recorder.Err()
	why := ""
	if fin.Reason != "" {
		why = " (" + fin.Reason + ")"
	}
	w.logf("trial %d of %s: run %s %s%s", a.Trial+1, a.SweepID, id, fin.Status, why)
	switch {
	case errors.Is(recErr, sessions.ErrSuperseded), errors.Is(recErr, sessions.ErrTrialCancelled):
		return nil // another attempt has the trial, or nobody wants it
	case fin.Status == trainer.StatusStopped && w.stopping.Load():
		return river.JobSnooze(0) // back to the queue, not a failure
	case fin.Status == trainer.StatusStopped:
		return nil // its job was cancelled
	case recErr != nil:
		// Interrupted by the store: the trial waits for another attempt.
		return fmt.Errorf("trial %d: %w", a.Trial+1, recErr)
	}
	// A result: for TPE, the next trial is proposed from it.
	if info.spec.Sampler == sweeps.SamplerTPE {
		if trial, ok, err := w.db.proposeNext(context.WithoutCancel(ctx), a.SweepID, info); err != nil {
			w.logf("sweep %s: proposing the next trial: %v (a worker retries)", a.SweepID, err)
		} else if ok {
			w.logf("trial %d of %s: proposed by TPE from the finished trials", trial+1, a.SweepID)
		}
	}
	return nil
}

// endAttempt ends an attempt that could not train: the trial fails for
// good at the job's last attempt, else waits for the next.
func (w *worker) endAttempt(ctx context.Context, job *river.Job[TrialArgs], a sessions.Attempt, cause error) error {
	final := job.Attempt >= job.MaxAttempts
	if err := w.store.EndAttempt(context.Background(), a, final, cause.Error()); err != nil {
		w.logf("trial %d of %s: %v", a.Trial+1, a.SweepID, err)
	}
	w.logf("trial %d of %s: attempt %d could not start: %v", a.Trial+1, a.SweepID, a.Number, cause)
	return cause
}

func (w *worker) track(id string, on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if on {
		w.active[id] = true
	} else {
		delete(w.active, id)
	}
}

func (w *worker) activeRuns() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := make([]string, 0, len(w.active))
	for id := range w.active {
		ids = append(ids, id)
	}
	return ids
}

// sweep reads a sweep's spec once.
func (w *worker) sweep(ctx context.Context, id string) (*sweepInfo, error) {
	w.mu.Lock()
	info, ok := w.sweeps[id]
	w.mu.Unlock()
	if ok {
		return info, nil
	}
	sw, err := w.store.GetSweep(ctx, id)
	if err != nil {
		return nil, err
	}
	var spec sweeps.Spec
	if err := json.Unmarshal([]byte(sw.Config), &spec); err != nil {
		return nil, fmt.Errorf("sweep %s: bad stored config: %v", id, err)
	}
	info = &sweepInfo{spec: spec, obj: sw.Objective}
	w.mu.Lock()
	w.sweeps[id] = info
	w.mu.Unlock()
	return info, nil
}

// dataFor builds each distinct data spec once; trials share it read-only.
func (w *worker) dataFor(d datasets.Spec) (*datasets.Prepared, error) {
	b, _ := json.Marshal(d)
	w.mu.Lock()
	defer w.mu.Unlock()
	if p, ok := w.data[string(b)]; ok {
		return p, nil
	}
	p, err := datasets.Build(d)
	if err != nil {
		return nil, err
	}
	w.data[string(b)] = p
	return p, nil
}

// isUnreachable reports an error of the connection rather than of a
// statement.
func isUnreachable(err error) bool {
	var oe *net.OpError
	var ce *pgconn.ConnectError
	return errors.As(err, &oe) || errors.As(err, &ce) || pgconn.SafeToRetry(err)
}

// Work runs a worker on the store at rawURL until ctx ends: it trains the
// trials of its queue, beats for their runs, and hands on the jobs of
// runs whose heartbeat stopped. When ctx ends, running trials are saved
// stopped and their jobs go back to the queue; Work returns once they
// have.
func Work(ctx context.Context, rawURL string, store *sessions.SQLite, o WorkerOptions) error {
	o.defaults()
	w := &worker{store: store, o: o, active: map[string]bool{}, sweeps: map[string]*sweepInfo{}, data: map[string]*datasets.Prepared{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	host, _ := os.Hostname()
	cfg := &river.Config{
		ID:                   fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()%1e6),
		Queues:               map[string]river.QueueConfig{o.Queue: {MaxWorkers: o.Concurrency}},
		Workers:              workers,
		JobTimeout:           -1, // a trial takes as long as it takes
		RescueStuckJobsAfter: o.RescueAfter,
		MaxAttempts:          trialMaxAttempts,
		Logger:               quietLogger(o.Log),
	}
	db, err := Open(ctx, rawURL, o.Concurrency+6, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	w.db = db
	// River's own context must outlive ctx: stopping cancels the trials
	// (StopAndCancel) and waits for their jobs to be put back.
	if err := db.client.Start(context.WithoutCancel(ctx)); err != nil {
		return db.wrap(err)
	}
	var wg sync.WaitGroup
	loops, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.keepAlive(loops, db)
	}()
	<-ctx.Done()
	w.stopping.Store(true)
	err = db.client.StopAndCancel(context.Background())
	stopLoops()
	wg.Wait()
	return err
}
