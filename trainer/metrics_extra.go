package trainer

import (
	"math"

	"workbench/datasets"
)

// CalibrationBins is the number of equal-width probability bins of the
// expected calibration error and the reliability diagram.
const CalibrationBins = 10

// PRPoint is one point of a precision-recall curve: predicting positive
// when the score is at least Threshold gives this recall and precision.
type PRPoint struct {
	Recall    float64 `json:"recall"`
	Precision float64 `json:"precision"`
	Threshold float64 `json:"threshold"`
}

// ReliabilityBin is one bin of a reliability diagram: the rows whose
// predicted probability falls in [Lo, Hi) (the last bin includes 1), their
// mean predicted probability and the observed frequency. For binary tasks
// the probability is that of the positive class and the frequency that of
// positives; for multiclass it is the top class's probability (the
// confidence) and the frequency of a right prediction.
type ReliabilityBin struct {
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	Count      int     `json:"count"`
	Confidence float64 `json:"confidence"`
	Observed   float64 `json:"observed"`
}

// Calibration reports temperature scaling fitted on the validation split:
// the temperature that divides the logits, and the validation ECE and
// Brier score before and after.
type Calibration struct {
	Method      string  `json:"method"`
	Temperature float64 `json:"temperature"`
	ECEBefore   float64 `json:"ece_before"`
	ECEAfter    float64 `json:"ece_after"`
	BrierBefore float64 `json:"brier_before"`
	BrierAfter  float64 `json:"brier_after"`
}

// addExtraMetrics adds the metrics that judge imbalanced and probabilistic
// predictions to a classification evaluation: balanced accuracy, MCC,
// average precision (pr_auc; macro one-vs-rest for multiclass), the Brier
// score and the ECE, with the PR curve (binary) and reliability bins.
func addExtraMetrics(e *Evaluation, task datasets.Task, p, y []float64, k int) {
	if !task.IsClassification() || len(y) == 0 {
		return
	}
	if task == datasets.Binary {
		k = 1
	}
	e.Metrics["balanced_accuracy"] = BalancedAccuracy(e.Confusion)
	e.Metrics["mcc"] = MCC(e.Confusion)
	e.Metrics["brier"] = Brier(p, y, k)
	bins := Reliability(p, y, k)
	e.Reliability = bins
	e.Metrics["ece"] = ECE(bins)
	if task == datasets.Binary {
		pr, ap, ok := PRCurve(p, y)
		e.PR = pr
		if ok {
			e.Metrics["pr_auc"] = ap
		}
		return
	}
	if ap, ok := MacroAP(p, y, k); ok {
		e.Metrics["pr_auc"] = ap
	}
}

// BalancedAccuracy is the mean recall over the classes present in a
// confusion matrix ([actual][predicted]), as scikit-learn computes it.
func BalancedAccuracy(cm [][]int) float64 {
	sum, n := 0.0, 0
	for c, row := range cm {
		support := 0
		for _, v := range row {
			support += v
		}
		if support == 0 {
			continue
		}
		sum += float64(row[c]) / float64(support)
		n++
	}
	return safeDiv(sum, float64(n))
}

// MCC is the Matthews correlation coefficient of a confusion matrix, in
// Gorodkin's multiclass form (for two classes the usual
// (tp·tn − fp·fn)/√(…)). It is 0 when undefined (a single predicted or
// actual class), as in scikit-learn.
func MCC(cm [][]int) float64 {
	k := len(cm)
	var s, c float64
	pk, tk := make([]float64, k), make([]float64, k)
	for i := range k {
		for j := range k {
			v := float64(cm[i][j])
			s += v
			tk[i] += v
			pk[j] += v
		}
		c += float64(cm[i][i])
	}
	var pt, pp, tt float64
	for i := range k {
		pt += pk[i] * tk[i]
		pp += pk[i] * pk[i]
		tt += tk[i] * tk[i]
	}
	den := math.Sqrt((s*s - pp) * (s*s - tt))
	if den == 0 || math.IsNaN(den) {
		return 0
	}
	return (c*s - pt) / den
}

// Brier is the mean squared difference between predicted probabilities
// and outcomes. For k = 1 (binary) p holds the positive class's
// probability and y 0/1 labels; for k > 1 p is n×k and each row's squared
// differences from the one-hot label are summed (Brier's original form,
// from 0 to 2).
func Brier(p, y []float64, k int) float64 {
	n := len(y)
	if n == 0 {
		return math.NaN()
	}
	sum := 0.0
	for i := range n {
		if k == 1 {
			d := p[i] - y[i]
			sum += d * d
			continue
		}
		for j := range k {
			t := 0.0
			if int(y[i]) == j {
				t = 1
			}
			d := p[i*k+j] - t
			sum += d * d
		}
	}
	return sum / float64(n)
}

// Reliability bins predictions into CalibrationBins equal-width bins (see
// ReliabilityBin). k = 1 means binary. Empty bins are kept, with Count 0.
func Reliability(p, y []float64, k int) []ReliabilityBin {
	bins := make([]ReliabilityBin, CalibrationBins)
	for b := range bins {
		bins[b].Lo = float64(b) / CalibrationBins
		bins[b].Hi = float64(b+1) / CalibrationBins
	}
	for i := range y {
		var conf, hit float64
		if k == 1 {
			conf, hit = p[i], y[i]
		} else {
			row := p[i*k : (i+1)*k]
			c := argmax(row)
			conf = row[c]
			if c == int(y[i]) {
				hit = 1
			}
		}
		if math.IsNaN(conf) {
			continue
		}
		b := min(max(int(conf*CalibrationBins), 0), CalibrationBins-1)
		bins[b].Count++
		bins[b].Confidence += conf
		bins[b].Observed += hit
	}
	for b := range bins {
		if c := float64(bins[b].Count); c > 0 {
			bins[b].Confidence /= c
			bins[b].Observed /= c
		}
	}
	return bins
}

// ECE is the expected calibration error of reliability bins: the mean
// over rows of |confidence − observed frequency| in each row's bin.
func ECE(bins []ReliabilityBin) float64 {
	sum, n := 0.0, 0
	for _, b := range bins {
		sum += float64(b.Count) * math.Abs(b.Confidence-b.Observed)
		n += b.Count
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// PRCurve returns the precision-recall curve of scores against 0/1 labels,
// one point per distinct score from the highest down, starting at recall
// 0 and precision 1, and the average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over
// those thresholds, scikit-learn's average_precision_score, which does
// not interpolate. ok is false when there is no positive label.
func PRCurve(score, y []float64) (pts []PRPoint, ap float64, ok bool) {
	pos := 0.0
	for _, v := range y {
		if v == 1 {
			pos++
		}
	}
	if pos == 0 {
		return nil, 0, false
	}
	pts = append(pts, PRPoint{Recall: 0, Precision: 1, Threshold: 1})
	eachThreshold(score, y, func(s, tp, fp float64) {
		cur := PRPoint{Recall: tp / pos, Precision: tp / (tp + fp), Threshold: s}
		ap += (cur.Recall - pts[len(pts)-1].Recall) * cur.Precision
		pts = append(pts, cur)
	})
	return pts, ap, true
}

// MacroAP is the mean one-vs-rest average precision over the classes
// present in y, for n×k probabilities p.
func MacroAP(p, y []float64, k int) (float64, bool) {
	n := len(y)
	score, lab := make([]float64, n), make([]float64, n)
	sum, cnt := 0.0, 0
	for c := range k {
		for i := range n {
			score[i] = p[i*k+c]
			lab[i] = 0
			if int(y[i]) == c {
				lab[i] = 1
			}
		}
		if _, ap, ok := PRCurve(score, lab); ok {
			sum += ap
			cnt++
		}
	}
	if cnt == 0 {
		return 0, false
	}
	return sum / float64(cnt), true
}
