package trainer

import (
	"math"
	"testing"

	"workbench/datasets"
)

// The references marked sklearn were computed with scikit-learn 1.2
// (average_precision_score, matthews_corrcoef, balanced_accuracy_score,
// brier_score_loss) on the same inputs.
func TestExtraBinaryMetrics(t *testing.T) {
	p := []float64{0.9, 0.8, 0.3, 0.6, 0.2, 0.7, 0.4, 0.1}
	y := []float64{1, 1, 1, 0, 0, 0, 1, 1}
	e := Evaluate(datasets.Binary, p, y, 1)
	// TP 2, FN 3, FP 2, TN 1: recall 0.4, specificity 1/3.
	want := map[string]float64{
		"balanced_accuracy": (0.4 + 1.0/3) / 2,                // sklearn 0.36666…
		"mcc":               (2*1 - 2*3) / math.Sqrt(4*5*3*4), // sklearn −0.2581988897471611
		"pr_auc":            0.7783333333333333,               // sklearn
		"brier":             2.6 / 8,                          // 0.01+0.04+0.49+0.36+0.04+0.49+0.36+0.81
		"ece":               4.0 / 8,                          // one row a bin: Σ|p−y| / 8
	}
	for k, v := range want {
		if !near(e.Metrics[k], v, 1e-12) {
			t.Errorf("%s = %v, want %v", k, e.Metrics[k], v)
		}
	}
	if len(e.PR) != 9 || e.PR[0] != (PRPoint{Recall: 0, Precision: 1, Threshold: 1}) {
		t.Errorf("PR curve %v: want 9 points from (0, 1)", e.PR)
	}
	if last := e.PR[len(e.PR)-1]; last.Recall != 1 || !near(last.Precision, 5.0/8, 1e-12) {
		t.Errorf("PR ends at %+v, want recall 1, precision 5/8", last)
	}
}

func TestAveragePrecisionTiesAndEdges(t *testing.T) {
	// Ties share a threshold: (0.8: 1 of 2 positive) then (0.5: 2 of 4).
	// AP = 0.5·0.5 + 0.5·0.5 = 0.5 (sklearn 0.5).
	_, ap, ok := PRCurve([]float64{0.8, 0.8, 0.5, 0.5, 0.2}, []float64{1, 0, 1, 0, 0})
	if !ok || !near(ap, 0.5, 1e-12) {
		t.Errorf("AP = %v (ok %v), want 0.5", ap, ok)
	}
	if _, _, ok := PRCurve([]float64{0.3, 0.4}, []float64{0, 0}); ok {
		t.Error("AP with no positive should be undefined")
	}
	if _, has := BinaryMetrics([]float64{0.1}, []float64{0}).Metrics["pr_auc"]; has {
		t.Error("BinaryMetrics alone should not add pr_auc")
	}
	if _, has := Evaluate(datasets.Binary, []float64{0.1, 0.2}, []float64{0, 0}, 1).Metrics["pr_auc"]; has {
		t.Error("undefined pr_auc should be left out")
	}
	if m := MCC([][]int{{3, 0}, {2, 0}}); m != 0 {
		t.Errorf("MCC with one predicted class = %v, want 0", m)
	}
	// A perfect ranking has AP 1.
	if _, ap, _ := PRCurve([]float64{0.9, 0.8, 0.1}, []float64{1, 1, 0}); ap != 1 {
		t.Errorf("perfect AP = %v", ap)
	}
}

func TestExtraMulticlassMetrics(t *testing.T) {
	y := []float64{0, 1, 2, 2, 1, 0, 2, 1}
	p := []float64{
		0.7, 0.2, 0.1,
		0.2, 0.5, 0.3,
		0.1, 0.3, 0.6,
		0.3, 0.3, 0.4,
		0.5, 0.4, 0.1,
		0.6, 0.3, 0.1,
		0.2, 0.6, 0.2,
		0.3, 0.4, 0.3,
	}
	e := Evaluate(datasets.Multiclass, p, y, 3)
	// Predicted 0 1 2 2 0 0 1 1: class recalls 2/2, 2/3, 2/3.
	want := map[string]float64{
		"balanced_accuracy": (1 + 2.0/3 + 2.0/3) / 3,
		"pr_auc":            0.8444444444444444, // sklearn macro average_precision_score
		"brier":             3.78 / 8,           // Σ rows Σ classes (p − one-hot)², by hand
		// Top-label bins: 0.4 {hit, hit}, 0.5 {hit, miss}, 0.6 {hit, hit, miss}, 0.7 {hit}:
		// (2·0.6 + 0 + 3·|0.6 − 2/3| + 0.3) / 8.
		"ece": 1.7 / 8,
	}
	for k, v := range want {
		if !near(e.Metrics[k], v, 1e-12) {
			t.Errorf("%s = %v, want %v", k, e.Metrics[k], v)
		}
	}
	// Gorodkin's MCC, against sklearn: y_true 0 1 2 2 1 0 2, y_pred 0 2 2 2 1 1 0 → 0.34375.
	cm := [][]int{{1, 1, 0}, {0, 1, 1}, {1, 0, 2}}
	if m := MCC(cm); !near(m, 0.34375, 1e-12) {
		t.Errorf("MCC = %v, want 0.34375", m)
	}
}

func TestECESharedBins(t *testing.T) {
	// Bin 9 {0.95→1, 0.92→0}: |0.935 − 0.5|·2; bin 1 {0.15, 0.12 → 0}:
	// 0.135·2; bin 5 {0.55→1}: 0.45. ECE = 1.59 / 5.
	p := []float64{0.95, 0.92, 0.15, 0.12, 0.55}
	y := []float64{1, 0, 0, 0, 1}
	bins := Reliability(p, y, 1)
	if got := ECE(bins); !near(got, 1.59/5, 1e-12) {
		t.Errorf("ECE = %v, want %v", got, 1.59/5)
	}
	if bins[9].Count != 2 || !near(bins[9].Observed, 0.5, 0) || bins[0].Count != 0 {
		t.Errorf("bins %+v", bins)
	}
	// p = 1 falls in the last bin.
	if b := Reliability([]float64{1}, []float64{1}, 1); b[9].Count != 1 {
		t.Errorf("p = 1 went to %+v", b)
	}
	if !math.IsNaN(ECE(Reliability(nil, nil, 1))) {
		t.Error("ECE of nothing should be NaN")
	}
}

func TestClassWeights(t *testing.T) {
	y := []float64{0, 0, 0, 1} // 3 : 1
	w, err := ClassWeights("balanced", []string{"good", "bad"}, y, 2)
	if err != nil || !near(w[0], 4.0/6, 1e-12) || !near(w[1], 2, 1e-12) {
		t.Errorf("balanced = %v, %v; want [2/3 2]", w, err)
	}
	w, err = ClassWeights("bad=2.5", []string{"good", "bad"}, y, 2)
	if err != nil || w[0] != 1 || w[1] != 2.5 {
		t.Errorf("bad=2.5 = %v, %v", w, err)
	}
	if w, err = ClassWeights("1=3,0=0.5", nil, y, 2); err != nil || w[0] != 0.5 || w[1] != 3 {
		t.Errorf("by index = %v, %v", w, err)
	}
	if w, _ := ClassWeights("none", nil, y, 2); w != nil {
		t.Errorf("none = %v", w)
	}
	for _, bad := range []string{"ugly=2", "bad=-1", "bad", "bad=x", "=2"} {
		if _, err := ClassWeights(bad, []string{"good", "bad"}, y, 2); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	s := DefaultSpec()
	s.ClassWeight = "bad=0"
	if err := s.Validate(); err == nil {
		t.Error("Validate accepted a zero weight")
	}
}

func TestWeightedBatchLoss(t *testing.T) {
	// Two rows of BCE, weights 1 and 3: loss = (l₀ + 3·l₁)/2 and each
	// row's gradient is its unweighted one times w/2.
	r := &runner{loss: BCE{}, k: 1, ev: evalState{cw: []float64{1, 3}, wb: []float64{1, 3}}}
	z, tg := []float64{0.4, -1.2}, []float64{0, 1}
	g := make([]float64, 2)
	got := r.batchLoss(g, z, tg, 2, 1)
	l0 := BCE{}.Eval(nil, z[:1], tg[:1], 1, 1)
	l1 := BCE{}.Eval(nil, z[1:], tg[1:], 1, 1)
	if !near(got, (l0+3*l1)/2, 1e-12) {
		t.Errorf("loss %v, want %v", got, (l0+3*l1)/2)
	}
	if !near(g[0], sigmoid(0.4)/2, 1e-12) || !near(g[1], 3*(sigmoid(-1.2)-1)/2, 1e-12) {
		t.Errorf("grad %v", g)
	}
}

func TestFitTemperature(t *testing.T) {
	// Logits three times too large: labels drawn with p = sigmoid(z/3).
	// The fitted inverse temperature is near 1/3.
	var z, y []float64
	for i := range 3000 {
		v := float64(i%61-30) / 5
		z = append(z, 3*v)
		p := sigmoid(v)
		// Deterministic labels in proportion p at each v.
		lab := 0.0
		if float64(i/61%50)/50 < p {
			lab = 1
		}
		y = append(y, lab)
	}
	beta := FitTemperature(z, y, 1)
	if !near(beta, 1.0/3, 0.03) {
		t.Errorf("β = %v, want about 1/3", beta)
	}
}
