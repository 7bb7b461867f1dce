package trainer

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/stat"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestBinaryMetricsHandComputed(t *testing.T) {
	p := []float64{0.9, 0.8, 0.3, 0.6, 0.2, 0.7, 0.4, 0.1}
	y := []float64{1, 1, 1, 0, 0, 0, 1, 1}
	// Predictions at 0.5: 1 1 0 1 0 1 0 0 → TP 2, FN 3, FP 2, TN 1.
	e := BinaryMetrics(p, y)
	want := map[string]float64{"accuracy": 3.0 / 8, "precision": 0.5, "recall": 0.4, "f1": 2 * 0.5 * 0.4 / 0.9}
	for k, v := range want {
		if !near(e.Metrics[k], v, 1e-12) {
			t.Errorf("%s = %v, want %v", k, e.Metrics[k], v)
		}
	}
	if e.Confusion[0][0] != 1 || e.Confusion[0][1] != 2 || e.Confusion[1][0] != 3 || e.Confusion[1][1] != 2 {
		t.Errorf("confusion %v, want [[1 2] [3 2]]", e.Confusion)
	}
}

func TestAUCWithTies(t *testing.T) {
	// Positive-negative pairs: 0.8/0.8 tie ½, 0.8>0.5, 0.8>0.2, 0.5<0.8,
	// 0.5/0.5 tie ½, 0.5>0.2 → 4 of 6.
	score := []float64{0.8, 0.8, 0.5, 0.5, 0.2}
	y := []float64{1, 0, 1, 0, 0}
	pts, auc, ok := ROC(score, y)
	if !ok || !near(auc, 4.0/6, 1e-12) {
		t.Fatalf("AUC = %v (ok %v), want 2/3", auc, ok)
	}
	// Ties move both rates at once: (0,0) (1/3,1/2) (2/3,1) (1,1).
	want := [][2]float64{{0, 0}, {1.0 / 3, 0.5}, {2.0 / 3, 1}, {1, 1}}
	if len(pts) != len(want) {
		t.Fatalf("ROC has %d points, want %d: %v", len(pts), len(want), pts)
	}
	for i, w := range want {
		if !near(pts[i].FPR, w[0], 1e-12) || !near(pts[i].TPR, w[1], 1e-12) {
			t.Errorf("point %d = (%v, %v), want %v", i, pts[i].FPR, pts[i].TPR, w)
		}
	}
	if _, _, ok := ROC([]float64{0.1, 0.9}, []float64{1, 1}); ok {
		t.Error("AUC of a single class should be undefined")
	}
	if _, has := BinaryMetrics([]float64{0.1, 0.9}, []float64{1, 1}).Metrics["auc"]; has {
		t.Error("undefined AUC should be left out of the metrics")
	}
}

func TestMulticlassMetricsHandComputed(t *testing.T) {
	// Predicted classes 0 1 1 1 2 0 for labels 0 0 1 1 2 2.
	pred := []int{0, 1, 1, 1, 2, 0}
	y := []float64{0, 0, 1, 1, 2, 2}
	p := make([]float64, 6*3)
	for i, c := range pred {
		p[i*3+c] = 0.8
		p[i*3+(c+1)%3] = 0.15
		p[i*3+(c+2)%3] = 0.05
	}
	e := MulticlassMetrics(p, y, 3)
	// Per class (P, R, F1): (1/2, 1/2, 1/2), (2/3, 1, 4/5), (1, 1/2, 2/3).
	want := map[string]float64{
		"accuracy":        4.0 / 6,
		"precision_macro": (0.5 + 2.0/3 + 1) / 3,
		"recall_macro":    (0.5 + 1 + 0.5) / 3,
		"f1_macro":        (0.5 + 0.8 + 2.0/3) / 3,
		// supports are all 2, so weighted equals macro here
		"f1_weighted": (0.5 + 0.8 + 2.0/3) / 3,
	}
	for k, v := range want {
		if !near(e.Metrics[k], v, 1e-12) {
			t.Errorf("%s = %v, want %v", k, e.Metrics[k], v)
		}
	}
	wantCM := [][]int{{1, 1, 0}, {0, 2, 0}, {1, 0, 1}}
	for i := range wantCM {
		for j := range wantCM[i] {
			if e.Confusion[i][j] != wantCM[i][j] {
				t.Fatalf("confusion %v, want %v", e.Confusion, wantCM)
			}
		}
	}
}

func TestRegressionMetricsHandComputed(t *testing.T) {
	// scikit-learn's r2_score example: 0.948608137...
	y := []float64{3, -0.5, 2, 7}
	pred := []float64{2.5, 0.0, 2, 8}
	e := RegressionMetrics(pred, y)
	want := map[string]float64{"mse": 0.375, "rmse": math.Sqrt(0.375), "mae": 0.5, "r2": 0.9486081370449679}
	for k, v := range want {
		if !near(e.Metrics[k], v, 1e-12) {
			t.Errorf("%s = %v, want %v", k, e.Metrics[k], v)
		}
	}
}

// TestROCMatchesGonum cross-checks ROC and its AUC against gonum's
// stat.ROC (all cutoffs) integrated by integrate.Trapezoidal, on random
// scores with many ties, and on the metric Evaluate reports.
func TestROCMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for trial := 0; trial < 20; trial++ {
		n := 5 + r.IntN(200)
		score, y := make([]float64, n), make([]float64, n)
		for i := range score {
			score[i] = float64(r.IntN(1+trial)) / float64(1+trial) // coarse: ties
			if r.Float64() < 0.4 {
				y[i] = 1
			}
		}
		pts, auc, ok := ROC(score, y)
		s, c := append([]float64(nil), score...), make([]bool, n)
		for i := range c {
			c[i] = y[i] == 1
		}
		stat.SortWeightedLabeled(s, c, nil)
		tpr, fpr, _ := stat.ROC(nil, s, c, nil)
		if !ok {
			if !math.IsNaN(tpr[len(tpr)-1]) && !math.IsNaN(fpr[len(fpr)-1]) {
				t.Fatalf("trial %d: ROC says one class, gonum finds both", trial)
			}
			continue
		}
		want := integrate.Trapezoidal(fpr, tpr)
		if math.Abs(auc-want) > 1e-12 {
			t.Fatalf("trial %d: AUC %v, gonum %v", trial, auc, want)
		}
		if len(pts) != len(tpr) {
			t.Fatalf("trial %d: %d points, gonum %d", trial, len(pts), len(tpr))
		}
		for i := range pts {
			if math.Abs(pts[i].TPR-tpr[i]) > 1e-12 || math.Abs(pts[i].FPR-fpr[i]) > 1e-12 {
				t.Fatalf("trial %d point %d: (%v, %v), gonum (%v, %v)", trial, i, pts[i].FPR, pts[i].TPR, fpr[i], tpr[i])
			}
		}
		if e := BinaryMetrics(score, y); math.Abs(e.Metrics["auc"]-want) > 1e-12 {
			t.Fatalf("trial %d: Evaluate's auc %v, gonum %v", trial, e.Metrics["auc"], want)
		}
	}
}
