package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A run of no epoch limit (--epochs 0) prints its epochs as the app does,
// n/∞, never n/0, and throughputs print for people (k, M), not as 7 digits.
func TestUnlimitedEpochsAndRatesPrintForPeople(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "xor", "--epochs", "0", "--until", "val_loss<=100")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	rate := regexp.MustCompile(`, [0-9.]+[kM]? samples/s\)`)
	if !rate.MatchString(out) || regexp.MustCompile(`\d{4,} samples/s`).MatchString(out) {
		t.Errorf("train's last line gives samples/s unformatted:\n%s", out)
	}
	list, _, _ := cli(t, db, "", "runs", "list")
	if !strings.Contains(list, " 1/∞ ") || strings.Contains(list, "1/0") {
		t.Errorf("runs list shows epochs 0 as a total:\n%s", list)
	}
	id := regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no run saved:\n%s", out)
	}
	show, _, _ := cli(t, db, "", "runs", "show", id[1])
	if !strings.Contains(show, "epochs:   1 of ∞, best 1 by val_loss") || regexp.MustCompile(`\d{4,} samples/s`).MatchString(show) {
		t.Errorf("runs show:\n%s", show)
	}
}

// A mistyped --kind gets "did you mean", and the list names every kind.
func TestPlotKindTypo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "xor", "--epochs", "2")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	id := regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)[1]
	png := filepath.Join(t.TempDir(), "x.png")
	if _, errs, code = cli(t, db, "", "plot", "--run", id, "--kind", "rocc", "-o", png); code != 2 || !strings.Contains(errs, "did you mean roc?") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, errs, code = cli(t, db, "", "plot", "--run", id, "--kind", "bars", "-o", png); code != 2 || !strings.Contains(errs, "layers or parallel") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// sweep show's title has no stray space before its colon when the sweep
// has no name.
func TestSweepShowTitle(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "xor", "--epochs", "2", "--grid", "lr=0.01,0.1", "--parallel", "1")
	if code != 0 {
		t.Fatalf("sweep exit %d: %s", code, errs)
	}
	if !regexp.MustCompile(`(?m)^sweep sweep-\S+: done, 2 trials`).MatchString(out) {
		t.Errorf("title:\n%s", out)
	}
}

// An unknown --sort column says what the columns are, or the one meant.
func TestRunsListSortNamesTheColumns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	if _, errs, code := cli(t, db, "", "runs", "list", "--sort", "foo"); code != 2 || !strings.Contains(errs, "sort by created, name, status") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, errs, code := cli(t, db, "", "runs", "list", "--sort", "-statsu"); code != 2 || !strings.Contains(errs, "did you mean status?") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// runs compare shows a run of no epoch limit as ∞, not 0.
func TestRunsCompareShowsUnlimitedEpochs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	var ids []string
	for _, args := range [][]string{{"--epochs", "0", "--until", "val_loss<=100"}, {"--epochs", "2"}} {
		out, errs, code := cli(t, db, "", append([]string{"train", "--data", "xor"}, args...)...)
		if code != 0 {
			t.Fatalf("train exit %d: %s", code, errs)
		}
		ids = append(ids, regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)[1])
	}
	out, _, _ := cli(t, db, "", "runs", "compare", ids[0], ids[1])
	if !regexp.MustCompile(`(?m)^  epochs\s+∞\s+2\s*$`).MatchString(out) {
		t.Errorf("runs compare:\n%s", out)
	}
}

// A run that took well under a millisecond prints its time, not "0s" (it
// was rounded to the millisecond), in train's last line, runs show and
// runs list.
func TestSubMillisecondRunsPrintTheirTime(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "seed-example", "--epochs", "1", "--batch", "0")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	id := regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)[1]
	took := regexp.MustCompile(`\(best epoch 1, (\S+), \S+ samples/s\)`).FindStringSubmatch(out)
	if took == nil || took[1] == "0s" || !regexp.MustCompile(`^[0-9.]+(ns|µs|ms|s)$`).MatchString(took[1]) {
		t.Fatalf("train's time: %v\n%s", took, out)
	}
	show, _, _ := cli(t, db, "", "runs", "show", id)
	if !strings.Contains(show, "best 1 by val_loss, "+took[1]+", ") {
		t.Errorf("runs show's time, want %s:\n%s", took[1], show)
	}
	list, _, _ := cli(t, db, "", "runs", "list")
	if !regexp.MustCompile(`1/1\s+` + regexp.QuoteMeta(took[1]) + `\s`).MatchString(list) {
		t.Errorf("runs list's time, want %s:\n%s", took[1], list)
	}
}

// runs compare keeps one set of columns through every section, each run's
// under its ID (a tabwriter ended its columns at each section's title, so
// the IDs stood over nothing), and names the ~ mark only when a run has
// folds to mark it by.
func TestRunsCompareColumnsStandUnderTheIDs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	var ids []string
	for _, lr := range []string{"0.03", "0.5"} {
		out, errs, code := cli(t, db, "", "train", "--data", "xor", "--epochs", "2", "--lr", lr)
		if code != 0 {
			t.Fatalf("train exit %d: %s", code, errs)
		}
		ids = append(ids, regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)[1])
	}
	out, errs, code := cli(t, db, "", "runs", "compare", ids[0], ids[1])
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(out, "\n")
	col := []int{strings.Index(lines[0], ids[0]), strings.Index(lines[0], ids[1])}
	if col[0] <= 0 || col[1] <= col[0] {
		t.Fatalf("header %q", lines[0])
	}
	for _, prefix := range []string{"  optimizer.lr ", "  best_val_loss ", "  epoch 1 "} {
		var line string
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				line = l
			}
		}
		r := []rune(line)
		digit := func(c rune) bool { return c >= '0' && c <= '9' }
		if len(r) <= col[1] || r[col[0]-1] != ' ' || !digit(r[col[0]]) || r[col[1]-1] != ' ' || !digit(r[col[1]]) {
			t.Errorf("%q: its values do not start under the IDs at %v:\n%s", prefix, col, out)
		}
	}
	if !strings.Contains(out, "\nmetrics (* best):\n") {
		t.Errorf("the metrics' title:\n%s", out)
	}
}
