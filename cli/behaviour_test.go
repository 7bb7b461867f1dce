package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// trainRun trains a short run in db and returns its ID.
func trainRun(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errs, code := cli(t, db, "", append([]string{"train", "--epochs", "2", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	var fin struct{ ID string }
	lines := strings.Split(strings.TrimSpace(out), "\n")
	json.Unmarshal([]byte(lines[len(lines)-1]), &fin)
	return fin.ID
}

func TestDidYouMean(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"trian"}, `unknown command "trian"; did you mean train?`},
		{[]string{"runs", "shwo"}, `unknown command "shwo"; did you mean show?`},
		{[]string{"train", "--epoch", "3"}, "unknown flag: --epoch; did you mean --epochs?"},
		{[]string{"runs", "list", "--sortt", "x"}, "did you mean --sort?"},
		{[]string{"train", "--data", "spirals", "--no-save"}, "unknown dataset spirals; did you mean spiral?"},
		{[]string{"datasets", "show", "irs"}, "unknown dataset irs; did you mean iris?"},
		// Two letters swapped are one slip (they were two edits, past the
		// limit for a short name, and got no suggestion).
		{[]string{"datasets", "show", "irsi"}, "unknown dataset irsi; did you mean iris?"},
		{[]string{"train", "--data", "wien", "--no-save"}, "unknown dataset wien; did you mean wine?"},
		{[]string{"train", "--until", "val_acuracy>=0.9", "--no-save"}, "unknown metric val_acuracy in --until; did you mean val_accuracy?"},
		{[]string{"train", "--monitor", "val_los", "--patience", "3", "--no-save"}, "unknown metric val_los in --monitor; did you mean val_loss?"},
		{[]string{"runs", "list", "--filter", "val_acc>0.9"}, "unknown metric val_acc in --filter; did you mean val_accuracy?"},
		{[]string{"train", "--until", "val_acc>=0.9", "--no-save"}, "unknown metric val_acc in --until; did you mean val_accuracy?"}, // it said val_auc
		{[]string{"runs", "list", "--filter", "val_accurcy>0.9"}, "did you mean val_accuracy?"},
		{[]string{"runs", "list", "--sort", "-val_accuracyy"}, "did you mean val_accuracy?"},
	}
	for _, c := range cases {
		_, errs, code := cli(t, db, "", c.args...)
		if code != ExitUsage || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d (want 2), stderr %q, want %q", c.args, code, errs, c.msg)
		}
	}
	// A file whose name is near a dataset's is a file, not a typo.
	dir := t.TempDir()
	csv := filepath.Join(dir, "spirals")
	os.WriteFile(csv, []byte("a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n"), 0o600)
	if _, errs, code := cli(t, db, "", "train", "--data", csv, "--epochs", "1", "--no-save"); code != 0 {
		t.Errorf("an existing file named like a dataset: exit %d: %s", code, errs)
	}
}

func TestSpecErrorsExit2(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	_, errs, code := cli(t, db, "", "train", "--data", "iris", "--crosses", "x1sq", "--no-save")
	if code != ExitUsage || !strings.Contains(errs, "crosses need 2-D data") {
		t.Errorf("crosses on iris: exit %d, %q", code, errs)
	}
	_, errs, code = cli(t, db, "", "train", "--split", "0.8,0.3,0.1", "--no-save")
	if code != ExitUsage || !strings.Contains(errs, "add up to 1.2,") {
		t.Errorf("split: exit %d, %q", code, errs)
	}
	_, errs, code = cli(t, db, "", "sweep", "--grid", "nosuchfield=1,2", "--epochs", "1")
	if code != ExitUsage || strings.Contains(errs, "sweep: sweep:") || !strings.HasPrefix(errs, "workbench sweep: ") {
		t.Errorf("sweep: exit %d, %q", code, errs)
	}
}

func TestPartialSpecTrains(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	spec := filepath.Join(dir, "run.json")
	os.WriteFile(spec, []byte(`{"data":{"name":"xor"},"epochs":3}`), 0o600)
	out, errs, code := cli(t, db, "", "train", "--spec", spec, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.Contains(lines[4], `"status":"done"`) {
		t.Fatalf("want start, 3 epochs, finished: %s", out)
	}
	var start struct {
		Data string
		Spec struct {
			BatchSize int    `json:"batch_size"`
			Loss      string `json:"loss"`
		}
	}
	json.Unmarshal([]byte(lines[0]), &start)
	if start.Data != "xor" || start.Spec.BatchSize != 10 || start.Spec.Loss != "bce" {
		t.Fatalf("start: %+v", start)
	}
	// A multiclass set whose spec leaves the loss out gets the task's loss.
	os.WriteFile(spec, []byte(`{"data":{"name":"iris"},"epochs":2}`), 0o600)
	if _, errs, code := cli(t, db, "", "train", "--spec", spec, "--no-save"); code != 0 {
		t.Fatalf("iris: exit %d: %s", code, errs)
	}
	// A sweep base that gives only some fields.
	sw := filepath.Join(dir, "sweep.json")
	os.WriteFile(sw, []byte(`{"base":{"data":{"name":"xor"},"epochs":2},"grid":[{"field":"lr","values":[0.01,0.1]}]}`), 0o600)
	if out, errs, code := cli(t, db, "", "sweep", "--file", sw, "--parallel", "1", "--json"); code != 0 || strings.Count(out, `"event":"trial"`) != 2 {
		t.Fatalf("sweep: exit %d: %s %s", code, out, errs)
	}
}

func TestJSONDoesNotEscapeComparisons(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, _, code := cli(t, db, "", "train", "--until", "val_accuracy>=0.97", "--print-spec")
	if code != 0 || !strings.Contains(out, `"target": "val_accuracy>=0.97"`) || strings.Contains(out, `\u003e`) {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestUINeedsATerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	for _, args := range [][]string{nil, {"ui"}, {"--db", db}} {
		_, errs, code := cli(t, db, "\n", args...)
		if code != ExitUsage || !strings.Contains(errs, "needs a terminal") || !strings.Contains(errs, "workbench train") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}

func TestStorePath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		vars map[string]string
		db   string
		want string
		err  bool
	}{
		{map[string]string{"HOME": "/h"}, "x.db", "x.db", false},
		{map[string]string{"HOME": "/h", "WORKBENCH_DB": "/w.db"}, "", "/w.db", false},
		{map[string]string{"HOME": "/h", "XDG_DATA_HOME": "/d"}, "", "/d/workbench/workbench.db", false},
		{map[string]string{"HOME": "/h", "XDG_DATA_HOME": "rel"}, "", "/h/.local/share/workbench/workbench.db", false},
		{map[string]string{}, "", "", true},
		{map[string]string{"XDG_DATA_HOME": "rel"}, "", "", true},
		{map[string]string{}, "y.db", "y.db", false},
	}
	for _, c := range cases {
		got, err := storePath(env(c.vars), c.db)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("%v --db %q: %q %v", c.vars, c.db, got, err)
		}
	}
	t.Setenv("HOME", "")
	t.Setenv("WORKBENCH_DB", "")
	var out, errb strings.Builder
	code := run([]string{"runs", "list"}, strings.NewReader(""), &out, &errb)
	if code != ExitFailed || !strings.Contains(errb.String(), "HOME is not set; give --db FILE or set WORKBENCH_DB") {
		t.Errorf("no HOME: exit %d, %q", code, errb.String())
	}
}

func TestRunIDsByPrefixAndSuffix(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	a := trainRun(t, db, "--data", "xor")
	b := trainRun(t, db, "--data", "xor")
	suffix := a[strings.LastIndex(a, "-")+1:]
	out, errs, code := cli(t, db, "", "runs", "show", suffix, "--json")
	if code != 0 || !strings.Contains(out, `"id": "`+a+`"`) {
		t.Fatalf("by suffix: exit %d %s %s", code, out, errs)
	}
	out, _, code = cli(t, db, "", "runs", "show", b[:len(b)-1])
	if code != 0 || !strings.Contains(out, "run "+b) {
		t.Fatalf("by prefix: exit %d %s", code, out)
	}
	// Both IDs start with the same date: the shared prefix is ambiguous.
	_, errs, code = cli(t, db, "", "runs", "show", a[:4])
	if code != ExitUsage || !strings.Contains(errs, "is ambiguous") || !strings.Contains(errs, a) || !strings.Contains(errs, b) {
		t.Fatalf("ambiguous: exit %d %q", code, errs)
	}
	out, errs, code = cli(t, db, "", "runs", "compare", suffix, b[len(b)-6:], "--json")
	if code != 0 || !strings.Contains(out, a) || !strings.Contains(out, b) {
		t.Fatalf("compare: exit %d %s", code, errs)
	}
}

func TestTagAndRerun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	id := trainRun(t, db, "--data", "xor", "--tag", "a")
	cli(t, db, "", "runs", "tag", id, "b", "c")
	out, _, code := cli(t, db, "", "runs", "tag", id, "--remove", "b")
	if code != 0 || !strings.Contains(out, "tags: a, c") {
		t.Fatalf("tag: exit %d %s", code, out)
	}
	// Removing a tag the run does not have says so (it exited 0 as if done).
	_, errs, code := cli(t, db, "", "runs", "tag", id, "--remove", "zz")
	if code != ExitFailed || !strings.Contains(errs, `has no tag "zz" (its tags: a, c)`) {
		t.Errorf("--remove zz: exit %d %s", code, errs)
	}
	cli(t, db, "", "runs", "rename", id, "renamed")
	out, errs, code = cli(t, db, "", "runs", "rerun", id, "--json")
	if code != 0 {
		t.Fatalf("rerun: %s", errs)
	}
	var start struct {
		Spec struct {
			Name string   `json:"name"`
			Tags []string `json:"tags"`
		}
	}
	json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &start)
	if start.Spec.Name != "renamed" || strings.Join(start.Spec.Tags, ",") != "a,c" {
		t.Fatalf("rerun took %+v", start.Spec)
	}
}

func TestSweepShow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "xor", "--epochs", "2", "--grid", "lr=0.01,0.1", "--parallel", "1", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var fin struct{ ID string }
	lines := strings.Split(strings.TrimSpace(out), "\n")
	json.Unmarshal([]byte(lines[len(lines)-1]), &fin)
	out, _, code = cli(t, db, "", "sweep", "show", fin.ID[len(fin.ID)-6:], "--json")
	var rep struct {
		Sweep struct {
			Config map[string]any `json:"config"`
		} `json:"sweep"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Sweep.Config["grid"] == nil {
		t.Fatalf("sweep show --json: exit %d %v %s", code, err, out)
	}
}

// TestTooFewRunIDs: a command short of run IDs says how many it wants in
// words and exits 2 with the usage hint (ensemble exited 1 with cobra's
// "requires at least 2 arg(s), only received 1"; others said "ID(s)").
func TestTooFewRunIDs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	for args, want := range map[string]string{
		"ensemble a":     "ensemble needs two or more run IDs",
		"runs compare a": "compare needs two or more run IDs",
		"runs rm":        "rm needs one or more run IDs",
		"runs tag":       "tag needs a run ID and the tags",
	} {
		_, errs, code := cli(t, db, "", strings.Fields(args)...)
		if code != ExitUsage || !strings.Contains(errs, want) || !strings.Contains(errs, "--help' for usage") {
			t.Errorf("%s: exit %d, %q", args, code, errs)
		}
	}
}

// TestImportErrorNamesTheFile: a file that is not an export is named in
// the error (it said only `format "x" is not "workbench-runs"`).
func TestImportErrorNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "o.json")
	os.WriteFile(f, []byte(`{"format":"x"}`), 0o600)
	_, errs, code := cli(t, filepath.Join(dir, "w.db"), "", "runs", "import", f)
	if want := "workbench runs import: " + f + `: format "x" is not "workbench-runs"`; code != ExitFailed || !strings.Contains(errs, want) {
		t.Errorf("exit %d: %q, want %q", code, errs, want)
	}
}
