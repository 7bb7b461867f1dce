package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotCurvesOfACrossValidatedRun: a cross-validated binary run's ROC,
// PR curve and confusion matrix are drawn from its out-of-fold rows, as
// its reliability diagram was; ROC said "ROC is for binary tasks" of it,
// and the confusion matrix "it is for classification". A run without
// such a curve is named with the reason: its task.
func TestPlotCurvesOfACrossValidatedRun(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	cv := trainRun(t, db, "--data", "moons", "--layers", "4", "--cv", "3")
	for _, kind := range []string{"roc", "pr", "confusion"} {
		file := filepath.Join(dir, kind+".svg")
		_, errs, code := cli(t, db, "", "plot", "--run", cv, "--kind", kind, "-o", file)
		svg, _ := os.ReadFile(file)
		if code != 0 || !strings.Contains(string(svg), "out-of-fold") {
			t.Errorf("--kind %s of a cross-validated run: exit %d, %s", kind, code, errs)
		}
	}
	reg := trainRun(t, db, "--data", "reg-plane", "--layers", "4")
	for kind, want := range map[string]string{
		"roc":       "(ROC is for binary tasks; this run is regression)\n",
		"confusion": "(a confusion matrix is for classification; this run is regression)\n",
	} {
		_, errs, code := cli(t, db, "", "plot", "--run", reg, "--kind", kind, "-o", filepath.Join(dir, "r.png"))
		if code != 1 || !strings.HasSuffix(errs, want) {
			t.Errorf("--kind %s of a regression run: exit %d, %q", kind, code, errs)
		}
	}
}
