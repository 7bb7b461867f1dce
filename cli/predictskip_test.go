package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPredictSkipBadRows: one bad cell failed the whole file; with
// --skip-bad the bad rows are named on stderr and the good ones predicted.
// Without it the first bad cell still fails the command, and nothing is
// printed to stdout.
func TestPredictSkipBadRows(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "xor", "--epochs", "2")
	if code != 0 {
		t.Fatalf("train: %s", errs)
	}
	id := strings.Fields(out[strings.LastIndex(out, "saved as run "):])[3]
	data := filepath.Join(dir, "new.csv")
	os.WriteFile(data, []byte("x1,x2\n0.1,0.2\n0.3,abc\n0.5,0.6\n1,2,3\n2,\"x\"y\n0.7,0.8\n"), 0o600)

	out, errs, code = cli(t, db, "", "predict", "--run", id, "--data", data)
	if want := "workbench predict: " + data + ": line 3, column 2 (\"x2\"): expected a number, got \"abc\"\n"; code != 1 || out != "" || errs != want {
		t.Errorf("without --skip-bad: exit %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errs, want)
	}

	out, errs, code = cli(t, db, "", "predict", "--run", id, "--data", data, "--skip-bad")
	if code != 0 {
		t.Fatalf("--skip-bad: exit %d: %s", code, errs)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		got = append(got, strings.Join(strings.Split(l, ",")[:2], ","))
	}
	if strings.Join(got, " ") != "0.1,0.2 0.5,0.6 0.7,0.8" {
		t.Errorf("predicted rows %q, want the three good ones", got)
	}
	want := "predict: skipped " + data + ": line 3, column 2 (\"x2\"): expected a number, got \"abc\"\n" +
		"predict: skipped " + data + ": line 5, column 3: expected 2 fields, got 3 (a ragged row)\n" +
		"predict: skipped " + data + ": line 6: character 5: a quote is not closed, or a quoted field goes on after its closing quote: close it, and write \"\" for a quote inside quotes\n" +
		"predict: 3 of 6 rows predicted; 3 skipped as bad (--skip-bad; each named above)\n"
	if errs != want {
		t.Errorf("stderr\n%s\nwant\n%s", errs, want)
	}

	out, _, code = cli(t, db, "", "predict", "--run", id, "--data", data, "--skip-bad", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var last struct {
		Summary predictionSummary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || code != 0 {
		t.Fatalf("--json: exit %d, %v", code, err)
	}
	s := last.Summary
	if s.Rows != 6 || s.Predicted != 3 || len(s.Skipped) != 3 ||
		s.Skipped[0] != (skippedRow{Line: 3, Column: 2, Name: "x2", Reason: `expected a number, got "abc"`}) ||
		s.Skipped[1].Line != 5 || s.Skipped[2].Line != 6 {
		t.Errorf("summary %+v", s)
	}

	// A file with no good row fails, naming the first bad one.
	os.WriteFile(data, []byte("x1,x2\n0.3,abc\n"), 0o600)
	_, errs, code = cli(t, db, "", "predict", "--run", id, "--data", data, "--skip-bad")
	if want := "workbench predict: " + data + ": line 2, column 2 (\"x2\"): every row is bad; the first: expected a number, got \"abc\"\n"; code != 1 || errs != want {
		t.Errorf("all bad: exit %d, stderr %q, want %q", code, errs, want)
	}
}
