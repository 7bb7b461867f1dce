package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepFileErrorsNameTheFileWithoutUsage: an error in a sweep file's
// content names the file and the key, exits 2 and leaves out cobra's usage
// hint (which does not help with a file); a bad flag keeps the hint.
func TestSweepFileErrorsNameTheFileWithoutUsage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	sw := filepath.Join(dir, "sw9.toml")
	for content, want := range map[string]string{
		"trials = 2\n[[random]]\nfield = \"lr\"\nkind = \"uniform\"\nmin = nan\nmax = 1\n": "random field \"lr\": min is NaN; want a finite number",
		"trials = 2\n[[random]]\nfeild = \"lr\"\nkind = \"uniform\"\n":                     "random #1: unknown key \"feild\" (did you mean \"field\"?)",
		"trials = -3\n[[random]]\nfield = \"lr\"\nkind = \"uniform\"\nmin = 0\nmax = 1\n":  "trials = -3 is not a valid trial count; want a positive number of random draws",
		"trials = 2\n[[random]]\nfield = \"units\"\nkind = \"int\"\nmin = 64\nmax = 4\n":   "random field \"units\": int needs min < max, got min 64, max 4",
	} {
		if err := os.WriteFile(sw, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errs, code := cli(t, db, "", "sweep", "--file", sw)
		if wantErr := "workbench sweep: " + sw + ": " + want + "\n"; code != ExitUsage || out != "" || errs != wantErr {
			t.Errorf("%s: exit %d, stdout %q, stderr\n %q\nwant\n %q", content, code, out, errs, wantErr)
		}
	}
	for args, want := range map[string]string{
		"--random lr=uniform:0:1 --trials -3": "--trials -3 is not a valid trial count; want a positive number of random draws",
		"--random units=int:64:4 --trials 2":  `--random "units=int:64:4": int needs LO < HI, got 64:4`,
		"--grid lr":                           `--grid "lr": want FIELD=V1,V2,…`,
	} {
		_, errs, code := cli(t, db, "", append([]string{"sweep", "--data", "xor"}, strings.Fields(args)...)...)
		if want := "workbench sweep: " + want + "\nRun 'workbench sweep --help' for usage.\n"; code != ExitUsage || errs != want {
			t.Errorf("%s: exit %d, stderr\n %q\nwant\n %q", args, code, errs, want)
		}
	}
}

// TestSweepFileSpaceErrorsAreTheFiles: a sweep file's sampler, axes,
// objective, base and space are checked as the file's, with the file and
// the key named and no usage hint (a QA pass found a bad sampler or an
// unknown grid field reported after the flags merged, with cobra's usage,
// and the file's key unnamed).
func TestSweepFileSpaceErrorsAreTheFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	sw := filepath.Join(dir, "sw.json")
	grid := `"grid":[{"field":"lr","values":[0.1]}]`
	for content, want := range map[string]string{
		`{"sampler":"bogus",` + grid + `}`:                               `sampler = "bogus" is not a sampler; want "random" or "tpe"`,
		`{"grid":[{"field":"lrr","values":[0.1]}]}`:                      `grid #1: unknown field "lrr" (did you mean lr (optimizer.lr)?)`,
		`{"objective":"val_accuracyy",` + grid + `}`:                     `unknown metric val_accuracyy in objective; did you mean val_accuracy?`,
		`{"base":{"epochs":-2},` + grid + `}`:                            `base: epochs: -2 is out of range [1, 100,000,000]; 0 means no limit`,
		`{"base":{"epochs":2}}`:                                          `the space is empty: give grid or random axes, or seeds = N (or --grid, --random, --seeds)`,
		`{"random":[{"field":"lr","kind":"log","min":0.001,"max":0.1}]}`: `random axes need a trial budget: trials = N (or --trials N)`,
		"{\n" + grid + ",}":                                              `line 2, column 40: invalid character '}' looking for beginning of object key string`,
	} {
		if err := os.WriteFile(sw, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errs, code := cli(t, db, "", "sweep", "--file", sw)
		if wantErr := "workbench sweep: " + sw + ": " + want + "\n"; code != ExitUsage || out != "" || errs != wantErr {
			t.Errorf("%s: exit %d, stdout %q, stderr\n %q\nwant\n %q", content, code, out, errs, wantErr)
		}
	}
	// --spec and --file both give a base: a usage error.
	_, errs, code := cli(t, db, "", "sweep", "--file", sw, "--spec", sw)
	if code != ExitUsage || !strings.Contains(errs, "--file and --spec both give the base spec") {
		t.Errorf("--file with --spec: exit %d, %s", code, errs)
	}
}

// TestSweepFileBaseTakesFlags: run flags apply on top of a sweep file's
// base, as on top of a --spec file (they were ignored), and a base that
// leaves the loss out gets the data's task's (an iris base failed every
// trial with "bce is for binary tasks").
func TestSweepFileBaseTakesFlags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	sw := filepath.Join(dir, "sw.toml")
	content := "[base]\nepochs = 2\n[base.data]\nname = \"iris\"\n[[grid]]\nfield = \"lr\"\nvalues = [0.1]\n"
	if err := os.WriteFile(sw, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := cli(t, db, "", "sweep", "--file", sw, "--epochs", "3", "--parallel", "1", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var trial struct {
		Status string `json:"status"`
		Epochs int    `json:"epochs"`
	}
	line, _, _ := strings.Cut(out, "\n")
	if err := json.Unmarshal([]byte(line), &trial); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if trial.Status != "done" || trial.Epochs != 3 {
		t.Errorf("trial %+v, want done after the 3 epochs of --epochs; output\n%s", trial, out)
	}
}

// TestSweepFlagAxisErrorsSayNoFileWords: an unknown --random field reads
// as the flags' error, without a file's "random #1".
func TestSweepFlagAxisErrorsSayNoFileWords(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	_, errs, code := cli(t, db, "", "sweep", "--data", "xor", "--random", "unitz=int:2:8", "--trials", "2")
	if code != ExitUsage || strings.Contains(errs, "random #1") || !strings.Contains(errs, `unknown field "unitz"`) {
		t.Errorf("exit %d: %s", code, errs)
	}
}
