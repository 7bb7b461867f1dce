package cli

import (
	"fmt"
	"io"
	"strings"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// evalLines are what train prints after a run beyond the test metrics: a
// cross-validated run's fold means ± std, and calibration's before and
// after.
func evalLines(e trainer.FinishedEvent) []string {
	var out []string
	if len(e.Val.Folds) > 0 {
		out = append(out, fmt.Sprintf("cv (%d folds, validation): %s", len(e.Val.Folds), meanStdLine(e.Val)))
		if len(e.Test.Folds) > 0 {
			out = append(out, fmt.Sprintf("test (mean ± std of the %d fold models): %s", len(e.Test.Folds), meanStdLine(e.Test)))
		}
	}
	if c := e.Val.Calibration; c != nil {
		out = append(out, fmt.Sprintf("calibration: temperature %s on validation: ece %s → %s, brier %s → %s",
			numfmt.Short(c.Temperature), numfmt.Value(c.ECEBefore), numfmt.Value(c.ECEAfter), numfmt.Value(c.BrierBefore), numfmt.Value(c.BrierAfter)))
	}
	return out
}

// meanStdLine writes every metric of a cross-validated evaluation as
// "accuracy: 0.9500 ± 0.0300".
func meanStdLine(e trainer.Evaluation) string {
	keys := make([]string, 0, len(e.Metrics))
	for k := range e.Metrics {
		keys = append(keys, k)
	}
	sortMetricKeys(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + trainer.MeanStd(e, k)
	}
	return strings.Join(parts, " - ")
}

// jsonCV is a cross-validated run's result in train --json's finished line.
type jsonCV struct {
	Folds   int                  `json:"folds"`
	Val     map[string]float64   `json:"val"`
	ValStd  map[string]float64   `json:"val_std"`
	TestStd map[string]float64   `json:"test_std,omitempty"`
	PerFold []map[string]float64 `json:"per_fold"`
}

func cvJSON(e trainer.FinishedEvent) *jsonCV {
	if len(e.Val.Folds) == 0 {
		return nil
	}
	return &jsonCV{Folds: len(e.Val.Folds), Val: e.Val.Metrics, ValStd: e.Val.Std, TestStd: e.Test.Std, PerFold: e.Val.Folds}
}

// printEvaluationNotes adds to runs show what the metrics table does not
// say: the target scaling, the calibration before and after, and a
// cross-validated run's out-of-fold confusion matrix and folds.
func printEvaluationNotes(w io.Writer, ev *sessions.Evaluations, r *sessions.Run) {
	if t := r.Scaler.Target; t != nil {
		fmt.Fprintf(w, "\ntarget scaling: %s, fitted on the training split (offset %s, factor %s); metrics and predictions are in the target's units\n",
			t.Kind, numfmt.Value(t.Offset), numfmt.Value(t.Factor))
	}
	for _, l := range evalLines(trainer.FinishedEvent{Val: ev.Val, Test: ev.Test}) {
		fmt.Fprintln(w, l)
	}
	if len(ev.Val.Folds) > 0 && len(ev.Val.Confusion) > 0 {
		fmt.Fprintln(w, "\nout-of-fold confusion matrix (every pooled row once, by the fold model that did not train on it):")
		printConfusion(w, ev.Val.Confusion, r.Classes)
	}
}
