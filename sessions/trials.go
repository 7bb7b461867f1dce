package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"workbench/trainer"
)

// A distributed sweep (PostgreSQL only) keeps one sweep_trials row per
// trial (PostgreSQL schema 4): its spec, its state and its current attempt. A worker
// that starts a trial takes the next attempt number (BeginAttempt); the
// number is a fencing token, checked in the transaction of every epoch
// write of the attempt's run, so that an attempt whose job was rescued and
// handed to another worker finds out at its next write and stops
// (ErrSuperseded). Each attempt is a run of its own; the trial counts by
// its current attempt's run.

// Errors of distributed sweeps.
var (
	// ErrSuperseded is a write by an attempt of a trial that a newer
	// attempt has taken over: the run must stop.
	ErrSuperseded = errors.New("superseded: a newer attempt of this trial took over")
	// ErrTrialCancelled is an epoch write of a trial whose sweep was
	// cancelled: the run must stop.
	ErrTrialCancelled = errors.New("the sweep was cancelled")
	// ErrSweepEnded is a cancel of a sweep that is no longer running.
	ErrSweepEnded = errors.New("nothing to cancel")
	// ErrNotDistributed is a distributed sweep asked of a SQLite store.
	ErrNotDistributed = errors.New("distributed sweeps need a PostgreSQL store (--db postgres://…)")
)

// Trial states.
const (
	TrialPending   = "pending"   // TPE: not proposed yet, waits for finished trials
	TrialQueued    = "queued"    // waiting for a worker (again, after a stop)
	TrialRunning   = "running"   // an attempt trains it
	TrialDone      = "done"      // final: its run ended with a result
	TrialFailed    = "failed"    // final: no attempt could train it
	TrialCancelled = "cancelled" // final: its sweep was cancelled
)

// SweepCancelled is the status of a cancelled sweep.
const SweepCancelled = "cancelled"

// Attempt links a run to one attempt of a distributed sweep's trial.
type Attempt struct {
	SweepID string
	Trial   int
	Number  int
}

// TrialRow is one trial of a distributed sweep.
type TrialRow struct {
	SweepID string            `json:"sweep_id"`
	Trial   int               `json:"trial"`
	Attempt int               `json:"attempt"`
	RunID   string            `json:"run_id,omitempty"`
	State   string            `json:"state"`
	Reason  string            `json:"reason,omitempty"`
	JobID   int64             `json:"job_id"`
	Params  map[string]string `json:"params"`
	Spec    trainer.Spec      `json:"-"`
}

// Final reports whether a trial state is final.
func (t TrialRow) Final() bool {
	return t.State == TrialDone || t.State == TrialFailed || t.State == TrialCancelled
}

// InsertSweepTx inserts a distributed sweep and its trials in tx, the
// transaction that also enqueues their jobs. The sweep has no owner
// process: no Open marks it interrupted while its trials wait.
func InsertSweepTx(ctx context.Context, tx pgx.Tx, sw *Sweep, trials []TrialRow) error {
	if err := ValidID(sw.ID); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO sweeps (id, name, status, objective, config, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
		sw.ID, sw.Name, sw.Status, sw.Objective, sw.Config, nanos(sw.Created)); err != nil {
		return err
	}
	for _, t := range trials {
		state := t.State
		if state == "" {
			state = TrialQueued
		}
		if _, err := tx.Exec(ctx, "INSERT INTO sweep_trials (sweep_id, trial, state, job_id, params, spec) VALUES ($1,$2,$3,$4,$5,$6)",
			sw.ID, t.Trial, state, t.JobID, mustJSON(nonNilMap(t.Params)), mustJSON(t.Spec)); err != nil {
			return err
		}
	}
	return nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// CancelSweepTx marks a distributed sweep cancelled and its unfinished
// trials with it, in tx, and returns the jobs of those trials, for the
// caller to cancel in the same transaction. Running attempts stop at their
// next epoch write (ErrTrialCancelled) and are saved stopped.
func CancelSweepTx(ctx context.Context, tx pgx.Tx, id string) ([]int64, error) {
	var status string
	err := tx.QueryRow(ctx, "SELECT status FROM sweeps WHERE id = $1 FOR NO KEY UPDATE", id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: no sweep %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	if status != "running" {
		return nil, fmt.Errorf("%w: sweep %s has ended (%s)", ErrSweepEnded, id, status)
	}
	if _, err := tx.Exec(ctx, "UPDATE sweeps SET status = $1, reason = $2 WHERE id = $3", SweepCancelled, "cancelled by sweep cancel", id); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `UPDATE sweep_trials SET state = $1, reason = $2 WHERE sweep_id = $3 AND state IN ($4, $5, $6) RETURNING job_id`,
		TrialCancelled, "the sweep was cancelled", id, TrialQueued, TrialRunning, TrialPending)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Trials returns a distributed sweep's trials in order; none for a sweep
// that runs in one process, and ErrNotDistributed on a SQLite store.
func (s *SQLite) Trials(ctx context.Context, sweepID string) ([]TrialRow, error) {
	if !s.pg {
		return nil, ErrNotDistributed
	}
	rows, err := s.r.QueryContext(ctx, "SELECT sweep_id, trial, attempt, run_id, state, reason, job_id, params, spec FROM sweep_trials WHERE sweep_id = ? ORDER BY trial", sweepID)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []TrialRow
	for rows.Next() {
		t, err := scanTrial(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, t)
	}
	return out, s.wrap(rows.Err())
}

func scanTrial(sc scanner) (TrialRow, error) {
	var t TrialRow
	var params, spec string
	if err := sc.Scan(&t.SweepID, &t.Trial, &t.Attempt, &t.RunID, &t.State, &t.Reason, &t.JobID, &params, &spec); err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(params), &t.Params); err != nil {
		return t, fmt.Errorf("trial %d of %s: bad stored params: %v", t.Trial, t.SweepID, err)
	}
	var err error
	if t.Spec, err = trainer.DecodeSpec([]byte(spec)); err != nil {
		return t, fmt.Errorf("trial %d of %s: bad stored spec: %v", t.Trial, t.SweepID, err)
	}
	return t, nil
}

// BeginAttempt starts the next attempt of a trial: it takes the next
// attempt number, so that the previous attempt, if it still runs, stops at
// its next write, and marks the previous attempt's run interrupted if it
// was left running. ok is false, changing nothing, when the trial needs
// no attempt (it is final, or its sweep was cancelled).
func (s *SQLite) BeginAttempt(ctx context.Context, sweepID string, trial int) (t TrialRow, ok bool, err error) {
	if !s.pg {
		return t, false, ErrNotDistributed
	}
	tx, err := s.beginTx(ctx)
	if err != nil {
		return t, false, s.wrap(err)
	}
	defer tx.Rollback()
	t, err = scanTrial(tx.QueryRowContext(ctx, "SELECT sweep_id, trial, attempt, run_id, state, reason, job_id, params, spec FROM sweep_trials WHERE sweep_id = ? AND trial = ? FOR UPDATE", sweepID, trial))
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, fmt.Errorf("%w: no trial %d in sweep %s", ErrNotFound, trial, sweepID)
	}
	if err != nil {
		return t, false, s.wrap(err)
	}
	if t.Final() {
		return t, false, nil
	}
	t.Attempt++
	t.State = TrialRunning
	if _, err := tx.ExecContext(ctx, "UPDATE sweep_trials SET attempt = ?, state = ? WHERE sweep_id = ? AND trial = ?", t.Attempt, t.State, sweepID, trial); err != nil {
		return t, false, s.wrap(err)
	}
	if t.RunID != "" {
		if _, err := tx.ExecContext(ctx, "UPDATE runs SET status = ?, reason = ? WHERE id = ? AND status = ?",
			string(trainer.StatusInterrupted), fmt.Sprintf("superseded: attempt %d took over from a worker presumed gone", t.Attempt), t.RunID, string(trainer.StatusRunning)); err != nil {
			return t, false, s.wrap(err)
		}
	}
	return t, true, s.wrap(tx.Commit())
}

// EndAttempt ends an attempt that could not start a run (its data could
// not be built, say): final says whether the trial fails for good or waits
// for another attempt. An attempt that is no longer current changes
// nothing.
func (s *SQLite) EndAttempt(ctx context.Context, a Attempt, final bool, reason string) error {
	if !s.pg {
		return ErrNotDistributed
	}
	return s.inSweepTx(ctx, a.SweepID, func(tx *sql.Tx) error {
		state := TrialQueued
		if final {
			state = TrialFailed
		}
		_, err := tx.ExecContext(ctx, "UPDATE sweep_trials SET state = ?, reason = ? WHERE sweep_id = ? AND trial = ? AND attempt = ? AND state = ?",
			state, reason, a.SweepID, a.Trial, a.Number, TrialRunning)
		return err
	})
}

// inSweepTx runs fn in a transaction that holds the sweep's row, then
// marks the sweep done if no trial is left to run: trials that end
// together see each other, so exactly one of them ends the sweep.
func (s *SQLite) inSweepTx(ctx context.Context, sweepID string, fn func(*sql.Tx) error) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	if err := s.lockSweep(ctx, tx, sweepID); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return s.wrap(err)
	}
	if err := s.settleSweep(ctx, tx, sweepID); err != nil {
		return err
	}
	return s.wrap(tx.Commit())
}

// lockSweep holds the sweep's row, without blocking the inserts of runs
// that refer to it (FOR NO KEY UPDATE).
func (s *SQLite) lockSweep(ctx context.Context, tx *sql.Tx, sweepID string) error {
	var st string
	err := tx.QueryRowContext(ctx, "SELECT status FROM sweeps WHERE id = ? FOR NO KEY UPDATE", sweepID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: no sweep %s", ErrNotFound, sweepID)
	}
	return s.wrap(err)
}

// settleSweep marks a running distributed sweep done once every trial is
// final.
func (s *SQLite) settleSweep(ctx context.Context, tx *sql.Tx, sweepID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE sweeps SET status = 'done' WHERE id = ? AND status = 'running'
		AND NOT EXISTS (SELECT 1 FROM sweep_trials WHERE sweep_id = ? AND state IN (?, ?, ?))`, sweepID, sweepID, TrialQueued, TrialRunning, TrialPending)
	return s.wrap(err)
}

// fenceOf returns the attempt a run of this process records, if any.
func (s *SQLite) fenceOf(id string) (Attempt, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.fences[id]
	return a, ok
}

// checkFence fails with ErrSuperseded when a is no longer its trial's
// current attempt, and with ErrTrialCancelled when its sweep was
// cancelled. It runs in the transaction of the write it guards and holds
// the trial's row until it commits, so a new attempt begins either before
// the write (which then fails) or after it.
func (s *SQLite) checkFence(ctx context.Context, tx *sql.Tx, a Attempt) (state string, err error) {
	var cur int
	err = tx.QueryRowContext(ctx, "SELECT attempt, state FROM sweep_trials WHERE sweep_id = ? AND trial = ? FOR SHARE", a.SweepID, a.Trial).Scan(&cur, &state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("trial %d of %s: %w", a.Trial, a.SweepID, ErrSuperseded)
	case err != nil:
		return "", s.wrap(err)
	case cur != a.Number:
		return state, fmt.Errorf("attempt %d of trial %d of %s: %w (attempt %d)", a.Number, a.Trial, a.SweepID, ErrSuperseded, cur)
	case state == TrialCancelled:
		return state, fmt.Errorf("trial %d of %s: %w", a.Trial, a.SweepID, ErrTrialCancelled)
	}
	return state, nil
}

// claimAttempt makes a new run its trial's current one, in the run's
// creating transaction and before the run's row (trial rows are locked
// before run rows everywhere): when a newer attempt has begun, the run is
// not created (ErrSuperseded).
func (s *SQLite) claimAttempt(ctx context.Context, tx *sql.Tx, id string, a Attempt) error {
	if !s.pg {
		return ErrNotDistributed
	}
	res, err := tx.ExecContext(ctx, "UPDATE sweep_trials SET run_id = ? WHERE sweep_id = ? AND trial = ? AND attempt = ? AND state = ?",
		id, a.SweepID, a.Trial, a.Number, TrialRunning)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("attempt %d of trial %d of %s: %w", a.Number, a.Trial, a.SweepID, ErrSuperseded)
	}
	return nil
}

// linkAttempt records a new run's attempt, after the run's row, and
// fences the run's writes from now on.
func (s *SQLite) linkAttempt(ctx context.Context, tx *sql.Tx, id string, a Attempt) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO trial_attempts (run_id, sweep_id, trial, attempt) VALUES (?,?,?,?)", id, a.SweepID, a.Trial, a.Number); err != nil {
		return s.wrap(err)
	}
	s.mu.Lock()
	if s.fences == nil {
		s.fences = map[string]Attempt{}
	}
	s.fences[id] = a
	s.mu.Unlock()
	return nil
}

// finishAttempt settles the trial of a run that ends, in FinishRun's
// transaction. A stale attempt's run is recorded interrupted (superseded)
// and leaves the trial alone; a current one makes the trial final on a
// result, or queued again when it stopped or was interrupted, so that
// another attempt resumes it.
func (s *SQLite) finishAttempt(ctx context.Context, tx *sql.Tx, a Attempt, f *Final) error {
	if err := s.lockSweep(ctx, tx, a.SweepID); err != nil {
		return err
	}
	_, err := s.checkFence(ctx, tx, a)
	switch {
	case errors.Is(err, ErrSuperseded):
		f.Status, f.Reason, f.Weights = trainer.StatusInterrupted, err.Error(), nil
		return nil
	case errors.Is(err, ErrTrialCancelled):
		return nil // the trial is cancelled already
	case err != nil:
		return err
	}
	state := TrialDone
	if f.Status == trainer.StatusStopped || f.Status == trainer.StatusInterrupted || f.Status == trainer.StatusRunning {
		state = TrialQueued
	}
	if _, err := tx.ExecContext(ctx, "UPDATE sweep_trials SET state = ?, reason = ? WHERE sweep_id = ? AND trial = ? AND attempt = ? AND state = ?",
		state, f.Reason, a.SweepID, a.Trial, a.Number, TrialRunning); err != nil {
		return s.wrap(err)
	}
	return s.settleSweep(ctx, tx, a.SweepID)
}

// Attempts returns the attempt of each run of a distributed sweep, by run
// ID.
func (s *SQLite) Attempts(ctx context.Context, sweepID string) (map[string]Attempt, error) {
	if !s.pg {
		return nil, ErrNotDistributed
	}
	rows, err := s.r.QueryContext(ctx, "SELECT run_id, trial, attempt FROM trial_attempts WHERE sweep_id = ?", sweepID)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := map[string]Attempt{}
	for rows.Next() {
		var id string
		a := Attempt{SweepID: sweepID}
		if err := rows.Scan(&id, &a.Trial, &a.Number); err != nil {
			return nil, s.wrap(err)
		}
		out[id] = a
	}
	return out, s.wrap(rows.Err())
}

// StaleAttempt is a running trial whose run's heartbeat stopped.
type StaleAttempt struct {
	TrialRow
	Heartbeat time.Time
}

// StaleAttempts returns the running trials whose current run has sent no
// heartbeat for longer than after: their worker is probably gone.
func (s *SQLite) StaleAttempts(ctx context.Context, after time.Duration) ([]StaleAttempt, error) {
	if !s.pg {
		return nil, ErrNotDistributed
	}
	rows, err := s.r.QueryContext(ctx, `SELECT t.sweep_id, t.trial, t.attempt, t.run_id, t.state, t.reason, t.job_id, t.params, t.spec, r.heartbeat_at
		FROM sweep_trials t JOIN runs r ON r.id = t.run_id
		WHERE t.state = ? AND r.status = ? AND r.heartbeat_at < ?`, TrialRunning, string(trainer.StatusRunning), time.Now().Add(-after).UnixNano())
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []StaleAttempt
	for rows.Next() {
		var st StaleAttempt
		var params, spec string
		var hb int64
		if err := rows.Scan(&st.SweepID, &st.Trial, &st.Attempt, &st.RunID, &st.State, &st.Reason, &st.JobID, &params, &spec, &hb); err != nil {
			return nil, s.wrap(err)
		}
		st.Heartbeat = fromNanos(hb)
		out = append(out, st)
	}
	return out, s.wrap(rows.Err())
}

// InterruptStaleTx marks the run of a stale attempt interrupted and its
// trial queued again, in tx (which also makes the trial's job available),
// unless the attempt has moved on or its run has beaten since. It reports
// whether it did.
func InterruptStaleTx(ctx context.Context, tx pgx.Tx, st StaleAttempt, after time.Duration) (bool, error) {
	// The trial's row first, then the run's, as every write of a trial
	// takes them: in the other order, a deadlock with the run's end.
	cutoff := time.Now().Add(-after).UnixNano()
	tag, err := tx.Exec(ctx, `UPDATE sweep_trials SET state = $1 WHERE sweep_id = $2 AND trial = $3 AND attempt = $4 AND state = $5
		AND EXISTS (SELECT 1 FROM runs WHERE id = $6 AND status = $7 AND heartbeat_at < $8)`,
		TrialQueued, st.SweepID, st.Trial, st.Attempt, TrialRunning, st.RunID, string(trainer.StatusRunning), cutoff)
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	_, err = tx.Exec(ctx, `UPDATE runs SET status = $1, reason = $2 WHERE id = $3 AND status = $4`,
		string(trainer.StatusInterrupted), fmt.Sprintf("its worker sent no heartbeat for %s", after), st.RunID, string(trainer.StatusRunning))
	return err == nil, err
}

// HeartbeatRuns marks running runs as alive, one short transaction each
// (a beat never holds one run's row while it waits for another's): a
// worker beats for all its trials, whatever their epochs do.
func (s *SQLite) HeartbeatRuns(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if err := s.Heartbeat(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *SQLite) dropFence(id string) {
	s.mu.Lock()
	delete(s.fences, id)
	s.mu.Unlock()
}
