package analysis

import (
	"fmt"
	"math"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// runData is a run's data, rebuilt and checked against its stored hash:
// the prepared splits as the run trained on them (scaled) and the same
// rows in raw units (imputed, not scaled), which any saved model predicts
// from through its own preprocessing.
type runData struct {
	scaled *datasets.Prepared
	raw    *datasets.Prepared
}

// loadRunData rebuilds run r's data. It refuses when the data no longer
// hashes to what the run saw.
func loadRunData(r *sessions.Run) (*runData, error) {
	spec := r.Spec.Data
	scaled, err := datasets.Build(spec)
	if err != nil {
		return nil, fmt.Errorf("run %s: rebuilding its data: %v", r.ID, err)
	}
	if r.DataHash != "" && scaled.Hash != r.DataHash {
		return nil, fmt.Errorf("run %s: its data (%s) has changed since it was trained (data hash %.12s…, now %.12s…)",
			r.ID, spec.Label(), r.DataHash, scaled.Hash)
	}
	spec.Scale = "none"
	raw, err := datasets.Build(spec)
	if err != nil {
		return nil, fmt.Errorf("run %s: rebuilding its data: %v", r.ID, err)
	}
	return &runData{scaled: scaled, raw: raw}, nil
}

// evaluate scores a model's outputs on a split at a binary decision
// threshold (ignored for other tasks).
func evaluate(task datasets.Task, out []float64, sp *datasets.Split, k int, thr float64) trainer.Evaluation {
	if sp.N == 0 {
		return trainer.Evaluation{Metrics: map[string]float64{}}
	}
	return trainer.EvaluateAt(task, out, sp.Y, k, thr)
}

// evaluateDecision is evaluate for a run with a decision rule: a binary
// evaluation also reports the threshold and, with costs, the expected cost
// per row at it and at 0.5, as a trained run does.
func evaluateDecision(task datasets.Task, out []float64, sp *datasets.Split, k int, thr float64, d trainer.DecisionSpec) trainer.Evaluation {
	e := evaluate(task, out, sp, k, thr)
	if task != datasets.Binary || d.IsZero() || sp.N == 0 {
		return e
	}
	e.Metrics["threshold"] = thr
	if d.HasCosts() {
		fp, fn := d.Costs()
		e.Metrics["cost"] = trainer.ExpectedCost(out, sp.Y, thr, fp, fn)
		e.Metrics["cost_at_half"] = trainer.ExpectedCost(out, sp.Y, 0.5, fp, fn)
	}
	return e
}

// keyMetric is the metric a task is judged by: accuracy, or R² for
// regression. Higher is better for both.
func keyMetric(task datasets.Task) string { return trainer.KeyMetric(task) }

// meanStd returns the mean and the sample standard deviation of v.
func meanStd(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(v)-1))
}

// summaryMetrics turns final evaluations into a run's summary metrics: the
// test_ values and the validation values as both last_val_ and best_val_
// (a derived run has one "epoch": its final state).
func summaryMetrics(val, test trainer.Evaluation) sessions.Metrics {
	m := sessions.Metrics{}
	for k, v := range test.Metrics {
		m["test_"+k] = v
	}
	for k, v := range val.Metrics {
		m["last_val_"+k] = v
		m["best_val_"+k] = v
	}
	return m
}
