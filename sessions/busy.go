package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"
)

// Waiting for another process's write lock on a SQLite store.
//
// SQLite waits inside each statement for at most busyStepMS on the writer
// connection; every write goes through busyWait.do, which tries it again
// while it fails because another process holds the lock, for up to
// busyWaitMax in all. After busyNoticeAfter of waiting it calls the
// store's busy notice (OnBusy) once, so that a command never waits
// silently; when the wait ends it fails with an error wrapping ErrBusy
// that names the store. Tests shorten the three through export_test.go.
var (
	busyNoticeAfter = 2 * time.Second
	busyWaitMax     = 60 * time.Second
	busyStepMS      = 1000
)

// ErrBusy is a write that gave up because another process held the
// store's write lock for longer than a command waits; the error is a
// *BusyError.
var ErrBusy = errors.New("the store is busy")

// BusyError is a wait for the write lock that ended: it names the store
// and how long it waited.
type BusyError struct {
	Path   string
	Waited time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("store %s is busy: another process has held its write lock for %.0f s; try again once it is done", e.Path, e.Waited.Seconds())
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// OnBusy sets a function that the store calls once, on whichever goroutine
// is waiting, when an open or a write has waited about 2 s for the write
// lock that another process holds. A command prints it so that a long wait
// is never silent. notify must be safe for concurrent use with whatever
// else its caller is doing.
func OnBusy(notify func(path string)) OpenOption {
	return func(c *openConfig) { c.onBusy = notify }
}

// busyWait is one store's wait for the lock. Safe for concurrent use.
type busyWait struct {
	path   string
	notify func(path string) // nil: wait silently
	once   sync.Once
}

// writerPragmas are the writer connection's settings: a short busy
// timeout, which busyWait.do repeats.
func writerPragmas() string {
	return fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", busyStepMS)
}

// do runs f, and again after a short random pause while it fails because
// the store is locked, until busyWaitMax has passed. It also retries the
// SQLITE_BUSY that SQLite returns at once where waiting could deadlock.
func (b *busyWait) do(ctx context.Context, f func() error) error {
	if b == nil {
		return f()
	}
	start := time.Now()
	var rng *rand.Rand
	for try := 1; ; try++ {
		err := f()
		if err == nil || !isBusy(err) {
			return err
		}
		waited := time.Since(start)
		if waited >= busyNoticeAfter && b.notify != nil {
			b.once.Do(func() { b.notify(b.path) })
		}
		if waited >= busyWaitMax {
			return &BusyError{Path: b.path, Waited: waited}
		}
		if rng == nil {
			rng = rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(start.UnixNano())))
		}
		t := time.NewTimer(time.Duration(5+rng.IntN(min(20*try, 200))) * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// beginTx begins a write transaction on the writer, waiting for the lock
// as do does.
func (s *SQLite) beginTx(ctx context.Context) (*sql.Tx, error) {
	var tx *sql.Tx
	err := s.busy.do(ctx, func() error {
		var err error
		tx, err = s.w.BeginTx(ctx, nil)
		return err
	})
	return tx, err
}

// exec runs one write statement on the writer, waiting for the lock as do
// does.
func (s *SQLite) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.busy.do(ctx, func() error {
		var err error
		res, err = s.w.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}
