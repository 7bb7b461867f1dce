package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecisionRuleIsStated: a run with a cost matrix says which threshold
// its numbers are at, in train's output and in runs show, and the best
// epoch's validation metrics are at the threshold its test metrics use
// (early stopping kept that epoch's weights): best_val_threshold was
// missing and best_val_accuracy was at 0.5.
func TestDecisionRuleIsStated(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	rule := "decision rule: the threshold that minimizes the cost (FP 1, FN 5) on validation. Each epoch's validation metrics, and so the best epoch and best_val_…, are at the threshold tuned on that epoch's validation pass"
	out, errs, code := cli(t, db, "", "train", "--data", "moons", "--noise", "0.2", "--samples", "400", "--data-seed", "2", "--seed", "2",
		"--epochs", "30", "--patience", "30", "--monitor", "val_accuracy", "--cost-fn", "5")
	if code != 0 || !strings.Contains(out, rule) {
		t.Fatalf("train: exit %d, output lacks the rule:\n%s%s", code, out, errs)
	}
	id := trainRun(t, db, "--data", "moons", "--noise", "0.2", "--samples", "400", "--data-seed", "2", "--seed", "2",
		"--epochs", "30", "--patience", "30", "--monitor", "val_accuracy", "--cost-fn", "5")
	out, errs, code = cli(t, db, "", "runs", "show", id)
	if code != 0 || !strings.Contains(out, rule) || !strings.Contains(out, "best_val_threshold") {
		t.Fatalf("runs show: exit %d, no rule or best_val_threshold:\n%s%s", code, out, errs)
	}
	// The confusion matrix's counts are at the tuned threshold, not 0.5.
	if !strings.Contains(out, "test confusion matrix at threshold 0.") {
		t.Errorf("runs show: the confusion matrix does not say its threshold:\n%s", out)
	}
	out, errs, code = cli(t, db, "", "runs", "show", id, "--json")
	var r struct {
		Metrics    map[string]float64
		Evaluation struct {
			Val struct{ Metrics map[string]float64 }
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("runs show --json: exit %d: %s", code, errs)
	}
	m, val := r.Metrics, r.Evaluation.Val.Metrics
	// The runner's forward pass and the saved model's may part in the
	// last bits, which moves a threshold tuned between two probabilities
	// by as much.
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }
	if !(m["best_val_threshold"] > 0 && m["best_val_threshold"] < 0.5) || !near(m["best_val_threshold"], m["test_threshold"]) {
		t.Errorf("best_val_threshold %v, test_threshold %v: want one threshold under 0.5", m["best_val_threshold"], m["test_threshold"])
	}
	if !near(m["best_val_accuracy"], val["accuracy"]) || !near(m["best_val_cost"], val["cost"]) {
		t.Errorf("best_val_accuracy %v and best_val_cost %v, the kept weights' validation %v and %v",
			m["best_val_accuracy"], m["best_val_cost"], val["accuracy"], val["cost"])
	}
}
