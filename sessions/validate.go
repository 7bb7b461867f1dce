package sessions

import (
	"fmt"
	"math"

	"workbench/datasets"
	"workbench/trainer"
)

var knownStatus = map[trainer.Status]bool{
	trainer.StatusRunning: true, trainer.StatusDone: true, trainer.StatusEarlyStopped: true,
	trainer.StatusTargetReached: true, trainer.StatusDiverged: true, trainer.StatusStopped: true,
	trainer.StatusPruned: true, trainer.StatusInterrupted: true, trainer.StatusFailed: true,
}

// ValidateRun checks a complete run against its own declared shape, so
// that nothing read back from it (predict, plot, show) can fail on bad
// data: the ID's alphabet, status, task and spec; the scaler's width
// against the features; the weights' inputs and outputs; each confusion
// matrix square with one row per class; ROC rates in [0, 1]; a history of
// epochs 1, 2, 3 … (thinned past ThinAfter), each the mean of at most
// the spec's folds. The error wraps ErrInvalid and names the run and the field.
func ValidateRun(r *FullRun) error {
	if r == nil {
		return fmt.Errorf("%w: no run", ErrInvalid)
	}
	if err := ValidID(r.ID); err != nil {
		return err
	}
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("run %s: %s: %s (%w)", r.ID, field, fmt.Sprintf(format, args...), ErrInvalid)
	}
	if !knownStatus[r.Status] {
		return bad("status", "%q is not a run status", clip(string(r.Status)))
	}
	task, err := datasets.ParseTask(r.Task)
	if err != nil {
		return bad("task", "%v", err)
	}
	spec := r.Spec
	if err := spec.Validate(); err != nil {
		return bad("spec", "%v", err)
	}
	if r.SweepID != "" {
		if err := ValidID(r.SweepID); err != nil {
			return bad("sweep_id", "%v", err)
		}
	}
	nf := len(r.Features)
	if _, err := datasets.ParseScaling(r.Scaler.Kind); err != nil && r.Scaler.Kind != "" {
		return bad("scaler.kind", "%v", err)
	}
	if len(r.Scaler.Offset) != len(r.Scaler.Factor) {
		return bad("scaler", "%d offsets for %d factors", len(r.Scaler.Offset), len(r.Scaler.Factor))
	}
	if len(r.Scaler.Offset) > 0 && len(r.Scaler.Offset) != nf {
		return bad("scaler", "%d columns for %d features", len(r.Scaler.Offset), nf)
	}
	for j := range r.Scaler.Offset {
		if o, f := r.Scaler.Offset[j], r.Scaler.Factor[j]; !finite(o) || !finite(f) || f == 0 {
			return bad(fmt.Sprintf("scaler column %d", j), "offset %g, factor %g (want finite, factor non-zero)", o, f)
		}
	}
	classes := 0
	switch task {
	case datasets.Binary:
		classes = 2
	case datasets.Multiclass:
		classes = len(r.Classes)
	}
	if task == datasets.Binary && len(r.Classes) != 0 && len(r.Classes) != 2 {
		return bad("classes", "%d class names for a binary task", len(r.Classes))
	}
	if r.Weights != nil {
		model, err := trainer.LoadPredictor(r.Weights)
		if err != nil {
			return bad("weights", "%v", err)
		}
		inputs, outputs := model.Shape()
		if inputs != nf {
			return bad("weights", "%d model inputs for %d features", inputs, nf)
		}
		if snap, ok := model.(*trainer.Snapshot); ok && snap.Task != task {
			return bad("weights", "a %s model for a %s run", snap.Task, task)
		}
		if task == datasets.Multiclass {
			if classes == 0 {
				classes = outputs
			}
			if outputs != classes {
				return bad("weights", "%d model outputs for %d classes", outputs, classes)
			}
		} else if outputs != 1 {
			return bad("weights", "%d model outputs for a %s task (want 1)", outputs, task)
		}
	}
	if ev := r.Evaluation; ev != nil {
		for _, e := range []struct {
			name string
			ev   *trainer.Evaluation
		}{{"evaluation.val", &ev.Val}, {"evaluation.test", &ev.Test}} {
			if err := validateEval(e.ev, classes, task); err != nil {
				return bad(e.name, "%v", err)
			}
		}
	}
	last := 0
	for i, e := range r.History {
		// Epochs increase; up to ThinAfter every one is there, past it a
		// long run keeps a subset (see ThinAfter).
		if e.Epoch <= last || e.Epoch <= ThinAfter && e.Epoch != i+1 {
			return bad(fmt.Sprintf("history[%d]", i), "epoch %d after epoch %d (epochs run 1, 2, 3 … with no gap up to %d)", e.Epoch, last, ThinAfter)
		}
		if e.Elapsed < 0 {
			return bad(fmt.Sprintf("history[%d]", i), "negative elapsed time")
		}
		if e.Folds < 0 || e.Folds > r.Spec.CV {
			return bad(fmt.Sprintf("history[%d].folds", i), "%d of the spec's %d cross-validation folds", e.Folds, r.Spec.CV)
		}
		last = e.Epoch
	}
	if r.EpochsDone < last || r.EpochsDone < 0 {
		return bad("epochs_done", "%d, with epoch %d in the history", r.EpochsDone, last)
	}
	if r.BestEpoch < 0 || r.BestEpoch > r.EpochsDone {
		return bad("best_epoch", "%d of %d epochs", r.BestEpoch, r.EpochsDone)
	}
	if r.Params < 0 || r.Duration < 0 {
		return bad("params", "negative params or duration")
	}
	return nil
}

func validateEval(ev *trainer.Evaluation, classes int, task datasets.Task) error {
	if cm := ev.Confusion; len(cm) > 0 {
		if !task.IsClassification() {
			return fmt.Errorf("confusion matrix for a %s task", task)
		}
		if classes > 0 && len(cm) != classes {
			return fmt.Errorf("confusion matrix has %d rows for %d classes", len(cm), classes)
		}
		for i, row := range cm {
			if len(row) != len(cm) {
				return fmt.Errorf("confusion row %d has %d columns, want %d", i, len(row), len(cm))
			}
			for j, v := range row {
				if v < 0 {
					return fmt.Errorf("confusion[%d][%d] is %d", i, j, v)
				}
			}
		}
	}
	if len(ev.ROC) > 0 && task != datasets.Binary {
		return fmt.Errorf("ROC curve for a %s task", task)
	}
	for i, p := range ev.ROC {
		if !(p.FPR >= 0 && p.FPR <= 1 && p.TPR >= 0 && p.TPR <= 1) || math.IsNaN(p.Threshold) {
			return fmt.Errorf("roc[%d] has rates (%g, %g) outside [0, 1]", i, p.FPR, p.TPR)
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// clip shortens text quoted in an error message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
