package cli

import (
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestRunsShowSaysWhenAHistoryIsThinned trains past sessions.ThinAfter
// epochs: runs show says how many epochs the history kept of how many.
func TestRunsShowSaysWhenAHistoryIsThinned(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 10,010 epochs")
	}
	db := filepath.Join(t.TempDir(), "w.db")
	id := trainRun(t, db, "--data", "seed-example", "--layers", "4", "--opt", "adam", "--lr", "0.05", "--batch", "0", "--epochs", "10010")
	out, errs, code := cli(t, db, "", "runs", "show", id)
	if code != 0 {
		t.Fatalf("runs show: exit %d: %s", code, errs)
	}
	m := regexp.MustCompile(`history \((\d+) of 10010 epochs kept`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("runs show does not say the history was thinned:\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n < 10_000 || n >= 10_010 {
		t.Fatalf("%d epochs kept of 10010", n)
	}
}
