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

// TestTrialLinesStayInLine: a sweep of 10 trials or more pads the trial
// number, so the run IDs and statuses stay in one column; "trial 10/12"
// pushed its line one place right of "trial 9/12".
func TestTrialLinesStayInLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--layers", "2", "--epochs", "1", "--parallel", "1",
		"--grid", "lr=0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1")
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	at := map[int]bool{}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "trial ") {
			at[strings.Index(l, "/10 ")] = true
		}
	}
	if !strings.Contains(out, "trial  1/10 ") || !strings.Contains(out, "trial 10/10 ") || len(at) != 1 {
		t.Errorf("trial lines out of line:\n%s", out)
	}
}
