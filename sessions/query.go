package sessions

import (
	"fmt"
	"strconv"
	"strings"

	"workbench/datasets"
	"workbench/trainer"
)

// datasetLabel is the dataset a run lists for data given as val: a CSV
// path, as --data took it, is listed by its file name (datasets.Spec's
// Label), so dataset=data/my.csv finds the runs trained on it.
func datasetLabel(val string) string {
	if !strings.ContainsAny(val, `/\`) {
		return val // a built-in name or a bare file name
	}
	spec := datasets.Spec{Path: val}
	return spec.Label()
}

// Query selects and orders runs for ListRuns.
type Query struct {
	Status  []string // any of these statuses
	Dataset string
	Tag     string
	Text    string // in the name, notes, ID, dataset, architecture or tags
	SweepID string
	Conds   []Cond // metric thresholds
	// Sort is a column (created, name, status, dataset, epochs, duration,
	// lr, summary) or a metric key (best_val_accuracy, test_f1 …; a bare
	// val_accuracy means its best value); a leading "-" sorts descending.
	// Empty means newest first.
	Sort  string
	Limit int
	// Metrics are metric keys (such as best_val_f1) that summaries carry
	// besides the key metrics; ListRuns always has every metric.
	Metrics []string
}

// Cond is a metric threshold such as best_val_accuracy > 0.9.
type Cond struct {
	Key   string
	Op    string // > >= < <= = !=
	Value float64
}

// sortColumns maps sortable column names to SQL.
var sortColumns = map[string]string{
	"created": "created_at", "name": "name", "status": "status", "dataset": "dataset",
	"epochs": "epochs_done", "duration": "duration_ns", "lr": "lr", "summary": "summary",
	"optimizer": "optimizer", "id": "id", "params": "params", "tags": "tags",
}

// MetricKey normalizes a metric name: val_accuracy means its best value
// (best_val_accuracy); best_, last_ and test_ keys stay as they are.
func MetricKey(s string) string {
	for _, p := range []string{"best_", "last_", "test_", "cv_"} {
		if strings.HasPrefix(s, p) {
			return s
		}
	}
	return "best_" + s
}

// ParseFilter adds one filter expression to q:
//
//	status=done  dataset=iris  tag=baseline  text~spiral  sweep=ID
//	val_accuracy>0.9  test_f1>=0.8  last_val_loss<0.1
//
// A bare metric such as val_accuracy is compared by its best value.
func (q *Query) ParseFilter(expr string) error {
	expr = strings.TrimSpace(expr)
	for _, op := range []string{">=", "<=", "!=", "~", ">", "<", "="} {
		i := strings.Index(expr, op)
		if i <= 0 {
			continue
		}
		key, val := strings.TrimSpace(expr[:i]), strings.TrimSpace(expr[i+len(op):])
		switch key {
		case "status":
			if op != "=" {
				return fmt.Errorf("filter %q: status takes =", expr)
			}
			for _, st := range strings.Split(val, "|") {
				if err := checkStatus(st); err != nil {
					return fmt.Errorf("filter %q: %v", expr, err)
				}
				q.Status = append(q.Status, st)
			}
			return nil
		case "dataset", "tag", "sweep":
			if op != "=" {
				return fmt.Errorf("filter %q: %s takes =", expr, key)
			}
			// Each holds one value: a second one that differs is refused
			// (it replaced the first, where filters combine with AND).
			field := map[string]*string{"dataset": &q.Dataset, "tag": &q.Tag, "sweep": &q.SweepID}[key]
			if key == "dataset" {
				val = datasetLabel(val)
			}
			if *field != "" && *field != val {
				return fmt.Errorf("filter %q: %s=%s is given already: give one %s filter", expr, key, *field, key)
			}
			*field = val
			return nil
		case "text", "name":
			if op != "~" && op != "=" {
				return fmt.Errorf("filter %q: text takes ~", expr)
			}
			if q.Text != "" && q.Text != val {
				return fmt.Errorf("filter %q: text~%s is given already: give one text filter", expr, q.Text)
			}
			q.Text = val
			return nil
		}
		if op == "~" {
			return fmt.Errorf("filter %q: metrics take > >= < <= = !=", expr)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return fmt.Errorf("filter %q: %q is not a number", expr, val)
		}
		if !validMetricName(key) {
			return fmt.Errorf("filter %q: unknown field %q (status, dataset, tag, text or a metric such as val_accuracy)", expr, key)
		}
		q.Conds = append(q.Conds, Cond{Key: MetricKey(key), Op: op, Value: v})
		return nil
	}
	return fmt.Errorf("filter %q: want FIELD OP VALUE, such as val_accuracy>0.9 or status=done", expr)
}

// runStatuses are the statuses a run is stored with: a status filter
// naming another (status=finished) is an error, not an empty list.
var runStatuses = []trainer.Status{trainer.StatusRunning, trainer.StatusDone, trainer.StatusEarlyStopped,
	trainer.StatusTargetReached, trainer.StatusDiverged, trainer.StatusStopped, trainer.StatusPruned,
	trainer.StatusInterrupted, trainer.StatusFailed}

// checkStatus refuses a status no run can have, which matched nothing in
// silence (status=dne listed no runs), suggesting the nearest.
func checkStatus(s string) error {
	best, bestD := "", 3
	names := make([]string, len(runStatuses))
	for i, st := range runStatuses {
		if string(st) == s {
			return nil
		}
		names[i] = string(st)
		if d := trainer.EditDistance(s, names[i]); d < bestD {
			best, bestD = names[i], d
		}
	}
	if best != "" {
		return fmt.Errorf("unknown status %q; did you mean %s?", s, best)
	}
	return fmt.Errorf("unknown status %q (%s)", s, strings.Join(names, ", "))
}

func validMetricName(k string) bool {
	for _, p := range []string{"best_", "last_"} {
		k = strings.TrimPrefix(k, p)
	}
	return strings.HasPrefix(k, "val_") || strings.HasPrefix(k, "train_") || strings.HasPrefix(k, "test_") || strings.HasPrefix(k, "cv_")
}

// ValidSort reports whether s names a sortable column or metric.
func ValidSort(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if _, ok := sortColumns[s]; ok || s == "" {
		return true
	}
	return validMetricName(s)
}
