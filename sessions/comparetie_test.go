package sessions

import (
	"strings"
	"testing"
)

// Runs that tie the best value are all starred: a star on the first of
// two equal values claimed a difference that is not there.
func TestMetricTableStarsEveryTie(t *testing.T) {
	runs := []*Run{
		{ID: "a", Task: "binary", Metrics: map[string]float64{"best_val_accuracy": 1, "best_val_loss": 0.05}},
		{ID: "b", Task: "binary", Metrics: map[string]float64{"best_val_accuracy": 1, "best_val_loss": 0.04}},
		{ID: "c", Task: "binary", Metrics: map[string]float64{"best_val_accuracy": 0.9, "best_val_loss": 0.2}},
	}
	want := map[string][]bool{"best_val_accuracy": {true, true, false}, "best_val_loss": {false, true, false}}
	for _, row := range MetricTable(runs) {
		w := want[row.Key]
		for i := range w {
			if row.Stars[i] != w[i] {
				t.Errorf("%s: stars %v, want %v", row.Key, row.Stars, w)
				break
			}
		}
	}
}

// TestMetricTableCostIsLowerBetter: the expected cost of a decision rule is
// better lower (the higher one was starred), and a threshold is no score
// at all (it was starred as one).
func TestMetricTableCostIsLowerBetter(t *testing.T) {
	runs := []*Run{
		{ID: "a", Task: "binary", Metrics: map[string]float64{"best_val_cost": 0.45, "best_val_cost_at_half": 0.77, "test_cost": 0.49, "best_val_threshold": 0.16, "test_threshold": 0.10}},
		{ID: "b", Task: "binary", Metrics: map[string]float64{"best_val_cost": 0.46, "best_val_cost_at_half": 0.80, "test_cost": 0.45, "best_val_threshold": 0.10, "test_threshold": 0.10}},
	}
	want := map[string][]bool{"best_val_cost": {true, false}, "best_val_cost_at_half": {true, false}, "test_cost": {false, true},
		"best_val_threshold": {false, false}, "test_threshold": {false, false}}
	seen := 0
	for _, row := range MetricTable(runs) {
		w, ok := want[row.Key]
		if !ok {
			continue
		}
		seen++
		for i := range w {
			if row.Stars[i] != w[i] {
				t.Errorf("%s: stars %v, want %v", row.Key, row.Stars, w)
				break
			}
		}
		if strings.HasSuffix(row.Key, "_threshold") && row.Best != -1 {
			t.Errorf("%s: best run %d, want none", row.Key, row.Best)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d rows shown", seen, len(want))
	}
}
