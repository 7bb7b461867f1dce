package sessions

// SchemaVersion is the newest schema this build knows (PRAGMA user_version).
const SchemaVersion = 6

// ApplicationID marks a SQLite file as a workbench store (PRAGMA
// application_id): "WBst" in ASCII.
const ApplicationID = 0x57427374

// ourTables are the tables every workbench schema has; with user_version
// at least 1 they identify a store written before the application ID.
var ourTables = []string{"runs", "epochs", "evaluations", "weights", "sweeps", "run_metrics"} // in every version

// migrations[v] takes the schema from version v-1 to v.
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
	4: `
-- The spec, scaler, features and classes move to their own table, so a
-- run's row stays small enough for one page: listing thousands of runs
-- then reads no overflow pages.
CREATE TABLE run_data (
	run_id   TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	spec     TEXT NOT NULL,
	scaler   TEXT NOT NULL DEFAULT '{}',
	features TEXT NOT NULL DEFAULT '[]',
	classes  TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO run_data (run_id, spec, scaler, features, classes) SELECT id, spec, scaler, features, classes FROM runs;
ALTER TABLE runs DROP COLUMN spec;
ALTER TABLE runs DROP COLUMN scaler;
ALTER TABLE runs DROP COLUMN features;
ALTER TABLE runs DROP COLUMN classes;
-- A change sequence: every insert, update and delete of a run takes the
-- next number, so a reader can fetch only what changed since its last look.
ALTER TABLE runs ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE TABLE change_seq (one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL);
INSERT INTO change_seq (one, seq) VALUES (1, 0);
UPDATE runs SET seq = rowid;
UPDATE change_seq SET seq = COALESCE((SELECT max(rowid) FROM runs), 0);
CREATE INDEX runs_seq ON runs(seq);
CREATE TABLE run_tombstones (
	run_id TEXT PRIMARY KEY,
	seq    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX run_tombstones_seq ON run_tombstones(seq);
CREATE TRIGGER runs_seq_insert AFTER INSERT ON runs BEGIN
	UPDATE change_seq SET seq = seq + 1;
	UPDATE runs SET seq = (SELECT seq FROM change_seq) WHERE rowid = NEW.rowid;
	DELETE FROM run_tombstones WHERE run_id = NEW.id;
END;
CREATE TRIGGER runs_seq_update AFTER UPDATE ON runs WHEN NEW.seq = OLD.seq BEGIN
	UPDATE change_seq SET seq = seq + 1;
	UPDATE runs SET seq = (SELECT seq FROM change_seq) WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER runs_seq_delete AFTER DELETE ON runs BEGIN
	UPDATE change_seq SET seq = seq + 1;
	INSERT OR REPLACE INTO run_tombstones (run_id, seq) VALUES (OLD.id, (SELECT seq FROM change_seq));
END;
-- Indexed sorts for the list's columns.
CREATE INDEX runs_name ON runs(name);
CREATE INDEX runs_dataset ON runs(dataset, created_at);
-- A sweep's owner, so a sweep whose process died is marked interrupted.
ALTER TABLE sweeps ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sweeps ADD COLUMN owner_host TEXT NOT NULL DEFAULT '';
ALTER TABLE sweeps ADD COLUMN reason TEXT NOT NULL DEFAULT '';
`,
	5: migrationListRow(),
	6: migrationEpochFolds,
}

// migrationListRow (schema 5) packs what a list shows into one indexed
// column (see listrow.go), and takes in the settings table, which earlier
// versions created when a value was first put.
func migrationListRow() string {
	return `
-- The metrics a list shows, kept by every write of metrics.
ALTER TABLE runs ADD COLUMN key_metrics TEXT NOT NULL DEFAULT '{}';
-- Filling it changes nothing a reader sees: no change numbers.
DROP TRIGGER runs_seq_update;
UPDATE runs SET key_metrics = ` + sqlKeyMetrics + `;
CREATE TRIGGER runs_seq_update AFTER UPDATE ON runs WHEN NEW.seq = OLD.seq BEGIN
	UPDATE change_seq SET seq = seq + 1;
	UPDATE runs SET seq = (SELECT seq FROM change_seq) WHERE rowid = NEW.rowid;
END;
ALTER TABLE runs ADD COLUMN list_row TEXT GENERATED ALWAYS AS (
	` + listRowExpr(false) + `) VIRTUAL;
-- Newest first reads this index alone; it also serves what runs_created did.
CREATE INDEX runs_list ON runs(created_at, id, list_row);
DROP INDEX runs_created;
CREATE TABLE IF NOT EXISTS settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) WITHOUT ROWID;
`
}

// migrationEpochFolds (schema 6; PostgreSQL's 5) keeps, for each epoch of
// a cross-validated run, how many folds its metrics are the mean of
// (trainer.EpochEvent.Folds): a run still training has no evaluation yet
// to say so (Evaluation.FoldEpochs). 0 for an epoch of any other run and
// for one recorded before.
const migrationEpochFolds = `
ALTER TABLE epochs ADD COLUMN folds INTEGER NOT NULL DEFAULT 0;
`
