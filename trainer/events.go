package trainer

import (
	"sync"
	"time"

	"workbench/datasets"
)

// Status is how a run stands or ended.
type Status string

// The statuses. Interrupted is set by the store for a run whose process
// died; Pruned by a sweep's pruner.
const (
	StatusRunning       Status = "running"
	StatusDone          Status = "done"
	StatusEarlyStopped  Status = "early_stopped"
	StatusTargetReached Status = "target_reached"
	StatusDiverged      Status = "diverged"
	StatusStopped       Status = "stopped"
	StatusPruned        Status = "pruned"
	StatusInterrupted   Status = "interrupted"
	StatusFailed        Status = "failed"
)

// Event is one message of a run's stream. Events are immutable once sent.
type Event interface {
	RunID() string
	event()
}

// StartEvent opens a run's stream.
type StartEvent struct {
	ID         string        `json:"id"`
	Spec       Spec          `json:"spec"`
	Task       datasets.Task `json:"task"`
	ClassNames []string      `json:"class_names,omitempty"`
	Summary    string        `json:"summary"`
	Params     int           `json:"params"`
	TrainRows  int           `json:"train_rows"`
	ValRows    int           `json:"val_rows"`
	TestRows   int           `json:"test_rows"`
	DataHash   string        `json:"data_hash"`
	Started    time.Time     `json:"started"`
	// TargetScaler is the regression target's scaling fitted on the
	// training split, or nil for raw targets.
	TargetScaler *datasets.TargetScaler `json:"target_scaler,omitempty"`
}

// ProgressEvent reports progress within an epoch, at most about 15 times a
// second. Only the latest is kept when the reader is slow.
type ProgressEvent struct {
	ID            string        `json:"id"`
	Epoch         int           `json:"epoch"` // 1-based, the epoch under way
	Epochs        int           `json:"epochs"`
	Batch         int           `json:"batch"`
	Batches       int           `json:"batches"`
	Loss          float64       `json:"loss"` // running mean over the epoch so far
	SamplesPerSec float64       `json:"samples_per_s"`
	Elapsed       time.Duration `json:"elapsed"` // since the start, pauses left out
}

// EpochEvent reports a finished epoch. None is ever dropped.
type EpochEvent struct {
	ID     string `json:"id"`
	Epoch  int    `json:"epoch"`
	Epochs int    `json:"epochs"`
	// Train holds loss (the running mean over the epoch's batches,
	// penalties included) and, for classification, accuracy.
	Train map[string]float64 `json:"train"`
	// Val holds every metric of the task on the validation split.
	Val           map[string]float64 `json:"val"`
	LR            float64            `json:"lr"`
	Elapsed       time.Duration      `json:"elapsed"` // since the start, pauses left out
	SamplesPerSec float64            `json:"samples_per_s"`
	// Best is true when this epoch is the best so far on the monitored metric.
	Best bool `json:"best"`
	// Folds is, for a cross-validated run, how many folds' epochs Train and
	// Val are the mean of: Spec.CV until a fold stops early, fewer after.
	// It is 0 for a run without cross-validation.
	Folds int `json:"folds,omitempty"`
	// Layers describes each hidden layer's health after this epoch,
	// measured on the epoch's first step and the validation pass.
	Layers []LayerHealth `json:"layers"`
	// Model is a copy of the weights after this epoch when
	// Options.SnapshotEvery asked for one, else nil.
	Model *Snapshot `json:"-"`
}

// PauseEvent reports that training actually halted at a pause (Paused
// true), or went on after one. Epoch is the number of epochs completed at
// that moment, so a reader can show "paused at epoch N" exactly.
type PauseEvent struct {
	ID     string `json:"id"`
	Paused bool   `json:"paused"`
	Epoch  int    `json:"epoch"`
}

// FinishedEvent closes a run's stream.
type FinishedEvent struct {
	ID        string `json:"id"`
	Status    Status `json:"status"`
	Reason    string `json:"reason,omitempty"`
	Epochs    int    `json:"epochs"` // epochs completed
	BestEpoch int    `json:"best_epoch"`
	// Monitor names the metric that chose the best epoch.
	Monitor string `json:"monitor"`
	// Best holds the validation metrics of the best epoch.
	Best map[string]float64 `json:"best"`
	// Val and Test evaluate the final weights: the best epoch's when early
	// stopping restored them, otherwise the last finite ones.
	Val           Evaluation    `json:"val"`
	Test          Evaluation    `json:"test"`
	Model         *Snapshot     `json:"-"`
	Elapsed       time.Duration `json:"elapsed"`       // since the start, pauses left out
	SamplesPerSec float64       `json:"samples_per_s"` // over the whole run's training loop
}

func (e StartEvent) RunID() string    { return e.ID }
func (e ProgressEvent) RunID() string { return e.ID }
func (e EpochEvent) RunID() string    { return e.ID }
func (e FinishedEvent) RunID() string { return e.ID }
func (e PauseEvent) RunID() string    { return e.ID }
func (StartEvent) event()             {}
func (ProgressEvent) event()          {}
func (EpochEvent) event()             {}
func (FinishedEvent) event()          {}
func (PauseEvent) event()             {}

// EventQueue decouples a producer from a slow reader: Push never blocks
// and consecutive progress events are merged. A reader takes the queue in
// one of two ways, never both:
//   - Out, a channel that delivers the events in order and closes after
//     Close once the queue is drained (a forwarding goroutine starts on the
//     first call);
//   - Ready and Drain, which hand over everything queued at once, so a
//     reader that wakes once a frame folds a whole backlog in one pass.
//
// Its methods are safe for concurrent use.
type EventQueue = outbox

// NewEventQueue returns an empty queue.
func NewEventQueue() *EventQueue { return newOutbox() }

// Push queues an event.
func (o *outbox) Push(e Event) { o.push(e) }

// Close ends the stream after the queued events.
func (o *outbox) Close() { o.close() }

// Out is the queue's channel. The first call starts the goroutine that
// feeds it.
func (o *outbox) Out() <-chan Event {
	o.fwd.Do(func() {
		o.out = make(chan Event, 64)
		go o.forward()
	})
	return o.out
}

// Ready receives a value when events may be waiting, or the queue closed,
// since the last Drain. It is for Drain's readers only.
func (o *outbox) Ready() <-chan struct{} { return o.signal }

// Drain appends every queued event to dst, in order, and empties the queue.
// closed is true once Close was called and nothing is left to read.
func (o *outbox) Drain(dst []Event) (events []Event, closed bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	dst = append(dst, o.q...)
	clear(o.q)
	o.q = o.q[:0]
	return dst, o.closed
}

type outbox struct {
	mu     sync.Mutex
	q      []Event
	closed bool
	signal chan struct{}
	fwd    sync.Once
	out    chan Event
}

func newOutbox() *outbox {
	return &outbox{signal: make(chan struct{}, 1)}
}

func (o *outbox) push(e Event) {
	o.mu.Lock()
	if _, isProgress := e.(ProgressEvent); isProgress && len(o.q) > 0 {
		if _, lastProgress := o.q[len(o.q)-1].(ProgressEvent); lastProgress {
			o.q[len(o.q)-1] = e
			o.mu.Unlock()
			o.wake()
			return
		}
	}
	o.q = append(o.q, e)
	o.mu.Unlock()
	o.wake()
}

func (o *outbox) wake() {
	select {
	case o.signal <- struct{}{}:
	default:
	}
}

// close marks the end of the stream; the channel closes once it is drained.
func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.wake()
}

func (o *outbox) forward() {
	var batch []Event
	for range o.signal {
		for {
			o.mu.Lock()
			batch, o.q = o.q, batch[:0]
			closed := o.closed && len(batch) == 0
			o.mu.Unlock()
			if closed {
				close(o.out)
				return
			}
			if len(batch) == 0 {
				break
			}
			for i, e := range batch {
				o.out <- e
				batch[i] = nil
			}
		}
	}
}
