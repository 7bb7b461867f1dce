package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// runMetrics are the metrics the Runs table's BEST VAL and TEST columns
// cycle through (m): "" is each run's key metric (accuracy or R²), then
// the metrics that judge imbalanced classes and probabilities, and the
// expected cost of runs with a cost matrix.
var runMetrics = []string{"", "balanced_accuracy", "mcc", "pr_auc", "auc", "f1", "brier", "ece", trainer.CostMetric, "loss", "r2", "mae", "rmse"}

// nextRunMetric returns the metric after cur in runMetrics.
func nextRunMetric(cur string) string {
	for i, m := range runMetrics {
		if m == cur {
			return runMetrics[(i+1)%len(runMetrics)]
		}
	}
	return ""
}

// runMetricOf returns the summary metric key a metric column shows for r:
// prefix (best_val_ or test_) and the chosen metric, or r's key metric.
func runMetricOf(r *sessions.Run, prefix, metric string) string {
	if metric == "" {
		task, _ := datasets.ParseTask(r.Task)
		metric = trainer.KeyMetric(task)
	}
	return prefix + metric
}

// metricCell is a BEST VAL or TEST cell for a chosen metric: the value
// alone, since the title names it.
func metricCell(r *sessions.Run, prefix, metric string) string {
	if v, ok := r.Metrics[runMetricOf(r, prefix, metric)]; ok {
		return numfmt.Value(v)
	}
	return "—"
}

// metricTitle is a metric column's title: "BEST VAL" or "TEST", or with a
// chosen metric "VAL MCC", "TEST PR_AUC".
func metricTitle(title, metric string) string {
	if metric == "" {
		return title
	}
	if title == "BEST VAL" {
		title = "VAL"
	}
	return title + " " + strings.ToUpper(metric)
}

// nextSort sorts by the next column shown (s sorted by ARCHITECTURE,
// TIME and DATE where no column, and no arrow, said so), a metric best
// first: ECE ascending (descending put the worst first).
func (m *runsModel) nextSort() {
	shown := map[string]bool{}
	for _, c := range fitColumns(m.w-3, m.content) {
		shown[c.title] = true
	}
	for range runColumns {
		m.sortCol = (m.sortCol + 1) % len(runColumns)
		if shown[runColumns[m.sortCol].title] || len(shown) == 0 {
			break
		}
	}
	switch runColumns[m.sortCol].sort {
	case "val_key", "test_key":
		m.desc = !trainer.LowerIsBetter("val_" + m.metric) // "val_" alone is the key metric: higher is better
	case "created", "epochs", "duration":
		m.desc = true // the newest, longest first
	default:
		m.desc = false
	}
}

func (m runsModel) sortStatus() tea.Cmd {
	dir := "ascending"
	if m.desc {
		dir = "descending"
	}
	if c := runColumns[m.sortCol].sort; c == "val_key" || c == "test_key" {
		if m.desc == !trainer.LowerIsBetter("val_"+m.metric) {
			dir += ", best first"
		} else {
			dir += ", worst first"
		}
	}
	title := runColumns[m.sortCol].title
	if c := runColumns[m.sortCol].sort; c == "val_key" || c == "test_key" {
		title = metricTitle(title, m.metric)
	}
	text := "sorted by " + strings.ToLower(title) + ", " + dir
	return func() tea.Msg { return statusMsg{text: text} }
}
