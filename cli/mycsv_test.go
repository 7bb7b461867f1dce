package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeMyCSV writes a CSV like the README's my.csv: an ID, age in years,
// income in euros, a city and a yes/no label that depends on income and
// age. Every 50th row misses its age and every 70th its city, as real files do.
func writeMyCSV(t *testing.T, path string, rows int) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("id,age,income,city,label\n")
	cities := []string{"Lyon", "Nice", "Paris"}
	for i := 1; i <= rows; i++ {
		age := 18 + r.IntN(53)
		income := math.Round(r.Float64()*900) * 100
		z := (income-45000)/12000 - float64(age-44)/10 + r.NormFloat64()*0.5
		label := "no"
		if z > 0 {
			label = "yes"
		}
		ageCell, city := fmt.Sprint(age), cities[r.IntN(3)]
		if i%50 == 0 {
			ageCell = "NA"
		}
		if i%70 == 0 {
			city = ""
		}
		fmt.Fprintf(&b, "%d,%s,%.0f,%s,%s\n", i, ageCell, income, city, label)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The README's my.csv example: unscaled, income swamps age and the first
// run ends at AUC 0.5; train's first line says why and what to do, and
// standard scaling fixes it.
func TestTrainHintsAtScalingWhenRangesDiffer(t *testing.T) {
	dir := t.TempDir()
	csvPath, db := filepath.Join(dir, "my.csv"), filepath.Join(dir, "w.db")
	writeMyCSV(t, csvPath, 600)
	args := []string{"train", "--data", csvPath, "--target", "label", "--ignore", "id", "--missing", "impute", "--no-save"}

	out, errs, code := cli(t, db, "", args...)
	if code != 0 {
		t.Fatal(errs)
	}
	first := strings.SplitN(out, "\n", 2)[0]
	if !hintLine.MatchString(first) {
		t.Errorf("first line %q, want like %q", first, "hint: income spans 0–89,500 while age spans 18–70: try --scale standard")
	}
	if auc := testAUC(t, out); auc > 0.65 {
		t.Errorf("unscaled test AUC %v: the example no longer shows the problem", auc)
	}

	out, errs, code = cli(t, db, "", append(args, "--scale", "standard")...)
	if code != 0 {
		t.Fatal(errs)
	}
	if strings.Contains(out, "hint:") {
		t.Errorf("a hint for scaled data:\n%s", out)
	}
	if auc := testAUC(t, out); auc < 0.95 {
		t.Errorf("standard scaling gives test AUC %v, want ≥ 0.95", auc)
	}

	out, _, _ = cli(t, db, "", append(args, "--json", "--epochs", "1")...)
	var start struct{ Event, Hint string }
	json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &start)
	if start.Event != "start" || !hintLine.MatchString("hint: "+start.Hint) {
		t.Errorf("--json start event %+v has no hint", start)
	}
}

var hintLine = regexp.MustCompile(`^hint: income spans [0-9]{1,3}–[0-9]{2},[0-9]00 while age spans [0-9]{2}–[0-9]{2}: try --scale standard$`)

// testAUC reads the AUC from train's "test:" line.
func testAUC(t *testing.T, out string) float64 {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "test: "); ok {
			for _, part := range strings.Split(rest, " - ") {
				var v float64
				if _, err := fmt.Sscanf(part, "auc: %g", &v); err == nil {
					return v
				}
			}
		}
	}
	t.Fatalf("no test AUC in:\n%s", out)
	return 0
}

// predict follows the run's saved policy for missing values and unseen
// categories, and says how many rows each rule touched.
func TestPredictFollowsTheSavedMissingPolicy(t *testing.T) {
	dir := t.TempDir()
	csvPath, db, newPath := filepath.Join(dir, "my.csv"), filepath.Join(dir, "w.db"), filepath.Join(dir, "new.csv")
	writeMyCSV(t, csvPath, 300)
	os.WriteFile(newPath, []byte("id,age,income,city\n1,30,80000,Paris\n2,NA,80000,Paris\n3,30,80000,Rome\n4,30,,\n"), 0o644)
	lastRun := func() string {
		out, _, _ := cli(t, db, "", "runs", "list", "--json", "--limit", "1")
		var runs []struct{ ID string }
		json.Unmarshal([]byte(out), &runs)
		return runs[0].ID
	}
	train := func(missing string) string {
		_, errs, code := cli(t, db, "", "train", "--data", csvPath, "--target", "label", "--ignore", "id", "--missing", missing,
			"--scale", "standard", "--epochs", "5")
		if code != 0 {
			t.Fatal(errs)
		}
		return lastRun()
	}

	imputed := train("impute")
	out, errs, code := cli(t, db, "", "predict", "--run", imputed, "--data", newPath)
	if code != 0 {
		t.Fatal(errs)
	}
	if n := strings.Count(out, "\n"); n != 5 {
		t.Errorf("%d CSV lines, want a header and 4 rows:\n%s", n, out)
	}
	if want := "predict: 4 of 4 rows predicted; 2 imputed a missing value with the training mean or mode; 1 imputed a category training never saw with the training mode\n"; errs != want {
		t.Errorf("stderr %q\nwant   %q", errs, want)
	}
	out, _, _ = cli(t, db, "", "predict", "--run", imputed, "--data", newPath, "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum struct {
		Summary struct {
			Policy          string
			Rows, Predicted int
			ImputedMissing  int `json:"imputed_missing"`
			ImputedUnseen   int `json:"imputed_unseen"`
			Refused         []map[string]any
		} `json:"summary"`
	}
	json.Unmarshal([]byte(lines[len(lines)-1]), &sum)
	s := sum.Summary
	if len(lines) != 5 || s.Policy != "impute" || s.Rows != 4 || s.Predicted != 4 || s.ImputedMissing != 2 || s.ImputedUnseen != 1 || s.Refused == nil {
		t.Errorf("--json summary %+v in %d lines", s, len(lines))
	}

	refusing := train("drop-rows")
	out, errs, code = cli(t, db, "", "predict", "--run", refusing, "--data", newPath, "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	want := `predict: 1 of 4 rows predicted; 3 refused (the run was trained without --missing impute): line 3: "age" is missing; line 4: "city" has "Rome", a value training never saw; line 5: "income" is missing` + "\n"
	if errs != want {
		t.Errorf("stderr %q\nwant   %q", errs, want)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	json.Unmarshal([]byte(lines[len(lines)-1]), &sum)
	if len(lines) != 2 || !strings.Contains(lines[0], `"line":2`) || sum.Summary.Policy != "refuse" || len(sum.Summary.Refused) != 3 || sum.Summary.Refused[1]["line"] != 4.0 {
		t.Errorf("--json: %s", out)
	}
}

// An empty result of a filter says that no run matches, not that there
// are no runs.
func TestRunsListSaysNoRunsMatch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, _, _ := cli(t, db, "", "runs", "list")
	if out != "no runs yet: try 'workbench train'\n" {
		t.Errorf("empty store: %q", out)
	}
	if _, errs, code := cli(t, db, "", "train", "--data", "xor", "--epochs", "1"); code != 0 {
		t.Fatal(errs)
	}
	out, _, code := cli(t, db, "", "runs", "list", "--filter", "dataset=digits", "--filter", "val_accuracy>0.9")
	if want := "no runs match dataset=digits val_accuracy>0.9\n"; code != 0 || out != want {
		t.Errorf("got %q (exit %d), want %q", out, code, want)
	}
}
