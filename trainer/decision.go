package trainer

import (
	"fmt"
	"math"
	"sort"

	"workbench/datasets"
	"workbench/numfmt"
)

// DecisionSpec is a binary model's decision rule. The zero value predicts
// the positive class at a probability of 0.5 or more.
//
// With Threshold set, that threshold is used. With costs set (CostFP, the
// cost of a false positive, and CostFN, of a false negative; an unset one
// counts 1 when the other is set) and no threshold, the threshold that
// minimizes the expected cost on the validation split is chosen at the end
// of the run. Either way the run reports the threshold and, with costs, the
// expected cost per row on validation and test.
type DecisionSpec struct {
	Threshold float64 `json:"threshold,omitempty"`
	CostFP    float64 `json:"cost_fp,omitempty"`
	CostFN    float64 `json:"cost_fn,omitempty"`
}

// IsZero reports whether d is the default rule.
func (d DecisionSpec) IsZero() bool { return d == DecisionSpec{} }

// HasCosts reports whether a cost matrix is set.
func (d DecisionSpec) HasCosts() bool { return d.CostFP != 0 || d.CostFN != 0 }

// Costs returns the false-positive and false-negative costs, an unset one
// counting 1 when the other is set.
func (d DecisionSpec) Costs() (fp, fn float64) {
	fp, fn = d.CostFP, d.CostFN
	if fp == 0 && fn != 0 {
		fp = 1
	}
	if fn == 0 && fp != 0 {
		fn = 1
	}
	return fp, fn
}

// Rule says in a phrase which threshold the validation and test metrics
// are at, "" for the default rule.
func (d DecisionSpec) Rule() string {
	fp, fn := d.Costs()
	switch {
	case d.IsZero():
		return ""
	case d.Threshold != 0 && d.HasCosts():
		return fmt.Sprintf("val and test at threshold %s (cost FP %s, FN %s)", numfmt.Short(d.Threshold), numfmt.Short(fp), numfmt.Short(fn))
	case d.Threshold != 0:
		return fmt.Sprintf("val and test at threshold %s", numfmt.Short(d.Threshold))
	}
	return fmt.Sprintf("val and test at the threshold tuned on validation (cost FP %s, FN %s)", numfmt.Short(fp), numfmt.Short(fn))
}

// Describe says which threshold each reported metric is at, in a
// sentence for a run's report; "" for the default rule.
func (d DecisionSpec) Describe() string {
	const free = "loss, auc, pr_auc, brier and ece do not depend on it"
	fp, fn := d.Costs()
	switch {
	case d.IsZero():
		return ""
	case d.Threshold != 0:
		cost := ""
		if d.HasCosts() {
			cost = fmt.Sprintf(", cost per row with FP %s and FN %s", numfmt.Short(fp), numfmt.Short(fn))
		}
		return fmt.Sprintf("decision rule: positive at a probability of %s or more in every validation and test metric%s (%s)",
			numfmt.Short(d.Threshold), cost, free)
	}
	return fmt.Sprintf("decision rule: the threshold that minimizes the cost (FP %s, FN %s) on validation. Each epoch's validation "+
		"metrics, and so the best epoch and best_val_…, are at the threshold tuned on that epoch's validation pass; the test "+
		"metrics at the one tuned for the kept weights (test_threshold); %s", numfmt.Short(fp), numfmt.Short(fn), free)
}

// checkTask refuses a decision rule on a task without one.
func (d DecisionSpec) checkTask(task datasets.Task) error {
	if !d.IsZero() && task != datasets.Binary {
		return fmt.Errorf("decision: a decision threshold or cost matrix is for binary tasks, not %s", task)
	}
	return nil
}

// ExpectedCost returns the mean cost per row of predicting positive at
// probability thr or more: (costFP·FP + costFN·FN) / n.
func ExpectedCost(p, y []float64, thr, costFP, costFN float64) float64 {
	if len(p) == 0 {
		return 0
	}
	c := 0.0
	for i, v := range p {
		switch pos := v >= thr; {
		case pos && y[i] != 1:
			c += costFP
		case !pos && y[i] == 1:
			c += costFN
		}
	}
	return c / float64(len(p))
}

// TuneThreshold returns the threshold that minimizes the expected cost of
// probabilities p against 0/1 labels y, and that cost. Candidates lie
// halfway between consecutive distinct probabilities (and above the
// largest), so the chosen rule does not sit on a validation row (unless
// two probabilities are neighbouring floats: then the higher one); among
// equal costs the one closest to 0.5 wins.
func TuneThreshold(p, y []float64, costFP, costFN float64) (thr, cost float64) {
	n := len(p)
	if n == 0 {
		return 0.5, 0
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	pos := 0.0
	for _, v := range y {
		if v == 1 {
			pos++
		}
	}
	// Start with every row negative: threshold above the largest score.
	fp, fn := 0.0, pos
	best := costFP*fp + costFN*fn
	thr = (p[idx[0]] + 1) / 2
	if p[idx[0]] >= 1 {
		thr = math.Nextafter(1, 2)
	}
	for i := 0; i < n; {
		s := p[idx[i]]
		for i < n && p[idx[i]] == s {
			if y[idx[i]] == 1 {
				fn--
			} else {
				fp++
			}
			i++
		}
		c := costFP*fp + costFN*fn
		cand := s / 2
		if i < n {
			// Neighbouring floats (saturated sigmoids) have no
			// float between them, and their midpoint can round down
			// to the lower one, which would move its rows too; s
			// itself puts exactly the rows down to s positive.
			if cand = (s + p[idx[i]]) / 2; cand <= p[idx[i]] {
				cand = s
			}
		}
		if c < best-1e-12 || math.Abs(c-best) <= 1e-12 && math.Abs(cand-0.5) < math.Abs(thr-0.5) {
			best, thr = c, cand
		}
	}
	return thr, best / float64(n)
}

// Decide applies spec's decision rule to a finished binary run: it picks
// the threshold (fixed, or tuned on validation from the costs), re-scores
// the validation and test evaluations at it, adds "threshold" and, with
// costs, "cost" (the expected cost per row) and "cost_at_half" (the same at
// 0.5) to their metrics, and stores the threshold in the model, so that
// predictions apply it. It does nothing for the default rule or another
// task.
//
// Each epoch's validation metrics follow the same rule (decideEpoch), so
// the best epoch, its best_val_… metrics and the test metrics are all at
// the threshold the rule gives those weights on validation.
func Decide(fin *FinishedEvent, spec Spec, data *datasets.Prepared) {
	d := spec.Decision
	if d.IsZero() || data.Task() != datasets.Binary || fin.Model == nil {
		return
	}
	pv := fin.Model.Predict(data.Val.X, data.Val.N)
	pt := fin.Model.Predict(data.Test.X, data.Test.N)
	tune, ty := pv, data.Val.Y
	if data.Val.N == 0 && d.Threshold == 0 && d.HasCosts() {
		// No validation split: validation metrics use the training
		// split, and so does the tuning.
		tune, ty = fin.Model.Predict(data.Train.X, data.Train.N), data.Train.Y
	}
	thr := d.threshold(tune, ty)
	fin.Model.Threshold = thr
	fin.Val = d.scoreAt(fin.Val, pv, data.Val.Y, thr)
	fin.Test = d.scoreAt(fin.Test, pt, data.Test.Y, thr)
}

// decideEpoch applies the decision rule to an epoch's validation
// evaluation e, whose probabilities are still in r.evalOut: the threshold
// is the rule's for these weights (fixed, or tuned on this validation
// pass), as Decide picks it for the final ones, so that the best epoch is
// chosen, and its metrics are stored, at the threshold the test is scored
// at. It does nothing for the default rule, another task or an empty
// split.
func (r *runner) decideEpoch(e *Evaluation) {
	d, s := r.spec.Decision, &r.data.Val
	if d.IsZero() || r.task != datasets.Binary || s.N == 0 {
		return
	}
	p := r.evalOut[:s.N]
	*e = d.scoreAt(*e, p, s.Y, d.threshold(p, s.Y))
}

// threshold returns the rule's threshold for probabilities p against
// labels y of the split it is chosen on: the fixed one, else the one that
// minimizes the expected cost when costs are set, else 0.5.
func (d DecisionSpec) threshold(p, y []float64) float64 {
	switch {
	case d.Threshold != 0:
		return d.Threshold
	case d.HasCosts():
		fp, fn := d.Costs()
		thr, _ := TuneThreshold(p, y, fp, fn)
		return thr
	}
	return 0.5
}

// scoreAt re-scores old, an evaluation of probabilities p against labels
// y, at threshold thr: every metric at thr, the loss kept (it does not
// depend on the threshold), "threshold" and, with costs, "cost" and
// "cost_at_half" added. An empty split keeps old.
func (d DecisionSpec) scoreAt(old Evaluation, p, y []float64, thr float64) Evaluation {
	if len(p) == 0 {
		return old
	}
	e := EvaluateAt(datasets.Binary, p, y, 1, thr)
	if v, ok := old.Metrics["loss"]; ok {
		e.Metrics["loss"] = v
	}
	e.Metrics["threshold"] = thr
	if d.HasCosts() {
		fp, fn := d.Costs()
		e.Metrics["cost"] = ExpectedCost(p, y, thr, fp, fn)
		e.Metrics["cost_at_half"] = ExpectedCost(p, y, 0.5, fp, fn)
	}
	e.Calibration, e.outputs = old.Calibration, old.outputs
	return e
}
