package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCVEpochsSayHowManyFolds: when cross-validation folds stop early at
// different epochs, the epochs after the first stop are means over fewer
// folds; train's lines, its JSON and 'runs show' say over how many.
func TestCVEpochsSayHowManyFolds(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cv.db")
	args := []string{"train", "--data", "moons", "--samples", "240", "--noise", "0.3", "--data-seed", "4", "--layers", "8",
		"--act", "tanh", "--opt", "adam", "--lr", "0.1", "--batch", "16", "--epochs", "60", "--cv", "3", "--patience", "3"}
	out, errs, code := cli(t, db, "", args...)
	if code != 0 {
		t.Fatal(errs)
	}
	fewer := regexp.MustCompile(`(?m)^Epoch \d+/60 - [0-9.]+(ns|µs|ms|s) - mean of [12]/3 folds - `)
	if !fewer.MatchString(out) || strings.Contains(out, "mean of 3/3") {
		t.Fatalf("train's epoch lines:\n%s", out)
	}
	if !strings.Contains(out, "Epoch 1/60 - ") || strings.Contains(strings.Split(out, "\n")[1], "folds") {
		t.Errorf("an epoch of every fold says no fold count:\n%s", out)
	}
	id := regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)[1]
	show, _, _ := cli(t, db, "", "runs", "show", id)
	if !strings.Contains(show, "(mean of 1/3 folds)") || !regexp.MustCompile(`(?m)^ +1  loss [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+\n`).MatchString(show) {
		t.Errorf("runs show:\n%s", show)
	}
	js, _, _ := cli(t, db, "", append(args, "--json", "--no-save")...)
	var seen []int
	for _, l := range strings.Split(strings.TrimSpace(js), "\n") {
		var e struct {
			Event string `json:"event"`
			Folds *int   `json:"folds"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		if e.Event == "epoch" && e.Folds != nil {
			seen = append(seen, *e.Folds)
		}
	}
	if len(seen) == 0 || seen[0] != 3 || seen[len(seen)-1] != 1 {
		t.Errorf("the JSON epochs' folds: %v", seen)
	}
}
