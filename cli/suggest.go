package cli

import (
	"os"
	"strings"

	"workbench/datasets"
	"workbench/trainer"
)

// suggest returns the candidate nearest to s, if it is near enough to be
// a typo: at most a third of s's length away (and at least 1 and at most
// 3 edits), or a candidate that s is a prefix of. Ties go to the first.
func suggest(s string, candidates []string) string {
	// A name cut short means the one it begins: val_acc is val_accuracy,
	// though val_auc is one edit away.
	if len(s) >= 4 {
		for _, c := range candidates {
			if strings.HasPrefix(c, s) && c != s {
				return c
			}
		}
	}
	limit := min(max(len([]rune(s))/3, 1), 3)
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := trainer.EditDistance(strings.ToLower(s), strings.ToLower(c))
		if trainer.Transposed(strings.ToLower(s), strings.ToLower(c)) {
			d = 1 // irsi is one slip from iris, not two edits
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" && len(s) == 3 {
		for _, c := range candidates {
			if strings.HasPrefix(c, s) {
				return c
			}
		}
	}
	return best
}

// checkDataName rejects a --data value that is neither a built-in dataset
// nor an existing file, when it names no file: "spirals" gets "did you
// mean spiral?". A value that looks like a path is left for the loader to
// report.
func checkDataName(v string) error {
	if v == "-" || datasets.Known(v) {
		return nil
	}
	if _, err := os.Stat(v); err == nil {
		return nil
	}
	if s := suggest(v, datasets.Names()); s != "" {
		return usagef("unknown dataset %s; did you mean %s?", v, s)
	}
	if !strings.ContainsAny(v, `/\.`) {
		return usagef("unknown dataset %s: not a built-in dataset (see 'workbench datasets') nor a file", v)
	}
	return nil
}

// metricNames lists every metric name a rule, monitor or filter may use:
// val_ and test_ of each task's metrics and of the expected cost (a binary
// run with a cost matrix computes it), and the two tracked on the training
// split.
func metricNames(prefixes ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, p := range prefixes {
		if p == "train_" {
			add("train_loss")
			add("train_accuracy")
			continue
		}
		for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
			for _, m := range trainer.MetricNames(task) {
				add(p + m)
			}
		}
		add(p + trainer.CostMetric)
	}
	return out
}

// checkMetric rejects an unknown metric name with the nearest known one.
// what names the flag, such as --until.
func checkMetric(what, name string, known []string) error {
	for _, k := range known {
		if k == name {
			return nil
		}
	}
	msg := "unknown metric " + name + " in " + what
	if s := suggest(name, known); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return usageError{msg}
}
