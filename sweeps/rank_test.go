package sweeps

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"workbench/analysis"
	"workbench/trainer"
)

func TestPrunedTrialsNeverRankAboveCompleted(t *testing.T) {
	// A pruned trial with the highest val_accuracy, as median stopping can
	// leave when the early epochs were lucky.
	trials := []ReportTrial{
		{RunID: "pruned", Status: trainer.StatusPruned, Objective: 0.99, HasObj: true},
		{RunID: "none", Status: trainer.StatusFailed},
		{RunID: "done", Status: trainer.StatusDone, Objective: 0.80, HasObj: true},
		{RunID: "early", Status: trainer.StatusEarlyStopped, Objective: 0.85, HasObj: true},
	}
	sort.SliceStable(trials, func(i, j int) bool { return RanksAbove(false, trials[i].Standing(), trials[j].Standing()) })
	var got []string
	for _, tr := range trials {
		got = append(got, tr.RunID)
	}
	if want := "early done pruned none"; strings.Join(got, " ") != want {
		t.Errorf("ranking %v, want %s", got, want)
	}
	if (Standing{Status: trainer.StatusPruned, Objective: 0.99, HasObj: true}).Candidate() {
		t.Error("a pruned trial is a candidate for best")
	}
	// Lower is better: the pruned trial's loss is the lowest but it still ranks last of those with one.
	lo := Standing{Status: trainer.StatusPruned, Objective: 0.01, HasObj: true}
	if RanksAbove(true, lo, Standing{Status: trainer.StatusDone, Objective: 0.5, HasObj: true}) {
		t.Error("a pruned trial ranks above a completed one when lower is better")
	}
}

func TestEnsembleTopSkipsPruned(t *testing.T) {
	res := &Result{Trials: []TrialResult{
		{RunID: "a", Status: trainer.StatusPruned, Objective: 0.99, HasObj: true},
		{RunID: "b", Status: trainer.StatusDone, Objective: 0.7, HasObj: true},
	}}
	if _, err := EnsembleTop(t.Context(), nil, res, 2, analysis.EnsembleOptions{}); err == nil || !strings.Contains(err.Error(), "only 1 trial finished") {
		t.Errorf("a pruned trial counted for --ensemble-top: %v", err)
	}
}

func TestRandomEffectsAreQuantileBins(t *testing.T) {
	sp := Spec{Base: trainer.DefaultSpec(), Random: []Dist{{Field: "lr", Kind: "log", Min: 1e-4, Max: 1}, {Field: "act", Kind: "choice", Items: []string{"relu", "tanh"}}}}
	var specs []trainer.Spec
	var objs []float64
	for i := 0; i < 20; i++ {
		s := trainer.DefaultSpec() // a copy of sp.Base would share its layers
		lr := 1e-4 * math.Pow(10, 4*float64(i)/19)
		if err := s.Set("lr", fmt.Sprint(lr)); err != nil {
			t.Fatal(err)
		}
		act := []string{"relu", "tanh"}[i%2]
		if err := s.Set("act", act); err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
		objs = append(objs, float64(i)) // the objective rises with lr
	}
	objs[3] = math.NaN() // a diverged trial is left out
	eff := Effects(sp, []string{"lr", "act"}, specs, objs)
	lr, act := eff[0], eff[1]
	if !lr.Binned || len(lr.Values) != 5 {
		t.Fatalf("lr: %d values (binned %v), want 5 quantile bins: %+v", len(lr.Values), lr.Binned, lr.Values)
	}
	n := 0
	for i, v := range lr.Values {
		n += v.N
		if v.N < 3 || v.N > 4 {
			t.Errorf("bin %d holds %d trials, want 3 or 4", i, v.N)
		}
		if i > 0 && !(v.Mean > lr.Values[i-1].Mean && *v.Lo > *lr.Values[i-1].Hi) {
			t.Errorf("bins are not in increasing order: %+v", lr.Values)
		}
		if !strings.Contains(v.Value, "–") {
			t.Errorf("bin label %q is not a range", v.Value)
		}
	}
	if n != 19 {
		t.Errorf("the bins hold %d trials, want the 19 with an objective", n)
	}
	if first := lr.Values[0]; first.N != 3 || first.Mean != (0+1+2)/3.0 {
		t.Errorf("first bin %+v, want the 3 lowest rates with mean 1", first)
	}
	if act.Binned || len(act.Values) != 2 || act.Values[0].N+act.Values[1].N != 19 {
		t.Errorf("a choice keeps one entry per value: %+v", act)
	}
}

func TestGridEffectsKeepValues(t *testing.T) {
	sp := Spec{Base: trainer.DefaultSpec(), Grid: []Param{{Field: "lr", Values: []string{"0.01", "0.02", "0.03", "0.04", "0.05", "0.06", "0.07"}}}}
	var specs []trainer.Spec
	var objs []float64
	for _, v := range sp.Grid[0].Values {
		s := sp.Base
		s.Set("lr", v)
		specs = append(specs, s)
		objs = append(objs, 1)
	}
	if e := Effects(sp, []string{"lr"}, specs, objs)[0]; e.Binned || len(e.Values) != 7 {
		t.Errorf("a grid axis was binned: %+v", e)
	}
}

func TestSeedStatsMeanStd(t *testing.T) {
	mk := func(id, lr, seed string, st trainer.Status, v float64) ReportTrial {
		return ReportTrial{RunID: id, Status: st, Objective: v, HasObj: true, Params: map[string]string{"lr": lr, "seed": seed}}
	}
	trials := []ReportTrial{
		mk("a1", "0.1", "1", trainer.StatusDone, 0.80), mk("a2", "0.1", "2", trainer.StatusDone, 0.90), mk("a3", "0.1", "3", trainer.StatusDone, 0.70),
		mk("b1", "0.01", "1", trainer.StatusDone, 0.95), mk("b2", "0.01", "2", trainer.StatusPruned, 0.10), mk("b3", "0.01", "3", trainer.StatusDone, 0.85),
	}
	cs := SeedStats([]string{"lr", "seed"}, false, trials)
	if len(cs) != 2 {
		t.Fatalf("%d configurations, want 2", len(cs))
	}
	b, a := cs[0], cs[1]
	if b.Params["lr"] != "0.01" || b.N != 2 || b.Trials != 3 || math.Abs(b.Mean-0.9) > 1e-12 || math.Abs(*b.Std-math.Sqrt(0.005)) > 1e-12 {
		t.Errorf("lr 0.01: %+v (std %v), want mean 0.9 ± 0.0707 over 2 of 3 seeds, the pruned one left out", b, *b.Std)
	}
	if a.Params["lr"] != "0.1" || a.N != 3 || math.Abs(a.Mean-0.8) > 1e-12 || math.Abs(*a.Std-0.1) > 1e-12 {
		t.Errorf("lr 0.1: %+v, want 0.8 ± 0.1", a)
	}
	if _, ok := a.Params["seed"]; ok {
		t.Error("the seed is part of the configuration")
	}
}

// TestGridEffectsInNumericOrder: a numeric axis's values read in their
// order, whatever order the trials come in (it read "0.01 0.001 0.1").
func TestGridEffectsInNumericOrder(t *testing.T) {
	sp := Spec{Base: trainer.DefaultSpec(), Grid: []Param{{Field: "lr", Values: []string{"0.01", "0.001", "0.1"}}}}
	var specs []trainer.Spec
	for _, v := range []string{"0.01", "0.001", "0.1"} {
		s := sp.Base
		s.Set("lr", v)
		specs = append(specs, s)
	}
	e := Effects(sp, []string{"lr"}, specs, []float64{0.9, 0.2, 0.93})[0]
	var got []string
	for _, v := range e.Values {
		got = append(got, v.Value)
	}
	if strings.Join(got, " ") != "0.001 0.01 0.1" || e.Values[0].Mean != 0.2 {
		t.Errorf("values %v, %+v", got, e.Values)
	}
}
