package sessions

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"workbench/trainer"
)

// sqliteFile makes a SQLite file at path by running stmts on a plain
// connection (rollback journal, as other programs write them).
func sqliteFile(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestForeignAndNewerFilesAreLeftByteForByte(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name  string
		make  func(path string)
		want  error
		words string
	}{
		{"another program's tables", func(p string) {
			sqliteFile(t, p, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('keep me')")
		}, ErrForeign, "tables notes"},
		{"user_version 5 without our tables", func(p string) {
			sqliteFile(t, p, "CREATE TABLE runs (x)", "PRAGMA user_version = 5")
		}, ErrForeign, "user_version 5"},
		{"another application id", func(p string) {
			sqliteFile(t, p, "PRAGMA application_id = 1234", "CREATE TABLE t (x)")
		}, ErrForeign, "application_id 1234"},
		{"a newer workbench", func(p string) {
			s, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			recordRun(t, s, testSpec(3))
			s.Close()
			sqliteFile(t, p, "PRAGMA user_version = 99")
		}, ErrNewer, "schema 99"},
		{"a newer workbench, before application ids", func(p string) {
			sqliteFile(t, p, migrations[1], "PRAGMA user_version = 7")
		}, ErrNewer, "schema 7"},
	}
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprintf("f%d.db", i))
		c.make(path)
		before := readFile(t, path)
		wal := before[18] == 2 // the file format's WAL marker
		_, err := Open(path)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.words) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("%s: %v, want %v mentioning %q", c.name, err, c.want, c.words)
		}
		if _, rerr := Open(path, ReadOnly()); !errors.Is(rerr, c.want) {
			t.Errorf("%s, read-only: %v", c.name, rerr)
		}
		if after := readFile(t, path); !bytes.Equal(before, after) {
			t.Errorf("%s: the file changed (%d bytes before, %d after)", c.name, len(before), len(after))
		}
		for _, side := range []string{"-wal", "-journal"} {
			if _, err := os.Stat(path + side); err == nil && !wal {
				t.Errorf("%s: left a %s file", c.name, side)
			}
		}
	}
}

func TestEmptyFilesAreInitialised(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.db")
	os.WriteFile(zero, nil, 0o600)
	blank := filepath.Join(dir, "blank.db")
	sqliteFile(t, blank, "CREATE TABLE x (y)", "DROP TABLE x")
	for _, p := range []string{zero, blank, filepath.Join(dir, "new", "new.db")} {
		s, err := Open(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var app, ver int
		s.r.QueryRow("PRAGMA application_id").Scan(&app)
		s.r.QueryRow("PRAGMA user_version").Scan(&ver)
		var mode string
		s.r.QueryRow("PRAGMA journal_mode").Scan(&mode)
		s.Close()
		if app != ApplicationID || ver != SchemaVersion || mode != "wal" {
			t.Fatalf("%s: application_id %#x, user_version %d, journal %s", p, app, ver, mode)
		}
	}
}

func TestStoreWithoutApplicationIDStillOpens(t *testing.T) {
	// Stores written before application IDs: schema 1, 2 (lineage) and 3
	// (layer health).
	for v := 1; v <= 3; v++ {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", v))
		stmts := append([]string{}, migrations[1:v+1]...)
		stmts = append(stmts, fmt.Sprintf("PRAGMA user_version = %d", v), "PRAGMA journal_mode = WAL",
			`INSERT INTO runs (id, name, status, spec, dataset, task, summary, optimizer, lr, created_at)
			 VALUES ('20260101-000000-abcdef', 'old', 'done', '{}', 'iris', 'multiclass', '4-3', 'adam', 0.01, 1)`,
			`INSERT INTO epochs (run_id, epoch, lr, elapsed_ns, samples_per_s, train, val) VALUES ('20260101-000000-abcdef', 1, 0.01, 5, 1, '{}', '{}')`)
		sqliteFile(t, path, stmts...)
		s, err := Open(path)
		if err != nil {
			t.Fatalf("schema %d: %v", v, err)
		}
		var app, ver int
		s.r.QueryRow("PRAGMA application_id").Scan(&app)
		s.r.QueryRow("PRAGMA user_version").Scan(&ver)
		if app != ApplicationID || ver != SchemaVersion {
			t.Fatalf("schema %d: application_id %#x, user_version %d", v, app, ver)
		}
		runs, err := s.ListSummaries(context.Background(), Query{})
		if err != nil || len(runs) != 1 || runs[0].Name != "old" {
			t.Fatalf("schema %d: runs %v, %v", v, runs, err)
		}
		if r, err := s.GetRun(context.Background(), runs[0].ID); err != nil || r.Dataset != "iris" || r.Spec.Epochs != 0 {
			t.Fatalf("schema %d: run %+v, %v", v, r, err)
		}
		if seq, _ := s.ChangeSeq(context.Background()); seq != 1 {
			t.Fatalf("schema %d: change sequence %d after migrating one run, want 1", v, seq)
		}
		s.Close()
	}
}

// TestConcurrentCreation starts 8 processes on a missing file, 50 times:
// none may fail with SQLITE_BUSY or anything else.
func TestConcurrentCreation(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	rounds, procs := 50, 8
	if slack > 1 {
		rounds = 10 // the race detector slows each process start tenfold
	}
	dir := t.TempDir()
	for round := 0; round < rounds; round++ {
		db := filepath.Join(dir, fmt.Sprintf("r%d", round), "new.db")
		var wg sync.WaitGroup
		errs := make([]error, procs)
		out := make([]bytes.Buffer, procs)
		for p := 0; p < procs; p++ {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "WB_CHILD=open", "WB_DB="+db)
			cmd.Stderr = &out[p]
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[p] = cmd.Run()
			}()
		}
		wg.Wait()
		for p, err := range errs {
			if err != nil {
				t.Fatalf("round %d, process %d: %v: %s", round, p, err, out[p].String())
			}
		}
	}
}

// childOpen opens and closes WB_DB once, creating a run, as a process that
// starts at the same moment as others would.
func childOpen() int {
	s, err := Open(os.Getenv("WB_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	id := fmt.Sprintf("20260101-000000-%06d", os.Getpid()%1000000)
	if err := s.CreateRun(context.Background(), &Run{ID: id, Status: trainer.StatusDone, Spec: testSpec(1), Created: time.Now(), Metrics: Metrics{}}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func TestSweepOfADeadProcessIsInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sw.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range []string{"sweep-dead", "sweep-alive"} {
		if err := s.CreateSweep(ctx, &Sweep{ID: id, Status: "running", Objective: "val_accuracy", Config: "{}", Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	s.w.Exec("UPDATE sweeps SET owner_pid = ? WHERE id = 'sweep-dead'", dead.Process.Pid)
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, _ := s.GetSweep(ctx, "sweep-dead")
	a, _ := s.GetSweep(ctx, "sweep-alive")
	if d.Status != SweepInterrupted || d.Reason == "" || a.Status != "running" {
		t.Fatalf("dead sweep %s (%q), live sweep %s", d.Status, d.Reason, a.Status)
	}
}
