package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestTrainCVReportsMeanAndStd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cv.db")
	out, errs, code := cli(t, db, "", "train", "--data", "wine", "--scale", "standard", "--layers", "8", "--opt", "adam",
		"--lr", "0.01", "--epochs", "5", "--cv", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !regexp.MustCompile(`cv \(5 folds, validation\): .*accuracy: \d\.\d{4} ± \d\.\d{4}`).MatchString(out) {
		t.Errorf("no accuracy mean ± std in:\n%s", out)
	}
	if !strings.Contains(out, "test (mean ± std of the 5 fold models)") {
		t.Errorf("no held-out test line in:\n%s", out)
	}
	// Stored with its folds: cv_accuracy and its spread sort the runs.
	out, errs, code = cli(t, db, "", "runs", "list", "--sort", "-cv_accuracy", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var runs []struct {
		ID      string
		Metrics map[string]float64
	}
	json.Unmarshal([]byte(out), &runs)
	if len(runs) != 1 || runs[0].Metrics["cv_accuracy_std"] <= 0 || runs[0].Metrics["cv_accuracy"] <= 0.5 {
		t.Fatalf("runs %+v", runs)
	}
	out, _, _ = cli(t, db, "", "runs", "list", "--sort", "-cv_accuracy")
	if !strings.Contains(out, "CV_ACCURACY") {
		t.Errorf("runs list sorted by a metric does not show it:\n%s", out)
	}
	if _, errs, code = cli(t, db, "", "predict", "--run", runs[0].ID, "--data", "-"); code == 0 || !strings.Contains(errs, "cross-validation") {
		t.Errorf("predict with a CV run: exit %d, %s", code, errs)
	}
	if _, errs, code = cli(t, db, "", "train", "--data", "wine", "--cv", "1"); code != 2 || !strings.Contains(errs, "cv:") {
		t.Errorf("--cv 1: exit %d, %s", code, errs)
	}
}

func TestPredictScaledTargetInOriginalUnits(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "st.db")
	out, errs, code := cli(t, db, "", "train", "--data", "diabetes", "--scale", "standard", "--layers", "16", "--opt", "adam",
		"--lr", "0.003", "--batch", "32", "--epochs", "40", "--print-spec")
	if code != 0 || !strings.Contains(out, `"scale_target": "standard"`) {
		t.Fatalf("regression runs default to a standard target scale: exit %d %s\n%s", code, errs, out)
	}
	out, errs, code = cli(t, db, "", "train", "--data", "diabetes", "--scale-target", "none", "--print-spec")
	if code != 0 || !strings.Contains(out, `"scale_target": "none"`) {
		t.Fatalf("--scale-target none is kept: exit %d %s\n%s", code, errs, out)
	}
	id := trainRun(t, db, "--data", "diabetes", "--scale", "standard", "--layers", "16", "--opt", "adam", "--lr", "0.003",
		"--batch", "32", "--epochs", "40")
	csv := "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n59,2,32.1,101,157,93.2,38,4,4.8598,87\n48,1,21.6,87,183,103.2,70,3,3.8918,69\n"
	f := filepath.Join(dir, "new.csv")
	os.WriteFile(f, []byte(csv), 0o600)
	out, errs, code = cli(t, db, "", "predict", "--run", id, "--data", f, "--json")
	if code != 0 {
		t.Fatalf("predict: %s", errs)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec struct{ Prediction *float64 }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Prediction == nil {
			continue // the summary line
		}
		// Disease progression runs from 25 to 346: a prediction on the
		// scaled target would be near 0.
		n++
		if p := *rec.Prediction; !(p > 25 && p < 346) {
			t.Errorf("prediction %v is not in the target's units", p)
		}
	}
	if n != 2 {
		t.Errorf("%d predictions, want 2", n)
	}
	out, _, _ = cli(t, db, "", "runs", "show", id, "--json")
	var run struct {
		Scaler struct {
			Target struct {
				Kind           string
				Offset, Factor float64
			}
		}
	}
	json.Unmarshal([]byte(out), &run)
	if tg := run.Scaler.Target; tg.Kind != "standard" || !(tg.Offset > 100 && tg.Offset < 200) || tg.Factor <= 0 {
		t.Errorf("stored target scaler %+v, want standard with the training mean", tg)
	}
}

func TestPlotPRAndCalibration(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pr.db")
	id := trainRun(t, db, "--data", "moons", "--calibrate", "temperature")
	for _, kind := range []string{"pr", "calibration"} {
		file := filepath.Join(dir, kind+".png")
		if _, errs, code := cli(t, db, "", "plot", "--run", id, "--kind", kind, "-o", file); code != 0 {
			t.Fatalf("%s: %s", kind, errs)
		}
		if st, err := os.Stat(file); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", kind, err)
		}
	}
	reg := trainRun(t, db, "--data", "reg-plane")
	if _, errs, code := cli(t, db, "", "plot", "--run", reg, "--kind", "pr", "-o", filepath.Join(dir, "x.png")); code == 0 || !strings.Contains(errs, "precision-recall") {
		t.Errorf("pr of a regression run: exit %d, %s", code, errs)
	}
}

func TestSweepCVRanksByFoldMean(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sw.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "wine", "--scale", "standard", "--layers", "4", "--opt", "adam",
		"--cv", "3", "--grid", "lr=0.001,0.05", "--epochs", "4", "--parallel", "1", "--json")
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	var runs []struct {
		Spec    struct{ CV int }
		Metrics map[string]float64
	}
	out, _, _ = cli(t, db, "", "runs", "list", "--json")
	json.Unmarshal([]byte(out), &runs)
	if len(runs) != 2 {
		t.Fatalf("%d trials", len(runs))
	}
	for _, r := range runs {
		// The objective (best val_accuracy) is the best of the fold-mean
		// curve, and the run keeps the fold means and spreads.
		if r.Spec.CV != 3 || r.Metrics["best_val_accuracy"] < r.Metrics["cv_accuracy"] || r.Metrics["cv_accuracy_std"] < 0 {
			t.Errorf("trial %+v", r)
		}
	}
}
