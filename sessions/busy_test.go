package sessions

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// holdWriteLock takes the store's write lock on a connection of its own,
// as another process would, until the returned function releases it.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(path, "", pragmas))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// notices records the busy notices a store gives.
type notices struct {
	mu    sync.Mutex
	paths []string
	at    []time.Duration
	start time.Time
}

func (n *notices) notify(path string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.paths = append(n.paths, path)
	n.at = append(n.at, time.Since(n.start))
}

func (n *notices) get() ([]string, []time.Duration) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.paths...), append([]time.Duration(nil), n.at...)
}

func TestLockedStoreSaysItWaitsThenFailsNamingIt(t *testing.T) {
	SetBusyTimings(t, 200*time.Millisecond, 700*time.Millisecond, 50)
	path := filepath.Join(t.TempDir(), "busy.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	holdWriteLock(t, path)

	// Opening needs the lock (it marks dead runs interrupted): it says
	// so once, then gives up with an error that names the store.
	n := &notices{start: time.Now()}
	_, err = Open(path, OnBusy(n.notify))
	took := time.Since(n.start)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("open of a locked store: got %v, want ErrBusy", err)
	}
	want := "store " + path + " is busy: another process has held its write lock for "
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
	paths, at := n.get()
	if len(paths) != 1 || paths[0] != path {
		t.Fatalf("notices %q, want one naming %s", paths, path)
	}
	if at[0] < 200*time.Millisecond || at[0] > 600*time.Millisecond {
		t.Errorf("notice after %v, want soon after the 200ms notice time", at[0])
	}
	if took < 700*time.Millisecond || took > 3*time.Second {
		t.Errorf("gave up after %v, want soon after the 700ms bound", took)
	}
}

func TestWriteWaitsForALockThatIsReleased(t *testing.T) {
	SetBusyTimings(t, 100*time.Millisecond, 5*time.Second, 50)
	path := filepath.Join(t.TempDir(), "busy.db")
	n := &notices{start: time.Now()}
	s, err := Open(path, OnBusy(n.notify))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	release := holdWriteLock(t, path)
	// A write on an open store waits, says so once, and goes in once the
	// other connection lets go. The clock starts before the release's
	// timer, so the write cannot seem to wait less than the lock was held.
	n.start = time.Now()
	time.AfterFunc(400*time.Millisecond, release)
	if err := s.PutSetting(context.Background(), "k", "v"); err != nil {
		t.Fatalf("write after the lock was released: %v", err)
	}
	if took := time.Since(n.start); took < 400*time.Millisecond {
		t.Errorf("write took %v; the lock was held for 400ms", took)
	}
	v, ok, err := s.GetSetting(context.Background(), "k")
	if err != nil || !ok || v != "v" {
		t.Fatalf("setting after the wait: %q %v %v, want \"v\"", v, ok, err)
	}
	paths, _ := n.get()
	if len(paths) != 1 || paths[0] != path {
		t.Errorf("notices %q, want one naming %s", paths, path)
	}

	// A second wait on the same store does not say it again.
	release = holdWriteLock(t, path)
	time.AfterFunc(300*time.Millisecond, release)
	if err := s.PutSetting(context.Background(), "k", "w"); err != nil {
		t.Fatal(err)
	}
	if paths, _ := n.get(); len(paths) != 1 {
		t.Errorf("notices %q, want still one", paths)
	}
}
