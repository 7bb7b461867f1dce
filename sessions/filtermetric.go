package sessions

import (
	"fmt"
	"slices"
	"strings"

	"workbench/datasets"
	"workbench/trainer"
)

// FilterMetrics lists every metric name a filter or a sort may use: each
// task's metrics and the expected cost, by split and summary (val_, test_,
// best_val_, last_val_, cv_…), the decision rule's, and a cross-validated
// run's spreads over folds.
func FilterMetrics() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	var names []string
	for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
		names = append(names, trainer.MetricNames(task)...)
	}
	names = append(names, trainer.CostMetric)
	for _, p := range []string{"val_", "test_", "best_val_", "last_val_", "cv_"} {
		for _, m := range names {
			add(p + m)
		}
		for _, m := range trainer.RuleMetrics() {
			add(p + m)
		}
	}
	for _, p := range []string{"train_", "best_train_", "last_train_"} {
		add(p + "loss")
		add(p + "accuracy")
	}
	for _, p := range []string{"cv_", "test_"} {
		for _, m := range names {
			add(p + m + "_std")
		}
	}
	return out
}

// CheckFilterMetric refuses a filter whose metric no run can have
// (val_acc>0.9 listed no runs, in silence), naming the nearest known one:
// "unknown metric val_acc; did you mean val_accuracy?". Filters on other
// fields, and those that do not parse (ParseFilter says why), pass.
func CheckFilterMetric(expr string) error {
	var q Query
	if q.ParseFilter(expr) != nil || len(q.Conds) == 0 {
		return nil
	}
	key := strings.TrimSpace(expr[:strings.IndexAny(expr, "<>=!")])
	known := FilterMetrics()
	if slices.Contains(known, key) {
		return nil
	}
	if s := nearestMetric(key, known); s != "" {
		return fmt.Errorf("filter %q: unknown metric %s; did you mean %s?", expr, key, s)
	}
	return fmt.Errorf("filter %q: unknown metric %s (such as val_accuracy, test_f1, val_loss)", expr, key)
}

// nearestMetric is the known name s begins (val_acc is val_accuracy,
// though val_auc is one edit away), else the nearest within a third of
// its length in edits, else "".
func nearestMetric(s string, known []string) string {
	if len(s) >= 4 {
		for _, c := range known {
			if strings.HasPrefix(c, s) {
				return c
			}
		}
	}
	// In half edits: two adjacent letters swapped (rsme) is nearer than
	// one letter left out (mse).
	limit := 2 * min(max(len([]rune(s))/3, 1), 3)
	best, bestD := "", limit+1
	for _, c := range known {
		d := 2 * trainer.EditDistance(s, c)
		if trainer.Transposed(s, c) {
			d = 1
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
