package sweeps

import (
	"context"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// Flags that were not sweep names before the registry (bn, aug-noise,
// weight-decay, min-lr, lr-patience) sweep and run.
func TestSweepByFlagNamesRuns(t *testing.T) {
	spec := Spec{Base: base(3), Grid: []Param{
		{Field: "bn", Values: []string{"true", "false"}},
		{Field: "aug-noise", Values: []string{"0", "0.1"}},
	}}
	store := tempStore(t)
	res, err := Run(context.Background(), store, spec, Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trials) != 4 || res.Status != "done" {
		t.Fatalf("%d trials, status %s", len(res.Trials), res.Status)
	}
	seen := map[string]bool{}
	for _, tr := range res.Trials {
		if tr.Status != trainer.StatusDone || tr.Epochs != 3 {
			t.Errorf("trial %d: %s after %d epochs", tr.Trial.Index, tr.Status, tr.Epochs)
		}
		s := tr.Trial.Spec
		if s.Model.Hidden[0].BatchNorm != (tr.Trial.Params["bn"] == "true") || ftoa(s.Data.AugNoise) != tr.Trial.Params["aug-noise"] {
			t.Errorf("trial %v has bn %v, aug noise %v", tr.Trial.Params, s.Model.Hidden[0].BatchNorm, s.Data.AugNoise)
		}
		seen[ParamValue(s, "bn")+"|"+ParamValue(s, "aug-noise")] = true
	}
	if len(seen) != 4 {
		t.Errorf("grid points %v", seen)
	}
	trials, err := Expand(Spec{Base: base(3), Grid: []Param{
		{Field: "opt", Values: []string{"adamw"}}, {Field: "weight-decay", Values: []string{"0.05"}},
		{Field: "schedule", Values: []string{"plateau"}}, {Field: "min-lr", Values: []string{"0.0001"}}, {Field: "lr-patience", Values: []string{"3"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := trials[0].Spec
	if s.Optimizer.WeightDecay != 0.05 || s.Schedule.MinLR != 0.0001 || s.Schedule.Patience != 3 || s.Schedule.Factor != 0.5 {
		t.Errorf("optimizer %+v schedule %+v", s.Optimizer, s.Schedule)
	}
}

func TestSweepFieldNamesAreFlagsOrPaths(t *testing.T) {
	for field, want := range map[string]string{
		"aug_noise": `unknown field "aug_noise" (did you mean aug-noise (data.aug_noise)?)`,
		"optimizer": `did you mean opt (optimizer.name)?`,
	} {
		_, err := Expand(Spec{Base: base(3), Grid: []Param{{Field: field, Values: []string{"1"}}}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", field, err)
		}
	}
	for _, field := range []string{"lr", "optimizer.lr", "model.hidden[0].units", "model.hidden[].units", "data.split[1]"} {
		if err := CheckField(field); err != nil {
			t.Errorf("%s: %v", field, err)
		}
	}
	if got := CanonicalField("bn"); got != "model.hidden[].batch_norm" {
		t.Errorf("CanonicalField(bn) = %q", got)
	}
}

func TestObjectiveIsParsedForTheTask(t *testing.T) {
	for obj, want := range map[string]string{
		"val_r2":   `sweep: objective "val_r2": r2 is not computed for binary tasks`,
		"accuracy": `sweep: objective "accuracy": "accuracy" must start with val_ or train_`,
		"val_auc":  "",
	} {
		_, err := objectiveFor(Spec{Base: base(3), Objective: obj}, datasets.Binary)
		if (want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), want)) {
			t.Errorf("%s: %v", obj, err)
		}
	}
}
