package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainRowJSONHasNumbers: explain --row --json gives a numeric
// column's value and training mean as JSON numbers, and a category as
// its name with a null mean; they were strings rounded for people
// ("44.2071"), which a script had to parse and which lost digits. The
// text table still rounds them.
func TestExplainRowJSONHasNumbers(t *testing.T) {
	dir := t.TempDir()
	db, csvPath := filepath.Join(dir, "e.db"), filepath.Join(dir, "my.csv")
	writeMyCSV(t, csvPath, 300)
	id := trainRun(t, db, "--data", csvPath, "--target", "label", "--ignore", "id", "--scale", "standard", "--missing", "impute")
	out, errs, code := cli(t, db, "", "explain", "--run", id, "--row", "0", "--json")
	var res struct {
		Actual   any `json:"actual"`
		Features []struct {
			Feature  string `json:"feature"`
			Value    any    `json:"value"`
			Baseline any    `json:"baseline"`
		} `json:"features"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Features) != 3 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if a, ok := res.Actual.(string); !ok || (a != "yes" && a != "no") {
		t.Errorf("actual %#v", res.Actual)
	}
	for _, f := range res.Features {
		switch f.Feature {
		case "age", "income":
			v, vok := f.Value.(float64)
			m, mok := f.Baseline.(float64)
			if !vok || !mok || v <= 0 || m <= 0 || m == float64(int64(m*1e4))/1e4 {
				t.Errorf("%s: value %#v, baseline %#v: want numbers, the mean unrounded", f.Feature, f.Value, f.Baseline)
			}
		case "city":
			if c, ok := f.Value.(string); !ok || !strings.Contains("Lyon Nice Paris", c) || f.Baseline != nil {
				t.Errorf("city: value %#v, baseline %#v", f.Value, f.Baseline)
			}
		default:
			t.Errorf("feature %q", f.Feature)
		}
	}
	out, _, code = cli(t, db, "", "explain", "--run", id, "--row", "0")
	lines := strings.Split(out, "\n")
	if code != 0 || len(lines) < 5 || !strings.HasPrefix(lines[1], "feature") {
		t.Fatalf("text: exit %d: %s", code, out)
	}
	for _, l := range lines[2:5] {
		f := strings.Fields(l)
		if (f[0] == "age" || f[0] == "income") && (len(f) != 4 || !strings.Contains(f[2], ".") || len(f[2][strings.Index(f[2], "."):]) != 5) {
			t.Errorf("text row %q: want the mean to 4 decimals", l)
		}
		if f[0] == "city" && len(f) != 3 {
			t.Errorf("text row %q: want the category and no mean", l)
		}
	}
}
