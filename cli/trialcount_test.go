package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"workbench/sessions/pgtest"
)

// TestOneTrialReadsAsWords: a sweep of one trial says "1 trial, 1 at
// once" and, when it diverged, "of 1 trial, 1 diverged"; both said
// "1 trials".
func TestOneTrialReadsAsWords(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--layers", "4", "--epochs", "2", "--grid", "lr=0.1")
	if code != 0 {
		t.Fatalf("sweep exit %d: %s", code, errs)
	}
	if first, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(first, ": 1 trial, 1 at once") {
		t.Errorf("sweep's first line: %q", first)
	}
	_, errs, code = cli(t, db, "", "sweep", "--data", "reg-plane", "--opt", "sgd", "--layers", "16", "--act", "relu", "--epochs", "50",
		"--grid", "lr=10")
	if code != 1 || !strings.HasSuffix(errs, " has no best trial: of 1 trial, 1 diverged\n") {
		t.Errorf("a sweep of one diverged trial: exit %d, %q", code, errs)
	}
}

// TestWorkerBannerCountsTrials: 'worker --concurrency 1' said "1 trials
// at once".
func TestWorkerBannerCountsTrials(t *testing.T) {
	if got, want := workerBanner("postgres://h/db", "workbench", 1), "worker on postgres://h/db, queue workbench: 1 trial at once; Ctrl-C stops"; got != want {
		t.Errorf("banner %q, want %q", got, want)
	}
}

// TestDistributedSweepOfOneTrial: 'sweep --distributed' of one trial says
// "1 trial queued"; it said "1 trials".
func TestDistributedSweepOfOneTrial(t *testing.T) {
	url := pgtest.URL(t)
	out, errs, code := cli(t, url, "", "sweep", "--distributed", "--data", "moons", "--epochs", "2", "--grid", "lr=0.1")
	if code != 0 || !regexp.MustCompile(`sweep sweep-\S+: 1 trial queued on postgres://`).MatchString(out) {
		t.Errorf("exit %d, %s\n%s", code, errs, out)
	}
}
