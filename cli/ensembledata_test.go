package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnsembleNamesCSVData: ensemble names a CSV's data by its path where
// it said "none": when runs on a CSV and on a built-in are refused, when
// two CSVs of one name in two folders are, and on the ensemble it saves
// from runs of one CSV. An empty scale reads "default", not "none" (a
// scale of its own).
func TestEnsembleNamesCSVData(t *testing.T) {
	dir := t.TempDir()
	db, csvPath := filepath.Join(dir, "e.db"), filepath.Join(dir, "my.csv")
	writeMyCSV(t, csvPath, 300)
	otherDir := filepath.Join(dir, "other")
	if err := os.Mkdir(otherDir, 0o755); err != nil {
		t.Fatal(err)
	}
	otherPath := filepath.Join(otherDir, "my.csv")
	writeMyCSV(t, otherPath, 300)
	csvRun := func(path string, extra ...string) string {
		return trainRun(t, db, append([]string{"--data", path, "--target", "label", "--ignore", "id", "--missing", "impute"}, extra...)...)
	}
	a, b := csvRun(csvPath, "--seed", "1"), csvRun(csvPath, "--seed", "2")
	circle := trainRun(t, db, "--data", "circle")
	for _, c := range []struct {
		other, want string
	}{
		{circle, "use different data (" + csvPath + " vs circle)"},
		{csvRun(otherPath), "use different data (" + csvPath + " vs " + otherPath + ")"},
		{csvRun(csvPath, "--scale", "none"), "differ in data.scale (default vs none)"},
	} {
		_, errs, code := cli(t, db, "", "ensemble", a, c.other, "--no-save")
		if code != 1 || !strings.Contains(errs, c.want) || strings.Contains(errs, "(none vs") {
			t.Errorf("exit %d: %s\nwant %q", code, errs, c.want)
		}
	}
	out, errs, code := cli(t, db, "", "ensemble", a, b)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	id := strings.Fields(out[strings.Index(out, "saved as run ")+len("saved as run "):])[0]
	show, _, _ := cli(t, db, "", "runs", "show", id)
	if !strings.Contains(show, "data:     my.csv (binary)") {
		t.Errorf("runs show of the ensemble:\n%s", show)
	}
	list, _, _ := cli(t, db, "", "runs", "list")
	for _, line := range strings.Split(list, "\n") {
		if strings.HasPrefix(line, id) && !strings.Contains(line, " my.csv ") {
			t.Errorf("the ensemble's row in runs list: %s", line)
		}
	}
}
