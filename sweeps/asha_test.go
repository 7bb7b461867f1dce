package sweeps

import (
	"context"
	"reflect"
	"testing"

	"workbench/trainer"
)

func TestASHAStopsABadTrialAtTheFirstRung(t *testing.T) {
	// Rungs at 3, 9, 27 epochs. The learning rate 1e-5 learns nothing and
	// is below the good trials at the first rung.
	spec := Spec{Base: base(30), Grid: []Param{{Field: "lr", Values: []string{"0.03", "0.02", "0.00001"}}}, Pruner: PrunerASHA, MinEpochs: 3, Reduction: 3}
	res, err := Run(context.Background(), tempStore(t), spec, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Trials[0]; r.Status != trainer.StatusDone || r.Epochs != 30 {
		t.Fatalf("the first trial is always promoted: %s after %d epochs", r.Status, r.Epochs)
	}
	if bad := res.Trials[2]; bad.Status != trainer.StatusPruned || bad.Epochs != 3 {
		t.Fatalf("bad trial: %s after %d epochs, want pruned after 3", bad.Status, bad.Epochs)
	}
}

func TestASHARungs(t *testing.T) {
	a := newPruner(Spec{Base: base(60), Pruner: PrunerASHA, Reduction: 3}, "val_loss", true).(*asha)
	if a.min != 2 || a.eta != 3 {
		t.Fatalf("defaults: min %d eta %d, want 2 and 3", a.min, a.eta)
	}
	var rungs []int
	for e := 1; e <= 60; e++ {
		if a.rung(e) {
			rungs = append(rungs, e)
		}
	}
	if !reflect.DeepEqual(rungs, []int{2, 6, 18, 54}) {
		t.Fatalf("rungs %v", rungs)
	}
	// Six trials reach epoch 2 with losses 0.5, 0.4, 0.9, 0.3, 0.8, 0.35:
	// each goes on only while in the top third of those that got there.
	var stopped []bool
	for i, v := range []float64{0.5, 0.4, 0.9, 0.3, 0.8, 0.35} {
		a.report(i, 1, map[string]float64{"loss": v + 0.1})
		stopped = append(stopped, a.report(i, 2, map[string]float64{"loss": v}))
	}
	if want := []bool{false, false, true, false, true, false}; !reflect.DeepEqual(stopped, want) {
		t.Fatalf("stopped %v, want %v", stopped, want)
	}
	for _, bad := range []Spec{{Pruner: "hyperband"}, {Pruner: PrunerASHA, Reduction: 1}, {Pruner: PrunerASHA, MinEpochs: -1}} {
		if checkPruner(bad) == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestTPESweepIsDeterministicAtParallelism1(t *testing.T) {
	spec := Spec{Base: base(4), Sampler: SamplerTPE, Trials: 13, Seed: 5, Objective: "val_loss",
		Random: []Dist{{Field: "lr", Kind: "log", Min: 1e-4, Max: 0.3}, {Field: "act", Kind: "choice", Items: []string{"relu", "tanh"}}}}
	r1, err := Run(context.Background(), tempStore(t), spec, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Run(context.Background(), tempStore(t), spec, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r1.Trials) != 13 {
		t.Fatalf("%d trials", len(r1.Trials))
	}
	// At parallelism 2 the trials depend on finish order, but all run.
	r3, err := Run(context.Background(), tempStore(t), spec, Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range r3.Trials {
		if r.Trial.Index != i || r.Status != trainer.StatusDone || r.RunID == "" {
			t.Fatalf("parallel 2, trial %d: %+v", i, r)
		}
	}
	for i := range r1.Trials {
		a, b := r1.Trials[i], r2.Trials[i]
		if a.Status != trainer.StatusDone || !reflect.DeepEqual(a.Trial.Params, b.Trial.Params) || a.Objective != b.Objective {
			t.Fatalf("trial %d: %s %v %v vs %v %v", i, a.Status, a.Trial.Params, a.Objective, b.Trial.Params, b.Objective)
		}
	}
}

func TestSweepFileTakesSamplerAndPruner(t *testing.T) {
	s, err := ParseSpecFile([]byte(`
sampler = "tpe"
pruner = "asha"
min_epochs = 2
reduction = 4
trials = 20
[[random]]
field = "lr"
kind = "log"
min = 0.0001
max = 0.1
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Sampler != SamplerTPE || s.Pruner != PrunerASHA || s.MinEpochs != 2 || s.Reduction != 4 {
		t.Fatalf("%+v", s)
	}
	s.Base = base(8)
	if n, err := Budget(s); err != nil || n != 20 {
		t.Fatalf("budget %d %v", n, err)
	}
	for _, bad := range []Spec{
		{Base: base(5), Sampler: "bayes", Random: s.Random, Trials: 3},
		{Base: base(5), Sampler: SamplerTPE, Random: s.Random},
		{Base: base(5), Sampler: SamplerTPE, Trials: 3, Grid: []Param{{Field: "lr", Values: []string{"0.1"}}}},
		{Base: base(5), Sampler: SamplerTPE, Random: s.Random, Trials: 3, Seeds: 2},
	} {
		if _, err := Expand(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
