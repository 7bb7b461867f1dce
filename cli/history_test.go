package cli

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"workbench/sessions"
	"workbench/trainer"
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

// TestRunsShowBeforeTheFirstEpoch: a run interrupted before its first
// epoch ended has no best epoch; runs show says so instead of "best 0 by ,".
func TestRunsShowBeforeTheFirstEpoch(t *testing.T) {
	var b strings.Builder
	printRun(&b, &sessions.FullRun{Run: sessions.Run{ID: "r1", Status: trainer.StatusInterrupted, EpochsTotal: 50}})
	out := b.String()
	if !strings.HasPrefix(out, "run r1\n") { // no name: no trailing spaces
		t.Errorf("runs show of an unnamed run starts %q", strings.SplitN(out, "\n", 2)[0])
	}
	if !strings.Contains(out, "epochs:   0 of 50, no best epoch yet,") {
		t.Errorf("runs show of a run with no epoch:\n%s", out)
	}
	if strings.Contains(out, "best 0") || strings.Contains(out, "by ,") {
		t.Errorf("runs show prints an empty best epoch:\n%s", out)
	}
	for _, bad := range []string{"metrics", "tags:"} { // no heading over nothing
		if strings.Contains(out, bad) {
			t.Errorf("runs show of a run with no metrics and no tags says %q:\n%s", bad, out)
		}
	}
	b.Reset()
	printRun(&b, &sessions.FullRun{Run: sessions.Run{ID: "r1", Status: trainer.StatusInterrupted, EpochsTotal: 50,
		Tags: []string{"a"}, Metrics: map[string]float64{"test_loss": 0.25}}})
	if out := b.String(); !strings.Contains(out, "\nmetrics:\n  test_loss  0.2500\n") || !strings.Contains(out, "tags:     a\n") {
		t.Errorf("runs show of a run with a test metric and a tag:\n%s", out)
	}
}
