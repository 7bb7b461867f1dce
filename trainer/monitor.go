package trainer

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"workbench/datasets"
)

// Monitor is a metric on a split, such as val_loss: what early stopping,
// the plateau schedule, a stopping rule and a sweep's objective watch.
type Monitor struct {
	Split  string // train or val
	Metric string // loss, accuracy, auc, r2, …
}

func (m Monitor) String() string { return m.Split + "_" + m.Metric }

// ParseMonitor parses a metric name with its split, such as val_loss or
// train_accuracy, whatever the task.
func ParseMonitor(name string) (Monitor, error) {
	m, err := parseMonitor(name)
	return Monitor{Split: m.split, Metric: m.metric}, err
}

// ParseMetric parses a metric name with its split and checks that a task
// computes it: val_r2 is for regression, val_auc for classification.
func ParseMetric(name string, task datasets.Task) (Monitor, error) {
	m, err := ParseMonitor(name)
	if err != nil {
		return m, err
	}
	if m.Metric == CostMetric && task != datasets.Binary {
		return m, fmt.Errorf("%s is for binary tasks with a cost matrix, not %s (try %s)", name, task, strings.Join(MetricNames(task), ", "))
	}
	if !metricForTask(m.Metric, task) {
		return m, fmt.Errorf("%s is not computed for %s tasks (try %s)", m.Metric, task, strings.Join(MetricNames(task), ", "))
	}
	return m, nil
}

// CheckCost returns an error when the metric name (val_cost) needs a
// cost matrix and s has none: no epoch computes the cost, so
// early stopping would keep the first epoch, a rule would never hold and
// a sweep's trials would have no objective. Other names pass.
func (s *Spec) CheckCost(name string) error {
	m, err := parseMonitor(name)
	if err != nil || m.metric != CostMetric || s.Decision.HasCosts() {
		return nil
	}
	return fmt.Errorf("%s needs a cost matrix: set --cost-fn (the cost of a missed positive) and --cost-fp (of a false alarm)", name)
}

// ParseRule parses a stopping rule such as "val_accuracy>=0.97"; it is
// ParseTarget under the name the command line uses.
func ParseRule(rule string) (Target, error) { return ParseTarget(rule) }

// Target is a stopping rule: stop once Metric Op Value holds.
type Target struct {
	Metric string  // e.g. val_accuracy
	Op     string  // >=, >, <= or <
	Value  float64 //
}

// ParseTarget parses a rule such as "val_accuracy>=0.99".
func ParseTarget(s string) (Target, error) {
	s = strings.ReplaceAll(s, " ", "")
	for _, op := range []string{">=", "<=", ">", "<"} {
		if i := strings.Index(s, op); i > 0 {
			v, err := strconv.ParseFloat(s[i+len(op):], 64)
			if err != nil || math.IsNaN(v) {
				return Target{}, fmt.Errorf("bad value in %q", s)
			}
			t := Target{Metric: s[:i], Op: op, Value: v}
			if _, err := parseMonitor(t.Metric); err != nil {
				return Target{}, err
			}
			return t, nil
		}
	}
	return Target{}, fmt.Errorf("%q is not a rule like val_accuracy>=0.99", s)
}

// Met reports whether v satisfies the target.
func (t Target) Met(v float64) bool {
	switch t.Op {
	case ">=":
		return v >= t.Value
	case ">":
		return v > t.Value
	case "<=":
		return v <= t.Value
	case "<":
		return v < t.Value
	}
	return false
}

func (t Target) String() string { return t.Metric + t.Op + strconv.FormatFloat(t.Value, 'g', -1, 64) }

// monitor is the unexported form the training loop uses.
type monitor struct {
	split  string // train, val
	metric string
}

func parseMonitor(s string) (monitor, error) {
	for _, p := range []string{"val", "train"} {
		if strings.HasPrefix(s, p+"_") {
			name := s[len(p)+1:]
			if !knownMetric(name) {
				// Whole and with the nearest: Setup said only "unknown
				// metric \"acc\"" for val_acc.
				return monitor{}, fmt.Errorf("unknown metric %q (did you mean %s?)", s, p+"_"+nearestMetric(name, p == "train"))
			}
			if p == "train" && name != "loss" && name != "accuracy" {
				return monitor{}, fmt.Errorf("only train_loss and train_accuracy are tracked on the training split")
			}
			return monitor{split: p, metric: name}, nil
		}
	}
	return monitor{}, fmt.Errorf("%q must start with val_ or train_ (e.g. val_loss, val_accuracy)", s)
}

// nearestMetric is the known metric a mistyped name most likely meant:
// one it begins (acc: accuracy), else the closest by edits; train says it
// is on the training split, which tracks only loss and accuracy.
func nearestMetric(name string, train bool) string {
	var all []string
	if train {
		all = []string{"loss", "accuracy"}
	}
	for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
		for _, m := range metricsByTask[task] {
			if !train && !slices.Contains(all, m) {
				all = append(all, m)
			}
		}
	}
	if !train {
		all = append(all, CostMetric)
	}
	if name != "" {
		for _, m := range all {
			if strings.HasPrefix(m, name) {
				return m
			}
		}
	}
	return closest(name, all)
}
