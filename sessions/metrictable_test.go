package sessions

import (
	"slices"
	"testing"

	"workbench/trainer"
)

// TestMetricTableRanksOnlyComparableRuns: an MSE loss is not ranked
// against a cross-entropy, nor a regression run against a classifier.
func TestMetricTableRanksOnlyComparableRuns(t *testing.T) {
	run := func(task, loss string, valLoss, acc float64) *Run {
		r := &Run{Task: task, Spec: trainer.DefaultSpec(), Metrics: Metrics{"best_val_loss": valLoss}}
		r.Spec.Loss = loss
		if task != "regression" {
			r.Metrics["best_val_accuracy"] = acc
		}
		return r
	}
	runs := []*Run{
		run("binary", "bce", 0.30, 0.90),
		run("binary", "mse", 0.05, 0.80), // a lower loss, but another loss function
		run("binary", "bce", 0.20, 0.85),
		run("regression", "mse", 10, 0),
	}
	rows := map[string]MetricRow{}
	for _, r := range MetricTable(runs) {
		rows[r.Key] = r
	}
	loss := rows["best_val_loss"]
	if want := []bool{false, true, true, true}; !slices.Equal(loss.Stars, want) || loss.Best != 2 {
		t.Fatalf("best_val_loss stars %v best %d, want %v and 2", loss.Stars, loss.Best, want)
	}
	acc := rows["best_val_accuracy"]
	if want := []bool{true, false, false, false}; !slices.Equal(acc.Stars, want) || acc.Best != 0 {
		t.Fatalf("best_val_accuracy stars %v best %d, want %v and 0", acc.Stars, acc.Best, want)
	}
	if Groups(runs, "best_val_loss") != 3 || Groups(runs[:1], "best_val_loss") != 1 {
		t.Fatal("wrong group counts")
	}
}

// TestMetricTableRanksEachDatasetApart: an accuracy on circle says nothing
// of one on another dataset.
func TestMetricTableRanksEachDatasetApart(t *testing.T) {
	runs := []*Run{
		{Dataset: "circle", Task: "binary", Metrics: Metrics{"best_val_accuracy": 1}},
		{Dataset: "mixed.csv", Task: "binary", Metrics: Metrics{"best_val_accuracy": 0.5}},
	}
	for _, r := range MetricTable(runs) {
		if r.Key == "best_val_accuracy" && !slices.Equal(r.Stars, []bool{true, true}) {
			t.Fatalf("stars %v", r.Stars)
		}
	}
	if Groups(runs, "best_val_accuracy") != 2 {
		t.Fatal("one group for two datasets")
	}
}
