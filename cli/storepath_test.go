package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliNoEnv runs a command line with no WORKBENCH_DB, so that --db alone
// names the store.
func cliNoEnv(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("WORKBENCH_DB", "")
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func TestMistypedDBIsAnErrorNotANewStore(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "runs.db")
	// The first write to a new store at a named path says so, once.
	_, errs, code := cliNoEnv(t, "", "train", "--data", "xor", "--epochs", "1", "--db", good)
	if code != 0 || errs != "workbench: created a new store at "+good+"\n" {
		t.Fatalf("first train: exit %d, stderr %q", code, errs)
	}
	out, errs, code := cliNoEnv(t, "", "train", "--data", "xor", "--epochs", "1", "--db", good)
	if code != 0 || errs != "" {
		t.Fatalf("second train: exit %d, stderr %q, want nothing on stderr", code, errs)
	}
	id := strings.Fields(out[strings.LastIndex(out, "saved as run "):])[3]
	csvPath := filepath.Join(dir, "new.csv")
	os.WriteFile(csvPath, []byte("x1,x2\n0.1,0.2\n"), 0o600)

	typo := filepath.Join(dir, "rusn.db")
	for _, args := range [][]string{
		{"runs", "list"}, {"runs", "show", id}, {"runs", "compare", id, id}, {"runs", "export"},
		{"predict", "--run", id, "--data", csvPath}, {"explain", "--run", id}, {"sweep", "list"},
		{"plot", "--run", id, "-o", filepath.Join(dir, "p.png")},
		{"runs", "rm", id}, {"runs", "tag", id, "x"}, {"compress", "--run", id, "--prune", "0.5"},
	} {
		out, errs, code := cliNoEnv(t, "", append(args, "--db", typo)...)
		want := "workbench " + strings.Join(args[:cmdWords(args)], " ") + ": no store at " + typo +
			": check --db (train, sweep and runs import create one)\n"
		if code != ExitFailed || errs != want || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and %q", args, code, out, errs, want)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%v created %s", args, typo)
		}
	}

	// The default store needs no flags and is created in silence.
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	out, errs, code = cliNoEnv(t, "", "runs", "list")
	if code != 0 || errs != "" || out != "no runs yet: try 'workbench train'\n" {
		t.Fatalf("runs list on the default store: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "workbench", "workbench.db")); err != nil {
		t.Fatalf("default store: %v", err)
	}
}

// cmdWords is how many of args name the command (before its arguments).
func cmdWords(args []string) int {
	if args[0] == "runs" || args[0] == "sweep" {
		return 2
	}
	return 1
}

func TestBusyStoreSaysItIsWaiting(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cliNoEnv(t, "", "train", "--data", "xor", "--epochs", "1", "--db", db)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	id := strings.Fields(out[strings.LastIndex(out, "saved as run "):])[3]

	// Another connection holds the write lock for 4.5 s (room for a slow
	// start under -race before the wait begins), as another
	// process would: a write waits, says so once after about 2 s, and goes
	// in when the lock is let go.
	other, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	time.AfterFunc(4500*time.Millisecond, func() {
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		close(released)
	})
	start := time.Now()
	_, errs, code = cliNoEnv(t, "", "runs", "tag", id, "waited", "--db", db)
	took := time.Since(start)
	<-released
	if code != 0 {
		t.Fatalf("runs tag: exit %d: %s", code, errs)
	}
	if want := "workbench: store " + db + " is busy: another process is writing to it; waiting\n"; errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
	if took < 4500*time.Millisecond {
		t.Errorf("runs tag took %v; the lock was held 4.5 s", took)
	}
	out, _, _ = cliNoEnv(t, "", "runs", "show", id, "--db", db)
	if !strings.Contains(out, "waited") {
		t.Errorf("the tag is not there after the wait:\n%s", out)
	}
}
