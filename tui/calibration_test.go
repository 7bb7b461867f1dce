package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func TestPRAndReliabilityCharts(t *testing.T) {
	st := DefaultStyles()
	p := []float64{0.9, 0.8, 0.3, 0.6, 0.2, 0.7, 0.4, 0.1}
	y := []float64{1, 1, 1, 0, 0, 0, 1, 1}
	e := trainer.Evaluate(datasets.Binary, p, y, 1)
	pr := prChart(&st, e, 40, 12)
	if !strings.Contains(pr, "PR, AP 0.7783") {
		t.Errorf("PR chart title:\n%s", pr)
	}
	rel := reliabilityChart(&st, e, 40, 12)
	if !strings.Contains(rel, "reliability, ECE 0.5000") || !strings.Contains(rel, "•") {
		t.Errorf("reliability chart:\n%s", rel)
	}
	roc := func(w int) string { return strings.Repeat("r", w) }
	for _, w := range []int{30, 60, 100} {
		row := evalRow(&st, datasets.Binary, e, roc, w, 12)
		if got := lipgloss.Width(row); got > w {
			t.Errorf("evalRow at %d cells is %d wide", w, got)
		}
		if n := strings.Count(row, "PR, AP"); (w >= 72) != (n == 1) && w != 60 {
			t.Errorf("at %d cells the PR curve shows %d times", w, n)
		}
	}
	// Hostile values draw nothing outside the chart and never panic.
	bad := trainer.Evaluation{Metrics: map[string]float64{"pr_auc": math.NaN(), "ece": math.Inf(1)},
		PR:          []trainer.PRPoint{{Recall: 0, Precision: 1}, {Recall: math.NaN(), Precision: 2}, {Recall: 1e300, Precision: -1}},
		Reliability: []trainer.ReliabilityBin{{Count: 1, Confidence: math.NaN(), Observed: math.Inf(1)}, {Count: 2, Confidence: 0.5, Observed: 0.5}},
		Confusion:   [][]int{{0, 0}, {0, 0}}}
	for _, s := range []string{prChart(&st, bad, 30, 8), reliabilityChart(&st, bad, 30, 8)} {
		for _, line := range strings.Split(s, "\n") {
			if lipgloss.Width(line) > 30 {
				t.Errorf("line %q wider than 30", line)
			}
		}
	}
	if prChart(&st, e, 8, 3) != "" {
		t.Error("a chart too small to draw should be empty")
	}
}

func TestCrossValidatedRunOnTrainScreen(t *testing.T) {
	a := newApp(t, tempStore(t), 120, 40)
	s := trainer.DefaultSpec()
	s.Epochs, s.CV = 5, 3
	addFixedRun(t, a, s, "20261128-130000-cvcvcv")
	view := a.View()
	if !strings.Contains(view, "done") || !strings.Contains(view, "balanced_accuracy") {
		t.Errorf("a finished 3-fold run's view:\n%s", view)
	}
}

func TestCompareCellMeanStd(t *testing.T) {
	row := sessions.MetricRow{Key: "cv_accuracy", Values: []float64{0.95, 0.93, 0.8}, Have: []bool{true, true, false},
		Stars: []bool{true, false, false}, Std: []float64{0.03, 0.01, 0}, HasStd: []bool{true, true, false},
		NotSignificant: []bool{false, true, false}}
	for i, want := range []struct {
		text string
		mark byte
	}{{"0.9500±0.0300", '*'}, {"0.9300±0.0100", '~'}, {"—", ' '}} {
		if text, mark := compareCell(row, i); text != want.text || mark != want.mark {
			t.Errorf("cell %d = %q %c, want %q %c", i, text, mark, want.text, want.mark)
		}
	}
	if compareColW([]sessions.MetricRow{row}) < len("0.9500±0.0300")+2 {
		t.Error("the column cannot hold mean ± std")
	}
}

func TestRunsTableMetricColumns(t *testing.T) {
	runs := []*sessions.Run{
		{ID: "a", Task: "binary", Metrics: sessions.Metrics{"test_mcc": 0.5, "test_accuracy": 0.9}},
		{ID: "b", Task: "binary", Metrics: sessions.Metrics{"test_mcc": 0.8, "test_accuracy": 0.7}},
		{ID: "c", Task: "binary", Metrics: sessions.Metrics{"test_accuracy": 0.8}},
	}
	sortRuns(runs, "test_key", "mcc", true)
	if runs[0].ID != "b" || runs[1].ID != "a" || runs[2].ID != "c" {
		t.Errorf("by test_mcc descending: %s %s %s", runs[0].ID, runs[1].ID, runs[2].ID)
	}
	sortRuns(runs, "test_key", "", true)
	if runs[0].ID != "a" {
		t.Errorf("by the key metric: %s first", runs[0].ID)
	}
	if metricCell(runs[0], "test_", "mcc") != "0.5000" || metricCell(runs[1], "test_", "mcc") != "—" {
		t.Error("metric cells")
	}
	if metricTitle("BEST VAL", "pr_auc") != "VAL PR_AUC" || metricTitle("TEST", "") != "TEST" {
		t.Error("metric titles")
	}
	seen := map[string]bool{}
	for m := nextRunMetric(""); m != ""; m = nextRunMetric(m) {
		seen[m] = true
	}
	for _, m := range []string{"balanced_accuracy", "mcc", "pr_auc", "brier", "ece"} {
		if !seen[m] {
			t.Errorf("m never shows %s", m)
		}
	}
}

// TestRunsMetricKeySaysWhatItShows: m says which metric the BEST VAL and
// TEST columns now show (it said "sorted by date, descending").
func TestRunsMetricKeySaysWhatItShows(t *testing.T) {
	store := tempStore(t)
	storeSynthRuns(t, store)
	a := newApp(t, store, 80, 24)
	press(a, "3", "m")
	if want := "BEST VAL and TEST show " + nextRunMetric("") + "; m for the next"; a.status != want {
		t.Errorf("m: status %q, want %q", a.status, want)
	}
}
