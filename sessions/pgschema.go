package sessions

// PGSchemaVersion is the newest PostgreSQL schema this build knows,
// recorded in workbench_schema. It counts apart from SQLite's
// SchemaVersion: the PostgreSQL schema began at SQLite's version 3.
const PGSchemaVersion = 5

// pgMigrations[v] takes a PostgreSQL store from version v-1 to v. Text
// columns compare bytewise (COLLATE "C"), as SQLite's do, so both stores
// sort names alike. Times are Unix nanoseconds, as on SQLite.
var pgMigrations = []string{
	1: `
CREATE TABLE workbench_schema (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	version INTEGER NOT NULL
);
INSERT INTO workbench_schema (one, version) VALUES (1, 0);
CREATE TABLE sweeps (
	id         TEXT COLLATE "C" PRIMARY KEY,
	name       TEXT COLLATE "C" NOT NULL DEFAULT '',
	status     TEXT COLLATE "C" NOT NULL,
	objective  TEXT NOT NULL,
	config     TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	owner_pid  BIGINT NOT NULL DEFAULT 0,
	owner_host TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE runs (
	id            TEXT COLLATE "C" PRIMARY KEY,
	name          TEXT COLLATE "C" NOT NULL DEFAULT '',
	status        TEXT COLLATE "C" NOT NULL,
	reason        TEXT NOT NULL DEFAULT '',
	dataset       TEXT COLLATE "C" NOT NULL,
	task          TEXT NOT NULL,
	summary       TEXT COLLATE "C" NOT NULL,
	optimizer     TEXT COLLATE "C" NOT NULL,
	lr            DOUBLE PRECISION NOT NULL,
	params        BIGINT NOT NULL DEFAULT 0,
	data_hash     TEXT NOT NULL DEFAULT '',
	tags          TEXT NOT NULL DEFAULT '[]',
	notes         TEXT NOT NULL DEFAULT '',
	sweep_id      TEXT COLLATE "C" REFERENCES sweeps(id) ON DELETE SET NULL,
	created_at    BIGINT NOT NULL,
	finished_at   BIGINT NOT NULL DEFAULT 0,
	heartbeat_at  BIGINT NOT NULL DEFAULT 0,
	owner_pid     BIGINT NOT NULL DEFAULT 0,
	owner_host    TEXT NOT NULL DEFAULT '',
	epochs_done   BIGINT NOT NULL DEFAULT 0,
	epochs_total  BIGINT NOT NULL DEFAULT 0,
	best_epoch    BIGINT NOT NULL DEFAULT 0,
	monitor       TEXT NOT NULL DEFAULT '',
	duration_ns   BIGINT NOT NULL DEFAULT 0,
	samples_per_s DOUBLE PRECISION NOT NULL DEFAULT 0,
	metrics       TEXT NOT NULL DEFAULT '{}',
	seq           BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX runs_created ON runs(created_at);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_sweep ON runs(sweep_id);
CREATE INDEX runs_seq ON runs(seq);
CREATE INDEX runs_name ON runs(name);
CREATE INDEX runs_dataset ON runs(dataset, created_at);
CREATE TABLE run_data (
	run_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	spec     TEXT NOT NULL,
	scaler   TEXT NOT NULL DEFAULT '{}',
	features TEXT NOT NULL DEFAULT '[]',
	classes  TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE run_metrics (
	run_id    TEXT COLLATE "C" NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key       TEXT COLLATE "C" NOT NULL,
	value     DOUBLE PRECISION,
	nonfinite TEXT,
	PRIMARY KEY (run_id, key)
);
CREATE INDEX run_metrics_key ON run_metrics(key, value);
CREATE TABLE epochs (
	run_id        TEXT COLLATE "C" NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	epoch         BIGINT NOT NULL,
	lr            DOUBLE PRECISION NOT NULL,
	elapsed_ns    BIGINT NOT NULL,
	samples_per_s DOUBLE PRECISION NOT NULL,
	train         TEXT NOT NULL,
	val           TEXT NOT NULL,
	PRIMARY KEY (run_id, epoch)
);
CREATE TABLE evaluations (
	run_id TEXT COLLATE "C" PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	data   TEXT NOT NULL
);
CREATE TABLE weights (
	run_id TEXT COLLATE "C" PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	data   BYTEA NOT NULL
);
CREATE TABLE run_lineage (
	run_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	kind      TEXT NOT NULL,
	parent_id TEXT NOT NULL DEFAULT '',
	members   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX run_lineage_parent ON run_lineage(parent_id);
-- The change sequence, as on SQLite. One row, updated by every write of a
-- run: its row lock orders the writers' commits, so a reader that saw
-- sequence n has seen every change up to n.
CREATE TABLE change_seq (one INTEGER PRIMARY KEY CHECK (one = 1), seq BIGINT NOT NULL);
INSERT INTO change_seq (one, seq) VALUES (1, 0);
CREATE TABLE run_tombstones (
	run_id TEXT COLLATE "C" PRIMARY KEY,
	seq    BIGINT NOT NULL
);
CREATE INDEX run_tombstones_seq ON run_tombstones(seq);
-- Every write of a run takes the next sequence number and tells listeners
-- (LISTEN "workbench_runs") the run's ID, when its transaction commits.
CREATE FUNCTION workbench_runs_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE change_seq SET seq = seq + 1 RETURNING seq INTO NEW.seq;
	IF TG_OP = 'INSERT' THEN
		DELETE FROM run_tombstones WHERE run_id = NEW.id;
	END IF;
	PERFORM pg_notify('workbench_runs', NEW.id);
	RETURN NEW;
END $$;
CREATE TRIGGER runs_seq_write BEFORE INSERT OR UPDATE ON runs
	FOR EACH ROW EXECUTE FUNCTION workbench_runs_seq();
CREATE FUNCTION workbench_runs_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n BIGINT;
BEGIN
	UPDATE change_seq SET seq = seq + 1 RETURNING seq INTO n;
	INSERT INTO run_tombstones (run_id, seq) VALUES (OLD.id, n)
		ON CONFLICT (run_id) DO UPDATE SET seq = excluded.seq;
	PERFORM pg_notify('workbench_runs', OLD.id);
	RETURN OLD;
END $$;
CREATE TRIGGER runs_seq_delete AFTER DELETE ON runs
	FOR EACH ROW EXECUTE FUNCTION workbench_runs_tombstone();
`,
	2: `
CREATE TABLE layer_health (
	run_id       TEXT COLLATE "C" NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	epoch        BIGINT NOT NULL,
	layer        BIGINT NOT NULL,
	activation   TEXT NOT NULL,
	units        BIGINT NOT NULL,
	weight_norm  DOUBLE PRECISION NOT NULL,
	grad_norm    DOUBLE PRECISION NOT NULL,
	rel_grad     DOUBLE PRECISION NOT NULL,
	update_ratio DOUBLE PRECISION NOT NULL,
	dead         DOUBLE PRECISION NOT NULL,
	saturated    DOUBLE PRECISION NOT NULL,
	act_mean     DOUBLE PRECISION NOT NULL,
	act_std      DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (run_id, epoch, layer)
);
`,
	3: pgMigrationChanges(),
	4: `
-- Distributed sweeps (queue package): each trial of a sweep whose trials
-- run on many machines. attempt is the fencing token: a worker that starts
-- the trial takes the next number, and every epoch write of an older
-- attempt fails (ErrSuperseded). run_id is the current attempt's run.
CREATE TABLE sweep_trials (
	sweep_id TEXT COLLATE "C" NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
	trial    BIGINT NOT NULL,
	attempt  BIGINT NOT NULL DEFAULT 0,
	run_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
	state    TEXT NOT NULL DEFAULT 'queued',
	reason   TEXT NOT NULL DEFAULT '',
	job_id   BIGINT NOT NULL DEFAULT 0,
	params   TEXT NOT NULL DEFAULT '{}',
	spec     TEXT NOT NULL,
	PRIMARY KEY (sweep_id, trial)
);
CREATE INDEX sweep_trials_state ON sweep_trials(state);
-- Every attempt's run, current or not, with its trial and number.
CREATE TABLE trial_attempts (
	run_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	sweep_id TEXT COLLATE "C" NOT NULL,
	trial    BIGINT NOT NULL,
	attempt  BIGINT NOT NULL
);
CREATE INDEX trial_attempts_trial ON trial_attempts(sweep_id, trial);
`,
	5: `
-- See migrationEpochFolds.
ALTER TABLE epochs ADD COLUMN folds BIGINT NOT NULL DEFAULT 0;
`,
}

// pgMigrationChanges (PostgreSQL schema 3, SQLite's 5) orders changes
// without the change_seq row, takes in the settings table, and packs what
// a list shows into one column (see listrow.go).
//
// The change_seq row serialised every write of a run across machines: its
// row lock was held to commit. A run's seq is now the ID of the
// transaction that last wrote it (pg_current_xact_id, which takes no
// lock). Transactions commit in any order, so a reader never asks "what
// is after the largest seq I saw" but "what did my last snapshot not
// see": the transactions then running and those begun since
// (pg_visible_in_snapshot; see ListChangedSince). PostgreSQL 13 or newer.
func pgMigrationChanges() string {
	return `
CREATE OR REPLACE FUNCTION workbench_runs_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.seq := pg_current_xact_id()::text::bigint;
	IF TG_OP = 'INSERT' THEN
		DELETE FROM run_tombstones WHERE run_id = NEW.id;
	END IF;
	PERFORM pg_notify('workbench_runs', NEW.id);
	RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION workbench_runs_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO run_tombstones (run_id, seq) VALUES (OLD.id, pg_current_xact_id()::text::bigint)
		ON CONFLICT (run_id) DO UPDATE SET seq = excluded.seq;
	PERFORM pg_notify('workbench_runs', OLD.id);
	RETURN OLD;
END $$;
DROP TABLE change_seq;
-- The old numbers mean nothing beside transaction IDs.
UPDATE run_tombstones SET seq = pg_current_xact_id()::text::bigint;
CREATE TABLE IF NOT EXISTS settings (
	key        TEXT COLLATE "C" PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at BIGINT NOT NULL DEFAULT 0
);
ALTER TABLE runs ADD COLUMN key_metrics TEXT NOT NULL DEFAULT '{}';
UPDATE runs SET key_metrics = ` + pgKeyMetrics + `;
ALTER TABLE runs ADD COLUMN list_row TEXT GENERATED ALWAYS AS (
	` + listRowExpr(true) + `) STORED;
CREATE INDEX runs_list ON runs(created_at, id);
`
}
