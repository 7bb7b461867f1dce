package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// A sweep whose base spec cross-validates: the objective that --json
// reports and sweep show ranks by is the mean over the folds of val_loss.
// The learning rates are small enough that each mean curve is best at its
// last epoch, where it is the mean of the folds' final evaluations that
// runs show lists.
func TestSweepCrossValidatedObjectiveIsTheFoldMean(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--samples", "150", "--epochs", "3", "--cv", "3",
		"--objective", "val_loss", "--grid", "lr=0.003,0.01", "--parallel", "1", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var fin struct{ ID string }
	json.Unmarshal([]byte(lines[len(lines)-1]), &fin)
	objective := map[string]float64{}
	for _, l := range lines[:len(lines)-1] {
		var tr struct {
			Event     string   `json:"event"`
			RunID     string   `json:"run_id"`
			Objective *float64 `json:"objective"`
		}
		if err := json.Unmarshal([]byte(l), &tr); err != nil || tr.Event != "trial" || tr.Objective == nil {
			t.Fatalf("trial line %q (%v)", l, err)
		}
		objective[tr.RunID] = *tr.Objective
	}
	if len(objective) != 2 {
		t.Fatalf("%d trials with an objective, want 2:\n%s", len(objective), out)
	}

	out, errs, code = cli(t, db, "", "sweep", "show", fin.ID, "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var rep struct {
		Ranking []struct {
			RunID     string  `json:"run_id"`
			Objective float64 `json:"objective"`
		} `json:"ranking"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Ranking) != 2 {
		t.Fatalf("ranking: %+v", rep.Ranking)
	}
	for _, r := range rep.Ranking {
		if r.Objective != objective[r.RunID] {
			t.Errorf("run %s: sweep show %v, sweep --json %v", r.RunID, r.Objective, objective[r.RunID])
		}
		out, errs, code = cli(t, db, "", "runs", "show", r.RunID, "--json")
		if code != 0 {
			t.Fatal(errs)
		}
		var run struct {
			BestEpoch  int `json:"best_epoch"`
			EpochsDone int `json:"epochs_done"`
			Evaluation struct {
				Val struct {
					Folds []map[string]float64 `json:"folds"`
				} `json:"val"`
			} `json:"evaluation"`
		}
		if err := json.Unmarshal([]byte(out), &run); err != nil {
			t.Fatal(err)
		}
		if run.BestEpoch != run.EpochsDone || len(run.Evaluation.Val.Folds) != 3 {
			t.Fatalf("run %s: best epoch %d of %d, %d folds: want the last of 3 epochs and 3 folds", r.RunID, run.BestEpoch, run.EpochsDone, len(run.Evaluation.Val.Folds))
		}
		mean := 0.0
		for _, f := range run.Evaluation.Val.Folds {
			mean += f["loss"] / 3
		}
		if math.Abs(r.Objective-mean) > 1e-12 {
			t.Errorf("run %s: objective %v, want the mean of the folds' val_loss %v", r.RunID, r.Objective, mean)
		}
	}
}
