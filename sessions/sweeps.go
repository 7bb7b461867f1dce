package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CreateSweep inserts a sweep.
func (s *SQLite) CreateSweep(ctx context.Context, sw *Sweep) error {
	if err := ValidID(sw.ID); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	_, err := s.exec(ctx, "INSERT INTO sweeps (id, name, status, objective, config, created_at, owner_pid, owner_host) VALUES (?,?,?,?,?,?,?,?)",
		sw.ID, sw.Name, sw.Status, sw.Objective, sw.Config, nanos(sw.Created), s.pid, s.host)
	return s.wrap(err)
}

// UpdateSweep sets a sweep's status.
func (s *SQLite) UpdateSweep(ctx context.Context, id, status string) error {
	res, err := s.exec(ctx, "UPDATE sweeps SET status = ? WHERE id = ?", status, id)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: no sweep %s", ErrNotFound, id)
	}
	return nil
}

const sweepColumns = "id, name, status, reason, objective, config, created_at, (SELECT count(*) FROM runs WHERE sweep_id = sweeps.id)"

// pgSweepColumns counts a distributed sweep's trials, not its attempts'
// runs.
const pgSweepColumns = `id, name, status, reason, objective, config, created_at,
	COALESCE(NULLIF((SELECT count(*) FROM sweep_trials WHERE sweep_id = sweeps.id), 0), (SELECT count(*) FROM runs WHERE sweep_id = sweeps.id))`

func (s *SQLite) sweepCols() string {
	if s.pg {
		return pgSweepColumns
	}
	return sweepColumns
}

func scanSweep(sc scanner) (*Sweep, error) {
	var sw Sweep
	var created int64
	if err := sc.Scan(&sw.ID, &sw.Name, &sw.Status, &sw.Reason, &sw.Objective, &sw.Config, &created, &sw.Trials); err != nil {
		return nil, err
	}
	sw.Created = fromNanos(created)
	return &sw, nil
}

// GetSweep returns one sweep.
func (s *SQLite) GetSweep(ctx context.Context, id string) (*Sweep, error) {
	sw, err := scanSweep(s.r.QueryRowContext(ctx, "SELECT "+s.sweepCols()+" FROM sweeps WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no sweep %s", ErrNotFound, id)
	}
	return sw, s.wrap(err)
}

// ListSweeps returns every sweep, newest first.
func (s *SQLite) ListSweeps(ctx context.Context) ([]*Sweep, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+s.sweepCols()+" FROM sweeps ORDER BY created_at DESC")
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []*Sweep
	for rows.Next() {
		sw, err := scanSweep(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, sw)
	}
	return out, s.wrap(rows.Err())
}
