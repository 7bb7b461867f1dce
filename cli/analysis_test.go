package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrainSeedsEnsembleAndPredict(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	out, errs, code := cli(t, db, "", "train", "--data", "breast-cancer", "--scale", "standard", "--layers", "16", "--epochs", "5", "--seeds", "3", "--ensemble")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"ensemble of 3 runs (mean), binary", "gain in test accuracy", "over the members' mean", "(kind ensemble)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "saved as run "); n != 4 {
		t.Errorf("%d runs saved, want 3 seeds and the ensemble", n)
	}
	list, _, _ := cli(t, db, "", "runs", "list", "--json")
	var runs []struct {
		ID, Kind string
		Members  []string
	}
	if err := json.Unmarshal([]byte(list), &runs); err != nil {
		t.Fatal(err)
	}
	ens := runs[0]
	if ens.Kind != "ensemble" || len(ens.Members) != 3 {
		t.Fatalf("newest run %+v, want the ensemble of 3", ens)
	}
	// Its page does not describe its first member's training as its own
	// ("epochs: 0 of 100, no best epoch yet, 0 samples/s").
	out, errs, code = cli(t, db, "", "runs", "show", ens.ID)
	if code != 0 || strings.Contains(out, "epochs:") || !strings.Contains(out, "training: none of its own: its members trained") {
		t.Errorf("runs show of the ensemble: exit %d: %s%s", code, out, errs)
	}
	// An ensemble is not re-run as a plain run of its first member's spec.
	out, errs, code = cli(t, db, "", "runs", "rerun", ens.ID)
	if code != 1 || !strings.Contains(errs, "is an ensemble of") || strings.Contains(out, "saved as run") {
		t.Errorf("rerun of the ensemble: exit %d: %s%s", code, out, errs)
	}
	// Different data is refused, naming the field.
	other := trainRun(t, db, "--data", "breast-cancer", "--scale", "minmax", "--layers", "16")
	_, errs, code = cli(t, db, "", "ensemble", ens.Members[0], other)
	if code != 1 || !strings.Contains(errs, "data.scale") {
		t.Errorf("exit %d: %s", code, errs)
	}
	// predict --run ENSEMBLE_ID applies each member's preprocessing.
	csv := "mean radius,mean texture,mean perimeter,mean area,mean smoothness,mean compactness,mean concavity,mean concave points,mean symmetry,mean fractal dimension," +
		"radius error,texture error,perimeter error,area error,smoothness error,compactness error,concavity error,concave points error,symmetry error,fractal dimension error," +
		"worst radius,worst texture,worst perimeter,worst area,worst smoothness,worst compactness,worst concavity,worst concave points,worst symmetry,worst fractal dimension\n" +
		"17.99,10.38,122.8,1001,0.1184,0.2776,0.3001,0.1471,0.2419,0.07871,1.095,0.9053,8.589,153.4,0.006399,0.04904,0.05373,0.01587,0.03003,0.006193,25.38,17.33,184.6,2019,0.1622,0.6656,0.7119,0.2654,0.4601,0.1189\n"
	out, errs, code = cli(t, db, csv, "predict", "--run", ens.ID, "--data", "-")
	if code != 0 {
		t.Fatalf("predict: exit %d: %s%s", code, out, errs)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || strings.Split(lines[1], ",")[30] != "malignant" {
		t.Errorf("predict through the ensemble: %q (this row is malignant)", out)
	}
}

func TestCompressExplainAndImportancePlot(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	id := trainRun(t, db, "--data", "credit", "--layers", "8", "--act", "relu", "--opt", "adam", "--lr", "0.01", "--batch", "64", "--cost-fp", "1", "--cost-fn", "5")
	out, errs, code := cli(t, db, "", "runs", "show", id, "--json")
	if code != 0 || !strings.Contains(out, `"positive"`) && !strings.Contains(out, `"cost_fn": 5`) {
		t.Fatalf("show: exit %d %s", code, errs)
	}
	out, errs, code = cli(t, db, "", "compress", "--run", id, "--prune", "0.5", "--finetune-epochs", "1", "--quantize", "int8")
	if code != 0 {
		t.Fatalf("compress: exit %d: %s", code, errs)
	}
	for _, want := range []string{"prune 50% unstructured, fine-tune 1 epoch, int8", "non-zero weights", "saved bytes", "rows/s (test)", "test threshold", "kind compressed, parent " + id} {
		if !strings.Contains(out, want) {
			t.Errorf("compress output lacks %q:\n%s", want, out)
		}
	}
	_, errs, code = cli(t, db, "", "compress", "--run", id)
	if code != 2 || !strings.Contains(errs, "nothing to do") { // a usage error
		t.Errorf("compress without work: exit %d: %s", code, errs)
	}
	out, errs, code = cli(t, db, "", "explain", "--run", id, "--repeats", "2")
	if code != 0 || !strings.HasPrefix(out, "baseline test accuracy") || !strings.Contains(out, "Home") || strings.Contains(out, "Home=") {
		t.Errorf("explain: exit %d: %s%s", code, out, errs)
	}
	// The baseline accuracy is at the threshold the cost matrix tuned,
	// not 0.5, and says so.
	if !strings.HasPrefix(out, "baseline test accuracy: ") || !strings.Contains(strings.SplitN(out, "\n", 2)[0], " at threshold 0.") {
		t.Errorf("explain's baseline does not say its threshold:\n%s", out)
	}
	// --repeats 0 was read as the default and printed "5 shuffles".
	if _, errs, code = cli(t, db, "", "explain", "--run", id, "--repeats", "0"); code != ExitUsage || !strings.Contains(errs, "--repeats 0 is out of range [1, 1000]") {
		t.Errorf("explain --repeats 0: exit %d: %s", code, errs)
	}
	out, errs, code = cli(t, db, "", "explain", "--run", id, "--row", "0", "--json")
	var attr struct {
		Output   string
		Features []struct{ Feature string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &attr) != nil || attr.Output != "P(bad)" || len(attr.Features) != 13 {
		t.Errorf("explain --row: exit %d: %s%s", code, out, errs)
	}
	png := filepath.Join(t.TempDir(), "imp.png")
	if _, errs, code = cli(t, db, "", "plot", "--run", id, "--kind", "importance", "-o", png); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errs)
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Errorf("importance plot: %v", err)
	}
}

func TestCreditTrainsWithNoOtherFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	out, errs, code := cli(t, db, "", "train", "--data", "credit", "--epochs", "2", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"task":"binary"`) || !strings.Contains(out, `"train_rows":3118`) {
		t.Errorf("start line: %s", strings.SplitN(out, "\n", 2)[0])
	}
	out, _, _ = cli(t, db, "", "datasets", "--json")
	if !strings.Contains(out, `"name":"credit"`) && !strings.Contains(out, `"name": "credit"`) {
		t.Errorf("datasets --json lacks credit")
	}
	out, _, _ = cli(t, db, "", "datasets", "show", "credit")
	for _, want := range []string{"Belanche", "MIT", "modeldata"} {
		if !strings.Contains(out, want) {
			t.Errorf("datasets show credit lacks %q:\n%s", want, out)
		}
	}
}

func TestSweepEnsembleTop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--layers", "8", "--epochs", "3", "--grid", "lr=0.01,0.1,0.3", "--parallel", "1", "--ensemble-top", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "ensemble of 2 runs (mean)") || !strings.Contains(out, "(kind ensemble)") {
		t.Errorf("sweep output lacks the ensemble:\n%s", out)
	}
	_, errs, code = cli(t, db, "", "sweep", "--data", "moons", "--epochs", "2", "--grid", "data.noise=0.1,0.2", "--parallel", "1", "--ensemble-top", "2")
	if code != 1 || !strings.Contains(errs, "data.noise") {
		t.Errorf("a sweep over the data: exit %d: %s", code, errs)
	}
}
