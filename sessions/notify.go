package sessions

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoWatch is WatchRuns on a store that cannot push changes (a SQLite
// file): its readers poll ChangeSeq instead.
var ErrNoWatch = errors.New("this store cannot push changes; poll it")

// RunsChannel is the PostgreSQL notification channel on which every write
// of a run (created, each epoch, finished, renamed, deleted) announces the
// run's ID when its transaction commits.
const RunsChannel = "workbench_runs"

// Watcher is a store that pushes changes to its runs.
type Watcher interface {
	// WatchRuns returns a channel that receives the ID of each run
	// another process (or this one) changes, until ctx ends, when the
	// channel is closed. IDs are hints, not a log: under a burst some are
	// dropped, and "" means "anything may have changed" (sent after a lost
	// connection comes back), so a reader re-reads ListChangedSince
	// rather than trusting the IDs alone.
	WatchRuns(ctx context.Context) (<-chan string, error)
}

var _ Watcher = (*SQLite)(nil)

// watchBuffer is how many notifications wait for a slow reader before
// the next ones are dropped.
const watchBuffer = 256

// watchBackoff bounds the pause between reconnections of a lost listener.
var watchBackoff = [2]time.Duration{100 * time.Millisecond, 5 * time.Second}

// WatchRuns listens on RunsChannel over a connection of its own (LISTEN
// holds a connection); see Watcher. On a SQLite file it returns
// ErrNoWatch.
func (s *SQLite) WatchRuns(ctx context.Context) (<-chan string, error) {
	if !s.pg {
		return nil, ErrNoWatch
	}
	conn, err := s.listen(ctx)
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make(chan string, watchBuffer)
	go func() {
		defer close(out)
		pause := watchBackoff[0]
		for {
			for conn != nil {
				n, err := conn.WaitForNotification(ctx)
				if err != nil {
					conn.Close(context.Background())
					conn = nil
					break
				}
				select {
				case out <- n.Payload:
				default: // the reader lags: it re-reads changes anyway
				}
			}
			if ctx.Err() != nil {
				return
			}
			// Lost: reconnect with a growing pause, then tell the reader
			// that anything may have changed meanwhile.
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			if conn, _ = s.listen(ctx); conn == nil {
				pause = min(2*pause, watchBackoff[1])
				continue
			}
			pause = watchBackoff[0]
			select {
			case out <- "":
			default:
			}
		}
	}()
	return out, nil
}

// listen opens a connection that listens on RunsChannel.
func (s *SQLite) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pgConf.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+RunsChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}
