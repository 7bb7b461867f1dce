package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// Importance is one original column's permutation importance: the drop in
// the key metric on the test split when the column is shuffled.
type Importance struct {
	Feature string  `json:"feature"`
	Columns int     `json:"columns"` // model inputs it spans (a one-hot group > 1)
	Mean    float64 `json:"mean"`
	Std     float64 `json:"std"`
}

// ImportanceResult is a run's permutation importance, most important first.
type ImportanceResult struct {
	RunID    string  `json:"run_id"`
	Metric   string  `json:"metric"`
	Baseline float64 `json:"baseline"`
	// Threshold is the probability at or above which a binary model
	// predicts positive: its decision rule's (a cost matrix's tuned one,
	// a fixed --threshold) or 0.5. The baseline and the drops are at it.
	Threshold float64      `json:"threshold,omitempty"`
	Repeats   int          `json:"repeats"`
	Features  []Importance `json:"features"`
	// Diverged says, for a run that diverged, which weights are explained:
	// its last finite ones.
	Diverged string `json:"diverged,omitempty"`
}

// ExplainOptions tunes Explain.
type ExplainOptions struct {
	Repeats int    // permutations per feature (0 = 5)
	Seed    uint64 // of the permutations
}

// Validate checks the options alone, before any run is read.
func (o ExplainOptions) Validate() error {
	if o.Repeats < 0 || o.Repeats > 1000 {
		return fmt.Errorf("explain: --repeats %d is out of range [1, 1000]", o.Repeats)
	}
	return nil
}

// PermutationImportance measures how much run id's key metric on the test
// split drops when each original column is shuffled: the one-hot columns of
// a categorical are shuffled together, as one feature. It works on any
// saved model (trained, compressed or an ensemble).
func PermutationImportance(ctx context.Context, store sessions.Store, id string, o ExplainOptions) (*ImportanceResult, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Repeats == 0 {
		o.Repeats = 5
	}
	m, note, err := loadExplainable(ctx, store, id)
	if err != nil {
		return nil, err
	}
	data, err := loadRunData(m.Run)
	if err != nil {
		return nil, err
	}
	te := &data.raw.Test
	if te.N < 2 {
		return nil, fmt.Errorf("explain: run %s's test split has %d rows; permutation needs at least 2", id, te.N)
	}
	if n := nonFinite(m.Predict(te.X, te.N)); n > 0 {
		return nil, notExplainable(m.Run, fmt.Sprintf("±Inf or NaN for %d of %d test rows", n, te.N))
	}
	res, err := permutationImportance(ctx, m.Predict, m.Model, data.raw.Task(), te, m.Run.Features, o)
	if err != nil {
		return nil, err
	}
	if !finite(res.Baseline) {
		return nil, notExplainable(m.Run, fmt.Sprintf("a test %s of %v", res.Metric, res.Baseline))
	}
	for _, f := range res.Features {
		if !finite(f.Mean) || !finite(f.Std) {
			return nil, notExplainable(m.Run, fmt.Sprintf("a test %s of ±Inf or NaN when %s is shuffled", res.Metric, f.Feature))
		}
	}
	res.RunID, res.Diverged = id, note
	return res, nil
}

// permutationImportance is PermutationImportance on a split, for a model
// that predicts from raw rows.
func permutationImportance(ctx context.Context, predict func([]float64, int) []float64, p trainer.Predictor, task datasets.Task,
	sp *datasets.Split, features []string, o ExplainOptions) (*ImportanceResult, error) {
	_, k := p.Shape()
	thr := p.DecisionThreshold()
	key := keyMetric(task)
	score := func(x []float64) float64 {
		return evaluate(task, predict(x, sp.N), sp, k, thr).Metrics[key]
	}
	res := &ImportanceResult{Metric: key, Baseline: score(sp.X), Repeats: o.Repeats}
	if task == datasets.Binary {
		res.Threshold = thr
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	x := make([]float64, len(sp.X))
	d := sp.D
	drops := make([]float64, o.Repeats)
	for _, g := range datasets.FeatureGroups(features) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for r := range drops {
			copy(x, sp.X)
			perm := rng.Perm(sp.N)
			for i, j := range perm {
				copy(x[i*d+g.Start:i*d+g.Start+g.N], sp.X[j*d+g.Start:j*d+g.Start+g.N])
			}
			drops[r] = res.Baseline - score(x)
		}
		mean, std := meanStd(drops)
		if math.Abs(mean) < 1e-12 {
			mean = 0 // rounding of equal scores, not a drop
		}
		res.Features = append(res.Features, Importance{Feature: g.Name, Columns: g.N, Mean: mean, Std: std})
	}
	sort.SliceStable(res.Features, func(a, b int) bool { return res.Features[a].Mean > res.Features[b].Mean })
	return res, nil
}

// Contribution is one original column's share of a prediction.
type Contribution struct {
	Feature string
	// Category is the row's category in a categorical column.
	Category    string
	categorical bool
	// Value is the row's raw value and Baseline the training mean, for a
	// numeric column.
	Value, Baseline float64
	Effect          float64 // signed, in units of the output
}

// MarshalJSON writes a numeric column's value and baseline as numbers,
// and a categorical one's value as its category with a null baseline:
// {"feature":"age","value":53,"baseline":44.2071428…,"effect":0.16}.
func (c Contribution) MarshalJSON() ([]byte, error) {
	out := struct {
		Feature  string  `json:"feature"`
		Value    any     `json:"value"`
		Baseline any     `json:"baseline"`
		Effect   float64 `json:"effect"`
	}{Feature: c.Feature, Value: c.Value, Baseline: c.Baseline, Effect: c.Effect}
	if c.Categorical() {
		out.Value, out.Baseline = c.Category, nil
	}
	return json.Marshal(out)
}

// Categorical reports whether the column is categorical (one-hot encoded).
func (c Contribution) Categorical() bool { return c.categorical }

// AttributionResult explains one test row's prediction.
type AttributionResult struct {
	RunID  string `json:"run_id"`
	Row    int    `json:"row"`    // 0-based, in the test split
	Method string `json:"method"` // integrated-gradients or gradient-x-input
	// Output names what is explained, e.g. "P(bad)"; Value is its value
	// for the row, BaselineValue at the baseline (the training means).
	Output        string  `json:"output"`
	Value         float64 `json:"value"`
	BaselineValue float64 `json:"baseline_value"`
	// Actual is the row's true class, or its target value for regression
	// (a number in the JSON).
	Actual   any            `json:"actual"`
	Features []Contribution `json:"features"`
	// Diverged is as in ImportanceResult.
	Diverged string `json:"diverged,omitempty"`
}

// Attribution methods.
const (
	MethodIntegratedGradients = "integrated-gradients"
	MethodGradientInput       = "gradient-x-input"
)

// Attribute explains run id's prediction for test row `row` (0-based):
// the attribution of each original column to the output (the positive
// class's probability, the predicted class's, or the value), against a
// baseline of the training means, by integrated gradients (64 steps; the
// effects add up to the output minus its baseline value) or by gradient ×
// (input − baseline). One-hot groups are summed into their column. Values
// are shown in raw units. Vote ensembles have no gradient and are refused.
func Attribute(ctx context.Context, store sessions.Store, id string, row int, method string) (*AttributionResult, error) {
	if method == "" {
		method = MethodIntegratedGradients
	}
	if method != MethodIntegratedGradients && method != MethodGradientInput {
		return nil, fmt.Errorf("explain: unknown attribution method %q (want %s or %s)", method, MethodIntegratedGradients, MethodGradientInput)
	}
	m, note, err := loadExplainable(ctx, store, id)
	if err != nil {
		return nil, err
	}
	data, err := loadRunData(m.Run)
	if err != nil {
		return nil, err
	}
	raw := data.raw
	if row < 0 || row >= raw.Test.N {
		return nil, fmt.Errorf("explain: --row %d is out of range [0, %d] (rows of the test split)", row, raw.Test.N-1)
	}
	d := raw.Test.D
	x := raw.Test.X[row*d : (row+1)*d]
	base := make([]float64, d)
	for i := 0; i < raw.Train.N; i++ {
		for j := 0; j < d; j++ {
			base[j] += raw.Train.X[i*d+j] / float64(raw.Train.N)
		}
	}
	task := raw.Task()
	c := 0
	out := m.Predict(x, 1)
	output := "value"
	switch task {
	case datasets.Binary:
		output = "P(" + className(m.Run.Classes, 1) + ")"
	case datasets.Multiclass:
		c = argmax(out)
		output = "P(" + className(m.Run.Classes, c) + ")"
	}
	grad := func(pt []float64) (float64, []float64, error) {
		return rawGradient(m.Model, m.Run.Scaler, pt, c)
	}
	attr := make([]float64, d)
	fx, g, err := grad(x)
	if err != nil {
		return nil, err
	}
	fb, _, err := grad(base)
	if err != nil {
		return nil, err
	}
	if method == MethodGradientInput {
		for j := range attr {
			attr[j] = (x[j] - base[j]) * g[j]
		}
	} else {
		const steps = 64
		pt := make([]float64, d)
		for s := 0; s < steps; s++ {
			t := (float64(s) + 0.5) / steps
			for j := range pt {
				pt[j] = base[j] + t*(x[j]-base[j])
			}
			_, g, err := grad(pt)
			if err != nil {
				return nil, err
			}
			for j := range attr {
				attr[j] += (x[j] - base[j]) * g[j] / steps
			}
		}
	}
	if !finite(fx) || !finite(fb) {
		return nil, notExplainable(m.Run, fmt.Sprintf("%v for test row %d (%v at the training means)", fx, row, fb))
	}
	if nonFinite(attr) > 0 {
		return nil, notExplainable(m.Run, fmt.Sprintf("gradients of ±Inf or NaN for test row %d", row))
	}
	res := &AttributionResult{RunID: id, Row: row, Method: method, Output: output, Value: fx, BaselineValue: fb, Diverged: note}
	if task.IsClassification() {
		res.Actual = className(m.Run.Classes, int(raw.Test.Y[row]))
	} else {
		res.Actual = raw.Test.Y[row]
	}
	for _, gr := range datasets.FeatureGroups(m.Run.Features) {
		ct := Contribution{Feature: gr.Name}
		for j := gr.Start; j < gr.Start+gr.N; j++ {
			ct.Effect += attr[j]
		}
		if gr.N > 1 || strings.Contains(m.Run.Features[gr.Start], "=") {
			ct.categorical = true
			for j := gr.Start; j < gr.Start+gr.N; j++ {
				if x[j] == 1 {
					ct.Category = strings.TrimPrefix(m.Run.Features[j], gr.Name+"=")
				}
			}
		} else {
			ct.Value, ct.Baseline = x[gr.Start], base[gr.Start]
		}
		res.Features = append(res.Features, ct)
	}
	sort.SliceStable(res.Features, func(a, b int) bool { return math.Abs(res.Features[a].Effect) > math.Abs(res.Features[b].Effect) })
	return res, nil
}

// rawGradient returns output c of model p for one raw row x (scaled first
// by sc) and its gradient with respect to the raw inputs.
func rawGradient(p trainer.Predictor, sc datasets.Scaler, x []float64, c int) (float64, []float64, error) {
	xs := make([]float64, len(x))
	sc.Transform(xs, x)
	var f float64
	g := make([]float64, len(x))
	switch m := p.(type) {
	case *trainer.Snapshot:
		f = m.OutputGradient(g, xs, c)
	case *trainer.Quantized:
		f = m.Dequantize().OutputGradient(g, xs, c)
	case *trainer.Ensemble:
		if m.Method == "vote" {
			return 0, nil, fmt.Errorf("explain: a vote ensemble has no gradient; use permutation importance")
		}
		for _, mem := range m.Members {
			mf, mg, err := rawGradient(mem.Model, mem.Scaler, xs, c)
			if err != nil {
				return 0, nil, err
			}
			f += mem.Weight * mf
			for j := range g {
				g[j] += mem.Weight * mg[j]
			}
		}
	default:
		return 0, nil, fmt.Errorf("explain: no gradient for a %T", p)
	}
	// d/dx_raw = d/dx_scaled · factor.
	if len(sc.Factor) == len(g) {
		for j := range g {
			g[j] *= sc.Factor[j]
		}
	}
	return f, g, nil
}

func className(classes []string, i int) string {
	if i >= 0 && i < len(classes) {
		return classes[i]
	}
	return fmt.Sprint(i)
}

func argmax(v []float64) int {
	b := 0
	for j, x := range v {
		if x > v[b] {
			b = j
		}
	}
	return b
}
