package sessions

import (
	"testing"

	"workbench/trainer"
)

func TestMetricTableSpreadAndSignificance(t *testing.T) {
	run := func(id string, m Metrics) *Run {
		return &Run{ID: id, Task: "multiclass", Spec: trainer.DefaultSpec(), Metrics: m}
	}
	runs := []*Run{
		run("a", Metrics{"cv_accuracy": 0.95, "cv_accuracy_std": 0.03, "test_accuracy": 0.90}),
		run("b", Metrics{"cv_accuracy": 0.93, "cv_accuracy_std": 0.01, "test_accuracy": 0.80}),
		run("c", Metrics{"cv_accuracy": 0.80, "cv_accuracy_std": 0.02}),
		run("d", Metrics{"best_val_accuracy": 0.9}),
	}
	rows := MetricTable(runs)
	var keys []string
	for _, r := range rows {
		keys = append(keys, r.Key)
	}
	if len(rows) != 3 || rows[0].Key != "best_val_accuracy" || rows[1].Key != "cv_accuracy" || rows[2].Key != "test_accuracy" {
		t.Fatalf("rows %v: want best_, cv_, test_ and no _std row", keys)
	}
	cv := rows[1]
	if !cv.Stars[0] || cv.Std[0] != 0.03 || !cv.HasStd[1] || cv.HasStd[3] {
		t.Errorf("cv row %+v", cv)
	}
	// b is 0.02 behind a, within a's std 0.03: not significant; c is not.
	if !cv.NotSignificant[1] || cv.NotSignificant[2] || cv.NotSignificant[0] {
		t.Errorf("not significant %v, want [false true false false]", cv.NotSignificant)
	}
	if rows[2].Std != nil {
		t.Errorf("a row without spreads has Std %v", rows[2].Std)
	}
	if !lowerIsBetter("cv_loss") || lowerIsBetter("cv_accuracy") || !lowerIsBetter("cv_accuracy_std") {
		t.Error("direction of cv_ keys")
	}
}
