package cli

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"workbench/queue"
	"workbench/sessions"
	"workbench/sessions/pgtest"
)

// TestDistributedSweepCommands: sweep --distributed queues and returns,
// a worker trains the trials, sweep --wait follows a second sweep to its
// ranking, sweep show ranks it, runs list shows its runs, and sweep cancel
// cancels a third.
func TestDistributedSweepCommands(t *testing.T) {
	url := pgtest.URL(t)
	args := []string{"sweep", "--distributed", "--data", "moons", "--layers", "8", "--grid", "lr=0.003,0.03,0.3", "--epochs", "30"}
	out, errs, code := cli(t, url, "", args...)
	if code != 0 {
		t.Fatalf("sweep --distributed: exit %d: %s", code, errs)
	}
	m := regexp.MustCompile(`sweep (sweep-\S+): 3 trials queued on postgres://\S+ \(queue workbench\)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "workbench worker --db") {
		t.Fatalf("sweep --distributed printed:\n%s", out)
	}
	id := m[1]

	store, err := sessions.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := queue.Work(ctx, url, store, queue.WorkerOptions{Concurrency: 2, Heartbeat: 200 * time.Millisecond}); err != nil {
			t.Error(err)
		}
	}()
	defer func() { stop(); wg.Wait() }()

	out, errs, code = cli(t, url, "", append(args, "--wait")...)
	if code != 0 {
		t.Fatalf("sweep --distributed --wait: exit %d: %s", code, errs)
	}
	for _, want := range []string{"trial 1/3 ", "trial 2/3 ", "trial 3/3 ", "RANK", "done, 3 trials (3 finished)"} {
		if !strings.Contains(out, want) {
			t.Errorf("sweep --wait: no %q in\n%s", want, out)
		}
	}
	waitSweep := func(id string) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			sw, err := store.GetSweep(context.Background(), id)
			if err == nil && sw.Status != "running" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("sweep %s did not end", id)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitSweep(id)
	out, errs, code = cli(t, url, "", "sweep", "show", id)
	if code != 0 || !strings.Contains(out, "done, 3 trials (3 finished)") || strings.Count(out, " done ") != 3 {
		t.Errorf("sweep show: exit %d %s\n%s", code, errs, out)
	}
	out, _, _ = cli(t, url, "", "runs", "list", "--filter", "status=done")
	if n := strings.Count(out, " done "); n != 6 {
		t.Errorf("runs list: %d done runs, want the 3 trials of each sweep:\n%s", n, out)
	}

	stop()
	wg.Wait()
	out, errs, code = cli(t, url, "", args...)
	if code != 0 {
		t.Fatal(errs)
	}
	third := regexp.MustCompile(`sweep (sweep-\S+):`).FindStringSubmatch(out)[1]
	out, errs, code = cli(t, url, "", "sweep", "cancel", third)
	if code != 0 || !strings.Contains(out, "cancelled: waiting trials dropped: 3; running trials that stop at their next epoch (saved stopped): 0") {
		t.Errorf("sweep cancel: exit %d %s\n%s", code, errs, out)
	}
	out, _, _ = cli(t, url, "", "sweep", "show", third)
	if !strings.Contains(out, "cancelled (cancelled by sweep cancel), 3 trials") {
		t.Errorf("sweep show of a cancelled sweep:\n%s", out)
	}
	_, errs, code = cli(t, url, "", "sweep", "cancel", id)
	if code == 0 || !strings.Contains(errs, "nothing to cancel: sweep "+id+" has ended (done)") {
		t.Errorf("sweep cancel of a finished sweep: exit %d: %s", code, errs)
	}
}

// TestDistributedNeedsPostgreSQL: on a SQLite store --distributed,
// worker and cancel say what they need; an unreachable server is named,
// its password hidden.
func TestDistributedNeedsPostgreSQL(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	_, errs, code := cli(t, db, "", "sweep", "--distributed", "--data", "moons", "--grid", "lr=0.1,0.2", "--epochs", "2")
	if code != ExitUsage || !strings.Contains(errs, "--distributed needs a PostgreSQL store") {
		t.Errorf("sweep --distributed on SQLite: exit %d: %s", code, errs)
	}
	_, errs, code = cli(t, db, "", "worker")
	if code != ExitUsage || !strings.Contains(errs, "worker needs a PostgreSQL store") {
		t.Errorf("worker on SQLite: exit %d: %s", code, errs)
	}
	_, errs, code = cli(t, db, "", "sweep", "--data", "moons", "--grid", "lr=0.1,0.2", "--epochs", "2", "--wait")
	if code != 2 || !strings.Contains(errs, "--wait and --queue go with --distributed") {
		t.Errorf("--wait alone: exit %d: %s", code, errs)
	}
	bad := "postgres://wb:hunter2@127.0.0.1:1/runs?connect_timeout=2&sslmode=disable"
	for _, args := range [][]string{{"worker"}, {"sweep", "--distributed", "--data", "moons", "--grid", "lr=0.1,0.2", "--epochs", "2"}} {
		_, errs, code = cli(t, bad, "", args...)
		if code == 0 || !strings.Contains(errs, "cannot reach 127.0.0.1:1") || strings.Contains(errs, "hunter2") {
			t.Errorf("%s on an unreachable server: exit %d: %s", args[0], code, errs)
		}
	}
}
