package sessions

import (
	"context"
	"errors"
	"syscall"
	"time"

	"workbench/trainer"
)

// staleAfter is how old a heartbeat must be before a running run whose
// owner cannot be checked (another host, or a reused PID) is interrupted.
const staleAfter = 2 * time.Minute

// heartbeatEvery is how often a recorder refreshes a long epoch's heartbeat.
const heartbeatEvery = 10 * time.Second

// SweepInterrupted is the status of a sweep whose process died.
const SweepInterrupted = "interrupted"

// processAlive reports whether pid is a live process on this host.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ownerGone reports whether a running run or sweep's owner has died: on
// this host by its PID, elsewhere (or with no PID recorded) by a stale
// heartbeat.
func (s *SQLite) ownerGone(pid int, host string, heartbeat int64, now time.Time) bool {
	if host == s.host && pid > 0 {
		return !processAlive(pid)
	}
	return now.Sub(fromNanos(heartbeat)) > staleAfter
}

// markInterrupted ends runs, then sweeps, left "running" by a process that
// died.
func (s *SQLite) markInterrupted(ctx context.Context) error {
	now := time.Now()
	type owner struct {
		id, host string
		pid      int
		hb       int64
	}
	scan := func(query string, args ...any) ([]owner, error) {
		rows, err := s.w.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []owner
		for rows.Next() {
			var o owner
			if err := rows.Scan(&o.id, &o.pid, &o.host, &o.hb); err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		return out, rows.Err()
	}
	q := "SELECT id, owner_pid, owner_host, heartbeat_at FROM runs WHERE status = ?"
	if s.pg {
		// A distributed trial's run is the workers' to end: with its trial
		// and its job together (see StaleAttempts).
		q += " AND NOT EXISTS (SELECT 1 FROM trial_attempts WHERE run_id = runs.id)"
	}
	runs, err := scan(q, string(trainer.StatusRunning))
	if err != nil {
		return err
	}
	for _, o := range runs {
		if !s.ownerGone(o.pid, o.host, o.hb, now) {
			continue
		}
		if _, err := s.exec(ctx, "UPDATE runs SET status = ?, reason = ? WHERE id = ? AND status = ?",
			string(trainer.StatusInterrupted), "the process recording it stopped", o.id, string(trainer.StatusRunning)); err != nil {
			return err
		}
	}
	// A sweep's heartbeat is its newest trial's, or its creation.
	// A distributed sweep has no owner process: it runs while its trials
	// wait in the queue.
	q = `SELECT id, owner_pid, owner_host,
		max(created_at, COALESCE((SELECT max(heartbeat_at) FROM runs WHERE sweep_id = sweeps.id), 0))
		FROM sweeps WHERE status = 'running'`
	if s.pg {
		q += " AND NOT EXISTS (SELECT 1 FROM sweep_trials WHERE sweep_id = sweeps.id)"
	}
	sweeps, err := scan(q)
	if err != nil {
		return err
	}
	for _, o := range sweeps {
		if !s.ownerGone(o.pid, o.host, o.hb, now) {
			continue
		}
		if _, err := s.exec(ctx, "UPDATE sweeps SET status = ?, reason = ? WHERE id = ? AND status = 'running'",
			SweepInterrupted, "the process running it stopped", o.id); err != nil {
			return err
		}
	}
	return nil
}
