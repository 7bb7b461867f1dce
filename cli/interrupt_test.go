package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// watchWriter is a stdout that says when a line holding mark is written.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	mark string
	seen chan struct{}
	once sync.Once
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.mark) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// runSignalled runs a command line in-process and sends this process sig
// once stdout holds mark, as Ctrl-C or a CI runner's SIGTERM does. The
// test holds its own subscription to the signals, so that the process
// lives whatever the command has subscribed to at that moment.
func runSignalled(t *testing.T, db string, sig syscall.Signal, mark string, args ...string) (string, string, int) {
	t.Helper()
	hold := make(chan os.Signal, 4)
	signal.Notify(hold, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(hold)
	t.Setenv("WORKBENCH_DB", db)
	out := &watchWriter{mark: mark, seen: make(chan struct{})}
	var errb bytes.Buffer
	done := make(chan int)
	go func() { done <- run(args, strings.NewReader(""), out, &errb) }()
	select {
	case <-out.seen:
	case code := <-done:
		t.Fatalf("%v ended (exit %d) before %q: %s", args, code, mark, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("%v: no %q after 60 s", args, mark)
	}
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		return out.String(), errb.String(), code
	case <-time.After(60 * time.Second):
		t.Fatalf("%v still runs 60 s after %v", args, sig)
	}
	return "", "", 0
}

// lastEvent decodes the last JSON line of out.
func lastEvent(t *testing.T, out string) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var ev map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &ev); err != nil {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	return ev
}

// TestTrainStoppedBySignalExits130Or143: Ctrl-C or SIGTERM in the middle
// of 'train' saves the run as stopped and exits 128 + the signal, so that
// `workbench train … && workbench predict …` does not go on with a run
// that did not finish; stderr says what was saved.
func TestTrainStoppedBySignalExits130Or143(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, 130, "Ctrl-C (SIGINT)"}, {syscall.SIGTERM, 143, "SIGTERM"}} {
		db := filepath.Join(t.TempDir(), "w.db")
		out, errs, code := runSignalled(t, db, c.sig, `"event":"epoch"`, "train", "--epochs", "0", "--json")
		fin := lastEvent(t, out)
		id, _ := fin["id"].(string)
		if code != c.code || fin["event"] != "finished" || fin["status"] != "stopped" || fin["saved"] != true {
			t.Fatalf("%v: exit %d (want %d), last event %v, stderr %q", c.sig, code, c.code, fin, errs)
		}
		if want := "workbench train: stopped by " + c.name + ": run " + id + " saved as stopped\n"; errs != want {
			t.Errorf("%v: stderr %q, want %q", c.sig, errs, want)
		}
		out, _, code = cli(t, db, "", "runs", "list", "--json", "--filter", "status=stopped")
		var runs []map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &runs) != nil || len(runs) != 1 || runs[0]["id"] != id {
			t.Errorf("%v: the stopped run is not in the store: %d %s", c.sig, code, out)
		}
	}
}

// TestTrainSeedsStopAtTheFirstSignal: one Ctrl-C stops 'train --seeds N'
// as a whole; before, it stopped the seed in flight and went on to the
// next one, so that stopping took N signals and the command exited 0.
func TestTrainSeedsStopAtTheFirstSignal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := runSignalled(t, db, syscall.SIGINT, `"event":"epoch"`,
		"train", "--epochs", "0", "--seeds", "3", "--ensemble", "--json")
	if code != 130 || strings.Count(out, `"event":"start"`) != 1 || strings.Contains(out, `"event":"ensemble"`) {
		t.Fatalf("exit %d, %d runs started, stdout ends %q, stderr %q", code, strings.Count(out, `"event":"start"`),
			out[max(0, len(out)-300):], errs)
	}
}

// TestSweepStoppedBySignalExits130: Ctrl-C stops a sweep's trials (saved
// stopped) and the command exits 130 after its last line.
func TestSweepStoppedBySignalExits130(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := runSignalled(t, db, syscall.SIGINT, "sweep-",
		"sweep", "--epochs", "100000", "--grid", "lr=0.01,0.1", "--parallel", "1")
	if code != 130 || !strings.Contains(out, ": stopped, ") ||
		!strings.HasPrefix(errs, "workbench sweep: stopped by Ctrl-C (SIGINT): sweep sweep-") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// No trial finished: the effects say so, rather than "lr" over nothing.
	if regexp.MustCompile(`(?m)^  lr\s*$`).MatchString(out) || !strings.Contains(out, "effect of each hyperparameter: no finished trial to measure it by") {
		t.Errorf("the effects of a sweep with no finished trial:\n%s", out)
	}
}

// TestDivergedRunSaysWhyOnStderr: a diverged run exits 1 and says why on
// stderr, where a script reads the reason for a failure; the JSON's
// finished event keeps it too.
func TestDivergedRunSaysWhyOnStderr(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	args := []string{"train", "--data", "reg-plane", "--opt", "sgd", "--lr", "10", "--layers", "16", "--act", "relu", "--epochs", "50"}
	for _, jsonOut := range []bool{false, true} {
		a := args
		if jsonOut {
			a = append(a[:len(a):len(a)], "--json")
		}
		out, errs, code := cli(t, db, "", a...)
		if code != 1 || !strings.HasPrefix(errs, "workbench train: run ") || !strings.Contains(errs, " diverged: the loss became ") ||
			strings.Count(errs, "\n") != 1 {
			t.Fatalf("json %v: exit %d, stderr %q", jsonOut, code, errs)
		}
		if jsonOut {
			if fin := lastEvent(t, out); fin["status"] != "diverged" {
				t.Errorf("finished event %v", fin)
			}
		} else if !strings.Contains(out, "diverged after") {
			t.Errorf("stdout %q", out)
		}
	}
}
