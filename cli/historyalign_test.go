package cli

import (
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/trainer"
)

// TestHistoryColumnsLineUp: runs show's history keeps its columns in line
// when a value takes exponent form (3.2e-05 beside 0.1217 pushed the
// columns after it out of line).
func TestHistoryColumnsLineUp(t *testing.T) {
	f := &sessions.FullRun{Run: sessions.Run{ID: "r", Status: trainer.StatusDone, Task: "binary", Spec: trainer.DefaultSpec()}}
	for i, loss := range []float64{0.1217, 0.0027, 3.2e-05, 1.5e-07} {
		f.History = append(f.History, sessions.Epoch{Epoch: i + 1,
			Train: map[string]float64{"loss": loss}, Val: map[string]float64{"loss": loss * 2, "accuracy": 0.9}})
	}
	var b strings.Builder
	printMetricsOf(&b, f, &f.Run)
	var at []int
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, "  loss ") { // an epoch line
			at = append(at, strings.Index(l, "val_loss"), strings.Index(l, "val_accuracy"))
		}
	}
	if len(at) != 8 {
		t.Fatalf("history lines not found:\n%s", b.String())
	}
	for i := 2; i < len(at); i++ {
		if at[i] != at[i%2] {
			t.Fatalf("the history's columns are out of line:\n%s", b.String())
		}
	}
}
