package tui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"workbench/sweeps"
	"workbench/trainer"
)

// costFix is how Setup says what val_cost needs: the fields, not flags.
const costFix = "val_cost needs a cost matrix: set the cost false negative field (the cost of a missed positive) and the cost false positive field (of a false alarm)"

// stepValues seeks field key and presses → until the value comes back
// round, returning the values it went through.
func stepValues(t *testing.T, a *App, key string) []string {
	t.Helper()
	seekField(t, a, key)
	m := a.setupScreen()
	first := m.value(m.current())
	seen := []string{first}
	for range 40 {
		press(a, "right")
		m = a.setupScreen()
		v := m.value(m.current())
		if v == first {
			return seen
		}
		seen = append(seen, v)
	}
	t.Fatalf("%s: → did not come round: %v", key, seen)
	return nil
}

// setCost types a false negative's cost into the form.
func setCost(t *testing.T, a *App, v string) {
	t.Helper()
	editField(t, a, "decision.cost_fn")
	a.setupScreen().input.SetValue(v)
	press(a, "enter")
}

// TestSetupOffersValCostAsTheMonitorWithCosts: the early-stopping monitor
// steps through val_cost only once a cost matrix is set; chosen, it is
// the run's monitor; without the costs Train is refused with the fix.
func TestSetupOffersValCostAsTheMonitorWithCosts(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	if vals := stepValues(t, a, "early_stop.monitor"); slices.Contains(vals, "val_cost") {
		t.Fatalf("without costs the monitor offers val_cost: %v", vals)
	}
	setCost(t, a, "10") // a missed default costs ten false alarms
	seekField(t, a, "early_stop.monitor")
	press(a, "left") // from val_loss, round to the last choice
	m := a.setupScreen()
	if m.spec.EarlyStop.Monitor != "val_cost" || m.derived.why != "" {
		t.Fatalf("← from val_loss: monitor %q, why %q", m.spec.EarlyStop.Monitor, m.derived.why)
	}
	if !strings.Contains(a.View(), "‹ val_cost ›") {
		t.Errorf("the form does not show val_cost:\n%s", a.View())
	}
	// The costs go: the monitor stays, and Train says why it cannot start.
	setCost(t, a, "0")
	want := "early stop monitor: " + costFix
	if why := a.setupScreen().derived.why; why != want {
		t.Errorf("why %q, want %q", why, want)
	}
	a.setupScreen().cursor = 0
	press(a, "t")
	if a.statusOK || a.status != want {
		t.Errorf("t: status %q (ok %v), want %q", a.status, a.statusOK, want)
	}
}

// TestSetupSweepObjectiveValCost: marking a field to sweep brings the
// sweep objective line, which offers val_cost with a cost matrix; typed
// without one it is refused with the fix; with one the sweep started
// from Setup ranks its trials by val_cost, cheapest first.
func TestSetupSweepObjectiveValCost(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data.Noise, spec.Epochs = 0.3, 8
	a.setupScreen().setSpec(spec)
	for _, f := range a.setupScreen().fields {
		if f.key == objectiveKey {
			t.Fatal("the objective line shows with nothing to sweep")
		}
	}
	seekField(t, a, "optimizer.lr")
	press(a, "w")
	a.setupScreen().input.SetValue("0.03,0.1,1")
	press(a, "enter")
	if vals := stepValues(t, a, objectiveKey); vals[0] != "default" || !slices.Contains(vals, "val_f1") || slices.Contains(vals, "val_cost") {
		t.Fatalf("objective choices without costs: %v", vals)
	}
	editField(t, a, objectiveKey)
	a.setupScreen().input.SetValue("val_cost")
	press(a, "enter")
	want := "sweep objective: " + costFix
	if why := a.setupScreen().derived.why; why != want {
		t.Fatalf("val_cost without costs: why %q, want %q", why, want)
	}
	a.setupScreen().cursor = 0
	press(a, "t")
	if sws, _ := store.ListSweeps(context.Background()); a.statusOK || a.status != want || len(sws) != 0 {
		t.Fatalf("t: status %q (ok %v), %d sweeps", a.status, a.statusOK, len(sws))
	}
	setCost(t, a, "10")
	if vals := stepValues(t, a, objectiveKey); vals[0] != "val_cost" || !slices.Contains(vals, "default") {
		t.Fatalf("objective choices with costs, from val_cost: %v", vals)
	}
	if why := a.setupScreen().derived.why; why != "" {
		t.Fatalf("with costs: %q", why)
	}
	a.setupScreen().cursor = 0
	press(a, "t")
	sws, _ := store.ListSweeps(context.Background())
	if len(sws) != 1 || sws[0].Objective != "val_cost" || sws[0].Status != "done" {
		t.Fatalf("stored sweeps: %+v", sws)
	}
	rep, err := sweeps.Load(context.Background(), store, sws[0].ID)
	if err != nil || !rep.Lower || len(rep.Trials) != 3 {
		t.Fatalf("report: %v, lower %v, %d trials", err, rep.Lower, len(rep.Trials))
	}
	for i := 1; i < len(rep.Trials); i++ {
		if rep.Trials[i].Objective < rep.Trials[0].Objective {
			t.Errorf("trial %s costs %v, less than the first ranked %v", rep.Trials[i].RunID, rep.Trials[i].Objective, rep.Trials[0].Objective)
		}
	}
	// The Train screen stars the cheapest trial too: lr 0.03 (val cost
	// 0.256), not the most accurate, lr 0.1 (accuracy 0.8, cost 0.272).
	starred := a.trainScreen().bestTrials()
	if len(starred) != 1 || !starred[rep.Trials[0].RunID] {
		t.Errorf("starred %v, want the cheapest %s", starred, rep.Trials[0].RunID)
	}
	var cheapest, accurate *liveRun
	for _, r := range a.trainScreen().runs {
		if r.sweep != sws[0].ID {
			continue
		}
		if r.rankMetric() != "cost" {
			t.Errorf("trial %s ranked by %q", r.id, r.rankMetric())
		}
		if starred[r.id] {
			cheapest = r
		}
		if accurate == nil || r.best["accuracy"] > accurate.best["accuracy"] {
			accurate = r
		}
	}
	if cheapest == nil || accurate == nil || cheapest.spec.Optimizer.LR != 0.03 || accurate.spec.Optimizer.LR != 0.1 {
		t.Errorf("starred %v; want lr 0.03 starred and lr 0.1 the most accurate", starred)
	}
}

// TestRunsMetricCyclesToCost: m on the Runs screen reaches the cost.
func TestRunsMetricCyclesToCost(t *testing.T) {
	seen := false
	for m := nextRunMetric(""); m != ""; m = nextRunMetric(m) {
		seen = seen || m == "cost"
	}
	if !seen {
		t.Error("m never shows cost")
	}
}

// TestSetupOffersAValCostStopRuleWithCosts: "stop when" steps through a
// rule on val_cost only once a cost matrix is set, at a tenth of the dearer
// mistake's cost; chosen, it is the run's target rule and Train is not
// refused.
func TestSetupOffersAValCostStopRuleWithCosts(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	for _, v := range stepValues(t, a, "target") {
		if strings.HasPrefix(v, "val_cost") {
			t.Fatalf("without costs stop when offers %q", v)
		}
	}
	setCost(t, a, "5")
	vals := stepValues(t, a, "target")
	if !slices.Contains(vals, "val_cost<=0.5") {
		t.Fatalf("with a false negative costing 5, stop when offers %v, want val_cost<=0.5 among them", vals)
	}
	for a.setupScreen().spec.Target != "val_cost<=0.5" {
		press(a, "right")
	}
	if m := a.setupScreen(); m.derived.why != "" || m.invalid["target"] != "" {
		t.Errorf("val_cost<=0.5 with costs: why %q, invalid %q", m.derived.why, m.invalid["target"])
	}
}
