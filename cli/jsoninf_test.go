package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"workbench/trainer"
)

// TestTrainJSONKeepsInfiniteMetrics: an epoch whose validation loss
// overflowed to +Inf (a run about to diverge) and a finished event with an
// infinite test loss are still written, the values as "+Inf" and "-Inf"
// as runs show --json writes them. encoding/json refused the lines, and
// they went missing without a word: a script saw no finished event.
func TestTrainJSONKeepsInfiniteMetrics(t *testing.T) {
	var b bytes.Buffer
	p := &jsonPrinter{w: &b}
	p.print(trainer.EpochEvent{ID: "r1", Epoch: 3, Epochs: 5, Train: map[string]float64{"loss": 1e230},
		Val: map[string]float64{"loss": math.Inf(1), "r2": math.Inf(-1)}})
	p.print(trainer.FinishedEvent{ID: "r1", Status: trainer.StatusDiverged, Epochs: 3, Best: map[string]float64{"loss": 2},
		Test: trainer.Evaluation{Metrics: map[string]float64{"loss": math.Inf(1), "mae": 3}}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), b.String())
	}
	var epoch struct {
		Val map[string]any `json:"val"`
	}
	var fin struct {
		Event string         `json:"event"`
		Test  map[string]any `json:"test"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &epoch); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &fin); err != nil {
		t.Fatal(err)
	}
	if epoch.Val["loss"] != "+Inf" || epoch.Val["r2"] != "-Inf" || fin.Event != "finished" || fin.Test["loss"] != "+Inf" || fin.Test["mae"] != 3.0 {
		t.Errorf("epoch val %v, finished %v", epoch.Val, fin)
	}
}

// TestTrainJSONWriteFailureFails: a JSON line that cannot be written
// fails the command (exit 1, said on stderr) instead of leaving a gap.
func TestTrainJSONWriteFailureFails(t *testing.T) {
	var errb bytes.Buffer
	code := run([]string{"train", "--epochs", "2", "--no-save", "--json"}, strings.NewReader(""), failingWriter{}, &errb)
	if code != 1 || !strings.Contains(errb.String(), ": a JSON line was not written: disk full") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
