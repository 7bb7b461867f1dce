package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/sessions/runtest"
)

// TestRunsShowOfARunningCVRun: 'runs show' of a cross-validated run still
// training says how many of its folds train (they train at once) and
// that the newest epoch is their mean, in the text and in --json; it said
// nothing of its folds until the run finished.
func TestRunsShowOfARunningCVRun(t *testing.T) {
	for _, c := range []struct {
		name  string
		folds [3]int
		line  string
		note  string // on the history's third epoch
	}{
		{"all training", [3]int{5, 5, 5}, "cv:       5-fold, 5/5 folds training at once (epoch 3 is their mean)", ""},
		{"one stopped", [3]int{5, 5, 4}, "cv:       5-fold, 4/5 folds training (1 stopped early; epoch 3 is the mean of the 4)", "(mean of 4/5 folds)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := "20261129-120000-cvcvcv"
			db := runningDB(t, func(s sessions.Store) { runtest.RunningCV(t, s, id, 5, c.folds) })
			out, errs, code := cli(t, db, "", "runs", "show", id)
			if code != 0 {
				t.Fatal(errs)
			}
			if !strings.Contains(out, "status:   running") || !strings.Contains(out, c.line+"\n") {
				t.Errorf("runs show of a running CV run: want %q in\n%s", c.line, out)
			}
			var third string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "     3  loss") {
					third = l
				}
			}
			if c.note != "" && !strings.HasSuffix(third, c.note) || c.note == "" && strings.Contains(third, "mean of") {
				t.Errorf("history's epoch 3: %q, want the note %q", third, c.note)
			}
			out, _, _ = cli(t, db, "", "runs", "show", id, "--json")
			var r struct {
				Status     string `json:"status"`
				CVTraining *struct {
					Folds, Training, Epoch int
				} `json:"cv_training"`
				History []struct {
					Folds int `json:"folds"`
				} `json:"history"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			ct := r.CVTraining
			if r.Status != "running" || ct == nil || ct.Folds != 5 || ct.Training != c.folds[2] || ct.Epoch != 3 ||
				len(r.History) != 3 || r.History[2].Folds != c.folds[2] {
				t.Errorf("runs show --json: status %q, cv_training %+v, history %+v", r.Status, ct, r.History)
			}
		})
	}
}

// TestRunsShowJSONOfARunWithoutCV has no cv_training.
func TestRunsShowJSONOfARunWithoutCV(t *testing.T) {
	id := "20261129-120000-runrun"
	db := runningDB(t, func(s sessions.Store) { runtest.Running(t, s, id) })
	out, _, _ := cli(t, db, "", "runs", "show", id, "--json")
	if strings.Contains(out, "cv_training") || strings.Contains(out, `"folds"`) {
		t.Errorf("runs show --json of a run without CV:\n%s", out)
	}
	out, _, _ = cli(t, db, "", "runs", "show", id)
	if strings.Contains(out, "cv:") {
		t.Errorf("runs show of a run without CV:\n%s", out)
	}
}
