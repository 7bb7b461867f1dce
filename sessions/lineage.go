package sessions

import (
	"context"
	"encoding/json"
	"fmt"
)

// Run kinds. A trained run has the empty kind; the others are derived from
// stored runs, complete when they are created, and saved with ImportRun.
const (
	KindTrain      = ""
	KindEnsemble   = "ensemble"   // Members lists the runs it combines
	KindCompressed = "compressed" // Parent is the run it was made from
)

// NotRerunnable says why a derived run cannot be trained again, or returns
// nil for a trained run. A derived run's spec is its first member's or its
// parent's: training it made one plain run, neither an ensemble nor a
// compressed model.
func NotRerunnable(r *Run) error {
	switch r.Kind {
	case KindEnsemble:
		return fmt.Errorf("run %s is an ensemble of %d runs, not trained from a spec: rerun its members and combine them with 'workbench ensemble'", r.ID, len(r.Members))
	case KindCompressed:
		return fmt.Errorf("run %s is a compressed copy of run %s, not trained from a spec: rerun %s and compress it again", r.ID, r.Parent, r.Parent)
	}
	return nil
}

// migrationLineage (schema 2) records what a derived run came from: its
// kind, its parent (a compressed run's) and its members (an ensemble's).
// A run without a row is a trained run. Deleting a parent or a member
// keeps the derived run, which holds its own weights.
const migrationLineage = `
CREATE TABLE run_lineage (
	run_id    TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	kind      TEXT NOT NULL,
	parent_id TEXT NOT NULL DEFAULT '',
	members   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX run_lineage_parent ON run_lineage(parent_id);
`

// lineageColumns are the lineage fields of a run, selected beside
// runColumns.
const lineageColumns = `COALESCE((SELECT kind FROM run_lineage l WHERE l.run_id = runs.id), ''),
	COALESCE((SELECT parent_id FROM run_lineage l WHERE l.run_id = runs.id), ''),
	COALESCE((SELECT members FROM run_lineage l WHERE l.run_id = runs.id), '[]')`

// scanLineage decodes the lineage columns into r.
func scanLineage(r *Run, kind, parent, members string) error {
	r.Kind, r.Parent = kind, parent
	if err := json.Unmarshal([]byte(members), &r.Members); err != nil {
		return fmt.Errorf("run %s: bad stored members: %v", r.ID, err)
	}
	if len(r.Members) == 0 {
		r.Members = nil
	}
	return nil
}

// putLineage records a derived run's lineage; a trained run has none.
func (s *SQLite) putLineage(ctx context.Context, db execer, r *Run) error {
	if r.Kind == KindTrain && r.Parent == "" && len(r.Members) == 0 {
		return nil
	}
	_, err := db.ExecContext(ctx, "INSERT INTO run_lineage (run_id, kind, parent_id, members) VALUES (?,?,?,?)",
		r.ID, r.Kind, r.Parent, mustJSON(nonNil(r.Members)))
	return s.wrap(err)
}
