package trainer

import (
	"math"
	"sort"
	"strings"

	"workbench/datasets"
)

// Evaluation is a model's performance on one split. Metrics holds only the
// defined metrics: AUC is absent when the split has a single class, R²
// when the targets do not vary.
type Evaluation struct {
	Metrics   map[string]float64 `json:"metrics"`
	Confusion [][]int            `json:"confusion,omitempty"` // [actual][predicted]
	ROC       []ROCPoint         `json:"roc,omitempty"`       // binary only
	// Pairs holds up to maxPairs (actual, predicted) pairs for regression plots.
	Pairs [][2]float64 `json:"pairs,omitempty"`
	// PR is the precision-recall curve (binary only) and Reliability the
	// calibration bins (classification); see metrics_extra.go.
	PR          []PRPoint        `json:"pr,omitempty"`
	Reliability []ReliabilityBin `json:"reliability,omitempty"`
	// Calibration reports temperature scaling, on the validation
	// evaluation of a run that asked for it.
	Calibration *Calibration `json:"calibration,omitempty"`
	// Std and Folds are set on a cross-validated run's evaluations:
	// Metrics holds the mean over folds, Std each metric's standard
	// deviation and Folds each fold's metrics.
	Std   map[string]float64   `json:"std,omitempty"`
	Folds []map[string]float64 `json:"folds,omitempty"`
	// FoldEpochs is, on a cross-validated run's validation evaluation,
	// the epochs each fold trained: epoch e's mean covers the folds that
	// reached e (FoldsAt).
	FoldEpochs []int `json:"fold_epochs,omitempty"`

	// outputs are a cross-validation fold's validation outputs, kept for
	// poolOutOfFold; never saved.
	outputs []float64
}

// FoldsAt returns how many folds of a cross-validated run's evaluation
// reached epoch e, and how many folds it has; 0, 0 when it does not say
// (a run without cross-validation, or one saved before FoldEpochs).
func (e Evaluation) FoldsAt(epoch int) (n, of int) {
	for _, last := range e.FoldEpochs {
		if last >= epoch {
			n++
		}
	}
	return n, len(e.FoldEpochs)
}

// ROCPoint is one point of an ROC curve: predicting positive when the score
// is at least Threshold gives these rates.
type ROCPoint struct {
	FPR       float64 `json:"fpr"`
	TPR       float64 `json:"tpr"`
	Threshold float64 `json:"threshold"`
}

const maxPairs = 500

var metricsByTask = map[datasets.Task][]string{
	datasets.Binary:     {"loss", "accuracy", "precision", "recall", "f1", "auc", "balanced_accuracy", "mcc", "pr_auc", "brier", "ece"},
	datasets.Multiclass: {"loss", "accuracy", "precision_macro", "recall_macro", "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted", "auc", "balanced_accuracy", "mcc", "pr_auc", "brier", "ece"},
	datasets.Regression: {"loss", "mse", "rmse", "mae", "r2"},
}

// MetricNames returns the metrics computed for a task, loss first.
func MetricNames(task datasets.Task) []string { return metricsByTask[task] }

// CostMetric is the expected misclassification cost per row at the
// decision rule's threshold. Only a binary run with a cost matrix
// (DecisionSpec.HasCosts) computes it, on validation each epoch
// (decideEpoch) and on validation and test at the end, so val_cost is a
// monitor, a stopping rule's metric and a sweep's objective only for such
// a spec (Spec.CheckCost); lower is better.
const CostMetric = "cost"

// CostMonitor is CostMetric on the validation split.
const CostMonitor = "val_" + CostMetric

// RuleMetrics returns the metrics a binary run's decision rule adds to
// its task's: threshold, and with a cost matrix cost and cost_at_half.
// Of them only cost can be monitored.
func RuleMetrics() []string { return []string{"threshold", CostMetric, "cost_at_half"} }

// KeyMetric returns the metric the UI charts for a task.
func KeyMetric(task datasets.Task) string {
	if task == datasets.Regression {
		return "r2"
	}
	return "accuracy"
}

func knownMetric(name string) bool {
	if name == CostMetric {
		return true
	}
	for _, ms := range metricsByTask {
		for _, m := range ms {
			if m == name {
				return true
			}
		}
	}
	return false
}

func metricForTask(name string, task datasets.Task) bool {
	if name == CostMetric {
		return task == datasets.Binary
	}
	for _, m := range metricsByTask[task] {
		if m == name {
			return true
		}
	}
	return false
}

// LowerIsBetter reports whether a metric improves as it falls (losses and
// errors). A "val_" or "train_" prefix is ignored.
func LowerIsBetter(metric string) bool {
	if m, err := parseMonitor(metric); err == nil {
		metric = m.metric
	} else {
		// A metric no monitor takes (val_cost_at_half) is still
		// lower-is-better: Compare starred the higher expected cost.
		metric = strings.TrimPrefix(strings.TrimPrefix(metric, "val_"), "train_")
	}
	return lowerIsBetter(metric)
}

func lowerIsBetter(metric string) bool {
	switch metric {
	case "loss", "mse", "rmse", "mae", "brier", "ece", "cost", "cost_at_half":
		return true
	}
	return false
}

// Evaluate computes the task's metrics from head outputs (probabilities or
// values, n×k) against targets y (class indexes or values).
func Evaluate(task datasets.Task, out, y []float64, k int) Evaluation {
	return EvaluateAt(task, out, y, k, 0.5)
}

// EvaluateAt is Evaluate with a binary task's decision threshold thr
// (ignored for other tasks): every metric and curve Evaluate gives, the
// threshold's own (accuracy, precision, recall, f1, balanced accuracy,
// MCC, the confusion matrix) at thr. A run with a decision rule is
// re-scored with it, so that its test metrics keep pr_auc, brier, ece and
// the PR and reliability curves (BinaryMetricsAt alone dropped them).
func EvaluateAt(task datasets.Task, out, y []float64, k int, thr float64) Evaluation {
	var e Evaluation
	switch task {
	case datasets.Binary:
		e = BinaryMetricsAt(out, y, thr)
	case datasets.Multiclass:
		e = MulticlassMetrics(out, y, k)
	default:
		return RegressionMetrics(out, y)
	}
	addExtraMetrics(&e, task, out, y, k)
	return e
}

// BinaryMetrics scores probabilities p of the positive class (1) against
// 0/1 labels y, thresholding at 0.5.
func BinaryMetrics(p, y []float64) Evaluation { return BinaryMetricsAt(p, y, 0.5) }

// BinaryMetricsAt is BinaryMetrics with the decision threshold thr: a row
// is predicted positive when its probability is at least thr. AUC and the
// ROC curve do not depend on it.
func BinaryMetricsAt(p, y []float64, thr float64) Evaluation {
	cm := [][]int{{0, 0}, {0, 0}}
	for i, v := range p {
		pred := 0
		if v >= thr {
			pred = 1
		}
		cm[int(y[i])][pred]++
	}
	e := Evaluation{Metrics: map[string]float64{}, Confusion: cm}
	tn, fp, fn, tp := float64(cm[0][0]), float64(cm[0][1]), float64(cm[1][0]), float64(cm[1][1])
	n := tn + fp + fn + tp
	if n > 0 {
		e.Metrics["accuracy"] = (tp + tn) / n
	}
	prec, rec := safeDiv(tp, tp+fp), safeDiv(tp, tp+fn)
	e.Metrics["precision"] = prec
	e.Metrics["recall"] = rec
	e.Metrics["f1"] = safeDiv(2*prec*rec, prec+rec)
	roc, auc, ok := ROC(p, y)
	e.ROC = roc
	if ok {
		e.Metrics["auc"] = auc
	}
	return e
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// ROC returns the ROC curve of scores against 0/1 labels, one point per
// distinct score (tied scores move both rates at once), and the area
// under it by the trapezoid rule, which counts a tied positive-negative
// pair as half right. ok is false when the labels hold a single class.
func ROC(score, y []float64) (pts []ROCPoint, auc float64, ok bool) {
	var pos, neg float64
	for _, v := range y {
		if v == 1 {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return nil, 0, false
	}
	pts = append(pts, ROCPoint{FPR: 0, TPR: 0, Threshold: math.Inf(1)})
	eachThreshold(score, y, func(s, tp, fp float64) {
		prev := pts[len(pts)-1]
		cur := ROCPoint{FPR: fp / neg, TPR: tp / pos, Threshold: s}
		auc += (cur.FPR - prev.FPR) * (cur.TPR + prev.TPR) / 2
		pts = append(pts, cur)
	})
	pts[0].Threshold = 1 // JSON has no infinity; no score exceeds a probability of 1
	return pts, auc, true
}

// eachThreshold walks the distinct scores from the highest down and calls
// at with each score and the counts of positive (label 1) and other rows
// scoring at least that much: the thresholds of an ROC or PR curve, tied
// scores moving together.
func eachThreshold(score, y []float64, at func(s, tp, fp float64)) {
	n := len(score)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
	var tp, fp float64
	for i := 0; i < n; {
		s := score[idx[i]]
		for i < n && score[idx[i]] == s {
			if y[idx[i]] == 1 {
				tp++
			} else {
				fp++
			}
			i++
		}
		at(s, tp, fp)
	}
}

// MulticlassMetrics scores n×k class probabilities against class indexes.
func MulticlassMetrics(p, y []float64, k int) Evaluation {
	n := len(y)
	cm := make([][]int, k)
	for i := range cm {
		cm[i] = make([]int, k)
	}
	for i := 0; i < n; i++ {
		row := p[i*k : (i+1)*k]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		cm[int(y[i])][best]++
	}
	e := Evaluation{Metrics: map[string]float64{}, Confusion: cm}
	correct := 0
	var pm, rm, fm, pw, rw, fw float64
	for c := 0; c < k; c++ {
		tp := float64(cm[c][c])
		correct += cm[c][c]
		var predC, support float64
		for j := 0; j < k; j++ {
			predC += float64(cm[j][c])
			support += float64(cm[c][j])
		}
		pr, rc := safeDiv(tp, predC), safeDiv(tp, support)
		f := safeDiv(2*pr*rc, pr+rc)
		pm, rm, fm = pm+pr, rm+rc, fm+f
		pw, rw, fw = pw+pr*support, rw+rc*support, fw+f*support
	}
	if n > 0 {
		fn, fk := float64(n), float64(k)
		e.Metrics["accuracy"] = float64(correct) / fn
		e.Metrics["precision_macro"], e.Metrics["recall_macro"], e.Metrics["f1_macro"] = pm/fk, rm/fk, fm/fk
		e.Metrics["precision_weighted"], e.Metrics["recall_weighted"], e.Metrics["f1_weighted"] = pw/fn, rw/fn, fw/fn
	}
	// One-vs-rest macro AUC over the classes present with both outcomes.
	score, lab := make([]float64, n), make([]float64, n)
	sum, cnt := 0.0, 0
	for c := 0; c < k; c++ {
		for i := 0; i < n; i++ {
			score[i] = p[i*k+c]
			lab[i] = 0
			if int(y[i]) == c {
				lab[i] = 1
			}
		}
		if _, auc, ok := ROC(score, lab); ok {
			sum += auc
			cnt++
		}
	}
	if cnt > 0 {
		e.Metrics["auc"] = sum / float64(cnt)
	}
	return e
}

// RegressionMetrics scores predictions against targets: MSE, RMSE, MAE and
// R² = 1 − SS_res/SS_tot.
func RegressionMetrics(pred, y []float64) Evaluation {
	e := Evaluation{Metrics: map[string]float64{}}
	n := float64(len(y))
	if n == 0 {
		return e
	}
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= n
	var ssr, sst, sae float64
	for i, v := range y {
		d := pred[i] - v
		ssr += d * d
		sae += math.Abs(d)
		sst += (v - mean) * (v - mean)
	}
	e.Metrics["mse"] = ssr / n
	e.Metrics["rmse"] = math.Sqrt(ssr / n)
	e.Metrics["mae"] = sae / n
	if sst > 0 {
		e.Metrics["r2"] = 1 - ssr/sst
	}
	step := max(1, len(y)/maxPairs)
	for i := 0; i < len(y); i += step {
		e.Pairs = append(e.Pairs, [2]float64{y[i], pred[i]})
	}
	return e
}
