package trainer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"workbench/datasets"
	"workbench/numfmt"
)

// MaxFolds bounds Spec.CV.
const MaxFolds = 20

var (
	scaleTargetNames = []string{"none", "standard", "minmax"}
	calibrateNames   = []string{"none", "temperature"}
)

// DefaultScaleTarget returns the target scaling a new run takes for a
// task: standard for regression, none (empty) for classification. Runs
// saved before target scaling existed keep their empty field, which means
// none.
func DefaultScaleTarget(task datasets.Task) string {
	if task == datasets.Regression {
		return "standard"
	}
	return ""
}

// setScaleTarget keeps an explicit none: an empty scale_target is a spec
// that did not choose, which a new regression run fills with
// DefaultScaleTarget, so none must not collapse into it. (A run saved
// before target scaling existed holds "" and trained on raw targets; Get
// shows it as none.)
func setScaleTarget(s *Spec, v string) error {
	v = strings.TrimSpace(v)
	if v != "" && !slices.Contains(scaleTargetNames, v) {
		return fmt.Errorf("unknown value %q (want %s)", v, strings.Join(scaleTargetNames, ", "))
	}
	s.ScaleTarget = v
	return nil
}

// validateEval checks what the evaluation rows (fields.go) cannot check
// one field at a time.
func (s *Spec) validateEval() error {
	if s.CVAll && s.CV == 0 {
		return fmt.Errorf("cv_all: puts every row in the folds, and cv is 0 (off): set cv to the number of folds")
	}
	return nil
}

// checkEvalTask checks the evaluation fields against a task.
func (s *Spec) checkEvalTask(task datasets.Task) error {
	if task != datasets.Regression && s.ScaleTarget != "" && s.ScaleTarget != "none" {
		return fmt.Errorf("scale_target: %s scales a regression target; a %s target is a class (use none)", s.ScaleTarget, task)
	}
	if task == datasets.Regression {
		if w, _ := parseClassWeight(s.ClassWeight); w.kind != weightNone {
			return fmt.Errorf("class_weight: weights classes; a regression task has none (use none)")
		}
		if s.Calibrate == "temperature" {
			return fmt.Errorf("calibrate: temperature scaling calibrates class probabilities; a regression task has none (use none)")
		}
	}
	return nil
}

// CalibrationNote says, for a spec that calibrates a classifier by
// temperature scaling, which metrics are before it: each epoch's
// validation metrics, and so the best epoch and its best_val_…, score the
// uncalibrated probabilities, since the temperature is fitted once, on the
// final weights; the final validation and test evaluations are after it.
// The temperature changes the loss, brier and ece but not the class
// predicted, except at a fixed threshold other than 0.5, where the epochs
// cut uncalibrated probabilities and the test calibrated ones. It is a
// sentence for a report (long) or a phrase; "" for any other spec or task.
func (s Spec) CalibrationNote(task datasets.Task, long bool) string {
	if s.Calibrate != "temperature" || !task.IsClassification() {
		return ""
	}
	thr := s.Decision.Threshold
	fixed := task == datasets.Binary && thr != 0 && thr != 0.5
	if !long {
		if fixed {
			return fmt.Sprintf("best_val_… uncalibrated (cut at %s); test_… calibrated", numfmt.Short(thr))
		}
		return "best_val_… uncalibrated; test_… calibrated"
	}
	what := "it changes loss, brier and ece, not the class predicted"
	if fixed {
		what = fmt.Sprintf("it changes loss, brier and ece, and which rows threshold %s puts positive: the epochs cut the uncalibrated probabilities there", numfmt.Short(thr))
	}
	return fmt.Sprintf("calibration: each epoch's validation metrics (best_val_…) are before temperature scaling, which is fitted once, "+
		"on the final weights; test_… are after it (%s)", what)
}

type weightKind int

const (
	weightNone weightKind = iota
	weightBalanced
	weightGiven
)

// classWeight is a parsed Spec.ClassWeight.
type classWeight struct {
	kind  weightKind
	names []string // CLASS of each CLASS=W pair
	vals  []float64
}

// parseClassWeight parses none (or ""), balanced, or CLASS=W pairs
// separated by commas, where CLASS is a class name or index and W a
// positive weight.
func parseClassWeight(s string) (classWeight, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "none":
		return classWeight{}, nil
	case "balanced":
		return classWeight{kind: weightBalanced}, nil
	}
	w := classWeight{kind: weightGiven}
	for _, pair := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(pair, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return w, fmt.Errorf("%q is not none, balanced or CLASS=W pairs such as bad=2.5,good=1", s)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || !(v > 0 && v <= 1e6) {
			return w, fmt.Errorf("the weight of %q is %q; want a number in (0, 1e6]", name, strings.TrimSpace(val))
		}
		w.names = append(w.names, name)
		w.vals = append(w.vals, v)
	}
	return w, nil
}

// ClassWeights returns each class's loss weight for a spec's class_weight
// on a training split's labels (k classes, named by names): nil for none;
// balanced gives class c the weight n / (k·n_c), as scikit-learn and
// Keras users compute it; CLASS=W pairs set the classes they name (by
// name or index) and leave the others at 1. It returns an error naming
// class_weight for an unknown class.
func ClassWeights(spec string, names []string, y []float64, k int) ([]float64, error) {
	cw, err := parseClassWeight(spec)
	if err != nil {
		return nil, fmt.Errorf("class_weight: %v", err)
	}
	switch cw.kind {
	case weightNone:
		return nil, nil
	case weightBalanced:
		count := make([]float64, k)
		for _, v := range y {
			if c := int(v); c >= 0 && c < k {
				count[c]++
			}
		}
		w := make([]float64, k)
		for c := range w {
			w[c] = 1
			if count[c] > 0 {
				w[c] = float64(len(y)) / (float64(k) * count[c])
			}
		}
		return w, nil
	}
	w := make([]float64, k)
	for c := range w {
		w[c] = 1
	}
	for i, name := range cw.names {
		c := classIndex(name, names, k)
		if c < 0 {
			return nil, fmt.Errorf("class_weight: unknown class %q (classes: %s)", name, strings.Join(classList(names, k), ", "))
		}
		w[c] = cw.vals[i]
	}
	return w, nil
}

func classIndex(name string, names []string, k int) int {
	for i, n := range names {
		if n == name && i < k {
			return i
		}
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < k {
		return i
	}
	return -1
}

func classList(names []string, k int) []string {
	out := make([]string, k)
	for i := range out {
		out[i] = strconv.Itoa(i)
		if i < len(names) {
			out[i] = names[i]
		}
	}
	return out
}
