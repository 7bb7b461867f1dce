package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainRefusesIgnoredFlags: train and lr-find refuse a run flag the
// run would ignore (exit 2, naming the fix); they trained without it, as
// if it had been taken. A sweep's axes may make it apply, so a sweep
// takes it.
func TestTrainRefusesIgnoredFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	for _, args := range [][]string{
		{"train", "--no-save", "--epochs", "1", "--beta1", "0.5"},
		{"train", "--no-save", "--epochs", "1", "--data", "iris", "--target", "species"},
		{"lr-find", "--data", "iris", "--samples", "100"},
	} {
		out, errs, code := cli(t, db, "", args...)
		if code != 2 || out != "" || !strings.Contains(errs, " is for ") || !strings.Contains(errs, ": drop --") && !strings.Contains(errs, " or drop --") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if _, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--epochs", "1", "--beta1", "0.8", "--grid", "opt=sgd,adam"); code != 0 {
		t.Errorf("sweep over optimizers with --beta1: exit %d, %s", code, errs)
	}
}

// TestEnsembleFlagsNeedTheirPartner: --ensemble without --seeds said
// "--seeds 0: give 2 to 1000 seeds", a flag the user never gave, and
// --ensemble-method without --ensemble was dropped without a word.
func TestEnsembleFlagsNeedTheirPartner(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	for args, want := range map[string]string{
		"--ensemble":             "workbench train: --ensemble combines the runs of --seeds N: add --seeds (2 to 1000)\n",
		"--ensemble-method vote": "workbench train: --ensemble-method is for --ensemble: add --ensemble (with --seeds N) or drop --ensemble-method\n",
	} {
		out, errs, code := cli(t, db, "", append([]string{"train", "--epochs", "1"}, strings.Fields(args)...)...)
		if first, _, _ := strings.Cut(errs, "Run '"); code != 2 || out != "" || first != want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}
