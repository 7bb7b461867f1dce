package queue_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/queue"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// childEnv, set to a store URL, makes the test binary a worker process:
// the acceptance tests start several and kill one.
const childEnv = "WORKBENCH_QUEUE_TEST_WORKER"

func TestMain(m *testing.M) {
	if url := os.Getenv(childEnv); url != "" {
		os.Exit(runWorker(url))
	}
	os.Exit(m.Run())
}

// Heartbeats in the tests: short, so a killed worker's trial is handed on
// within about two seconds.
const (
	testBeat  = 200 * time.Millisecond
	testStale = 3 * time.Second
)

func runWorker(url string) int {
	store, err := sessions.Open(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer store.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := queue.Work(ctx, url, store, queue.WorkerOptions{Concurrency: 1, Heartbeat: testBeat, StaleAfter: testStale, Log: os.Stderr}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// workerProc is a worker process started by a test.
type workerProc struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	out bytes.Buffer
}

func (p *workerProc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *workerProc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// startWorker starts a worker process on url; it is killed when t ends
// if still running, and its log is shown if t failed.
func startWorker(t *testing.T, url string) *workerProc {
	t.Helper()
	p := &workerProc{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	p.cmd.Env = append(os.Environ(), childEnv+"="+url)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("worker %d:\n%s", p.cmd.Process.Pid, p.log())
		}
	})
	return p
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sweepSpec is a sweep of n×seeds trials on moons, each about epochs/150
// seconds on one core (with fewer samples under the race detector).
func sweepSpec(epochs int, lrs []string, seeds int) sweeps.Spec {
	s := trainer.DefaultSpec()
	s.Data = datasets.Spec{Name: "moons", Samples: 3000, Noise: 0.15, Split: datasets.DefaultSplit, Seed: 2}
	s.Model.Hidden = []trainer.LayerSpec{{Units: 16, Activation: "tanh"}, {Units: 16, Activation: "tanh"}}
	s.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
	s.Epochs = epochs
	if raceOn {
		s.Data.Samples = 600
	}
	return sweeps.Spec{Name: "dist", Base: s, Grid: []sweeps.Param{{Field: "lr", Values: lrs}}, Seeds: seeds, Seed: 1}
}

// open opens the store at url and a queue on it, closed when t ends.
func open(t *testing.T, url string) (*sessions.SQLite, *queue.DB) {
	t.Helper()
	store, err := sessions.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	db, err := queue.Open(context.Background(), url, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return store, db
}
