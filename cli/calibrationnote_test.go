package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCalibratedRunSaysItsEpochsAreBeforeCalibration: a run with a fixed
// threshold and temperature scaling scores each epoch's validation
// metrics (best_val_…) on the uncalibrated probabilities, since the
// temperature is fitted on the final weights, and its test (and final
// validation) metrics on the calibrated ones; train and runs show now say
// so, where nothing did. The same weights (early stopping kept the best
// epoch's) score otherwise once calibrated.
func TestCalibratedRunSaysItsEpochsAreBeforeCalibration(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	note := "calibration: each epoch's validation metrics (best_val_…) are before temperature scaling, which is fitted once, on the final weights; " +
		"test_… are after it (it changes loss, brier and ece, and which rows threshold 0.3 puts positive: the epochs cut the uncalibrated probabilities there)"
	out, errs, code := cli(t, db, "", "train", "--data", "credit", "--scale", "standard", "--layers", "16", "--opt", "adam", "--lr", "0.01",
		"--threshold", "0.3", "--calibrate", "temperature", "--epochs", "8", "--patience", "100")
	if code != 0 || !strings.Contains(out, note+"\n") {
		t.Fatalf("train: exit %d, output lacks the note:\n%s%s", code, out, errs)
	}
	id := regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("train named no run:\n%s", out)
	}
	out, errs, code = cli(t, db, "", "runs", "show", id[1])
	if code != 0 || !strings.Contains(out, "decision rule: positive at a probability of 0.3 or more") || !strings.Contains(out, note+"\n") {
		t.Fatalf("runs show: exit %d, no rule or no note:\n%s%s", code, out, errs)
	}
	out, _, _ = cli(t, db, "", "runs", "show", id[1], "--json")
	var r struct {
		BestEpoch  int `json:"best_epoch"`
		Metrics    map[string]float64
		Evaluation struct {
			Val struct {
				Metrics     map[string]float64
				Calibration *struct{ Temperature float64 }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Evaluation.Val.Calibration == nil {
		t.Fatalf("runs show --json: %v, calibration %v", err, r.Evaluation.Val.Calibration)
	}
	if r.Evaluation.Val.Calibration.Temperature != 1 && r.Metrics["best_val_loss"] == r.Evaluation.Val.Metrics["loss"] {
		t.Errorf("best_val_loss %v is the calibrated validation loss: the note would be wrong", r.Metrics["best_val_loss"])
	}
}

// TestUncalibratedRunHasNoCalibrationNote: the note is for calibrated
// runs only.
func TestUncalibratedRunHasNoCalibrationNote(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	out, errs, code := cli(t, db, "", "train", "--data", "circle", "--threshold", "0.3", "--epochs", "2")
	if code != 0 || strings.Contains(out, "calibration") {
		t.Fatalf("train: exit %d:\n%s%s", code, out, errs)
	}
	id := regexp.MustCompile(`saved as run (\S+)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("train named no run:\n%s", out)
	}
	if out, _, _ := cli(t, db, "", "runs", "show", id[1]); strings.Contains(out, "calibration") {
		t.Errorf("runs show of an uncalibrated run:\n%s", out)
	}
}
