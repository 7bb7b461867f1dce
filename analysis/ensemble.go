package analysis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// EnsembleOptions says how to combine runs.
type EnsembleOptions struct {
	// Method is mean (the default), vote or weighted (by each member's
	// validation score in the key metric).
	Method string
	// Name names the stored ensemble; empty gives "ensemble of N (method)".
	Name string
	// NoSave evaluates without storing the ensemble.
	NoSave bool
}

// MemberResult is one member's part in an ensemble.
type MemberResult struct {
	ID     string  `json:"id"`
	Name   string  `json:"name,omitempty"`
	Weight float64 `json:"weight"`
	// Val and Test are the member's metrics on the shared splits.
	Val  sessions.Metrics `json:"val"`
	Test sessions.Metrics `json:"test"`
}

// EnsembleResult is an ensemble's evaluation against its members.
type EnsembleResult struct {
	// ID is the stored ensemble run's ID (empty with NoSave).
	ID        string         `json:"id,omitempty"`
	Method    string         `json:"method"`
	Task      string         `json:"task"`
	KeyMetric string         `json:"key_metric"`
	Members   []MemberResult `json:"members"`
	// Val and Test are the ensemble's metrics.
	Val  sessions.Metrics `json:"val"`
	Test sessions.Metrics `json:"test"`
	// BestMember is the member with the best test key metric;
	// GainOverBest and GainOverMean compare the ensemble's test key metric
	// with that member's and with the members' mean.
	BestMember   string  `json:"best_member"`
	GainOverBest float64 `json:"gain_over_best"`
	GainOverMean float64 `json:"gain_over_mean"`

	// TestOutputs holds each member's test outputs (n×k), then the
	// ensemble's, for checks and plots.
	TestOutputs [][]float64 `json:"-"`
}

// ensembleDataFields are the data fields besides its source (name or
// path) that decide which rows a run saw and how; augmentation (aug_noise,
// mixup) changes training only.
var ensembleDataFields = []string{"samples", "noise", "target", "task", "ignore", "missing", "positive",
	"crosses", "scale", "split", "seed"}

// checkSameData refuses runs whose data differ, naming the first thing
// that does: the data (a built-in's name or a CSV's path), a data spec
// field, then the features, then the data hash.
func checkSameData(runs []*sessions.Run) error {
	flat := make([]map[string]string, len(runs))
	for i, r := range runs {
		flat[i] = sessions.FlatSpec(r)
	}
	first := runs[0]
	for i, r := range runs[1:] {
		if a, b := dataSource(first), dataSource(r); a != b {
			return fmt.Errorf("runs %s and %s use different data (%s vs %s): an ensemble needs the same data and split",
				first.ID, r.ID, a, b)
		}
		for _, f := range ensembleDataFields {
			a, b := dataField(flat[0], f), dataField(flat[i+1], f)
			if a != b {
				return fmt.Errorf("runs %s and %s differ in data.%s (%s vs %s): an ensemble needs the same data and split",
					first.ID, r.ID, f, unsetWord(f, a), unsetWord(f, b))
			}
		}
		if r.Task != first.Task {
			return fmt.Errorf("runs %s and %s differ in task (%s vs %s)", first.ID, r.ID, first.Task, r.Task)
		}
		if strings.Join(r.Features, "\x00") != strings.Join(first.Features, "\x00") {
			return fmt.Errorf("runs %s and %s differ in features (%d vs %d columns)", first.ID, r.ID, len(first.Features), len(r.Features))
		}
		if r.DataHash != first.DataHash {
			return fmt.Errorf("runs %s and %s differ in data_hash (%.12s… vs %.12s…): the same spec gave other data (a changed CSV?)",
				first.ID, r.ID, first.DataHash, r.DataHash)
		}
	}
	return nil
}

// dataField returns data field f of a flattened spec, joining list
// elements.
func dataField(flat map[string]string, f string) string {
	key := "data." + f
	if v, ok := flat[key]; ok {
		return v
	}
	var parts []string
	for i := 0; ; i++ {
		v, ok := flat[fmt.Sprintf("%s[%d]", key, i)]
		if !ok {
			break
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, ",")
}

// dataSource names a run's data: a built-in's name, or the path of the
// CSV (a CSV's run has no name, which read as "none").
func dataSource(r *sessions.Run) string {
	if r.Spec.Data.Name != "" {
		return r.Spec.Data.Name
	}
	return r.Spec.Data.Path
}

// unsetWord is data field f's value v for a person: an empty list is
// "none", another empty field "default" (an empty scale is not "none",
// which is a scale of its own).
func unsetWord(f, v string) string {
	switch {
	case v != "":
		return v
	case f == "ignore" || f == "crosses":
		return "none"
	}
	return "default"
}

// Ensemble combines finished runs that share their data into one model,
// evaluates it and every member on the shared splits, and unless
// o.NoSave stores it as a run of kind "ensemble" listing its members. The
// stored run holds every member's model, so it predicts even after a
// member is deleted.
func Ensemble(ctx context.Context, store sessions.Store, ids []string, o EnsembleOptions) (*EnsembleResult, error) {
	method := o.Method
	if method == "" {
		method = "mean"
	}
	if err := trainer.CheckEnsembleMethod(method); err != nil {
		return nil, err
	}
	if len(ids) < 2 {
		return nil, fmt.Errorf("ensemble: give at least 2 runs, got %d", len(ids))
	}
	seen := map[string]bool{}
	var runs []*sessions.Run
	var models []*sessions.SavedModel
	for _, id := range ids {
		if seen[id] {
			return nil, fmt.Errorf("ensemble: run %s is listed twice", id)
		}
		seen[id] = true
		m, err := sessions.LoadModel(ctx, store, id)
		if err != nil {
			return nil, err
		}
		runs = append(runs, m.Run)
		models = append(models, m)
	}
	if err := checkSameData(runs); err != nil {
		return nil, err
	}
	data, err := loadRunData(runs[0])
	if err != nil {
		return nil, err
	}
	task := data.raw.Task()
	key := keyMetric(task)
	_, k := models[0].Model.Shape()
	res := &EnsembleResult{Method: method, Task: task.String(), KeyMetric: key}
	raw := data.raw
	var valOuts, testOuts [][]float64
	var weights, thr []float64
	var members []trainer.EnsembleMember
	for i, m := range models {
		vo := m.Predict(raw.Val.X, raw.Val.N)
		to := m.Predict(raw.Test.X, raw.Test.N)
		t := m.Model.DecisionThreshold()
		d := runs[i].Spec.Decision
		mr := MemberResult{ID: runs[i].ID, Name: runs[i].Name,
			Val: evaluateDecision(task, vo, &raw.Val, k, t, d).Metrics, Test: evaluateDecision(task, to, &raw.Test, k, t, d).Metrics}
		res.Members = append(res.Members, mr)
		valOuts, testOuts = append(valOuts, vo), append(testOuts, to)
		thr = append(thr, t)
		weights = append(weights, mr.Val[key])
		members = append(members, trainer.EnsembleMember{ID: runs[i].ID, Weight: mr.Val[key], Scaler: runs[i].Scaler, Model: m.Model})
	}
	ens, err := trainer.NewEnsemble(method, task, members)
	if err != nil {
		return nil, err
	}
	for i, m := range ens.Members {
		weights[i] = m.Weight
		res.Members[i].Weight = m.Weight
	}
	ev := trainer.Combine(method, task, k, valOuts, weights, thr)
	et := trainer.Combine(method, task, k, testOuts, weights, thr)
	// The members' decision rule applies to the ensemble: a fixed threshold,
	// or one tuned on validation from the costs.
	d := runs[0].Spec.Decision
	if task == datasets.Binary && !d.IsZero() {
		ens.Threshold = d.Threshold
		if ens.Threshold == 0 && d.HasCosts() && raw.Val.N > 0 {
			fp, fn := d.Costs()
			ens.Threshold, _ = trainer.TuneThreshold(ev, raw.Val.Y, fp, fn)
		}
	}
	val := evaluateDecision(task, ev, &raw.Val, k, ens.DecisionThreshold(), d)
	test := evaluateDecision(task, et, &raw.Test, k, ens.DecisionThreshold(), d)
	res.Val, res.Test = val.Metrics, test.Metrics
	res.TestOutputs = append(testOuts, et)

	best, sum := -1, 0.0
	for i, mr := range res.Members {
		sum += mr.Test[key]
		if best < 0 || mr.Test[key] > res.Members[best].Test[key] {
			best = i
		}
	}
	res.BestMember = res.Members[best].ID
	res.GainOverBest = res.Test[key] - res.Members[best].Test[key]
	res.GainOverMean = res.Test[key] - sum/float64(len(res.Members))
	if o.NoSave {
		return res, nil
	}
	id, err := saveEnsemble(ctx, store, runs, ens, o.Name, val, test)
	if err != nil {
		return nil, err
	}
	res.ID = id
	return res, nil
}

// saveEnsemble stores ens as a complete run of kind "ensemble".
func saveEnsemble(ctx context.Context, store sessions.Store, runs []*sessions.Run, ens *trainer.Ensemble, name string, val, test trainer.Evaluation) (string, error) {
	w, err := ens.Marshal()
	if err != nil {
		return "", err
	}
	first := runs[0]
	ids := make([]string, len(runs))
	params := 0
	for i, r := range runs {
		ids[i] = r.ID
		params += r.Params
	}
	if name == "" {
		name = fmt.Sprintf("ensemble of %d (%s)", len(runs), ens.Method)
	}
	now := time.Now().UTC()
	spec := first.Spec.Clone()
	spec.Name = name
	tags := []string{"ensemble"}
	r := &sessions.FullRun{
		Run: sessions.Run{
			ID: trainer.NewID(), Name: name, Status: trainer.StatusDone, Spec: spec, Dataset: first.Dataset, Task: first.Task,
			Summary: fmt.Sprintf("%s of %d × %s", ens.Method, len(runs), first.Summary), Params: params, DataHash: first.DataHash,
			Scaler: datasets.Scaler{Kind: "none", Impute: first.Scaler.Impute}, Features: first.Features, Classes: first.Classes, Tags: tags,
			Notes:   "members: " + strings.Join(ids, ", "),
			Created: now, Finished: now, Monitor: "val_" + keyMetricName(first.Task),
			Metrics: summaryMetrics(val, test), Kind: sessions.KindEnsemble, Members: ids,
		},
		History:    []sessions.Epoch{},
		Evaluation: &sessions.Evaluations{Val: val, Test: test},
		Weights:    w,
	}
	if err := store.ImportRun(ctx, r); err != nil {
		return "", err
	}
	return r.ID, nil
}

func keyMetricName(task string) string {
	t, err := datasets.ParseTask(task)
	if err != nil {
		return "accuracy"
	}
	return keyMetric(t)
}
