package cli

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"workbench/datasets"
	"workbench/trainer"
)

func TestEpochLinesFit100Columns(t *testing.T) {
	huge := map[string]float64{"loss": 2.2391e29, "accuracy": 0.5, "precision_weighted": 0.25}
	spec := trainer.DefaultSpec()
	spec.Schedule = trainer.DefaultSchedule("cosine")
	for _, verbose := range []bool{false, true} {
		var b strings.Builder
		p := &kerasPrinter{w: &b, verbose: verbose}
		p.print(trainer.StartEvent{ID: "x", Spec: spec, Task: datasets.Multiclass})
		p.print(trainer.EpochEvent{Epoch: 9999, Epochs: 9999, Train: huge, Val: huge, LR: 0.0123456789, Elapsed: 1234 * time.Second})
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		line := lines[len(lines)-1]
		if strings.Contains(line, "223910000") || !strings.Contains(line, "loss: 2.239e+29") {
			t.Errorf("verbose %v: the diverged loss is not in exponent form: %s", verbose, line)
		}
		if n := utf8.RuneCountInString(line); !verbose && n > lineWidth {
			t.Errorf("%d columns: %s", n, line)
		}
		if !strings.Contains(line, "val_accuracy: 0.5000") {
			t.Errorf("verbose %v: the validation key metric was dropped: %s", verbose, line)
		}
		if verbose != strings.Contains(line, "val_precision_weighted") {
			t.Errorf("verbose %v: %s", verbose, line)
		}
	}
	var b strings.Builder
	p := &kerasPrinter{w: &b}
	p.print(trainer.StartEvent{Spec: trainer.DefaultSpec(), Task: datasets.Binary})
	p.print(trainer.EpochEvent{Epoch: 1, Epochs: 2, Train: map[string]float64{"loss": 0.5, "accuracy": 0.75}, Val: map[string]float64{"loss": 0.25, "accuracy": 1}, Elapsed: 20 * time.Millisecond})
	p.print(trainer.EpochEvent{Epoch: 2, Epochs: 2, Train: map[string]float64{"loss": 0.5, "accuracy": 0.75}, Val: map[string]float64{"loss": 0.25, "accuracy": 1}, Elapsed: 50 * time.Millisecond})
	want := "Epoch 2/2 - 30ms - loss: 0.5000 - accuracy: 0.7500 - val_loss: 0.2500 - val_accuracy: 1.0000"
	if got := strings.Split(strings.TrimSpace(b.String()), "\n")[2]; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// On a terminal, train draws a Keras-style bar within an epoch, and the
// epoch line that replaces it says how long the epoch took.
func TestTrainProgressBarOnATerminal(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var b strings.Builder
		p := &kerasPrinter{w: &b, tty: tty}
		p.print(trainer.StartEvent{Spec: trainer.DefaultSpec(), Task: datasets.Binary})
		p.print(trainer.ProgressEvent{Epoch: 1, Epochs: 3, Batch: 50, Batches: 100, Loss: 0.6931, SamplesPerSec: 12000})
		p.print(trainer.EpochEvent{Epoch: 1, Epochs: 3, Train: map[string]float64{"loss": 0.5}, Val: map[string]float64{"loss": 0.4}, Elapsed: 1500 * time.Millisecond})
		out := b.String()
		bar := "\rEpoch 1/3 [" + strings.Repeat("=", 15) + strings.Repeat(".", 15) + "] 50/100 - loss: 0.6931 - 12.0k samples/s "
		if tty != strings.Contains(out, bar) {
			t.Errorf("tty %v: bar %q in %q", tty, bar, out)
		}
		if tty != strings.Contains(out, bar+"\r\033[KEpoch 1/3 - 1.5s - loss: 0.5000") {
			t.Errorf("tty %v: the epoch line does not replace the bar, with the epoch's time: %q", tty, out)
		}
		if !tty && strings.ContainsAny(out, "\r\033") {
			t.Errorf("no terminal, yet control characters: %q", out)
		}
	}
}
