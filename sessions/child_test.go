package sessions

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// TestMain lets the test binary act as a child process that records runs:
// WB_CHILD=record WB_DB=path WB_RUNS=n WB_EPOCHS=m. It prints "epoch N" after
// each committed epoch, so the parent knows how far it got.
func TestMain(m *testing.M) {
	switch os.Getenv("WB_CHILD") {
	case "record":
		os.Exit(childRecord())
	case "open":
		os.Exit(childOpen())
	case "readonly":
		os.Exit(childReadOnly())
	}
	os.Exit(m.Run())
}

func childRecord() int {
	store, err := Open(os.Getenv("WB_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer store.Close()
	runs, _ := strconv.Atoi(os.Getenv("WB_RUNS"))
	epochs, _ := strconv.Atoi(os.Getenv("WB_EPOCHS"))
	out := bufio.NewWriter(os.Stdout)
	for i := 0; i < max(runs, 1); i++ {
		spec := testSpec(epochs)
		spec.Seed = uint64(i + 1)
		data, err := datasets.Build(spec.Data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		h, err := trainer.Run(context.Background(), spec, data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		rec := Record(store, data, h.Events, RecordOptions{OnEpoch: func(epoch int) {
			fmt.Fprintf(out, "epoch %d\n", epoch) // after the commit
			out.Flush()
		}})
		for range rec.Events() {
		}
		if err := rec.Err(); err != nil {
			fmt.Fprintln(os.Stderr, "record:", err)
			return 1
		}
	}
	return 0
}

// testSpec is a small spiral run with a few milliseconds per epoch.
func testSpec(epochs int) trainer.Spec {
	s := trainer.DefaultSpec()
	s.Data = datasets.Spec{Name: "spiral", Samples: 400, Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []trainer.LayerSpec{{Units: 16, Activation: "tanh"}, {Units: 16, Activation: "tanh"}}
	s.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
	s.Epochs = epochs
	return s
}

// startChild runs the recording child on db.
func startChild(t *testing.T, db string, runs, epochs int) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WB_CHILD=record", "WB_DB="+db, fmt.Sprintf("WB_RUNS=%d", runs), fmt.Sprintf("WB_EPOCHS=%d", epochs))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(stdout)
}
