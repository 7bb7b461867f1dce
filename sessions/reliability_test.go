package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"workbench/trainer"
)

func TestKilledRecorderLosesAtMostTheEpochInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	r := rand.New(rand.NewPCG(42, 0))
	for trial := 0; trial < 10; trial++ {
		db := filepath.Join(t.TempDir(), "kill.db")
		cmd, lines := startChild(t, db, 1, 100000)
		killAt := 1 + r.IntN(40)
		// seen is the highest epoch the child reported committed.
		seen := 0
		scan := func() bool {
			if !lines.Scan() {
				return false
			}
			var e int
			fmt.Sscanf(lines.Text(), "epoch %d", &e)
			seen = max(seen, e)
			return true
		}
		for seen < killAt && scan() {
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for scan() { // what the child printed before it died
		}
		cmd.Wait() // reap it, so its PID is gone
		if seen < killAt {
			t.Fatalf("trial %d: the child printed %d epochs before dying", trial, seen)
		}
		raw, err := sql.Open("sqlite", db)
		if err != nil {
			t.Fatal(err)
		}
		var ok string
		if err := raw.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("trial %d: integrity_check %q %v", trial, ok, err)
		}
		raw.Close()
		s, err := Open(db)
		if err != nil {
			t.Fatal(err)
		}
		runs, err := s.ListRuns(context.Background(), Query{})
		if err != nil || len(runs) != 1 {
			t.Fatalf("trial %d: %d runs, %v", trial, len(runs), err)
		}
		run := runs[0]
		if run.Status != trainer.StatusInterrupted {
			t.Fatalf("trial %d: status %s, want interrupted", trial, run.Status)
		}
		hist, _ := s.History(context.Background(), run.ID)
		for i, e := range hist {
			if e.Epoch != i+1 {
				t.Fatalf("trial %d: epoch %d at position %d", trial, e.Epoch, i)
			}
		}
		// Every epoch the child reported committed is stored, and at most
		// one batch beyond it (committed, not yet reported).
		if len(hist) < seen || len(hist) > seen+maxRecordBatch || run.EpochsDone != len(hist) {
			t.Fatalf("trial %d: child reported %d epochs, store has %d (epochs_done %d)", trial, seen, len(hist), run.EpochsDone)
		}
		s.Close()
	}
}

func TestReaderSeesEpochsGrowWhileAnotherProcessWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	db := filepath.Join(t.TempDir(), "live.db")
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd, lines := startChild(t, db, 1, 150)
	go func() {
		for lines.Scan() {
		}
	}()
	ctx := context.Background()
	last, reads := 0, 0
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		runs, err := s.ListRuns(ctx, Query{})
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if len(runs) == 0 {
			continue
		}
		hist, err := s.History(ctx, runs[0].ID)
		if err != nil {
			t.Fatalf("history: %v", err)
		}
		if len(hist) < last {
			t.Fatalf("history shrank from %d to %d", last, len(hist))
		}
		if len(hist) > last {
			reads++
		}
		last = len(hist)
		if runs[0].Status != trainer.StatusRunning && runs[0].Status != "" {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	if last < 1 || reads < 3 {
		t.Fatalf("saw the history grow %d times, to %d epochs", reads, last)
	}
}

func TestTwoWriterProcessesLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	db := filepath.Join(t.TempDir(), "two.db")
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		cmd, lines := startChild(t, db, 3, 40)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lines.Scan() {
			}
			errs <- cmd.Wait()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("writer failed: %v", err)
		}
	}
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, _ := s.ListRuns(context.Background(), Query{})
	if len(runs) != 6 {
		t.Fatalf("%d runs stored, want 6", len(runs))
	}
	for _, r := range runs {
		hist, _ := s.History(context.Background(), r.ID)
		if r.Status != trainer.StatusDone || len(hist) != 40 {
			t.Fatalf("run %s: %s with %d epochs", r.ID, r.Status, len(hist))
		}
		if _, err := s.Weights(context.Background(), r.ID); err != nil {
			t.Fatalf("run %s: %v", r.ID, err)
		}
	}
}

func TestBadFilesGiveClearErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "text.db")
	os.WriteFile(notDB, []byte("hello, I am a text file\n"), 0o600)
	if _, err := Open(notDB); err == nil || !strings.Contains(err.Error(), "not a workbench database") {
		t.Fatalf("text file: %v", err)
	}
	// A real store, then truncated and then scribbled over.
	good := filepath.Join(dir, "good.db")
	s, err := Open(good)
	if err != nil {
		t.Fatal(err)
	}
	recordRun(t, s, testSpec(30))
	s.Close()
	b, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.db")
	os.WriteFile(trunc, b[:len(b)/2], 0o600)
	if s, err := Open(trunc); err == nil {
		_, lerr := s.ListRuns(context.Background(), Query{})
		s.Close()
		if lerr == nil {
			t.Log("a truncated copy still opened and listed (the WAL held the data)")
		}
	} else if !strings.Contains(err.Error(), "trunc.db") {
		t.Fatalf("truncated: %v", err)
	}
	bad := append([]byte(nil), b...)
	for i := 4096; i < len(bad); i += 7 {
		bad[i] ^= 0x5a
	}
	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, bad, 0o600)
	s2, err := Open(corrupt)
	if err == nil {
		_, err = s2.ListRuns(context.Background(), Query{})
		s2.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "corrupt.db") {
		t.Fatalf("corrupt: %v", err)
	}
	// A newer schema of ours is refused.
	newer := filepath.Join(dir, "newer.db")
	s, err = Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, _ := sql.Open("sqlite", newer)
	raw.Exec("PRAGMA user_version = 99")
	raw.Close()
	if _, err := Open(newer); !errors.Is(err, ErrNewer) {
		t.Fatalf("newer schema: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := Open(filepath.Join(dir, "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	di, _ := os.Stat(dir)
	fi, _ := os.Stat(filepath.Join(dir, "w.db"))
	if di.Mode().Perm() != 0o700 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("dir %v, file %v", di.Mode().Perm(), fi.Mode().Perm())
	}
}
