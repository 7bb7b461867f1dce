package trainer

import (
	"fmt"
	"math"
	"sort"

	"workbench/datasets"
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
// largest), so the chosen rule does not sit on a validation row; among
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
			cand = (s + p[idx[i]]) / 2
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
func Decide(fin *FinishedEvent, spec Spec, data *datasets.Prepared) {
	d := spec.Decision
	if d.IsZero() || data.Task() != datasets.Binary || fin.Model == nil {
		return
	}
	cfp, cfn := d.Costs()
	pv := fin.Model.Predict(data.Val.X, data.Val.N)
	pt := fin.Model.Predict(data.Test.X, data.Test.N)
	thr := d.Threshold
	if thr == 0 {
		thr = 0.5
		if d.HasCosts() {
			tune, ty := pv, data.Val.Y
			if data.Val.N == 0 {
				// No validation split: validation metrics use the
				// training split, and so does the tuning.
				tune, ty = fin.Model.Predict(data.Train.X, data.Train.N), data.Train.Y
			}
			thr, _ = TuneThreshold(tune, ty, cfp, cfn)
		}
	}
	fin.Model.Threshold = thr
	rescore := func(old Evaluation, p, y []float64) Evaluation {
		if len(p) == 0 {
			return old
		}
		e := EvaluateAt(datasets.Binary, p, y, 1, thr)
		if v, ok := old.Metrics["loss"]; ok {
			e.Metrics["loss"] = v
		}
		e.Metrics["threshold"] = thr
		if d.HasCosts() {
			e.Metrics["cost"] = ExpectedCost(p, y, thr, cfp, cfn)
			e.Metrics["cost_at_half"] = ExpectedCost(p, y, 0.5, cfp, cfn)
		}
		return e
	}
	fin.Val = rescore(fin.Val, pv, data.Val.Y)
	fin.Test = rescore(fin.Test, pt, data.Test.Y)
}
