package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver

	"workbench/trainer"
)

// SchemaVersion is the newest schema this build knows (PRAGMA user_version).
const SchemaVersion = 3

// staleAfter is how old a heartbeat must be before a running run whose
// owner cannot be checked (another host, or a reused PID) is interrupted.
const staleAfter = 2 * time.Minute

// heartbeatEvery is how often a recorder refreshes a long epoch's heartbeat.
const heartbeatEvery = 10 * time.Second

var migrations = []string{
	1: `
CREATE TABLE runs (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL,
	reason        TEXT NOT NULL DEFAULT '',
	spec          TEXT NOT NULL,
	dataset       TEXT NOT NULL,
	task          TEXT NOT NULL,
	summary       TEXT NOT NULL,
	optimizer     TEXT NOT NULL,
	lr            REAL NOT NULL,
	params        INTEGER NOT NULL DEFAULT 0,
	data_hash     TEXT NOT NULL DEFAULT '',
	scaler        TEXT NOT NULL DEFAULT '{}',
	features      TEXT NOT NULL DEFAULT '[]',
	classes       TEXT NOT NULL DEFAULT '[]',
	tags          TEXT NOT NULL DEFAULT '[]',
	notes         TEXT NOT NULL DEFAULT '',
	sweep_id      TEXT REFERENCES sweeps(id) ON DELETE SET NULL,
	created_at    INTEGER NOT NULL,
	finished_at   INTEGER NOT NULL DEFAULT 0,
	heartbeat_at  INTEGER NOT NULL DEFAULT 0,
	owner_pid     INTEGER NOT NULL DEFAULT 0,
	owner_host    TEXT NOT NULL DEFAULT '',
	epochs_done   INTEGER NOT NULL DEFAULT 0,
	epochs_total  INTEGER NOT NULL DEFAULT 0,
	best_epoch    INTEGER NOT NULL DEFAULT 0,
	monitor       TEXT NOT NULL DEFAULT '',
	duration_ns   INTEGER NOT NULL DEFAULT 0,
	samples_per_s REAL NOT NULL DEFAULT 0,
	metrics       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_created ON runs(created_at);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_sweep ON runs(sweep_id);
-- One row per summary metric (best_*, last_*, test_*), for filters and sorts.
-- value is NULL for a non-finite number, whose text is then in nonfinite.
CREATE TABLE run_metrics (
	run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key       TEXT NOT NULL,
	value     REAL,
	nonfinite TEXT,
	PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX run_metrics_key ON run_metrics(key, value);
CREATE TABLE epochs (
	run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	epoch         INTEGER NOT NULL,
	lr            REAL NOT NULL,
	elapsed_ns    INTEGER NOT NULL,
	samples_per_s REAL NOT NULL,
	train         TEXT NOT NULL,
	val           TEXT NOT NULL,
	PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
CREATE TABLE evaluations (
	run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	data   TEXT NOT NULL
);
CREATE TABLE weights (
	run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	data   BLOB NOT NULL
);
CREATE TABLE sweeps (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	objective  TEXT NOT NULL,
	config     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
`,
	2: migrationLineage,
	3: migrationLayerHealth,
}

// SQLite is the SQLite Store. It is safe for concurrent use.
type SQLite struct {
	path string
	w    *sql.DB // one connection: the single writer
	r    *sql.DB // readers
	host string
	pid  int
	// Statements of the per-epoch write, prepared once on the writer
	// connection: parsing SQL was 40% of an epoch's cost.
	stInsertEpoch, stSelectMetrics, stUpdateProgress, stUpsertMetric *sql.Stmt

	// live caches the summary metrics of the runs this process records,
	// so an epoch's write needs no read of its own.
	mu   sync.Mutex
	live map[string]Metrics

	stInsertLayer *sql.Stmt // see health.go
}

const (
	sqlInsertEpoch    = `INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val) VALUES (?,?,?,?,?,?,?)`
	sqlSelectMetrics  = `SELECT metrics FROM runs WHERE id = ?`
	sqlUpdateProgress = `UPDATE runs SET epochs_done = ?, heartbeat_at = ?, metrics = ? WHERE id = ?`
	sqlUpsertMetric   = `INSERT INTO run_metrics (run_id, key, value, nonfinite) VALUES (?,?,?,?)
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

// DefaultPath returns $WORKBENCH_DB, else $XDG_DATA_HOME/workbench/workbench.db,
// else ~/.local/share/workbench/workbench.db.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("WORKBENCH_DB"); p != "" {
		return p
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "workbench", "workbench.db")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "workbench", "workbench.db")
}

const sqliteMagic = "SQLite format 3\x00"

// Open opens (creating if needed) the store at path: the directory with
// mode 0700, the file 0600. It migrates the schema, refuses a newer one,
// and marks runs whose process died as interrupted.
func Open(path string) (*SQLite, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n > 0 && string(head[:n]) != sqliteMagic {
		return nil, fmt.Errorf("store %s: not a workbench database (the file is not SQLite); move it away or pass another --db", path)
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	w, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	w.SetMaxOpenConns(1)
	s := &SQLite{path: path, w: w, pid: os.Getpid(), live: map[string]Metrics{}}
	s.host, _ = os.Hostname()
	if err := s.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.prepare(); err != nil {
		w.Close()
		return nil, err
	}
	s.r, err = sql.Open("sqlite", path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	s.r.SetMaxOpenConns(4)
	if _, err := s.markInterrupted(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *SQLite) wrap(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database") || strings.Contains(msg, "corrupt") {
		return fmt.Errorf("store %s is damaged (%v); move it away to start a new one, or recover it with sqlite3's .recover", s.path, err)
	}
	return fmt.Errorf("store %s: %w", s.path, err)
}

func (s *SQLite) migrate() error {
	ctx := context.Background()
	var v int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return s.wrap(err)
	}
	if v > SchemaVersion {
		return fmt.Errorf("store %s: %w (schema %d; this build reads up to %d); upgrade workbench", s.path, ErrNewer, v, SchemaVersion)
	}
	if v > 0 {
		var res string
		if err := s.w.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
			return s.wrap(err)
		}
		if res != "ok" {
			return s.wrap(fmt.Errorf("database disk image is malformed: %s", res))
		}
	}
	for next := v + 1; next <= SchemaVersion; next++ {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return s.wrap(err)
		}
		// Another process may have migrated while we waited for the lock.
		var cur int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
			tx.Rollback()
			return s.wrap(err)
		}
		if cur >= next {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, migrations[next]); err != nil {
			tx.Rollback()
			return s.wrap(fmt.Errorf("migration %d: %v", next, err))
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", next)); err != nil {
			tx.Rollback()
			return s.wrap(err)
		}
		if err := tx.Commit(); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

// Path returns the database file's path.
func (s *SQLite) Path() string { return s.path }

// Close closes the store.
func (s *SQLite) Close() error {
	var err error
	if s.r != nil {
		err = s.r.Close()
	}
	if e := s.w.Close(); e != nil {
		err = e
	}
	return err
}

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

// processAlive reports whether pid is a live process on this host.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// markInterrupted ends runs left "running" by a process that died.
func (s *SQLite) markInterrupted(ctx context.Context) (int, error) {
	rows, err := s.w.QueryContext(ctx, "SELECT id, owner_pid, owner_host, heartbeat_at FROM runs WHERE status = ?", string(trainer.StatusRunning))
	if err != nil {
		return 0, s.wrap(err)
	}
	var dead []string
	now := time.Now()
	for rows.Next() {
		var id, host string
		var pid int
		var hb int64
		if err := rows.Scan(&id, &pid, &host, &hb); err != nil {
			rows.Close()
			return 0, s.wrap(err)
		}
		stale := now.Sub(fromNanos(hb)) > staleAfter
		if host == s.host && !processAlive(pid) || stale {
			dead = append(dead, id)
		}
	}
	rows.Close()
	for _, id := range dead {
		if _, err := s.w.ExecContext(ctx, "UPDATE runs SET status = ?, reason = ? WHERE id = ? AND status = ?",
			string(trainer.StatusInterrupted), "the process recording it stopped", id, string(trainer.StatusRunning)); err != nil {
			return 0, s.wrap(err)
		}
	}
	return len(dead), nil
}

// CreateRun inserts a new run row, owned by this process.
func (s *SQLite) CreateRun(ctx context.Context, r *Run) error {
	r.OwnerPID, r.OwnerHost = s.pid, s.host
	if r.Heartbeat.IsZero() {
		r.Heartbeat = time.Now()
	}
	return s.insertRun(ctx, s.w, r)
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
	_, err := db.ExecContext(ctx, `INSERT INTO runs (id, name, status, reason, spec, dataset, task, summary, optimizer, lr,
		params, data_hash, scaler, features, classes, tags, notes, sweep_id, created_at, finished_at, heartbeat_at,
		owner_pid, owner_host, epochs_done, epochs_total, best_epoch, monitor, duration_ns, samples_per_s, metrics)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.ID, r.Name, string(r.Status), r.Reason, mustJSON(r.Spec), r.Dataset, r.Task, r.Summary, r.Spec.Optimizer.Name, r.Spec.Optimizer.LR,
		r.Params, r.DataHash, mustJSON(r.Scaler), mustJSON(nonNil(r.Features)), mustJSON(nonNil(r.Classes)), mustJSON(r.Tags), r.Notes, sweep,
		nanos(r.Created), nanos(r.Finished), nanos(r.Heartbeat), r.OwnerPID, r.OwnerHost, r.EpochsDone, r.EpochsTotal, r.BestEpoch,
		r.Monitor, int64(r.Duration), finiteOr0(r.SamplesPerSec), mustJSON(r.Metrics))
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return fmt.Errorf("%w: %s", ErrExists, r.ID)
	}
	if err != nil {
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
	if tx, ok := db.(*sql.Tx); ok {
		db = stmtExecer{tx.StmtContext(ctx, s.stUpsertMetric)}
	}
	for k, v := range m {
		var val, nf any
		switch {
		case math.IsNaN(v):
			nf = "NaN"
		case math.IsInf(v, 1):
			nf = "+Inf"
		case math.IsInf(v, -1):
			nf = "-Inf"
		default:
			val = v
		}
		if _, err := db.ExecContext(ctx, sqlUpsertMetric, id, k, val, nf); err != nil {
			return s.wrap(err)
		}
	}
	return nil
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
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	ins := tx.StmtContext(ctx, s.stInsertEpoch)
	for _, e := range eps {
		if e.SummaryOnly {
			continue
		}
		if _, err := ins.ExecContext(ctx,
			id, e.Epoch, finiteOr0(e.LR), int64(e.Elapsed), finiteOr0(e.SamplesPerSec), mustJSON(e.Train), mustJSON(e.Val)); err != nil {
			return s.wrap(err)
		}
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
	bests, _ := FoldEpochs(m, eps)
	if _, err := tx.StmtContext(ctx, s.stUpdateProgress).ExecContext(ctx, done, time.Now().UnixNano(), mustJSON(m), id); err != nil {
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
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
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
		best_epoch = ?, monitor = ?, duration_ns = ?, samples_per_s = ?, metrics = ? WHERE id = ?`,
		string(f.Status), f.Reason, time.Now().UnixNano(), time.Now().UnixNano(), f.EpochsDone, f.BestEpoch, f.Monitor,
		int64(f.Duration), finiteOr0(f.SamplesPerSec), mustJSON(m), id); err != nil {
		return s.wrap(err)
	}
	if err := s.putMetrics(ctx, tx, id, test); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO evaluations (run_id, data) VALUES (?, ?)", id, mustJSON(f.Eval)); err != nil {
		return s.wrap(err)
	}
	if f.Weights != nil {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO weights (run_id, data) VALUES (?, ?)", id, f.Weights); err != nil {
			return s.wrap(err)
		}
	}
	return s.wrap(tx.Commit())
}

// Heartbeat marks a running run as alive.
func (s *SQLite) Heartbeat(ctx context.Context, id string) error {
	_, err := s.w.ExecContext(ctx, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", time.Now().UnixNano(), id)
	return s.wrap(err)
}
