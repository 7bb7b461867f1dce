package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"workbench/trainer"
)

// TestValCostFlagsRoundTrip: --monitor val_cost and a rule on val_cost,
// with a cost matrix, go into the spec, and the printed spec read back
// with --spec prints the same spec.
func TestValCostFlagsRoundTrip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "credit", "--cost-fn", "10", "--monitor", "val_cost",
		"--patience", "5", "--min-delta", "0.01", "--until", "val_cost<=0.2", "--print-spec")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s trainer.Spec
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	want := trainer.EarlyStopSpec{Monitor: "val_cost", Patience: 5, MinDelta: 0.01}
	if s.EarlyStop != want || s.Target != "val_cost<=0.2" || s.Decision.CostFN != 10 || s.BestMonitor() != "val_cost" {
		t.Fatalf("spec: early stop %+v, target %q, decision %+v", s.EarlyStop, s.Target, s.Decision)
	}
	file := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	back, errs, code := cli(t, db, "", "train", "--spec", file, "--print-spec")
	if code != 0 || back != out {
		t.Fatalf("--spec: exit %d %s\n%s\nwant\n%s", code, errs, back, out)
	}
	// The completions offer it.
	if !slices.Contains(metricNames("val_", "train_"), "val_cost") || !slices.Contains(metricKeys(), "best_val_cost") ||
		!slices.Contains(metricKeys(), "test_cost_at_half") {
		t.Error("val_cost, best_val_cost or test_cost_at_half is not a known metric")
	}
}

// TestValCostWithoutCostsIsAUsageError: each flag that names val_cost
// without a cost matrix is refused with the field and the fix.
func TestValCostWithoutCostsIsAUsageError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	const fix = "val_cost needs a cost matrix: set --cost-fn (the cost of a missed positive) and --cost-fp (of a false alarm)"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", "credit", "--monitor", "val_cost", "--patience", "5"}, "early_stop.monitor: " + fix},
		{[]string{"train", "--data", "credit", "--until", "val_cost<=0.3"}, "target: " + fix},
		{[]string{"sweep", "--data", "credit", "--grid", "lr=0.01,0.1", "--objective", "val_cost", "--epochs", "2"}, "objective " + fix},
		{[]string{"sweep", "--data", "credit", "--grid", "cost-fn=5,0", "--objective", "val_cost", "--epochs", "2"}, "trial 2: objective " + fix},
		{[]string{"train", "--data", "iris", "--monitor", "val_cost", "--patience", "5"}, "early_stop.monitor: " + fix},
	}
	for _, c := range cases {
		_, errs, code := cli(t, db, "", c.args...)
		if code != ExitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, errs, c.want)
		}
	}
	_, errs, code := cli(t, db, "", "train", "--data", "iris", "--cost-fn", "5", "--monitor", "val_cost", "--patience", "5")
	if code != ExitUsage || !strings.Contains(errs, "val_cost is for binary tasks with a cost matrix, not multiclass") {
		t.Errorf("iris with costs: exit %d, %q", code, errs)
	}
}

// TestValCostEndToEnd: a run early-stopped on val_cost reports it as its
// monitor; runs list --sort val_cost puts the cheaper run first; a sweep
// on val_cost ranks the cheaper trial first.
func TestValCostEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	costs := map[string]float64{}
	for _, lr := range []string{"0.01", "0.3"} {
		out, errs, code := cli(t, db, "", "train", "--data", "credit", "--cost-fn", "10", "--monitor", "val_cost",
			"--patience", "3", "--epochs", "30", "--lr", lr, "--name", "lr"+lr, "--json")
		if code != 0 {
			t.Fatalf("train: exit %d: %s", code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var fin struct {
			Monitor string             `json:"monitor"`
			Best    map[string]float64 `json:"best"`
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &fin); err != nil || fin.Monitor != "val_cost" {
			t.Fatalf("finished: %v, monitor %q", err, fin.Monitor)
		}
		costs["lr"+lr] = fin.Best["cost"]
	}
	cheap, dear := "lr0.01", "lr0.3"
	if costs[cheap] > costs[dear] {
		cheap, dear = dear, cheap
	}
	if costs[cheap] == costs[dear] {
		t.Fatalf("the runs cost the same: %v", costs)
	}
	for sort, first := range map[string]string{"val_cost": cheap, "-val_cost": dear} {
		out, errs, code := cli(t, db, "", "runs", "list", "--sort", sort, "--json")
		if code != 0 {
			t.Fatalf("runs list --sort %s: exit %d: %s", sort, code, errs)
		}
		var runs []struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal([]byte(out), &runs); err != nil || len(runs) != 2 || runs[0].Name != first {
			t.Errorf("--sort %s: %v %+v, want %s first (costs %v)", sort, err, runs, first, costs)
		}
	}
	out, errs, code := cli(t, db, "", "sweep", "--data", "credit", "--cost-fn", "10", "--monitor", "val_cost", "--patience", "3",
		"--epochs", "30", "--grid", "lr=0.01,0.3", "--objective", "val_cost", "--parallel", "1", "--json")
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	var trials []struct {
		Objective float64           `json:"objective"`
		Params    map[string]string `json:"params"`
	}
	var fin struct {
		ID        string `json:"id"`
		Objective string `json:"objective"`
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		switch {
		case strings.Contains(l, `"event":"trial"`):
			var tr struct {
				Objective float64           `json:"objective"`
				Params    map[string]string `json:"params"`
			}
			json.Unmarshal([]byte(l), &tr)
			trials = append(trials, tr)
		case strings.Contains(l, `"event":"finished"`):
			json.Unmarshal([]byte(l), &fin)
		}
	}
	if fin.Objective != "val_cost" || len(trials) != 2 {
		t.Fatalf("sweep: objective %q, %d trials:\n%s", fin.Objective, len(trials), out)
	}
	// The trials are the runs above: the same objective each.
	for _, tr := range trials {
		if want := costs["lr"+tr.Params["lr"]]; tr.Objective != want {
			t.Errorf("trial lr %s: objective %v, the run's best_val_cost %v", tr.Params["lr"], tr.Objective, want)
		}
	}
	show, errs, code := cli(t, db, "", "sweep", "show", fin.ID)
	if code != 0 {
		t.Fatalf("sweep show: exit %d: %s", code, errs)
	}
	rank1 := ""
	for _, l := range strings.Split(show, "\n") {
		if strings.HasPrefix(l, "1 ") {
			rank1 = l
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(rank1), strings.TrimPrefix(cheap, "lr")) {
		t.Errorf("rank 1 %q, want the cheaper lr %s:\n%s", rank1, cheap, show)
	}
}
