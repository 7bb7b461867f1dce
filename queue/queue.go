package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// DefaultQueue is the queue trials go to unless told otherwise.
const DefaultQueue = "workbench"

// TrialKind is the River job kind of a trial.
const TrialKind = "workbench_trial"

// trialMaxAttempts bounds the attempts River makes of a trial whose
// attempts fail before training (its data cannot be built, the store is
// unreachable). Stops on shutdown and runs that end with a result do not
// count.
const trialMaxAttempts = 5

// TrialArgs are a trial job's arguments: which trial of which sweep. The
// trial's spec lives in the store, not in the job.
type TrialArgs struct {
	SweepID string `json:"sweep_id"`
	Trial   int    `json:"trial"`
}

// Kind is River's name for the job kind.
func (TrialArgs) Kind() string { return TrialKind }

// DB is a connection pool to the store's database with a River client.
// It is safe for concurrent use.
type DB struct {
	url    string
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
}

// Open connects to the PostgreSQL store rawURL names and brings River's
// tables up to date (see Migrate). conns bounds the pool; config, when
// non-nil, makes the client a worker.
func Open(ctx context.Context, rawURL string, conns int, config *river.Config) (*DB, error) {
	shown := sessions.RedactURL(rawURL)
	if !sessions.IsPostgresURL(rawURL) {
		return nil, sessions.ErrNotDistributed
	}
	pc, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", shown, sessions.RedactError(err, rawURL))
	}
	pc.MaxConns = int32(max(conns, 4))
	if pc.ConnConfig.ConnectTimeout == 0 {
		pc.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	if _, ok := pc.ConnConfig.RuntimeParams["application_name"]; !ok {
		pc.ConnConfig.RuntimeParams["application_name"] = "workbench"
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", shown, sessions.RedactError(err, rawURL))
	}
	db := &DB{url: rawURL, pool: pool}
	if err := db.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if config == nil {
		config = &river.Config{Logger: quietLogger(io.Discard)}
	}
	if db.client, err = river.NewClient(riverpgxv5.New(pool), config); err != nil {
		pool.Close()
		return nil, fmt.Errorf("queue: %v", err)
	}
	return db, nil
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// wrap names the store in err, without its password.
func (db *DB) wrap(err error) error {
	if err == nil {
		return nil
	}
	var host string
	if cc := db.pool.Config().ConnConfig; cc != nil {
		host = fmt.Sprintf("%s:%d", cc.Host, cc.Port)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return fmt.Errorf("store %s: %v (the role lacks a privilege; see the README's PostgreSQL section)", sessions.RedactURL(db.url), sessions.RedactError(err, db.url))
	}
	if isUnreachable(err) {
		return fmt.Errorf("store %s: cannot reach %s: %v", sessions.RedactURL(db.url), host, sessions.RedactError(err, db.url))
	}
	return fmt.Errorf("store %s: %v", sessions.RedactURL(db.url), sessions.RedactError(err, db.url))
}

// Migrate creates or upgrades River's tables in the store's schema (the
// first of search_path), under the lock the store's own migrations take,
// so that workers starting together migrate once. River runs each of its
// versions in a transaction of its own (some cannot share one).
func (db *DB) Migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return db.wrap(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", sessions.ApplicationID); err != nil {
		return db.wrap(err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", sessions.ApplicationID)
	m, err := rivermigrate.New(riverpgxv5.New(db.pool), &rivermigrate.Config{Logger: quietLogger(io.Discard)})
	if err != nil {
		return db.wrap(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store %s: River's migration: %v", sessions.RedactURL(db.url), sessions.RedactError(err, db.url))
	}
	return nil
}

// EnqueueOptions tunes Enqueue.
type EnqueueOptions struct {
	Queue string // DefaultQueue if empty
}

// Enqueued is a distributed sweep as Enqueue stored it.
type Enqueued struct {
	Sweep  *sessions.Sweep
	Trials []sessions.TrialRow
	Queue  string
}

// Enqueue checks and expands s (sweeps.Prepare), then stores the sweep,
// its trials and one job per trial in one transaction: a sweep is queued
// whole or not at all.
func (db *DB) Enqueue(ctx context.Context, s sweeps.Spec, o EnqueueOptions) (*Enqueued, error) {
	plan, err := sweeps.Prepare(s)
	if err != nil {
		return nil, err
	}
	q := o.Queue
	if q == "" {
		q = DefaultQueue
	}
	cfg, _ := json.Marshal(s)
	sw := &sessions.Sweep{ID: "sweep-" + trainer.NewID(), Name: s.Name, Status: "running", Objective: plan.Objective,
		Config: string(cfg), Created: time.Now().UTC(), Trials: plan.Budget}
	params := make([]river.InsertManyParams, len(plan.Trials))
	for i, t := range plan.Trials {
		params[i] = river.InsertManyParams{Args: TrialArgs{SweepID: sw.ID, Trial: t.Index},
			InsertOpts: &river.InsertOpts{Queue: q, MaxAttempts: trialMaxAttempts}}
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, db.wrap(err)
	}
	defer tx.Rollback(context.Background())
	res, err := db.client.InsertManyTx(ctx, tx, params)
	if err != nil {
		return nil, db.wrap(err)
	}
	rows := make([]sessions.TrialRow, len(plan.Trials), plan.Budget)
	for i, t := range plan.Trials {
		rows[i] = sessions.TrialRow{SweepID: sw.ID, Trial: t.Index, State: sessions.TrialQueued, JobID: res[i].Job.ID, Params: t.Params, Spec: t.Spec}
	}
	// TPE's later trials wait, pending, for the finished ones.
	for i := len(plan.Trials); i < plan.Budget; i++ {
		rows = append(rows, sessions.TrialRow{SweepID: sw.ID, Trial: i, State: sessions.TrialPending})
	}
	if err := sessions.InsertSweepTx(ctx, tx, sw, rows); err != nil {
		return nil, db.wrap(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, db.wrap(err)
	}
	return &Enqueued{Sweep: sw, Trials: rows, Queue: q}, nil
}

// Cancel cancels a distributed sweep: its trials that wait are cancelled
// with their jobs, and its running trials stop at their next epoch, saved
// stopped. It returns how many trials were cancelled.
func (db *DB) Cancel(ctx context.Context, sweepID string) (int, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, db.wrap(err)
	}
	defer tx.Rollback(context.Background())
	jobs, err := sessions.CancelSweepTx(ctx, tx, sweepID)
	if err != nil {
		if errors.Is(err, sessions.ErrNotFound) || errors.Is(err, sessions.ErrSweepEnded) {
			return 0, err
		}
		return 0, db.wrap(err)
	}
	for _, id := range jobs {
		if id == 0 {
			continue
		}
		if _, err := db.client.JobCancelTx(ctx, tx, id); err != nil && !errors.Is(err, river.ErrNotFound) {
			return 0, db.wrap(err)
		}
	}
	return len(jobs), db.wrap(tx.Commit(ctx))
}
