package cli

// Faults a shell script or CI job met using the commands headless.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSweepJSONParamsMatchSweepShow: the params of 'sweep --json' (each
// trial line and the best) are the values 'sweep show --json' ranks, so a
// script can join them; they were the text of the grid as typed (1e-2
// in one, 0.01 in the other).
func TestSweepJSONParamsMatchSweepShow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "xor", "--epochs", "2", "--grid", "lr=1e-2,1e-1",
		"--grid", "layers=4;8,8", "--parallel", "1", "--json")
	if code != 0 {
		t.Fatalf("sweep exit %d: %s", code, errs)
	}
	type trial struct {
		Event  string            `json:"event"`
		ID     string            `json:"id"`
		RunID  string            `json:"run_id"`
		Params map[string]string `json:"params"`
		Best   struct {
			RunID  string            `json:"run_id"`
			Params map[string]string `json:"params"`
		} `json:"best"`
	}
	live := map[string]map[string]string{}
	var fin trial
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev trial
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if ev.Event == "trial" {
			live[ev.RunID] = ev.Params
		} else {
			fin = ev
		}
	}
	out, errs, code = cli(t, db, "", "sweep", "show", fin.ID, "--json")
	var rep struct {
		Ranking []struct {
			RunID  string            `json:"run_id"`
			Params map[string]string `json:"params"`
		} `json:"ranking"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Ranking) != 4 || len(live) != 4 {
		t.Fatalf("sweep show exit %d, %d trials live: %s %s", code, len(live), out, errs)
	}
	for _, r := range rep.Ranking {
		if !reflect.DeepEqual(live[r.RunID], r.Params) {
			t.Errorf("run %s: sweep --json params %v, sweep show %v", r.RunID, live[r.RunID], r.Params)
		}
	}
	if fin.Best.RunID != rep.Ranking[0].RunID || !reflect.DeepEqual(fin.Best.Params, rep.Ranking[0].Params) {
		t.Errorf("best %s %v, sweep show's first %s %v", fin.Best.RunID, fin.Best.Params, rep.Ranking[0].RunID, rep.Ranking[0].Params)
	}
	if p := rep.Ranking[0].Params["lr"]; p != "0.01" && p != "0.1" {
		t.Errorf("lr %q", p)
	}
}

// TestRunsListUnknownStatusIsAUsageError: a status filter with a word no
// run can have (status=finished for done) exits 2 and names the
// statuses, where it listed no runs and exited 0.
func TestRunsListUnknownStatusIsAUsageError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "runs", "list", "--json", "--filter", "status=finished")
	if code != 2 || out != "" || !strings.HasPrefix(errs, `workbench runs list: filter "status=finished": unknown status "finished" (running, done, early_stopped,`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	out, errs, code = cli(t, db, "", "runs", "list", "--json", "--filter", "status=done|early_stopped")
	if code != 0 || strings.TrimSpace(out) != "[]" || errs != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestSweepWithNoBestTrialFails: a sweep whose every trial diverged exits
// 1 and says so on stderr, after its ranking; it exited 0 with "best":
// null, as if it had found something.
func TestSweepWithNoBestTrialFails(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	args := []string{"sweep", "--data", "reg-plane", "--opt", "sgd", "--layers", "16", "--act", "relu", "--epochs", "50",
		"--grid", "lr=9,10", "--parallel", "1"}
	for _, jsonOut := range []bool{false, true} {
		a := args
		if jsonOut {
			a = append(a[:len(a):len(a)], "--json")
		}
		out, errs, code := cli(t, db, "", a...)
		if code != 1 || !strings.HasPrefix(errs, "workbench sweep: sweep sweep-") ||
			!strings.HasSuffix(errs, " has no best trial: of 2 trials, 2 diverged\n") {
			t.Fatalf("json %v: exit %d, stderr %q", jsonOut, code, errs)
		}
		if jsonOut {
			if fin := lastEvent(t, out); fin["event"] != "finished" || fin["best"] != nil || fin["status"] != "done" {
				t.Errorf("finished event %v", fin)
			}
		} else if !strings.Contains(out, "RANK") {
			t.Errorf("no ranking: %q", out)
		}
	}
}

// TestRunsListFiltersByTheDataPathGiven: dataset= takes a CSV's path as
// --data took it; it matched only the file name the list shows, so the
// path a script trained with listed nothing.
func TestRunsListFiltersByTheDataPathGiven(t *testing.T) {
	dir := t.TempDir()
	db, csvPath := filepath.Join(dir, "w.db"), filepath.Join(dir, "my.csv")
	writeMyCSV(t, csvPath, 120)
	id := trainRun(t, db, "--data", csvPath, "--target", "label", "--ignore", "id", "--missing", "impute")
	trainRun(t, db, "--data", "xor")
	for _, f := range []string{"dataset=" + csvPath, "dataset=my.csv"} {
		out, errs, code := cli(t, db, "", "runs", "list", "--json", "--filter", f)
		var runs []struct{ ID string }
		if code != 0 || json.Unmarshal([]byte(out), &runs) != nil || len(runs) != 1 || runs[0].ID != id {
			t.Errorf("--filter %s: exit %d, %s %s", f, code, out, errs)
		}
	}
}

// TestRerunOfAStdinRunSaysWhereItsRowsCameFrom: re-running a run trained
// on --data - reads the rows from stdin again; without them it says so,
// where it said only "<stdin>: the file is empty".
func TestRerunOfAStdinRunSaysWhereItsRowsCameFrom(t *testing.T) {
	dir := t.TempDir()
	db, csvPath := filepath.Join(dir, "w.db"), filepath.Join(dir, "my.csv")
	writeMyCSV(t, csvPath, 120)
	rows, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code := cli(t, db, string(rows), "train", "--data", "-", "--target", "label", "--missing", "impute", "--epochs", "2", "--json")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	id := lastEvent(t, out)["id"].(string)
	_, errs, code = cli(t, db, "", "runs", "rerun", id)
	if want := "workbench runs rerun: run " + id + " was trained on rows read from stdin (--data -); pipe the same rows in again: <stdin>: the file is empty\n"; code != 1 || errs != want {
		t.Errorf("exit %d, stderr %q, want %q", code, errs, want)
	}
	if _, errs, code = cli(t, db, string(rows), "runs", "rerun", id); code != 0 {
		t.Errorf("rerun with the rows: exit %d: %s", code, errs)
	}
}

// TestRunsListRefusesTwoTagFilters: --filter tag=a --filter tag=b listed
// the runs tagged b, as if the first filter were not there; filters
// combine with AND, so the second is a usage error. The same value twice
// is harmless.
func TestRunsListRefusesTwoTagFilters(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	trainRun(t, db, "--data", "xor", "--tag", "b")
	out, errs, code := cli(t, db, "", "runs", "list", "--json", "--filter", "tag=a", "--filter", "tag=b")
	if want := "workbench runs list: filter \"tag=b\": tag=a is given already: give one tag filter\n"; code != 2 || out != "" || !strings.HasPrefix(errs, want) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	_, errs, code = cli(t, db, "", "runs", "list", "--filter", "text~x", "--filter", "text~y")
	if code != 2 || !strings.Contains(errs, "text~x is given already") {
		t.Errorf("text twice: exit %d, stderr %q", code, errs)
	}
	out, errs, code = cli(t, db, "", "runs", "list", "--json", "--filter", "dataset=xor", "--filter", "dataset=xor", "--filter", "tag=b")
	var runs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &runs) != nil || len(runs) != 1 {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
}

// TestRerunRefusesDerivedRuns: rerunning an ensemble or a compressed run
// trained one plain model from the spec a member or the parent had, and
// exited 0 as if it had re-made the run; it is refused, naming what to do.
func TestRerunRefusesDerivedRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	a := trainRun(t, db, "--data", "xor")
	b := trainRun(t, db, "--data", "xor", "--seed", "2")
	out, errs, code := cli(t, db, "", "ensemble", a, b, "--json")
	if code != 0 {
		t.Fatalf("ensemble: exit %d: %s", code, errs)
	}
	var ens struct{ ID string }
	json.Unmarshal([]byte(out), &ens)
	out, errs, code = cli(t, db, "", "compress", "--run", a, "--prune", "0.5", "--json")
	if code != 0 {
		t.Fatalf("compress: exit %d: %s", code, errs)
	}
	var comp struct{ ID string }
	json.Unmarshal([]byte(out), &comp)
	for id, want := range map[string]string{
		ens.ID:  "is an ensemble of 2 runs, not trained from a spec: rerun its members and combine them with 'workbench ensemble'",
		comp.ID: "is a compressed copy of run " + a + ", not trained from a spec: rerun " + a + " and compress it again",
	} {
		out, errs, code := cli(t, db, "", "runs", "rerun", id)
		if code != 1 || out != "" || errs != "workbench runs rerun: run "+id+" "+want+"\n" {
			t.Errorf("rerun %s: exit %d, stdout %q, stderr %q", id, code, out, errs)
		}
	}
}

// TestRunsListNegativeLimitIsAUsageError: --limit -5 listed every run.
func TestRunsListNegativeLimitIsAUsageError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "runs", "list", "--limit", "-5")
	if code != 2 || out != "" || !strings.HasPrefix(errs, "workbench runs list: --limit -5: want a number of runs, or 0 for all\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestUnsavedDivergedRunNamesNoID: train --no-save of a run that diverges
// exits 1 and says so without an ID: it named "run 2026…" that no store
// holds.
func TestUnsavedDivergedRunNamesNoID(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	_, errs, code := cli(t, db, "", "train", "--data", "reg-plane", "--opt", "sgd", "--lr", "10", "--layers", "16", "--act", "relu", "--epochs", "50", "--no-save")
	if code != 1 || !strings.HasPrefix(errs, "workbench train: the run diverged (not saved)") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}
