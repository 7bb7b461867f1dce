package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the command line in-process against a temporary store.
func cli(t *testing.T, db string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	t.Setenv("WORKBENCH_DB", db)
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func TestTrainSavesAndRunsCommandsWork(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "seed-example", "--layers", "4", "--act", "tanh", "--loss", "mse",
		"--opt", "adam", "--lr", "0.05", "--batch", "0", "--epochs", "500", "--json")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 502 {
		t.Fatalf("%d JSON lines, want start + 500 epochs + finished", len(lines))
	}
	var fin struct {
		Event  string             `json:"event"`
		ID     string             `json:"id"`
		Status string             `json:"status"`
		Test   map[string]float64 `json:"test"`
		Saved  bool               `json:"saved"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &fin); err != nil {
		t.Fatal(err)
	}
	if fin.Event != "finished" || fin.Status != "done" || !fin.Saved || fin.Test["accuracy"] != 1 {
		t.Fatalf("finished line: %+v", fin)
	}
	out, _, code = cli(t, db, "", "runs", "list", "--json")
	var runs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &runs) != nil || len(runs) != 1 || runs[0]["id"] != fin.ID {
		t.Fatalf("runs list: %d %s", code, out)
	}
	out, _, code = cli(t, db, "", "runs", "show", fin.ID)
	if code != 0 || !strings.Contains(out, "seed-example") || !strings.Contains(out, "test confusion matrix") {
		t.Fatalf("runs show: %d %s", code, out)
	}
	// Predict the seed example from a CSV with the same feature names.
	out, errs, code = cli(t, db, "x1,x2\n1,2\n3,4\n5,6\n7,8\n", "predict", "--run", fin.ID, "--data", "-")
	if code != 0 {
		t.Fatalf("predict exit %d: %s", code, errs)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{"0", "1", "1", "0"}
	for i, w := range want {
		if cells := strings.Split(rows[i+1], ","); cells[2] != w {
			t.Fatalf("row %d predicted %q, want %s (%s)", i+1, cells[2], w, out)
		}
	}
	if _, _, code := cli(t, db, "", "runs", "rm", fin.ID); code != 0 {
		t.Fatal("rm failed")
	}
	if out, _, _ := cli(t, db, "", "runs", "list"); !strings.Contains(out, "no runs yet") {
		t.Fatalf("after rm: %s", out)
	}
}

func TestExitStatuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("a,b,y\n1,2,0\n3,x,1\n"), 0o600)
	three := filepath.Join(t.TempDir(), "three.csv")
	os.WriteFile(three, []byte("a,y\n1,red\n2,green\n3,blue\n"), 0o600)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"train", "--bogus"}, 2, "unknown flag: --bogus"},
		{[]string{"train", "--lr", "50", "--no-save"}, 2, "optimizer.lr: 50 is out of range"},
		{[]string{"train", "--data", "nope", "--no-save"}, 2, "unknown dataset nope"},
		{[]string{"train", "--data", "no/such.csv", "--no-save"}, 1, "no/such.csv"},
		{[]string{"train", "--data", bad, "--no-save"}, 1, `line 3, column 2 ("b"): expected a number, got "x"`},
		// A column the flags name that the file lacks is a bad flag (2),
		// as an unknown dataset is; bad cells are the file's fault (1).
		{[]string{"train", "--data", bad, "--target", "label", "--no-save"}, 2, `target: no column named "label" (columns: a, b, y)`},
		{[]string{"train", "--data", bad, "--ignore", "id", "--no-save"}, 2, `ignore: no column named "id"`},
		{[]string{"train", "--data", bad, "--ignore", "y", "--no-save"}, 2, `ignore: "y" is the target column`},
		{[]string{"train", "--data", "iris", "--positive", "setosa", "--no-save"}, 2, "data.positive: a positive class needs a binary task"},
		{[]string{"train", "--data", "circle", "--positive", "3", "--no-save"}, 2, `data.positive: no class "3" in circle`},
		{[]string{"train", "--data", three, "--task", "binary", "--no-save"}, 2, "--task binary needs 2 classes, the target has 3"},
		{[]string{"train", "--data", three, "--task", "regression", "--no-save"}, 2, "regression needs a numeric target"},
		{[]string{"train", "--data", "reg-plane", "--opt", "sgd", "--lr", "10", "--layers", "16", "--act", "relu", "--epochs", "50", "--no-save"}, 1, ""},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"compress", "--run", "abc"}, 2, "workbench compress: nothing to do: set --prune FRACTION or --quantize int8\nRun 'workbench compress --help' for usage.\n"},
		{[]string{"compress", "--run", "abc", "--prune", "1.5"}, 2, "--prune 1.5 is out of range [0, 1)"},
		{[]string{"compress", "--run", "abc", "--quantize", "int4"}, 2, `--quantize "int4" is not supported`},
		{[]string{"explain", "--run", "abc", "--row", "1", "--method", "shap"}, 2, `--method: unknown attribution method "shap"`},
		{[]string{"explain", "--run", "abc", "--repeats", "-1"}, 2, "--repeats -1 is out of range [1, 1000]"},
		// A SQLite store for the distributed commands: 2 for both, as
		// worker had it.
		{[]string{"sweep", "--distributed", "--grid", "lr=0.1,0.2"}, 2, "--distributed needs a PostgreSQL store"},
		{[]string{"worker"}, 2, "worker needs a PostgreSQL store"},
		{[]string{"ensemble", "abc"}, 2, "workbench ensemble: ensemble needs two or more run IDs\nRun 'workbench ensemble --help' for usage.\n"},
		{[]string{"runs", "compare", "abc"}, 2, "compare needs two or more run IDs"},
		{[]string{"runs", "show", "missing"}, 1, "no run missing"},
		{[]string{"sweep", "show", "nope"}, 1, "workbench sweep show: no sweep nope\n"},
		{[]string{"train", "--help"}, 0, ""},
		{[]string{"datasets", "show", "iris"}, 0, ""},
	}
	for _, c := range cases {
		_, errs, code := cli(t, db, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q", c.args, code, c.code, errs)
		}
	}
}
