package sessions

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"workbench/trainer"
)

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://wb:hunter2@db.example:5432/runs?sslmode=verify-full", "postgres://wb:xxxxx@db.example:5432/runs?sslmode=verify-full"},
		{"postgresql://wb@db/runs", "postgresql://wb@db/runs"},
		{"postgres://db/runs?password=hunter2&sslmode=require", "postgres://db/runs?password=xxxxx&sslmode=require"},
		{"postgres://wb:hun%zzter2@db/runs", "postgres://xxxxx@db/runs"}, // unparseable
		{"/home/me/workbench.db", "/home/me/workbench.db"},
	} {
		if got := RedactURL(c.in); got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestToPostgres(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT a FROM t WHERE x = ? AND y IN (?,?)", "SELECT a FROM t WHERE x = $1 AND y IN ($2,$3)"},
		{"SELECT '?' FROM t WHERE x = ?", "SELECT '?' FROM t WHERE x = $1"},
		{"instr(lower(name), lower(?)) > 0", "strpos(lower(name), lower($1)) > 0"},
		{"CREATE TABLE t (a INT)", "CREATE TABLE t (a INT)"},
	} {
		if got := toPostgres(c.in); got != c.want {
			t.Errorf("toPostgres(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPGUnreachableNamesTheHost needs no server: nothing listens on port 1.
func TestPGUnreachableNamesTheHost(t *testing.T) {
	_, err := Open("postgres://wb:hunter2@127.0.0.1:1/runs?connect_timeout=2&sslmode=disable")
	if err == nil {
		t.Fatal("opened a store on a closed port")
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach 127.0.0.1:1") || strings.Contains(msg, "hunter2") || !strings.Contains(msg, "wb:xxxxx@") {
		t.Fatalf("error %q: want the host named and the password hidden", msg)
	}
	_, err = Open("postgres://wb:hunter2@127.0.0.1:1/runs?connect_timeout=bad")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("bad URL: %v", err)
	}
}

func TestPGRefusesANewerStore(t *testing.T) {
	u := pgURL(t)
	s, err := Open(u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("UPDATE workbench_schema SET version = ?", PGSchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, opts := range [][]OpenOption{nil, {ReadOnly()}} {
		if _, err := Open(u, opts...); !errors.Is(err, ErrNewer) {
			t.Fatalf("open %v: %v, want ErrNewer", opts, err)
		}
	}
}

func TestPGRefusesAForeignRunsTable(t *testing.T) {
	u := pgURL(t)
	s, err := Open(u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("DROP TABLE workbench_schema"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(u); !errors.Is(err, ErrForeign) {
		t.Fatalf("open: %v, want ErrForeign", err)
	}
}

func TestPGReadOnlyAndParameters(t *testing.T) {
	u := pgURL(t)
	s, err := Open(u + "&application_name=wbtest")
	if err != nil {
		t.Fatal(err)
	}
	var name string
	if err := s.r.QueryRow("SELECT current_setting('application_name')").Scan(&name); err != nil || name != "wbtest" {
		t.Fatalf("application_name %q (%v): URL parameters must pass through", name, err)
	}
	recordRun(t, s, testSpec(3))
	s.Close()
	ro, err := Open(u, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	runs, err := ro.ListRuns(context.Background(), Query{})
	if err != nil || len(runs) != 1 {
		t.Fatalf("read-only list: %d runs, %v", len(runs), err)
	}
	err = ro.UpdateRun(context.Background(), runs[0].ID, Patch{Notes: new("x")})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write to a read-only store: %v, want ErrReadOnly", err)
	}
	if reason, ok := StorageFailure(err); !ok || reason != "read-only store" {
		t.Fatalf("StorageFailure = %q %v", reason, ok)
	}
}

// TestPGWatchRunsSeesAnotherProcess: a run that another store (another
// machine) creates and appends to is announced within 200 ms.
func TestPGWatchRunsSeesAnotherProcess(t *testing.T) {
	u := pgURL(t)
	watcher, err := Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	writer, err := Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := watcher.WatchRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	expect := func(want string) {
		t.Helper()
		deadline := time.After(200 * time.Millisecond * slack)
		for {
			select {
			case id := <-ch:
				if id == want {
					return
				}
			case <-deadline:
				t.Fatalf("no notification of %s within 200 ms", want)
			}
		}
	}
	spec := testSpec(3)
	r := &Run{ID: "remote-1", Status: "running", Spec: spec, Dataset: "spiral", Task: "binary", Created: time.Now()}
	if err := writer.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	expect("remote-1")
	if err := writer.AppendEpoch(ctx, "remote-1", Epoch{Epoch: 1, Val: Metrics{"accuracy": 0.5}}); err != nil {
		t.Fatal(err)
	}
	expect("remote-1")
	// A run in training cannot be deleted: it ends first.
	if err := writer.FinishRun(ctx, "remote-1", Final{Status: trainer.StatusDone, EpochsDone: 1}); err != nil {
		t.Fatal(err)
	}
	expect("remote-1")
	if err := writer.DeleteRuns(ctx, "remote-1"); err != nil {
		t.Fatal(err)
	}
	expect("remote-1")
	cancel()
	for range ch { // closed once ctx ends
	}
	if _, err := tempStore(t).WatchRuns(context.Background()); !errors.Is(err, ErrNoWatch) {
		t.Fatalf("SQLite WatchRuns: %v, want ErrNoWatch", err)
	}
}
