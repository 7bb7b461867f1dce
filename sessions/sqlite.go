package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// SQLite is the SQL Store: a SQLite file, or a PostgreSQL database when
// opened with a postgres:// URL (the same statements, rewritten by
// pgdriver.go). It is safe for concurrent use.
type SQLite struct {
	path     string // the file, or the URL without its password
	readOnly bool
	pg       bool            // PostgreSQL
	pgConf   *pgx.ConnConfig // PostgreSQL: for LISTEN connections
	secret   string          // PostgreSQL: the password, kept out of messages
	w        *sql.DB         // one connection: the single writer
	r        *sql.DB         // readers
	busy     *busyWait       // SQLite: waits for another process's lock (nil on PostgreSQL)
	host     string
	pid      int
	// Statements of the per-epoch write, prepared once on the writer
	// connection: parsing SQL was 40% of an epoch's cost.
	stInsertEpoch, stSelectMetrics, stUpdateProgress, stUpsertMetric *sql.Stmt

	// live caches the summary metrics of the runs this process records,
	// so an epoch's write needs no read of its own.
	mu   sync.Mutex
	live map[string]Metrics
	// fences holds the attempt of each distributed trial's run this
	// process records, checked by every write of the run (trials.go).
	fences map[string]Attempt

	stInsertLayer *sql.Stmt // see health.go

	cursors pgCursors // PostgreSQL: see ListChangedSince
}

const (
	sqlInsertEpoch    = `INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val, folds) VALUES (?,?,?,?,?,?,?,?)`
	sqlSelectMetrics  = `SELECT metrics FROM runs WHERE id = ?`
	sqlUpdateProgress = `UPDATE runs SET epochs_done = ?, heartbeat_at = ?, metrics = ?, key_metrics = ?,
		best_epoch = CASE WHEN ? > 0 THEN ? ELSE best_epoch END WHERE id = ?`
	sqlUpsertMetric = `INSERT INTO run_metrics (run_id, key, value, nonfinite) VALUES (?,?,?,?)
			ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, nonfinite = excluded.nonfinite`
)

func (s *SQLite) prepare() error {
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{{&s.stInsertEpoch, sqlInsertEpoch}, {&s.stSelectMetrics, sqlSelectMetrics}, {&s.stUpdateProgress, sqlUpdateProgress}, {&s.stUpsertMetric, sqlUpsertMetric}, {&s.stInsertLayer, sqlInsertLayer}} {
		st, err := s.w.Prepare(p.sql)
		if err != nil {
			return s.wrap(err)
		}
		*p.dst = st
	}
	return nil
}

var _ Store = (*SQLite)(nil)

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sessions: " + err.Error())
	}
	return string(b)
}

// CreateRun inserts a new run row, owned by this process.
func (s *SQLite) CreateRun(ctx context.Context, r *Run) error {
	if err := ValidID(r.ID); err != nil {
		return err
	}
	r.OwnerPID, r.OwnerHost = s.pid, s.host
	if r.Heartbeat.IsZero() {
		r.Heartbeat = time.Now()
	}
	tx, err := s.beginTx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	if r.Attempt != nil {
		if err := s.claimAttempt(ctx, tx, r.ID, *r.Attempt); err != nil {
			return err
		}
	}
	if err := s.insertRun(ctx, tx, r); err != nil {
		return err
	}
	if r.Attempt != nil {
		if err := s.linkAttempt(ctx, tx, r.ID, *r.Attempt); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		s.dropFence(r.ID)
		return s.wrap(err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmtExecer runs a prepared statement where an execer is wanted; the
// query text is ignored.
type stmtExecer struct{ st *sql.Stmt }

func (x stmtExecer) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return x.st.ExecContext(ctx, args...)
}

func (s *SQLite) insertRun(ctx context.Context, db execer, r *Run) error {
	if r.Tags == nil {
		r.Tags = []string{}
	}
	var sweep any
	if r.SweepID != "" {
		sweep = r.SweepID
	}
	_, err := db.ExecContext(ctx, `INSERT INTO runs (id, name, status, reason, dataset, task, summary, optimizer, lr,
		params, data_hash, tags, notes, sweep_id, created_at, finished_at, heartbeat_at, owner_pid, owner_host,
		epochs_done, epochs_total, best_epoch, monitor, duration_ns, samples_per_s, metrics, key_metrics)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.ID, r.Name, string(r.Status), r.Reason, r.Dataset, r.Task, r.Summary, r.Spec.Optimizer.Name, r.Spec.Optimizer.LR,
		r.Params, r.DataHash, mustJSON(r.Tags), r.Notes, sweep, nanos(r.Created), nanos(r.Finished), nanos(r.Heartbeat),
		r.OwnerPID, r.OwnerHost, r.EpochsDone, r.EpochsTotal, r.BestEpoch, r.Monitor, int64(r.Duration),
		finiteOr0(r.SamplesPerSec), r.Metrics.text(), keyMetricsJSON(r.Metrics))
	if isUnique(err) {
		return fmt.Errorf("%w: %s", ErrExists, r.ID)
	}
	if err != nil {
		return s.wrap(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO run_data (run_id, spec, scaler, features, classes) VALUES (?,?,?,?,?)",
		r.ID, mustJSON(r.Spec), mustJSON(r.Scaler), mustJSON(nonNil(r.Features)), mustJSON(nonNil(r.Classes))); err != nil {
		return s.wrap(err)
	}
	return s.putMetrics(ctx, db, r.ID, r.Metrics)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func finiteOr0(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// putMetrics upserts summary metrics, keeping non-finite values explicit.
func (s *SQLite) putMetrics(ctx context.Context, db execer, id string, m Metrics) error {
	if len(m) >= metricRowsFrom {
		return s.putMetricRows(ctx, db, id, m)
	}
	if tx, ok := db.(*sql.Tx); ok {
		db = stmtExecer{tx.StmtContext(ctx, s.stUpsertMetric)}
	}
	for k, v := range m {
		val, nf := metricValue(v)
		if _, err := db.ExecContext(ctx, sqlUpsertMetric, id, k, val, nf); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

// metricRowsFrom is how many metrics go in one multi-row statement rather
// than one prepared statement each: a run's creation, end or import
// writes about fifty, where a statement each was a third of an import.
const metricRowsFrom = 8

// metricRowsMax bounds one statement's rows, under both backends' limits
// on parameters.
const metricRowsMax = 1000

// putMetricRows is putMetrics in multi-row statements.
func (s *SQLite) putMetricRows(ctx context.Context, db execer, id string, m Metrics) error {
	var b strings.Builder
	args := make([]any, 0, 4*min(len(m), metricRowsMax))
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		b.WriteString(" ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, nonfinite = excluded.nonfinite")
		_, err := db.ExecContext(ctx, b.String(), args...)
		b.Reset()
		args = args[:0]
		return s.wrap(err)
	}
	for k, v := range m {
		if len(args) == 0 {
			b.WriteString("INSERT INTO run_metrics (run_id, key, value, nonfinite) VALUES (?,?,?,?)")
		} else {
			b.WriteString(",(?,?,?,?)")
		}
		val, nf := metricValue(v)
		args = append(args, id, k, val, nf)
		if len(args) == 4*metricRowsMax {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// metricValue is how run_metrics keeps v: a number, or NULL and the text
// of a non-finite one.
func metricValue(v float64) (val, nonfinite any) {
	switch {
	case math.IsNaN(v):
		return nil, "NaN"
	case math.IsInf(v, 1):
		return nil, "+Inf"
	case math.IsInf(v, -1):
		return nil, "-Inf"
	}
	return v, nil
}

// AppendEpoch records one epoch and refreshes progress, heartbeat and the
// best and last metrics, all in one transaction.
func (s *SQLite) AppendEpoch(ctx context.Context, id string, e Epoch) error {
	return s.AppendEpochs(ctx, id, []Epoch{e}, e.Epoch)
}

// AppendEpochs records epochs (in increasing order) in one transaction,
// refreshes the best and last metrics from them, and sets the run's
// progress to done epochs and its heartbeat to now. eps may be empty.
func (s *SQLite) AppendEpochs(ctx context.Context, id string, eps []Epoch, done int) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	if s.pg {
		// An epoch's commit need not wait for the server's disk: a server
		// crash loses at most its last fraction of a second of epochs
		// (never consistency), as a killed recorder loses the epoch in
		// flight. Waiting held the change_seq row lock through the flush
		// and serialised every worker's epochs: measured on this 2-core
		// machine (BenchmarkConcurrentEpochWrites), 113 epoch writes a
		// second from one trial and 299 from 16, against 1,860 and 1,090
		// without the wait.
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit TO OFF"); err != nil {
			return s.wrap(err)
		}
	}
	if a, ok := s.fenceOf(id); ok {
		if _, err := s.checkFence(ctx, tx, a); err != nil {
			return err
		}
	}
	if err := s.insertEpochs(ctx, tx, id, eps); err != nil {
		return err
	}
	if err := s.putLayers(ctx, tx, id, eps); err != nil {
		return s.wrap(err)
	}
	s.mu.Lock()
	cached, ok := s.live[id]
	s.mu.Unlock()
	m := Metrics{}
	if ok {
		for k, v := range cached {
			m[k] = v
		}
	} else {
		var raw string
		if err := tx.StmtContext(ctx, s.stSelectMetrics).QueryRowContext(ctx, id).Scan(&raw); err != nil {
			return s.wrap(err)
		}
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return s.wrap(err)
		}
	}
	// Only new bests go to the filter index each epoch; the last values
	// are in the run's row and reach the index when the run finishes.
	// best_epoch moves with each new best, so a running run shows its
	// best epoch so far (it stayed 0 until the run finished).
	bests, best := FoldEpochs(m, eps)
	if _, err := tx.StmtContext(ctx, s.stUpdateProgress).ExecContext(ctx, done, time.Now().UnixNano(), m.text(), keyMetricsJSON(m), best, best, id); err != nil {
		return s.wrap(err)
	}
	if err := s.putMetrics(ctx, tx, id, bests); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(err)
	}
	s.mu.Lock()
	s.live[id] = m
	s.mu.Unlock()
	return nil
}

// FinishRun records the final status, metrics, evaluation and weights in
// one transaction.
func (s *SQLite) FinishRun(ctx context.Context, id string, f Final) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	a, fenced := s.fenceOf(id)
	if fenced {
		if err := s.finishAttempt(ctx, tx, a, &f); err != nil {
			return err
		}
	}
	var raw string
	if err := tx.QueryRowContext(ctx, "SELECT metrics FROM runs WHERE id = ?", id).Scan(&raw); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return s.wrap(err)
	}
	var m Metrics
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return s.wrap(err)
	}
	test := Metrics{}
	for k, v := range f.Eval.Test.Metrics {
		test["test_"+k] = v
		m["test_"+k] = v
	}
	for k, v := range evalSummary(f.Eval) {
		test[k], m[k] = v, v
	}
	for k, v := range m {
		if strings.HasPrefix(k, "last_") {
			test[k] = v // the final last_ values join the filter index
		}
	}
	s.mu.Lock()
	delete(s.live, id)
	s.mu.Unlock()
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = ?, reason = ?, finished_at = ?, heartbeat_at = ?, epochs_done = ?,
		best_epoch = ?, monitor = ?, duration_ns = ?, samples_per_s = ?, metrics = ?, key_metrics = ? WHERE id = ?`,
		string(f.Status), f.Reason, time.Now().UnixNano(), time.Now().UnixNano(), f.EpochsDone, f.BestEpoch, f.Monitor,
		int64(f.Duration), finiteOr0(f.SamplesPerSec), m.text(), keyMetricsJSON(m), id); err != nil {
		return s.wrap(err)
	}
	if err := s.putMetrics(ctx, tx, id, test); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO evaluations (run_id, data) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET data = excluded.data", id, mustJSON(f.Eval)); err != nil {
		return s.wrap(err)
	}
	if f.Weights != nil {
		if _, err := tx.ExecContext(ctx, "INSERT INTO weights (run_id, data) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET data = excluded.data", id, f.Weights); err != nil {
			return s.wrap(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(err)
	}
	if fenced {
		s.dropFence(id)
	}
	return nil
}

// Heartbeat marks a running run as alive.
func (s *SQLite) Heartbeat(ctx context.Context, id string) error {
	_, err := s.exec(ctx, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", time.Now().UnixNano(), id)
	return s.wrap(err)
}

// pgEpochRows is how many epochs one INSERT writes on PostgreSQL, where
// each statement is a round trip to the server.
const pgEpochRows = 256

// insertEpochs inserts eps: one prepared statement for a single epoch,
// multi-row INSERTs for more (an import's, a thinned history's).
func (s *SQLite) insertEpochs(ctx context.Context, tx *sql.Tx, id string, eps []Epoch) error {
	if len(eps) < 2 {
		ins := tx.StmtContext(ctx, s.stInsertEpoch)
		for _, e := range eps {
			if e.SummaryOnly {
				continue // it updates the run's summary only
			}
			if _, err := ins.ExecContext(ctx,
				id, e.Epoch, finiteOr0(e.LR), int64(e.Elapsed), finiteOr0(e.SamplesPerSec), e.Train.text(), e.Val.text(), e.Folds); err != nil {
				return s.wrap(err)
			}
		}
		return nil
	}
	kept := make([]Epoch, 0, len(eps))
	for _, e := range eps {
		if !e.SummaryOnly {
			kept = append(kept, e)
		}
	}
	eps = kept
	for len(eps) > 0 {
		chunk := eps[:min(len(eps), pgEpochRows)]
		eps = eps[len(chunk):]
		var b strings.Builder
		b.WriteString("INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val, folds) VALUES ")
		args := make([]any, 0, 8*len(chunk))
		for i, e := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?)")
			args = append(args, id, e.Epoch, finiteOr0(e.LR), int64(e.Elapsed), finiteOr0(e.SamplesPerSec), e.Train.text(), e.Val.text(), e.Folds)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}
