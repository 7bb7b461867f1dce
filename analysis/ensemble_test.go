package analysis

import (
	"context"
	"math"
	"strings"
	"testing"

	"workbench/sessions"
)

func TestEnsembleOfFiveSeedsMatchesAHandComputation(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	var ids []string
	for seed := uint64(1); seed <= 5; seed++ {
		ids = append(ids, train(t, s, breastCancerSpec(seed)))
	}
	res, err := Ensemble(ctx, s, ids, EnsembleOptions{Method: "mean"})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: each member's stored model on the raw test rows, averaged.
	raw := rawSplits(t, breastCancerSpec(1).Data)
	n := raw.Test.N
	avg := make([]float64, n)
	var memberAcc []float64
	for _, id := range ids {
		m, err := sessions.LoadModel(ctx, s, id)
		if err != nil {
			t.Fatal(err)
		}
		p := m.Predict(raw.Test.X, n)
		correct := 0
		for i, v := range p {
			avg[i] += v / 5
			if (v >= 0.5) == (raw.Test.Y[i] == 1) {
				correct++
			}
		}
		memberAcc = append(memberAcc, float64(correct)/float64(n))
	}
	correct, tp, fp := 0, 0, 0
	for i, v := range avg {
		pred := v >= 0.5
		if pred == (raw.Test.Y[i] == 1) {
			correct++
		}
		if pred && raw.Test.Y[i] == 1 {
			tp++
		}
		if pred && raw.Test.Y[i] == 0 {
			fp++
		}
	}
	acc := float64(correct) / float64(n)
	if res.Test["accuracy"] != acc {
		t.Fatalf("ensemble test accuracy %v, by hand %v", res.Test["accuracy"], acc)
	}
	if want := float64(tp) / float64(tp+fp); math.Abs(res.Test["precision"]-want) > 1e-15 {
		t.Errorf("precision %v, by hand %v", res.Test["precision"], want)
	}
	best, mean := 0.0, 0.0
	for i, a := range memberAcc {
		if res.Members[i].Test["accuracy"] != a {
			t.Errorf("member %d accuracy %v, by hand %v", i, res.Members[i].Test["accuracy"], a)
		}
		best = math.Max(best, a)
		mean += a / 5
	}
	if math.Abs(res.GainOverBest-(acc-best)) > 1e-12 || math.Abs(res.GainOverMean-(acc-mean)) > 1e-12 {
		t.Errorf("gains %v, %v; by hand %v, %v", res.GainOverBest, res.GainOverMean, acc-best, acc-mean)
	}
	t.Logf("5 seeds: members' test accuracy %v; ensemble %.4f, gain over best %+.4f, over mean %+.4f",
		memberAcc, acc, res.GainOverBest, res.GainOverMean)

	// The stored run: kind, members, metrics, and predict through it.
	run, err := s.GetRun(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Kind != sessions.KindEnsemble || strings.Join(run.Members, ",") != strings.Join(ids, ",") || run.Metrics["test_accuracy"] != acc {
		t.Fatalf("stored ensemble %+v", run)
	}
	m, err := sessions.LoadModel(ctx, s, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Predict(raw.Test.X, n)
	for i := range got {
		if math.Abs(got[i]-avg[i]) > 1e-12 {
			t.Fatalf("row %d: predict through the ensemble %v, by hand %v", i, got[i], avg[i])
		}
	}
	// It survives the deletion of a member.
	if err := s.DeleteRuns(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.LoadModel(ctx, s, res.ID); err != nil {
		t.Fatalf("the ensemble no longer loads without a member: %v", err)
	}

	// weighted: weights in proportion to the validation accuracy.
	w, err := Ensemble(ctx, s, ids[1:], EnsembleOptions{Method: "weighted", NoSave: true})
	if err != nil {
		t.Fatal(err)
	}
	sumVal := 0.0
	for _, mr := range w.Members {
		sumVal += mr.Val["accuracy"]
	}
	for _, mr := range w.Members {
		if math.Abs(mr.Weight-mr.Val["accuracy"]/sumVal) > 1e-12 {
			t.Errorf("member %s weight %v, want %v", mr.ID, mr.Weight, mr.Val["accuracy"]/sumVal)
		}
	}
	v, err := Ensemble(ctx, s, ids[1:4], EnsembleOptions{Method: "vote", NoSave: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, share := range v.TestOutputs[3] {
		votes := 0
		for _, o := range v.TestOutputs[:3] {
			if o[i] >= 0.5 {
				votes++
			}
		}
		if math.Abs(share-float64(votes)/3) > 1e-12 {
			t.Fatalf("row %d: vote share %v, %d of 3 votes", i, share, votes)
		}
	}
}

func TestEnsembleRefusesDifferentDataNamingTheField(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	a := breastCancerSpec(1)
	a.Epochs = 2
	b := a
	b.Data.Scale = "minmax"
	c := a
	c.Data.Seed = 2
	ia, ib, ic := train(t, s, a), train(t, s, b), train(t, s, c)
	for _, tc := range []struct {
		ids  []string
		want string
	}{
		{[]string{ia, ib}, "data.scale (standard vs minmax)"},
		{[]string{ia, ic}, "data.seed (1 vs 2)"},
		{[]string{ia}, "at least 2 runs"},
		{[]string{ia, ia}, "listed twice"},
		{[]string{ia, "nope"}, "nope"},
	} {
		_, err := Ensemble(ctx, s, tc.ids, EnsembleOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to say %q", tc.ids, err, tc.want)
		}
	}
	if _, err := Ensemble(ctx, s, []string{ia, ib}, EnsembleOptions{Method: "median"}); err == nil || !strings.Contains(err.Error(), "median") {
		t.Errorf("unknown method: %v", err)
	}
}
