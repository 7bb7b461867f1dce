package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func init() {
	register(&command{
		name:    "train",
		summary: "Train a network headless and print its progress",
		usage:   "[--spec FILE] [--data NAME|FILE.csv] [flags]",
		examples: []string{
			"workbench train                                   # Playground default: spiral, 2×4 tanh, SGD",
			"workbench train --data seed-example --layers 4 --act tanh --loss mse --opt adam --lr 0.05 --batch 0 --epochs 500",
			"workbench train --data breast-cancer --scale standard --layers 16 --opt adam --patience 10",
			"workbench train --data mydata.csv --target label --missing impute --json",
			"workbench train --spec run.json --lr 0.01 --print-spec",
		},
		run: runTrain,
	})
}

func runTrain(e *env, args []string) error {
	c := findCommand("train")
	fs := newFlags(e, c)
	sf := addSpecFlags(fs)
	printSpec := fs.Bool("print-spec", false, "print the resolved spec as JSON and exit")
	jsonOut := fs.Bool("json", false, "print one JSON object per line: start, each epoch, finished")
	noSave := fs.Bool("no-save", false, "do not save the run in the session store")
	db := addDBFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	spec, data, err := resolveRun(e, sf)
	if err != nil {
		return err
	}
	if *printSpec {
		return writeJSON(e.stdout, spec, true)
	}
	var store sessions.Store
	if !*noSave {
		s, err := openStore(e, *db)
		if err != nil {
			return err
		}
		defer s.Close()
		store = s
	}
	return trainAndPrint(e, store, spec, data, *jsonOut)
}

// trainAndPrint trains spec on data, recording it in store unless store is
// nil, and prints its events. Ctrl-C stops the run cleanly: it is saved as
// "stopped".
func trainAndPrint(e *env, store sessions.Store, spec trainer.Spec, data *datasets.Prepared, jsonOut bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := trainer.Run(ctx, spec, data)
	if err != nil {
		return usageError{err.Error()}
	}
	events := h.Events
	var rec *sessions.Recorder
	if store != nil {
		rec = sessions.Record(store, data, h.Events, sessions.RecordOptions{Stop: h.Stop})
		events = rec.Events()
	}
	var p eventPrinter = &kerasPrinter{w: e.stdout, tty: isTerminal(e.stdout)}
	jp := &jsonPrinter{w: e.stdout}
	if jsonOut {
		p = jp
	}
	var fin trainer.FinishedEvent
	for ev := range events {
		if f, ok := ev.(trainer.FinishedEvent); ok {
			fin = f
			if jsonOut {
				writeJSON(e.stdout, finishedJSON(f, rec != nil && rec.Saved()), false)
				continue
			}
		}
		p.print(ev)
	}
	if rec != nil {
		if err := rec.Err(); err != nil {
			return fmt.Errorf("the run finished but was not saved completely: %v", err)
		}
		if !jsonOut {
			fmt.Fprintf(e.stdout, "saved as run %s in %s\n", fin.ID, store.Path())
		}
	}
	return runFailure(fin)
}

// runFailure turns a failed run into a command failure (exit status 1).
func runFailure(fin trainer.FinishedEvent) error {
	switch fin.Status {
	case trainer.StatusDiverged, trainer.StatusFailed:
		return errQuiet
	}
	return nil
}

// resolveRun builds the spec from the flags and loads its data; the loss
// follows the data's task unless it was chosen.
func resolveRun(e *env, sf *specFlags) (trainer.Spec, *datasets.Prepared, error) {
	spec, lossChosen, err := sf.resolve()
	if err != nil {
		return spec, nil, err
	}
	if err := spec.Data.Validate(); err != nil {
		return spec, nil, usageError{err.Error()}
	}
	data, err := loadData(e, spec.Data)
	if err != nil {
		return spec, nil, err
	}
	if !lossChosen {
		spec.Loss = trainer.DefaultLossFor(data.Task())
	}
	if err := spec.Validate(); err != nil {
		return spec, nil, usageError{err.Error()}
	}
	if err := spec.CheckTask(data.Task()); err != nil {
		return spec, nil, usageError{err.Error()}
	}
	return spec, data, nil
}

// loadData builds a dataset spec; the path "-" reads a CSV from stdin.
func loadData(e *env, ds datasets.Spec) (*datasets.Prepared, error) {
	if ds.Path == "-" {
		return datasets.BuildReader(e.stdin, "<stdin>", ds)
	}
	return datasets.Build(ds)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func writeJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}

type eventPrinter interface{ print(trainer.Event) }

// kerasPrinter prints a Keras-style line per epoch, with a live progress
// line on a terminal.
type kerasPrinter struct {
	w   io.Writer
	tty bool
}

func (p *kerasPrinter) print(ev trainer.Event) {
	switch e := ev.(type) {
	case trainer.StartEvent:
		fmt.Fprintf(p.w, "run %s: %s on %s (%s), %d train / %d val / %d test rows\n",
			e.ID, e.Summary, e.Spec.Data.Label(), e.Task, e.TrainRows, e.ValRows, e.TestRows)
	case trainer.ProgressEvent:
		if p.tty {
			const width = 30
			done := width * e.Batch / max(e.Batches, 1)
			fmt.Fprintf(p.w, "\rEpoch %d/%d [%s%s] %d/%d - loss: %.4f - %.0f samples/s ", e.Epoch, e.Epochs,
				strings.Repeat("=", done), strings.Repeat(".", width-done), e.Batch, e.Batches, e.Loss, e.SamplesPerSec)
		}
	case trainer.EpochEvent:
		if p.tty {
			fmt.Fprint(p.w, "\r\033[K")
		}
		fmt.Fprintf(p.w, "Epoch %d/%d - %.2fs - %s - %s - lr: %.4g\n", e.Epoch, e.Epochs, e.Elapsed.Seconds(),
			metricLine("", e.Train), metricLine("val_", e.Val), e.LR)
	case trainer.FinishedEvent:
		fmt.Fprintf(p.w, "%s after %d epochs", e.Status, e.Epochs)
		if e.Reason != "" {
			fmt.Fprintf(p.w, ": %s", e.Reason)
		}
		fmt.Fprintf(p.w, " (best epoch %d, %s, %.0f samples/s)\n", e.BestEpoch, e.Elapsed.Round(time.Millisecond), e.SamplesPerSec)
		if len(e.Test.Metrics) > 0 {
			fmt.Fprintf(p.w, "test: %s\n", metricLine("", e.Test.Metrics))
		}
	}
}

// metricLine formats metrics loss first, then alphabetically.
func metricLine(prefix string, m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "loss") != (keys[j] == "loss") {
			return keys[i] == "loss"
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s%s: %.4f", prefix, k, m[k])
	}
	return strings.Join(parts, " - ")
}

// jsonPrinter prints one JSON object per line. The shapes are documented
// in the README and fixed by golden tests.
type jsonPrinter struct{ w io.Writer }

type jsonStart struct {
	Event     string        `json:"event"`
	ID        string        `json:"id"`
	Summary   string        `json:"summary"`
	Params    int           `json:"params"`
	Task      string        `json:"task"`
	Data      string        `json:"data"`
	DataHash  string        `json:"data_hash"`
	TrainRows int           `json:"train_rows"`
	ValRows   int           `json:"val_rows"`
	TestRows  int           `json:"test_rows"`
	Spec      *trainer.Spec `json:"spec"`
}

type jsonEpoch struct {
	Event         string             `json:"event"`
	ID            string             `json:"id"`
	Epoch         int                `json:"epoch"`
	Epochs        int                `json:"epochs"`
	Train         map[string]float64 `json:"train"`
	Val           map[string]float64 `json:"val"`
	LR            float64            `json:"lr"`
	ElapsedS      float64            `json:"elapsed_s"`
	SamplesPerSec float64            `json:"samples_per_s"`
	Best          bool               `json:"best"`
}

type jsonFinished struct {
	Event         string             `json:"event"`
	ID            string             `json:"id"`
	Status        trainer.Status     `json:"status"`
	Reason        string             `json:"reason,omitempty"`
	Epochs        int                `json:"epochs"`
	BestEpoch     int                `json:"best_epoch"`
	Monitor       string             `json:"monitor"`
	Best          map[string]float64 `json:"best"`
	Test          map[string]float64 `json:"test"`
	ElapsedS      float64            `json:"elapsed_s"`
	SamplesPerSec float64            `json:"samples_per_s"`
	Saved         bool               `json:"saved"`
}

func (p *jsonPrinter) print(ev trainer.Event) {
	switch e := ev.(type) {
	case trainer.StartEvent:
		writeJSON(p.w, jsonStart{Event: "start", ID: e.ID, Summary: e.Summary, Params: e.Params, Task: e.Task.String(),
			Data: e.Spec.Data.Label(), DataHash: e.DataHash, TrainRows: e.TrainRows, ValRows: e.ValRows, TestRows: e.TestRows, Spec: &e.Spec}, false)
	case trainer.EpochEvent:
		writeJSON(p.w, jsonEpoch{Event: "epoch", ID: e.ID, Epoch: e.Epoch, Epochs: e.Epochs, Train: e.Train, Val: e.Val,
			LR: e.LR, ElapsedS: e.Elapsed.Seconds(), SamplesPerSec: e.SamplesPerSec, Best: e.Best}, false)
	case trainer.FinishedEvent:
		writeJSON(p.w, finishedJSON(e, false), false)
	}
}

func finishedJSON(e trainer.FinishedEvent, saved bool) jsonFinished {
	test := e.Test.Metrics
	if test == nil {
		test = map[string]float64{}
	}
	return jsonFinished{Event: "finished", ID: e.ID, Status: e.Status, Reason: e.Reason, Epochs: e.Epochs, BestEpoch: e.BestEpoch,
		Monitor: e.Monitor, Best: e.Best, Test: test, ElapsedS: e.Elapsed.Seconds(), SamplesPerSec: e.SamplesPerSec, Saved: saved}
}
