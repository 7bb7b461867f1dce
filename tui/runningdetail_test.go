package tui

import (
	"strings"
	"testing"

	"workbench/sessions/runtest"
	"workbench/trainer"
)

// TestOpenRunningRunAt80x24: at 80×24 an open run's summary line keeps
// what matters while it trains: its status, its epochs, a cross-validated
// run's folds still training, its best epoch and that epoch's key metric
// (the line began with the dataset, architecture and optimizer, and was
// cut before "best N"; it said nothing of a running run's folds).
func TestOpenRunningRunAt80x24(t *testing.T) {
	for _, c := range []struct {
		name, want string
		record     func(t *testing.T, a *App)
	}{
		{"running", "running · 3/100 epochs · best 2 · val acc 0.5000 · circle · 2 → 4 tanh", nil},
		{"running-cv", "running · 3/100 epochs · 4/5 folds · best 2 · val acc 0.5000 · circle ·", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := tempStore(t)
			id := "20261129-120000-runrun"
			if c.name == "running-cv" {
				runtest.RunningCV(t, store, id, 5, [3]int{5, 5, 4})
			} else {
				runtest.Running(t, store, id)
			}
			a := newApp(t, store, 80, 24)
			press(a, "3", "enter")
			v := a.View()
			lines := strings.Split(v, "\n")
			if len(lines) < 3 || !strings.HasPrefix(lines[2], c.want) {
				t.Fatalf("the summary line at 80 columns, want it to begin %q:\n%s", c.want, v)
			}
			goldenView(t, c.name, v)
		})
	}
}

// TestOpenCalibratedRunSaysItsEpochsAreBeforeCalibration: under an open
// run's metrics heading, a run calibrated by temperature scaling with a
// fixed threshold says its best_val_… are before calibration (cut at the
// threshold on uncalibrated probabilities) and its test_… after; nothing
// said so.
func TestOpenCalibratedRunSaysItsEpochsAreBeforeCalibration(t *testing.T) {
	store := tempStore(t)
	spec := trainer.DefaultSpec()
	spec.Calibrate, spec.Decision.Threshold = "temperature", 0.3
	runtest.RunningSpec(t, store, "20261129-120000-calcal", spec)
	a := newApp(t, store, 120, 40)
	press(a, "3", "enter")
	v := a.View()
	if !strings.Contains(v, "val and test at threshold 0.3") || !strings.Contains(v, "best_val_… uncalibrated (cut at 0.3); test_…") || !strings.Contains(v, "│ calibrated ") {
		t.Errorf("the metrics heading of a calibrated run with a fixed threshold:\n%s", v)
	}
}
