package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainRefusesFlagsOfTheOtherKind: --method is for --row, --repeats
// and --seed are for permutation importance, and a row counts from 0; each
// is a usage error before the store is read. --method without --row gave
// permutation importance, and --repeats with --row one row's attribution,
// without a word; --row -1 failed with exit 1 after loading the run.
func TestExplainRefusesFlagsOfTheOtherKind(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db") // never opened
	for args, want := range map[string]string{
		"--row -1":                  "--row -1: rows of the test split count from 0",
		"--method gradient-x-input": "--method is for --row K (one row's attribution): add --row or drop --method",
		"--row 2 --repeats 3":       "--repeats and --seed are for permutation importance, not --row: drop them or --row",
		"--row 2 --seed 7":          "--repeats and --seed are for permutation importance, not --row: drop them or --row",
	} {
		out, errs, code := cli(t, db, "", append([]string{"explain", "--run", "abc"}, strings.Fields(args)...)...)
		if code != ExitUsage || out != "" || !strings.HasPrefix(errs, "workbench explain: "+want+"\n") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}
