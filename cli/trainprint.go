package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
	"workbench/tui"
)

// lineWidth bounds the epoch lines that train prints by default.
const lineWidth = 100

// trainAndPrint trains spec on data, recording it in store unless store is
// nil, and prints its events. Ctrl-C or SIGTERM stops the run cleanly: it
// is saved as "stopped" and the command ends with an interruptedError. A
// run that fails or diverges is a command failure.
func trainAndPrint(e *env, store sessions.Store, spec trainer.Spec, data *datasets.Prepared, jsonOut, verbose bool) error {
	_, err := trainAndPrintID(e, store, spec, data, jsonOut, verbose)
	return err
}

// trainAndPrintID is trainAndPrint that also returns the run's ID.
func trainAndPrintID(e *env, store sessions.Store, spec trainer.Spec, data *datasets.Prepared, jsonOut, verbose bool) (string, error) {
	ctx, caught, stop := signalContext()
	defer stop()
	live, err := sessions.Start(ctx, store, spec, sessions.StartOptions{Data: data, Trainer: trainer.Options{MaxMemory: e.maxMemory}})
	if err != nil {
		return "", usageError{err.Error()}
	}
	rec, events := live.Recorder, live.Events()
	hint := scaleHint(data)
	var p eventPrinter = &kerasPrinter{w: e.stdout, tty: isTerminal(e.stdout), verbose: verbose}
	var jp *jsonPrinter
	if jsonOut {
		jp = &jsonPrinter{w: e.stdout, hint: hint}
		p = jp
	} else if hint != "" {
		fmt.Fprintln(e.stdout, "hint: "+hint)
	}
	var fin trainer.FinishedEvent
	for ev := range events {
		if f, ok := ev.(trainer.FinishedEvent); ok {
			fin = f
			if jsonOut {
				jp.write(finishedJSON(f, store != nil && rec.Saved()))
				continue
			}
		}
		p.print(ev)
	}
	if jp != nil && jp.err != nil {
		return fin.ID, fmt.Errorf("run %s: a JSON line was not written: %v", fin.ID, jp.err)
	}
	if store != nil {
		if err := rec.Err(); err != nil {
			return fin.ID, fmt.Errorf("the run finished but was not saved completely: %v", err)
		}
		if !jsonOut {
			fmt.Fprintf(e.stdout, "saved as run %s in %s\n", fin.ID, store.Path())
		}
	}
	switch fin.Status {
	case trainer.StatusDiverged, trainer.StatusFailed:
		// Said on stdout too, in the last epoch line or event; stderr
		// is where a script looks for why the command failed.
		msg := fmt.Sprintf("run %s %s", fin.ID, fin.Status)
		if store == nil { // --no-save: no ID to look up
			msg = fmt.Sprintf("the run %s (not saved)", fin.Status)
		}
		if fin.Reason != "" {
			msg += ": " + fin.Reason
		}
		return fin.ID, errors.New(msg)
	case trainer.StatusStopped:
		if sig := caught(); sig != 0 {
			what := "run " + fin.ID + " not saved"
			if store != nil {
				what = "run " + fin.ID + " saved as stopped"
			}
			return fin.ID, interruptedError{sig: sig, what: what}
		}
	}
	return fin.ID, nil
}

// scaleHint is the advice for unscaled data whose features differ in size
// by more than 100×, or "".
func scaleHint(data *datasets.Prepared) string {
	if data == nil {
		return ""
	}
	if h := data.RangeHint(); h != "" {
		return h + ": try --scale standard"
	}
	return ""
}

type eventPrinter interface{ print(trainer.Event) }

// kerasPrinter prints a Keras-style line per epoch, with a live progress
// bar on a terminal. By default a line holds the loss and the task's key
// metric on both splits and fits lineWidth columns; verbose prints every
// metric and the learning rate.
type kerasPrinter struct {
	w       io.Writer
	tty     bool
	verbose bool

	key     string        // the task's key metric
	cost    bool          // val_cost picks the best epoch: the line shows it
	showLR  bool          // the schedule changes the rate
	folds   int           // a cross-validated run's folds, else 0
	elapsed time.Duration // at the end of the previous epoch
	watch   trainer.HealthWatch
}

func (p *kerasPrinter) print(ev trainer.Event) {
	switch e := ev.(type) {
	case trainer.StartEvent:
		p.key = trainer.KeyMetric(e.Task)
		p.cost = e.Spec.BestMonitor() == trainer.CostMonitor
		p.showLR = e.Spec.Schedule.Name != "" && e.Spec.Schedule.Name != "constant"
		p.folds = e.Spec.CV
		fmt.Fprintf(p.w, "run %s: %s on %s (%s), %d train / %d val / %d test rows\n",
			e.ID, e.Summary, e.Spec.Data.Label(), e.Task, e.TrainRows, e.ValRows, e.TestRows)
		if d := e.Spec.Decision.Describe(); d != "" && e.Task == datasets.Binary {
			fmt.Fprintln(p.w, d)
		}
		if c := e.Spec.CalibrationNote(e.Task, true); c != "" {
			fmt.Fprintln(p.w, c)
		}
	case trainer.ProgressEvent:
		if p.tty {
			const width = 30
			done := min(width*e.Batch/max(e.Batches, 1), width)
			fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d - loss: %s - %s samples/s ", epochOf(e.Epoch, e.Epochs),
				strings.Repeat("=", done), strings.Repeat(".", width-done), e.Batch, e.Batches, numfmt.Value(e.Loss), numfmt.Rate(e.SamplesPerSec))
		}
	case trainer.EpochEvent:
		if p.tty {
			fmt.Fprint(p.w, "\r\033[K")
		}
		fmt.Fprintln(p.w, p.epochLine(e))
		for _, w := range p.watch.Observe(e.Epoch, e.Layers) {
			fmt.Fprintln(p.w, "warning: "+w.Text)
		}
	case trainer.FinishedEvent:
		fmt.Fprintf(p.w, "%s after %s", e.Status, epochCount(e.Epochs))
		if why := tui.ReasonText(e.Status, e.Reason); why != "" {
			fmt.Fprintf(p.w, ": %s", why)
		}
		fmt.Fprintf(p.w, " (best epoch %d, %s, %s samples/s)\n", e.BestEpoch, numfmt.Duration(e.Elapsed), numfmt.Rate(e.SamplesPerSec))
		if len(e.Test.Metrics) > 0 && len(e.Test.Folds) == 0 {
			fmt.Fprintf(p.w, "test: %s\n", metricLine("", e.Test.Metrics))
		}
		for _, l := range evalLines(e) {
			fmt.Fprintln(p.w, l)
		}
	}
}

// epochOf says which epoch of how many; a run with no epoch limit
// (epochs 0) trains until it is stopped.
func epochOf(epoch, epochs int) string {
	if epochs == 0 {
		return fmt.Sprintf("Epoch %d", epoch)
	}
	return fmt.Sprintf("Epoch %d/%d", epoch, epochs)
}

// epochLine formats one epoch with the time it took.
func (p *kerasPrinter) epochLine(e trainer.EpochEvent) string {
	took := e.Elapsed - p.elapsed
	p.elapsed = e.Elapsed
	// The epoch's time with three digits (30ms, 275µs, 1.5s): to the
	// hundredth of a second, a small network's every epoch read "0.00s".
	line := epochOf(e.Epoch, e.Epochs) + " - " + numfmt.Duration(took)
	if e.Folds > 0 && e.Folds < p.folds { // folds stopped early: the mean is over the others
		line += fmt.Sprintf(" - mean of %d/%d folds", e.Folds, p.folds)
	}
	if p.verbose {
		return line + " - " + metricLine("", e.Train) + " - " + metricLine("val_", e.Val) + " - lr: " + numfmt.Short(e.LR)
	}
	// Shown in this order; when they do not all fit, the learning rate
	// goes first, then the training split's key metric.
	type part struct {
		text string
		keep int // lower is kept first
	}
	var parts []part
	add := func(label string, m map[string]float64, key string, keep int) {
		if v, ok := m[key]; ok {
			parts = append(parts, part{label + ": " + numfmt.Value(v), keep})
		}
	}
	add("loss", e.Train, "loss", 0)
	add(p.key, e.Train, p.key, 3)
	add("val_loss", e.Val, "loss", 1)
	add("val_"+p.key, e.Val, p.key, 2)
	if p.cost {
		add(trainer.CostMonitor, e.Val, trainer.CostMetric, 1)
	}
	if p.showLR {
		parts = append(parts, part{"lr: " + numfmt.Short(e.LR), 4})
	}
	width := utf8.RuneCountInString(line)
	for _, pt := range parts {
		width += 3 + utf8.RuneCountInString(pt.text)
	}
	for drop := 4; width > lineWidth && drop > 0; drop-- {
		for i, pt := range parts {
			if pt.keep == drop {
				width -= 3 + utf8.RuneCountInString(pt.text)
				parts = append(parts[:i], parts[i+1:]...)
				break
			}
		}
	}
	for _, pt := range parts {
		line += " - " + pt.text
	}
	return line
}

// jsonPrinter prints one JSON object per line. The shapes are documented
// in the README and fixed by tests.
type jsonPrinter struct {
	w     io.Writer
	hint  string // scaleHint, given in the start event
	watch trainer.HealthWatch
	err   error // the first line that could not be written
}

// write writes v as one line, keeping the first error: a line missing
// from the stream fails the command rather than passing unnoticed.
func (p *jsonPrinter) write(v any) {
	if err := writeJSON(p.w, v, false); err != nil && p.err == nil {
		p.err = err
	}
}

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
	// Hint warns of unscaled features whose sizes differ by more than 100×.
	Hint string `json:"hint,omitempty"`
}

type jsonEpoch struct {
	Event         string           `json:"event"`
	ID            string           `json:"id"`
	Epoch         int              `json:"epoch"`
	Epochs        int              `json:"epochs"`
	Train         sessions.Metrics `json:"train"` // ±Inf as "+Inf"/"-Inf", as runs show writes them
	Val           sessions.Metrics `json:"val"`
	LR            float64          `json:"lr"`
	ElapsedS      float64          `json:"elapsed_s"`
	SamplesPerSec float64          `json:"samples_per_s"`
	Best          bool             `json:"best"`
	// Folds is, for a cross-validated run, how many folds the epoch's
	// mean covers (see trainer.EpochEvent.Folds).
	Folds int `json:"folds,omitempty"`
	// Layers is each hidden layer's health; Warnings the layer-health
	// rules that fired at this epoch (see trainer.HealthWatch).
	Layers   []trainer.LayerHealth   `json:"layers"`
	Warnings []trainer.HealthWarning `json:"warnings,omitempty"`
}

type jsonFinished struct {
	Event         string               `json:"event"`
	ID            string               `json:"id"`
	Status        trainer.Status       `json:"status"`
	Reason        string               `json:"reason,omitempty"`
	Epochs        int                  `json:"epochs"`
	BestEpoch     int                  `json:"best_epoch"`
	Monitor       string               `json:"monitor"`
	Best          sessions.Metrics     `json:"best"`
	Test          sessions.Metrics     `json:"test"`
	ElapsedS      float64              `json:"elapsed_s"`
	SamplesPerSec float64              `json:"samples_per_s"`
	Saved         bool                 `json:"saved"`
	CV            *jsonCV              `json:"cv,omitempty"`
	Calibration   *trainer.Calibration `json:"calibration,omitempty"`
}

func (p *jsonPrinter) print(ev trainer.Event) {
	switch e := ev.(type) {
	case trainer.StartEvent:
		p.write(jsonStart{Event: "start", ID: e.ID, Summary: e.Summary, Params: e.Params, Task: e.Task.String(),
			Data: e.Spec.Data.Label(), DataHash: e.DataHash, TrainRows: e.TrainRows, ValRows: e.ValRows, TestRows: e.TestRows, Spec: &e.Spec, Hint: p.hint})
	case trainer.EpochEvent:
		layers := e.Layers
		if layers == nil {
			layers = []trainer.LayerHealth{}
		}
		p.write(jsonEpoch{Event: "epoch", ID: e.ID, Epoch: e.Epoch, Epochs: e.Epochs, Train: e.Train, Val: e.Val,
			LR: e.LR, ElapsedS: e.Elapsed.Seconds(), SamplesPerSec: e.SamplesPerSec, Best: e.Best, Folds: e.Folds,
			Layers: layers, Warnings: p.watch.Observe(e.Epoch, e.Layers)})
	case trainer.FinishedEvent:
		p.write(finishedJSON(e, false))
	}
}

func finishedJSON(e trainer.FinishedEvent, saved bool) jsonFinished {
	test := e.Test.Metrics
	if test == nil {
		test = map[string]float64{}
	}
	return jsonFinished{Event: "finished", ID: e.ID, Status: e.Status, Reason: e.Reason, Epochs: e.Epochs, BestEpoch: e.BestEpoch,
		Monitor: e.Monitor, Best: e.Best, Test: test, ElapsedS: e.Elapsed.Seconds(), SamplesPerSec: e.SamplesPerSec, Saved: saved,
		CV: cvJSON(e), Calibration: e.Val.Calibration}
}

// epochCount is n epochs in words: "1 epoch", "0 epochs", "7 epochs".
func epochCount(n int) string {
	if n == 1 {
		return "1 epoch"
	}
	return fmt.Sprintf("%d epochs", n)
}
