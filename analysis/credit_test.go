package analysis

import (
	"context"
	"math"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func TestCreditCostTunedThresholdLowersTheCostAndPredictAppliesIt(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "credit", Split: datasets.DefaultSplit, Seed: 1}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 16, Activation: "relu"}}
	spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
	spec.BatchSize = 32
	spec.Epochs = 10
	spec.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 5}
	id := train(t, s, spec)
	run, err := s.GetRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.Evaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	val := ev.Val.Metrics
	thr := val["threshold"]
	t.Logf("credit, costs FP 1 FN 5: threshold %.4f; validation cost %.4f (at 0.5: %.4f); test cost %.4f (at 0.5: %.4f), test accuracy %.4f, recall %.4f",
		thr, val["cost"], val["cost_at_half"], run.Metrics["test_cost"], run.Metrics["test_cost_at_half"], run.Metrics["test_accuracy"], run.Metrics["test_recall"])
	if !(val["cost"] < val["cost_at_half"]) || !(thr < 0.5) {
		t.Fatalf("validation cost %v at threshold %v, %v at 0.5: want the tuned threshold lower and cheaper", val["cost"], thr, val["cost_at_half"])
	}
	if run.Metrics["test_threshold"] != thr || !strings.EqualFold(run.Classes[1], "bad") {
		t.Fatalf("stored test threshold %v, classes %v", run.Metrics["test_threshold"], run.Classes)
	}
	m, err := sessions.LoadModel(ctx, s, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Model.DecisionThreshold() != thr {
		t.Fatalf("the saved model decides at %v, the run chose %v", m.Model.DecisionThreshold(), thr)
	}
	csv := `Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price
good,9,rent,60,30,married,no,freelance,73,129,0,0,800,846
bad,10,owner,36,46,married,yes,freelance,90,200,3000,0,2000,2985
good,0,rent,60,24,single,no,fixed,63,182,2500,0,900,1325
bad,0,other,60,32,separated,yes,partime,35,65,0,0,900,1150
`
	_, preds, err := m.PredictCSV(strings.NewReader(csv), "applicants.csv")
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range preds {
		want := "good"
		if p.Probs[1] >= thr {
			want = "bad"
		}
		if p.Label != want || math.Abs(p.Probs[0]+p.Probs[1]-1) > 1e-12 {
			t.Errorf("row %d: P(bad) %.3f at threshold %.3f predicted %s, want %s", i, p.Probs[1], thr, p.Label, want)
		}
	}
}

func TestEnsembleOfCostTunedRunsTunesItsOwnThreshold(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	var ids []string
	for seed := uint64(1); seed <= 2; seed++ {
		spec := trainer.DefaultSpec()
		spec.Data = datasets.Spec{Name: "credit", Split: datasets.DefaultSplit, Seed: 1}
		spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "relu"}}
		spec.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.01}
		spec.BatchSize, spec.Epochs, spec.Seed = 64, 5, seed
		spec.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 5}
		ids = append(ids, train(t, s, spec))
	}
	res, err := Ensemble(ctx, s, ids, EnsembleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	thr := res.Val["threshold"]
	if !(thr > 0 && thr < 0.5) || !(res.Val["cost"] <= res.Val["cost_at_half"]) || res.Test["threshold"] != thr {
		t.Fatalf("ensemble val %v, test %v: want a tuned threshold below 0.5 that does not cost more", res.Val, res.Test)
	}
	m, err := sessions.LoadModel(ctx, s, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Model.DecisionThreshold() != thr {
		t.Errorf("the saved ensemble decides at %v, tuned %v", m.Model.DecisionThreshold(), thr)
	}
	for _, mr := range res.Members {
		if _, ok := mr.Test["cost"]; !ok {
			t.Errorf("member %s has no test cost: %v", mr.ID, mr.Test)
		}
	}
}
