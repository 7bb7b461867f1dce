package analysis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// CompressOptions says how to compress a run's model. At least one of
// Prune and Quantize must be set.
type CompressOptions struct {
	// Prune is the fraction of weights (or, with Structured, of each hidden
	// layer's units) to remove, in [0, 1).
	Prune float64
	// Structured removes whole hidden units with the smallest outgoing
	// norm instead of single weights.
	Structured bool
	// Quantize is "" or "int8".
	Quantize string
	// FinetuneEpochs trains the pruned model further, holding pruned
	// weights at zero; FinetuneLR is its learning rate (0 = the run's).
	FinetuneEpochs int
	FinetuneLR     float64
	// Name names the derived run; empty derives one from the parent's.
	Name string
	// NoSave measures without storing the derived run.
	NoSave bool
	// MinTime is how long each throughput measurement runs (0 = 200ms).
	MinTime time.Duration
}

// ModelStats describes one model in a compression's before/after table.
type ModelStats struct {
	Params  int `json:"params"`   // weights, biases and batch-norm parameters
	Weights int `json:"weights"`  // entries of the weight matrices
	NonZero int `json:"non_zero"` // non-zero weights
	Bytes   int `json:"bytes"`    // the saved model's size
	// Test holds the test metrics (±Inf written "+Inf", as runs show
	// --json has it); RowsPerSec the inference throughput
	// on the test split.
	Test       sessions.Metrics `json:"test"`
	RowsPerSec float64          `json:"rows_per_s"`
}

// CompressResult is a compression's before/after table.
type CompressResult struct {
	ParentID  string     `json:"parent_id"`
	ID        string     `json:"id,omitempty"` // the derived run (empty with NoSave)
	Method    string     `json:"method"`       // e.g. "prune 50% unstructured, fine-tune 3 epochs, int8"
	KeyMetric string     `json:"key_metric"`
	Before    ModelStats `json:"before"`
	After     ModelStats `json:"after"`
}

// Validate checks the options alone, before any run is read: its errors
// name the flag at fault.
func (o CompressOptions) Validate() error {
	if !(o.Prune >= 0 && o.Prune < 1) {
		return fmt.Errorf("compress: --prune %v is out of range [0, 1)", o.Prune)
	}
	if o.Quantize != "" && o.Quantize != "int8" {
		return fmt.Errorf("compress: --quantize %q is not supported (want int8)", o.Quantize)
	}
	if o.Prune == 0 && o.Quantize == "" {
		return fmt.Errorf("compress: nothing to do: set --prune FRACTION or --quantize int8")
	}
	if o.Structured && o.Prune == 0 {
		return fmt.Errorf("compress: --structured needs --prune FRACTION")
	}
	if o.FinetuneEpochs < 0 || o.FinetuneEpochs > 100_000 {
		return fmt.Errorf("compress: --finetune-epochs %d is out of range [0, 100000]", o.FinetuneEpochs)
	}
	if o.FinetuneEpochs > 0 && o.Prune == 0 {
		return fmt.Errorf("compress: --finetune-epochs needs --prune (quantization is post-training)")
	}
	if !(o.FinetuneLR >= 0 && o.FinetuneLR <= 10) {
		return fmt.Errorf("compress: --finetune-lr %v is out of range [0, 10]", o.FinetuneLR)
	}
	return nil
}

// describe names what o does, for the derived run and the table.
func (o CompressOptions) describe() string {
	var parts []string
	if o.Prune > 0 {
		kind := "unstructured"
		if o.Structured {
			kind = "structured"
		}
		parts = append(parts, fmt.Sprintf("prune %s%% %s", numfmt.Short(o.Prune*100), kind))
		if o.FinetuneEpochs > 0 {
			parts = append(parts, "fine-tune "+numfmt.Count(o.FinetuneEpochs, "epoch"))
		}
	}
	if o.Quantize != "" {
		parts = append(parts, o.Quantize)
	}
	return strings.Join(parts, ", ")
}

// Compress derives a smaller model from run id's: magnitude pruning
// (optionally fine-tuned), then optionally post-training int8 quantization
// calibrated on the training split. It measures both models on the test
// split in the same process and, unless o.NoSave, stores the result as a
// run of kind "compressed" whose parent is id.
func Compress(ctx context.Context, store sessions.Store, id string, o CompressOptions) (*CompressResult, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	m, err := sessions.LoadModel(ctx, store, id)
	if err != nil {
		return nil, err
	}
	switch m.Model.(type) {
	case *trainer.Ensemble:
		return nil, fmt.Errorf("compress: run %s is an ensemble; compress its members, then ensemble them", id)
	case *trainer.Quantized:
		return nil, fmt.Errorf("compress: run %s is already int8; compress its parent %s instead", id, m.Run.Parent)
	}
	data, err := loadRunData(m.Run)
	if err != nil {
		return nil, err
	}
	sc := data.scaled
	spec := m.Run.Spec.Clone()
	snap := m.Snapshot
	if o.Prune > 0 {
		var mask trainer.Mask
		if o.Structured {
			snap, err = trainer.PruneUnits(snap, o.Prune)
		} else {
			snap, mask, err = trainer.PruneMagnitude(snap, o.Prune)
		}
		if err != nil {
			return nil, err
		}
		for i, u := range snap.HiddenUnits() {
			spec.Model.Hidden[i].Units = u
		}
		if o.FinetuneEpochs > 0 {
			snap, err = trainer.Finetune(ctx, snap, spec, sc, trainer.FinetuneOptions{Epochs: o.FinetuneEpochs, Mask: mask, LR: o.FinetuneLR})
			if err != nil {
				return nil, err
			}
		}
	}
	var after trainer.Predictor = snap
	if o.Quantize == "int8" {
		q, err := trainer.Quantize(snap, sc.Train.X, sc.Train.N)
		if err != nil {
			return nil, err
		}
		after = q
	}
	res := &CompressResult{ParentID: id, Method: o.describe(), KeyMetric: keyMetric(sc.Task())}
	minTime := o.MinTime
	if minTime <= 0 {
		minTime = 200 * time.Millisecond
	}
	models := []trainer.Predictor{m.Snapshot, after}
	var afterVal trainer.Evaluation
	for i, p := range models {
		st, val, err := describeModel(p, sc, spec.Decision)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			res.Before = st
		} else {
			res.After, afterVal = st, val
		}
	}
	rates := throughput(models, &sc.Test, minTime)
	res.Before.RowsPerSec, res.After.RowsPerSec = rates[0], rates[1]
	if o.NoSave {
		return res, nil
	}
	w, err := after.Marshal()
	if err != nil {
		return nil, err
	}
	name := o.Name
	if name == "" {
		base := m.Run.Name
		if base == "" {
			base = m.Run.ID
		}
		name = base + " (" + res.Method + ")"
	}
	spec.Name = name
	now := time.Now().UTC()
	_, k := after.Shape()
	test := evaluateDecision(sc.Task(), after.Predict(sc.Test.X, sc.Test.N), &sc.Test, k, after.DecisionThreshold(), spec.Decision)
	summary := trainer.Summary(spec.Model, sc.Task(), sc.Train.D, sc.Classes())
	if i := strings.LastIndex(summary, ","); o.Quantize != "" && i > 0 {
		summary = summary[:i] + " " + o.Quantize + summary[i:] // "… → 10 softmax int8, 4810 params"
	}
	r := &sessions.FullRun{
		Run: sessions.Run{
			ID: trainer.NewID(), Name: name, Status: trainer.StatusDone, Spec: spec, Dataset: m.Run.Dataset, Task: m.Run.Task,
			Summary: summary, Params: res.After.Params, DataHash: m.Run.DataHash, Scaler: m.Run.Scaler,
			Features: m.Run.Features, Classes: m.Run.Classes, Tags: []string{"compressed"},
			Notes: fmt.Sprintf("%s of %s: %d → %d non-zero weights, %d → %d bytes", res.Method, id,
				res.Before.NonZero, res.After.NonZero, res.Before.Bytes, res.After.Bytes),
			Created: now, Finished: now, Monitor: m.Run.Monitor, EpochsDone: o.FinetuneEpochs, EpochsTotal: o.FinetuneEpochs,
			Metrics: summaryMetrics(afterVal, test), Kind: sessions.KindCompressed, Parent: id,
		},
		History:    []sessions.Epoch{},
		Evaluation: &sessions.Evaluations{Val: afterVal, Test: test},
		Weights:    w,
	}
	if err := store.ImportRun(ctx, r); err != nil {
		return nil, err
	}
	res.ID = r.ID
	return res, nil
}

// describeModel fills a model's row of the table but its throughput:
// sizes and test metrics. It also returns the validation evaluation.
func describeModel(p trainer.Predictor, sc *datasets.Prepared, d trainer.DecisionSpec) (ModelStats, trainer.Evaluation, error) {
	b, err := p.Marshal()
	if err != nil {
		return ModelStats{}, trainer.Evaluation{}, err
	}
	st := ModelStats{Bytes: len(b)}
	switch m := p.(type) {
	case *trainer.Snapshot:
		st.Params, st.Weights, st.NonZero = m.NumParams(), m.NumWeights(), m.NonZeroWeights()
	case *trainer.Quantized:
		st.Params, st.NonZero = m.NumParams(), m.NonZeroWeights()
		for _, l := range m.Layers {
			st.Weights += len(l.W)
		}
	}
	_, k := p.Shape()
	thr := p.DecisionThreshold()
	te := &sc.Test
	if te.N == 0 {
		return st, trainer.Evaluation{}, fmt.Errorf("compress: the test split is empty")
	}
	st.Test = evaluateDecision(sc.Task(), p.Predict(te.X, te.N), te, k, thr, d).Metrics
	val := evaluateDecision(sc.Task(), p.Predict(sc.Val.X, sc.Val.N), &sc.Val, k, thr, d)
	return st, val, nil
}

// throughput measures each model's inference rate on split sp, in rows a
// second: three rounds that take turns between the models, each predicting
// the whole split for about minTime/3, keeping each model's best round, so
// that a burst of load on a shared machine hurts neither more.
func throughput(models []trainer.Predictor, sp *datasets.Split, minTime time.Duration) []float64 {
	best := make([]float64, len(models))
	const rounds = 3
	for r := 0; r < rounds; r++ {
		for i, p := range models {
			rows := 0
			start := time.Now()
			for time.Since(start) < minTime/rounds || rows == 0 {
				p.Predict(sp.X, sp.N)
				rows += sp.N
			}
			best[i] = max(best[i], float64(rows)/time.Since(start).Seconds())
		}
	}
	return best
}
