package cli

import (
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
