package sessions

import (
	"math"
	"strings"
)

// addSpread fills a metric row's Std from the runs' <key>_std metrics
// (cross-validated runs) and marks as NotSignificant each run whose value
// is within one standard deviation of its group's best: with the spread
// over folds that large, the difference may be luck. A run without a
// spread is compared by the best run's spread alone.
func addSpread(row *MetricRow, runs []*Run) {
	if strings.HasSuffix(row.Key, "_std") {
		return
	}
	std := make([]float64, len(runs))
	has := make([]bool, len(runs))
	any := false
	for i, r := range runs {
		if v, ok := r.Metrics[row.Key+"_std"]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			std[i], has[i], any = v, true, true
		}
	}
	if !any {
		return
	}
	row.Std, row.HasStd = std, has
	row.NotSignificant = make([]bool, len(runs))
	for i, r := range runs {
		if !row.Have[i] || row.Stars[i] {
			continue
		}
		for b, rb := range runs {
			if !row.Stars[b] || comparableGroup(rb, row.Key) != comparableGroup(r, row.Key) {
				continue
			}
			if s := math.Max(std[i], std[b]); math.Abs(row.Values[i]-row.Values[b]) <= s {
				row.NotSignificant[i] = true
			}
		}
	}
}

// metricTableKey reports whether a summary metric is a row of the metric
// table: best_, test_ and cv_ values, whose spreads (_std) go in the rows
// of their means.
func metricTableKey(k string) bool {
	if strings.HasSuffix(k, "_std") {
		return false
	}
	return strings.HasPrefix(k, "best_") || strings.HasPrefix(k, "test_") || strings.HasPrefix(k, "cv_")
}
