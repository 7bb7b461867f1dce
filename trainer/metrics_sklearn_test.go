package trainer

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"workbench/datasets"
)

// skCase is one case of testdata/metrics_sklearn.json, written by
// scripts/metricref.py from scikit-learn. A null (nil) reference means
// sklearn warns and returns nan, or raises; the Go metric is then absent
// from Evaluation.Metrics (auc with one class, pr_auc with no positive).
type skCase struct {
	Name      string      `json:"name"`
	P         []float64   `json:"p"`
	Y         []float64   `json:"y"`
	Z         []float64   `json:"z"`
	K         int         `json:"k"`
	Thr       float64     `json:"thr"`
	Confusion [][]int     `json:"confusion"`
	ROC       [][]float64 `json:"roc"` // fpr, tpr, thresholds after the first
	PR        [][]float64 `json:"pr"`  // recall, precision, thresholds (ascending)
	LogLoss   *float64    `json:"log_loss"`
	AUCOvR    *float64    `json:"auc_ovr"`
	Metrics   map[string]*float64
}

func loadSklearn(t *testing.T) (bin, multi []skCase) {
	t.Helper()
	b, err := os.ReadFile("testdata/metrics_sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Binary, Multiclass []json.RawMessage
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	parse := func(msgs []json.RawMessage) []skCase {
		var out []skCase
		for _, m := range msgs {
			var c skCase
			if err := json.Unmarshal(m, &c); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(m, &c.Metrics); err != nil {
				// Non-numeric fields fail the map decode; decode
				// field by field instead.
				var all map[string]json.RawMessage
				if err := json.Unmarshal(m, &all); err != nil {
					t.Fatal(err)
				}
				c.Metrics = map[string]*float64{}
				for k, v := range all {
					var f *float64
					if json.Unmarshal(v, &f) == nil {
						c.Metrics[k] = f
					}
				}
			}
			out = append(out, c)
		}
		return out
	}
	return parse(raw.Binary), parse(raw.Multiclass)
}

// closeTo compares to 1e-9, relative for large values.
func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*max(1, math.Abs(want))
}

// checkMetrics compares every metric name of names that the case has.
func checkMetrics(t *testing.T, c skCase, e Evaluation, names []string) {
	t.Helper()
	for _, name := range names {
		want, has := c.Metrics[name]
		if !has {
			continue
		}
		got, ok := e.Metrics[name]
		switch {
		case want == nil && ok:
			t.Errorf("%s: %s = %v, want it absent (sklearn: undefined)", c.Name, name, got)
		case want != nil && !ok:
			t.Errorf("%s: %s absent, want %v", c.Name, name, *want)
		case want != nil && !closeTo(got, *want):
			t.Errorf("%s: %s = %.17g, sklearn %.17g", c.Name, name, got, *want)
		}
	}
	if !sameMatrix(e.Confusion, c.Confusion) {
		t.Errorf("%s: confusion %v, sklearn %v", c.Name, e.Confusion, c.Confusion)
	}
}

func sameMatrix(a, b [][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// TestMetricsMatchSklearn checks every binary and multiclass metric, the
// confusion matrix, the ROC and PR curves and the log loss against
// scikit-learn 1.2 on the cases of scripts/metricref.py: ties, one-class
// labels, a single row, separated and constant scores, probabilities of
// 0, 1 and 1e-300, thresholds other than 0.5. Precision, recall and F1
// are 0 where sklearn's zero_division=0 makes them 0; multiclass Brier is
// Brier's original form (summed over classes) and ECE uses Go's binning,
// both computed with numpy. Multiclass auc and pr_auc are the mean
// one-vs-rest score over the classes that have both outcomes (auc) or a
// positive (pr_auc), which is roc_auc_score(multi_class="ovr") when every
// class is present.
func TestMetricsMatchSklearn(t *testing.T) {
	bin, multi := loadSklearn(t)
	if len(bin) < 50 || len(multi) < 30 {
		t.Fatalf("only %d binary and %d multiclass cases", len(bin), len(multi))
	}
	for _, c := range bin {
		e := EvaluateAt(datasets.Binary, c.P, c.Y, 1, c.Thr)
		checkMetrics(t, c, e, MetricNames(datasets.Binary))
		checkROC(t, c, e.ROC)
		checkPR(t, c, e.PR)
		if c.LogLoss != nil {
			if got := (BCE{}).Eval(nil, c.Z, c.Y, len(c.Y), 1); !closeTo(got, *c.LogLoss) {
				t.Errorf("%s: BCE = %.17g, sklearn log_loss %.17g", c.Name, got, *c.LogLoss)
			}
		}
	}
	for _, c := range multi {
		e := Evaluate(datasets.Multiclass, c.P, c.Y, c.K)
		checkMetrics(t, c, e, MetricNames(datasets.Multiclass))
		if c.AUCOvR != nil && !closeTo(e.Metrics["auc"], *c.AUCOvR) {
			t.Errorf("%s: auc = %.17g, sklearn ovr macro %.17g", c.Name, e.Metrics["auc"], *c.AUCOvR)
		}
		if c.LogLoss != nil {
			onehot := make([]float64, len(c.Y)*c.K)
			for i, v := range c.Y {
				onehot[i*c.K+int(v)] = 1
			}
			if got := (SoftmaxCE{}).Eval(nil, c.Z, onehot, len(c.Y), c.K); !closeTo(got, *c.LogLoss) {
				t.Errorf("%s: CE = %.17g, sklearn log_loss %.17g", c.Name, got, *c.LogLoss)
			}
		}
	}
}

// checkROC compares the ROC points with roc_curve(drop_intermediate=False):
// the same rates, and the same thresholds after the first (sklearn's first
// is max+1 or inf, Go's is 1, as JSON has no infinity).
func checkROC(t *testing.T, c skCase, pts []ROCPoint) {
	t.Helper()
	if c.ROC == nil {
		if pts != nil {
			t.Errorf("%s: ROC has %d points, want none (one class)", c.Name, len(pts))
		}
		return
	}
	fpr, tpr, thr := c.ROC[0], c.ROC[1], c.ROC[2]
	if len(pts) != len(fpr) {
		t.Errorf("%s: ROC has %d points, sklearn %d", c.Name, len(pts), len(fpr))
		return
	}
	for i, p := range pts {
		if !closeTo(p.FPR, fpr[i]) || !closeTo(p.TPR, tpr[i]) || i > 0 && p.Threshold != thr[i-1] {
			t.Errorf("%s: ROC point %d = %+v, sklearn (%v, %v, %v)", c.Name, i, p, fpr[i], tpr[i], thr[max(i-1, 0)])
		}
	}
}

// checkPR compares the PR curve with precision_recall_curve, which lists
// the thresholds from the lowest up and stops once recall reaches 1; Go
// lists every distinct score from the highest down after (0, 1), so each
// sklearn point must be a Go point with the same threshold.
func checkPR(t *testing.T, c skCase, pts []PRPoint) {
	t.Helper()
	if c.PR == nil {
		if pts != nil {
			t.Errorf("%s: PR has %d points, want none (no positive)", c.Name, len(pts))
		}
		return
	}
	rec, prec, thr := c.PR[0], c.PR[1], c.PR[2]
	at := map[float64]PRPoint{}
	for _, p := range pts[1:] {
		at[p.Threshold] = p
	}
	for i, s := range thr {
		p, ok := at[s]
		if !ok || !closeTo(p.Recall, rec[i]) || !closeTo(p.Precision, prec[i]) {
			t.Errorf("%s: PR at threshold %v = %+v (found %v), sklearn recall %v precision %v", c.Name, s, p, ok, rec[i], prec[i])
		}
	}
}

// TestLossesExactOnExtremeLogits checks BCE and SoftmaxCE on logits up to
// ±800 against numpy's log-sum-exp form (metricref.py's extreme_logits).
// sklearn's log_loss would clip the probabilities to [1e-15, 1−1e-15]
// and report about 34.5 for a confident miss; the losses here work on the
// logits and stay exact, deliberately.
func TestLossesExactOnExtremeLogits(t *testing.T) {
	var ref struct {
		ExtremeLogits []struct {
			Name string
			K    int
			Z, Y []float64
			Loss float64
		} `json:"extreme_logits"`
	}
	readJSON(t, "testdata/metrics_sklearn.json", &ref)
	if len(ref.ExtremeLogits) == 0 {
		t.Fatal("no extreme_logits cases")
	}
	for _, c := range ref.ExtremeLogits {
		n := len(c.Y)
		var got float64
		if c.K == 1 {
			got = (BCE{}).Eval(nil, c.Z, c.Y, n, 1)
		} else {
			onehot := make([]float64, n*c.K)
			for i, v := range c.Y {
				onehot[i*c.K+int(v)] = 1
			}
			got = (SoftmaxCE{}).Eval(nil, c.Z, onehot, n, c.K)
		}
		if !closeTo(got, c.Loss) {
			t.Errorf("%s: loss %.17g, numpy %.17g", c.Name, got, c.Loss)
		}
	}
}

// TestBalancedClassWeightsMatchSklearn checks ClassWeights("balanced")
// against compute_class_weight("balanced") when every class is present.
func TestBalancedClassWeightsMatchSklearn(t *testing.T) {
	var ref struct {
		ClassWeights []struct {
			Y       []float64
			K       int
			Weights []float64
		} `json:"class_weights"`
	}
	readJSON(t, "testdata/metrics_sklearn.json", &ref)
	if len(ref.ClassWeights) == 0 {
		t.Fatal("no class_weights cases")
	}
	for i, c := range ref.ClassWeights {
		w, err := ClassWeights("balanced", nil, c.Y, c.K)
		if err != nil {
			t.Fatal(err)
		}
		for j := range c.Weights {
			if !closeTo(w[j], c.Weights[j]) {
				t.Errorf("case %d class %d: weight %v, sklearn %v", i, j, w[j], c.Weights[j])
			}
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// TestTuneThresholdIsOptimal draws probabilities (with ties, 0 and 1) and
// costs and checks TuneThreshold against brute force: its cost is the
// expected cost at its threshold, and no threshold (every distinct
// probability, and one above them all) costs less.
func TestTuneThresholdIsOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for trial := range 400 {
		n := 1 + r.IntN(30)
		p, y := make([]float64, n), make([]float64, n)
		for i := range p {
			switch trial % 4 {
			case 3: // neighbouring floats: saturated sigmoids
				p[i] = math.Nextafter(0.5, 1)
				if r.IntN(2) == 0 {
					p[i] = 0.5
				}
			case 0:
				p[i] = r.Float64()
			case 1:
				p[i] = float64(r.IntN(5)) / 4
			default:
				p[i] = []float64{0, 1, 1e-300, 0.5}[r.IntN(4)]
			}
			if r.Float64() < 0.4 {
				y[i] = 1
			}
		}
		cfp, cfn := 0.1+5*r.Float64(), 0.1+5*r.Float64()
		thr, cost := TuneThreshold(p, y, cfp, cfn)
		if got := ExpectedCost(p, y, thr, cfp, cfn); !closeTo(got, cost) {
			t.Fatalf("trial %d: cost at threshold %v is %v, TuneThreshold said %v", trial, thr, got, cost)
		}
		best := ExpectedCost(p, y, math.Nextafter(1, 2), cfp, cfn)
		for _, s := range p {
			best = min(best, ExpectedCost(p, y, s, cfp, cfn))
		}
		if cost > best+1e-12 {
			t.Fatalf("trial %d: TuneThreshold cost %v at %v, brute force %v (p %v y %v)", trial, cost, thr, best, p, y)
		}
	}
}

// TestRegressionMetricsMatchSklearn checks mse, rmse, mae and r2 against
// mean_squared_error, mean_absolute_error and r2_score. For a constant
// target sklearn's r2_score gives 1 (perfect) or 0; Go leaves r2 out, as
// Evaluation's doc says (R² = 1 − SS_res/SS_tot is undefined).
func TestRegressionMetricsMatchSklearn(t *testing.T) {
	var ref struct {
		Regression []struct {
			Y, Pred        []float64
			MSE, RMSE, MAE float64
			R2             *float64
		}
	}
	readJSON(t, "testdata/metrics_sklearn.json", &ref)
	if len(ref.Regression) == 0 {
		t.Fatal("no regression cases")
	}
	for i, c := range ref.Regression {
		m := Evaluate(datasets.Regression, c.Pred, c.Y, 1).Metrics
		for name, want := range map[string]float64{"mse": c.MSE, "rmse": c.RMSE, "mae": c.MAE} {
			if !closeTo(m[name], want) {
				t.Errorf("case %d: %s = %.17g, sklearn %.17g", i, name, m[name], want)
			}
		}
		r2, ok := m["r2"]
		switch {
		case c.R2 == nil && ok:
			t.Errorf("case %d: r2 = %v for a constant target, want it absent", i, r2)
		case c.R2 != nil && (!ok || !closeTo(r2, *c.R2)):
			t.Errorf("case %d: r2 = %.17g (present %v), sklearn %.17g", i, r2, ok, *c.R2)
		}
	}
}
