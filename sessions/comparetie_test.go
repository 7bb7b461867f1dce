package sessions

import "testing"

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
