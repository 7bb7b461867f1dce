// Package sessions stores training runs: each run's spec, status, per-epoch
// history, best and final metrics, test evaluation and trained weights.
//
// The Store interface is the whole API. One implementation (the SQLite
// type, from Open) serves two backends with the same statements:
//   - a SQLite file, the embedded default: pure Go through
//     modernc.org/sqlite, WAL mode, a busy timeout, one writer connection
//     and foreign keys, with versioned migrations in PRAGMA user_version;
//   - a PostgreSQL database, when Open is given a postgres:// URL: pgx
//     through database/sql, with a driver (pgdriver.go) that rewrites the
//     few SQLite-only fragments and the ? placeholders, versioned
//     migrations in the workbench_schema table (PGSchemaVersion) under an
//     advisory lock, and LISTEN/NOTIFY for live updates (WatchRuns).
//     Messages name the store by RedactURL: never with its password.
//
// One test suite (eachBackend in backend_test.go) runs on both; its
// PostgreSQL half needs WORKBENCH_TEST_PG and skips, saying so, without.
//
// A Recorder consumes a run's trainer events and writes the run row at the
// start, each epoch in its own transaction as it happens, and the final
// status, metrics, evaluation and weights together in one transaction at
// the end. A killed process therefore loses at most the epoch in flight; on
// the next Open, a "running" run whose owner process is gone (or whose
// heartbeat is stale) is marked "interrupted".
//
// A derived run (an ensemble of runs, or a compressed copy of one) is
// stored complete with ImportRun; its kind, parent and members live in the
// run_lineage table (schema 2). LoadModel loads any saved model: float,
// int8 or an ensemble.
//
// Small named values live beside the runs in a settings table (Settings:
// GetSetting and PutSetting), such as the spec the app's Setup last
// trained (schema 5).
//
// Each hidden layer's health (trainer.LayerHealth) is kept in the
// layer_health table (schema 3), one row per layer for every epoch up to
// 100 and every 10th after, written in the epochs' own transaction and
// read back into Epoch.Layers by History. An epoch of a cross-validated
// run keeps how many folds it is the mean of (Epoch.Folds, schema 6;
// PostgreSQL schema 5), so that a run still training can say so.
//
// A distributed sweep (PostgreSQL only; PostgreSQL schema 4) keeps its
// trials in sweep_trials (Trials, BeginAttempt, InsertSweepTx): each
// attempt of a trial is a run of its own (Run.Attempt), and the attempt
// number fences the store: every write of an attempt that a newer one has
// superseded fails with ErrSuperseded in the write's own transaction. The
// functions ending in Tx take the pgx transaction in which the queue
// package also enqueues or cancels the trials' jobs.
//
// Open identifies a store by PRAGMA application_id (ApplicationID) and its
// tables: it refuses, changing nothing, another program's SQLite file and
// a store of a newer schema, and initialises only a missing or empty file,
// retrying while other processes do the same. Open(path, ReadOnly()) reads
// a store on a read-only file, directory or mount; writes then return an
// error wrapping ErrReadOnly. StorageFailure names a failed write's cause
// (disk full, I/O error, read-only) for whoever must end a run on it.
//
// Lists: ListSummaries and EachSummary read only what a list shows, one
// packed column per run (list_row, schema 5), fast at many thousands of
// runs; ChangeSeq and ListChangedSince let a screen fetch only the runs
// created, changed or deleted since its last look. On PostgreSQL no write
// waits for another to order changes: a run's seq is its last writer's
// transaction ID, and a reader asks for what its last snapshot did not
// see, so writers on many machines that commit in any order lose nothing.
// Imports validate each run (ValidateRun), go in atomically one run at a
// time (ImportFrom streams a file; its errors are *ImportError, with the
// line, column, run and key), skip runs already present and
// identical, and refuse an ID taken by different content (ErrConflict).
// IDs are limited to a safe alphabet (ValidID). CleanText and CleanRun make
// stored text safe to print on a terminal.
//
// Contract:
//   - Concurrency: a Store is safe for concurrent use by many goroutines,
//     and many processes may open the same file: readers never block on
//     the writer (WAL), writers wait for each other, for at most a minute
//     (busy.go): after about 2 s of waiting the store calls its OnBusy
//     notice once, and a wait that ends returns a *BusyError (ErrBusy)
//     that names the store.
//   - Determinism: exports are byte-for-byte reproducible: runs in order of
//     creation, maps with sorted keys, non-finite numbers as strings.
//   - Errors and panics: every storage or decoding problem, a corrupt file
//     and a newer schema included, returns an error that says what and
//     where; nothing panics on bad data.
package sessions
