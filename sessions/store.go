package sessions

import (
	"context"
	"time"

	"workbench/datasets"
	"workbench/trainer"
)

// Store keeps runs. Implementations are safe for concurrent use.
type Store interface {
	// CreateRun inserts a new run row.
	CreateRun(ctx context.Context, r *Run) error
	// AppendEpoch records one epoch in its own transaction and refreshes the
	// run's progress, heartbeat and best and last metrics.
	AppendEpoch(ctx context.Context, id string, e Epoch) error
	// AppendEpochs records epochs (in increasing order, possibly none) in
	// one transaction, refreshes the best and last metrics from them and
	// sets the run's progress to done epochs.
	AppendEpochs(ctx context.Context, id string, eps []Epoch, done int) error
	// FinishRun records the end of a run in one transaction.
	FinishRun(ctx context.Context, id string, f Final) error
	// Heartbeat marks a running run as alive.
	Heartbeat(ctx context.Context, id string) error

	// GetRun returns one run without its history; ErrNotFound if absent.
	GetRun(ctx context.Context, id string) (*Run, error)
	// History returns a run's epochs in order.
	History(ctx context.Context, id string) ([]Epoch, error)
	// Evaluation returns a run's final validation and test evaluations.
	Evaluation(ctx context.Context, id string) (*Evaluations, error)
	// Weights returns a run's saved weights (trainer's versioned format).
	Weights(ctx context.Context, id string) ([]byte, error)
	// ListRuns returns the runs that q selects, in q's order.
	ListRuns(ctx context.Context, q Query) ([]*Run, error)
	// ListSummaries is ListRuns with only the columns a list shows (see
	// SQLite.ListSummaries): fast for thousands of runs.
	ListSummaries(ctx context.Context, q Query) ([]*Run, error)
	// EachSummary streams what ListSummaries returns to fn, reusing one
	// *Run: memory stays flat whatever the number of runs.
	EachSummary(ctx context.Context, q Query, fn func(*Run) error) error
	// EachRun streams what ListRuns returns to fn, one run at a time.
	EachRun(ctx context.Context, q Query, fn func(*Run) error) error
	// ChangeSeq returns the store's change sequence, to pass to
	// ListChangedSince: on SQLite every insert, update and delete of a run
	// takes the next number; on PostgreSQL it is a horizon (see
	// SQLite.ListChangedSince). Read it before a complete listing.
	ChangeSeq(ctx context.Context) (int64, error)
	// ListChangedSince returns what changed after seq (see Changes).
	ListChangedSince(ctx context.Context, q Query, seq int64) (*Changes, error)

	// UpdateRun renames, re-tags or annotates a run.
	UpdateRun(ctx context.Context, id string, p Patch) error
	// DeleteRuns removes runs with their history, evaluation and weights.
	DeleteRuns(ctx context.Context, ids ...string) error
	// ImportRun validates (ValidateRun) and inserts a complete run from an
	// export, atomically. A run already present with the same content
	// returns an error wrapping ErrExists; with different content,
	// ErrConflict.
	ImportRun(ctx context.Context, r *FullRun) error

	// CreateSweep, UpdateSweep and the sweep getters keep sweeps, whose
	// trials are runs with SweepID set.
	CreateSweep(ctx context.Context, s *Sweep) error
	UpdateSweep(ctx context.Context, id string, status string) error
	GetSweep(ctx context.Context, id string) (*Sweep, error)
	ListSweeps(ctx context.Context) ([]*Sweep, error)

	// Path returns where the store lives, for messages.
	Path() string
	Close() error
}

// Run is a stored run's row: everything but its history, evaluation and
// weights.
type Run struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Status    trainer.Status  `json:"status"`
	Reason    string          `json:"reason,omitempty"`
	Spec      trainer.Spec    `json:"spec"`
	Dataset   string          `json:"dataset"`
	Task      string          `json:"task"`
	Summary   string          `json:"summary"`
	Params    int             `json:"params"`
	DataHash  string          `json:"data_hash"`
	Scaler    datasets.Scaler `json:"scaler"`
	Features  []string        `json:"features"`
	Classes   []string        `json:"classes,omitempty"`
	Tags      []string        `json:"tags"`
	Notes     string          `json:"notes"`
	SweepID   string          `json:"sweep_id,omitempty"`
	Created   time.Time       `json:"created"`
	Finished  time.Time       `json:"finished,omitzero"`
	Heartbeat time.Time       `json:"-"`
	OwnerPID  int             `json:"-"`
	OwnerHost string          `json:"-"`

	EpochsDone    int           `json:"epochs_done"`
	EpochsTotal   int           `json:"epochs_total"`
	BestEpoch     int           `json:"best_epoch"`
	Monitor       string        `json:"monitor"`
	Duration      time.Duration `json:"duration_ns"`
	SamplesPerSec float64       `json:"samples_per_s"`

	// Metrics holds the run's summary metrics by key:
	//   best_val_accuracy, best_train_loss …  the best value over all epochs
	//   last_val_accuracy …                   the last epoch's value
	//   test_accuracy …                        the final test evaluation
	Metrics Metrics `json:"metrics"`

	// Kind is "" for a trained run, "ensemble" or "compressed" for a run
	// derived from others: Members lists an ensemble's runs, Parent names a
	// compressed run's source.
	Kind    string   `json:"kind,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members,omitempty"`

	// Attempt, when set on a new run, makes it an attempt of a
	// distributed sweep's trial (see BeginAttempt): its writes fail once a
	// newer attempt begins. It is not read back.
	Attempt *Attempt `json:"-"`
}

// Epoch is one epoch of a run's history.
type Epoch struct {
	Epoch         int           `json:"epoch"`
	Train         Metrics       `json:"train"`
	Val           Metrics       `json:"val"`
	LR            float64       `json:"lr"`
	Elapsed       time.Duration `json:"elapsed_ns"`
	SamplesPerSec float64       `json:"samples_per_s"`
	// Folds is, for an epoch of a cross-validated run, how many folds its
	// metrics are the mean of (see trainer.EpochEvent.Folds); 0 for any
	// other run's, and for one recorded before stores kept it (see
	// Evaluation.FoldEpochs, FoldsOf).
	Folds int `json:"folds,omitempty"`
	// Layers is the health of each hidden layer (none for runs recorded
	// before it was measured).
	Layers []trainer.LayerHealth `json:"layers,omitempty"`
	// Best marks the epoch the trainer judged best so far on its monitored
	// metric; its values become the run's best_… metrics. Not stored in the
	// history.
	Best bool `json:"-"`
	// SummaryOnly marks an epoch that updates the run's summary metrics
	// but is not kept in its history (a thinned epoch that was a new best).
	SummaryOnly bool `json:"-"`
}

// Final is what FinishRun records.
type Final struct {
	Status        trainer.Status
	Reason        string
	EpochsDone    int
	BestEpoch     int
	Monitor       string
	Duration      time.Duration
	SamplesPerSec float64
	Eval          Evaluations
	Weights       []byte // may be nil
}

// Evaluations are a run's final validation and test evaluations.
type Evaluations struct {
	Val  trainer.Evaluation `json:"val"`
	Test trainer.Evaluation `json:"test"`
}

// Patch changes a run's name, tags or notes; nil fields are left alone.
type Patch struct {
	Name  *string
	Tags  *[]string
	Notes *string
}

// FullRun is a run with everything: what export writes and import reads.
type FullRun struct {
	Run
	History    []Epoch      `json:"history"`
	Evaluation *Evaluations `json:"evaluation,omitempty"`
	Weights    []byte       `json:"weights,omitempty"` // base64 in JSON
}

// Sweep is a hyperparameter sweep; its trials are runs.
type Sweep struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"` // why it was interrupted
	Objective string    `json:"objective"`        // e.g. val_accuracy
	Config    string    `json:"config"`           // the sweep spec, JSON
	Created   time.Time `json:"created"`
	Trials    int       `json:"trials"`
}
