package sessions

import (
	"context"
	"database/sql"
	"sync"
)

// Changes is what changed in a store since a sequence number.
type Changes struct {
	// Runs are the changed runs that q selects (summaries, in no order).
	Runs []*Run
	// Changed holds the ID of every run changed or deleted since the last
	// look, selected by q or not: a reader drops these, then adds Runs.
	Changed []string
	// Seq is the sequence to pass next time.
	Seq int64
}

// ListChangedSince returns the runs changed (created, updated, deleted)
// after seq. ChangeSeq, or a previous call's Seq, gives the seq of a
// complete listing; call ChangeSeq before that listing, not after.
//
// On PostgreSQL, where writers on many machines commit in any order, seq
// stands for a snapshot (see pgMigrationChanges and pgCursors): a call
// returns the runs written by every transaction that snapshot did not
// see. When seq comes from another handle, or from too many calls ago,
// the snapshot is forgotten and the call returns the runs written since
// the oldest transaction then running, which may include a few runs that
// did not change. A reader merges them as any change.
func (s *SQLite) ListChangedSince(ctx context.Context, q Query, seq int64) (*Changes, error) {
	// The sequence and the rows from one snapshot.
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c := &Changes{}
	cond, condArgs, same, err := s.changedAfter(ctx, tx, seq, &c.Seq)
	if err != nil || same {
		return c, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM runs WHERE "+cond+" UNION ALL SELECT run_id FROM run_tombstones WHERE "+cond,
		append(condArgs, condArgs...)...)
	if err != nil {
		return nil, s.wrap(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, s.wrap(err)
		}
		c.Changed = append(c.Changed, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err)
	}
	if len(c.Changed) == 0 {
		return c, nil
	}
	where, args, err := q.where()
	if err != nil {
		return nil, err
	}
	query := "SELECT " + q.summaryCols() + " FROM runs WHERE " + cond
	if where != "" {
		query += " AND " + where
	}
	err = s.eachSummary(ctx, tx, q, true, query, append(condArgs, args...), func(r *Run) error {
		c.Runs = append(c.Runs, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// changedAfter reads the store's sequence in tx into next and returns the
// SQL condition on a seq column that selects what changed after seq, or
// same when nothing can have.
func (s *SQLite) changedAfter(ctx context.Context, tx *sql.Tx, seq int64, next *int64) (cond string, args []any, same bool, err error) {
	if !s.pg {
		if err := tx.QueryRowContext(ctx, "SELECT seq FROM change_seq").Scan(next); err != nil {
			return "", nil, false, s.wrap(err)
		}
		return "seq > ?", []any{seq}, *next == seq, nil
	}
	snap, xmin, err := s.pgSnapshot(ctx, tx)
	if err != nil {
		return "", nil, false, err
	}
	*next = s.cursors.token(xmin, snap)
	prev, ok := s.cursors.snapshot(seq)
	switch {
	case !ok:
		return "seq >= ?", []any{seq >> cursorBits}, false, nil
	case prev == snap:
		// No transaction ended in between: nothing new is visible.
		*next = seq
		return "", nil, true, nil
	}
	// Every transaction the last look's snapshot did not see: those then
	// running (at or above its xmin) and those begun since.
	return "seq >= ? AND NOT pg_visible_in_snapshot(seq::text::xid8, ?::pg_snapshot)", []any{seq >> cursorBits, prev}, false, nil
}

// pgSnapshot returns tx's snapshot, as text, and its xmin.
func (s *SQLite) pgSnapshot(ctx context.Context, q querier) (snap string, xmin int64, err error) {
	err = q.QueryRowContext(ctx, "SELECT pg_current_snapshot()::text, pg_snapshot_xmin(pg_current_snapshot())::text::bigint").Scan(&snap, &xmin)
	return snap, xmin, s.wrap(err)
}

// ChangeSeq returns the store's current change sequence.
func (s *SQLite) ChangeSeq(ctx context.Context) (int64, error) {
	if s.pg {
		snap, xmin, err := s.pgSnapshot(ctx, s.r)
		if err != nil {
			return 0, err
		}
		return s.cursors.token(xmin, snap), nil
	}
	var seq int64
	err := s.r.QueryRowContext(ctx, "SELECT seq FROM change_seq").Scan(&seq)
	return seq, s.wrap(err)
}

// cursorBits are the low bits of a PostgreSQL change sequence that number
// the snapshots a handle remembers; the bits above are the snapshot's
// xmin, enough to fall back on when the snapshot is forgotten.
const cursorBits = 16

// cursorsKept bounds the snapshots a handle remembers (a reader needs
// only its last).
const cursorsKept = 256

// pgCursors remembers the snapshots behind the change sequences a
// PostgreSQL handle has returned. A sequence cannot carry a snapshot
// (which lists the transactions then running), so it carries the
// snapshot's xmin and a number under which the handle keeps the rest. It
// is safe for concurrent use.
type pgCursors struct {
	mu    sync.Mutex
	n     int64
	snaps map[int64]string
	order []int64
}

// token returns a new change sequence for a snapshot.
func (c *pgCursors) token(xmin int64, snap string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = (c.n + 1) % (1 << cursorBits)
	tok := xmin<<cursorBits | c.n
	if c.snaps == nil {
		c.snaps = map[int64]string{}
	}
	if len(c.order) == cursorsKept {
		delete(c.snaps, c.order[0])
		c.order = c.order[1:]
	}
	c.snaps[tok] = snap
	c.order = append(c.order, tok)
	return tok
}

// snapshot returns the snapshot behind tok, if remembered.
func (c *pgCursors) snapshot(tok int64) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	snap, ok := c.snaps[tok]
	return snap, ok
}
