package cli

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// divergedCopy returns export (one run) as a diverged run with a new ID:
// its weights edited by edit, or dropped when edit is nil.
func divergedCopy(t *testing.T, export, id string, edit func(layers []map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(export), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc["runs"].([]any)[0].(map[string]any)
	run["id"], run["status"] = id, "diverged"
	run["reason"] = "the loss became +Inf in epoch 3, batch 2, at learning rate 10"
	if edit == nil {
		delete(run, "weights")
	} else {
		raw, err := base64.StdEncoding.DecodeString(run["weights"].(string))
		if err != nil {
			t.Fatal(err)
		}
		var model map[string]any
		json.Unmarshal(raw, &model)
		var layers []map[string]any
		for _, l := range model["layers"].([]any) {
			layers = append(layers, l.(map[string]any))
		}
		edit(layers)
		raw, _ = json.Marshal(model)
		run["weights"] = base64.StdEncoding.EncodeToString(raw)
	}
	b, _ := json.Marshal(doc)
	return b
}

// fill sets every value of a layer's "w" or "b" to v.
func fill(l map[string]any, key string, v float64) {
	for i := range l[key].([]any) {
		l[key].([]any)[i] = v
	}
}

// TestExplainOfADivergedRun: explain failed on a diverged run whose
// outputs were ±Inf ("json: unsupported value: -Inf" with --json, NaN
// drops without). Its last finite weights are explained, saying so, when
// they predict finite values; otherwise, and when no weights were saved,
// the error says the run diverged and there is nothing to explain.
func TestExplainOfADivergedRun(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "reg-plane", "--loss", "mse", "--epochs", "2")
	if code != 0 {
		t.Fatalf("train: %s", errs)
	}
	id := strings.Fields(out[strings.LastIndex(out, "saved as run "):])[3]
	export, _, _ := cli(t, db, "", "runs", "export", id)
	base := id[:len(id)-6]
	overflow, finite, none := base+"aaaaa1", base+"aaaaa2", base+"aaaaa3"
	for _, c := range []struct {
		id   string
		edit func([]map[string]any)
	}{
		// Every hidden unit saturates at 1 and the output layer sums
		// 1.7e308s: +Inf for every row.
		{overflow, func(ls []map[string]any) {
			for _, l := range ls[:len(ls)-1] {
				fill(l, "w", 0)
				fill(l, "b", 10)
			}
			fill(ls[len(ls)-1], "w", 1.7e308)
			fill(ls[len(ls)-1], "b", 1.7e308)
		}},
		{finite, func([]map[string]any) {}},
		{none, nil},
	} {
		path := filepath.Join(dir, c.id+".json")
		os.WriteFile(path, divergedCopy(t, export, c.id, c.edit), 0o600)
		if _, errs, code := cli(t, db, "", "runs", "import", path); code != 0 {
			t.Fatalf("import %s: %s", c.id, errs)
		}
	}

	for _, args := range [][]string{{}, {"--json"}} {
		out, errs, code := cli(t, db, "", append([]string{"explain", "--run", overflow}, args...)...)
		want := "workbench explain: run " + overflow + " diverged at epoch 3; nothing to explain: its last finite weights, from epoch 2, give ±Inf or NaN for "
		if code != 1 || out != "" || !strings.HasPrefix(errs, want) || !strings.HasSuffix(errs, " test rows\n") {
			t.Errorf("explain %v of weights that overflow: exit %d, stdout %q, stderr %q; want 1 and %q…", args, code, out, errs, want)
		}
	}
	_, errs, code = cli(t, db, "", "explain", "--run", overflow, "--row", "0", "--json")
	if want := "workbench explain: run " + overflow + " diverged at epoch 3; nothing to explain: its last finite weights, from epoch 2, give +Inf for test row 0 (+Inf at the training means)\n"; code != 1 || errs != want {
		t.Errorf("explain --row of weights that overflow: exit %d, stderr %q, want %q", code, errs, want)
	}
	_, errs, code = cli(t, db, "", "explain", "--run", none)
	if want := "workbench explain: run " + none + " diverged at epoch 3; nothing to explain: no epoch finished, so no weights were saved\n"; code != 1 || errs != want {
		t.Errorf("explain without weights: exit %d, stderr %q, want %q", code, errs, want)
	}

	// Finite weights of a diverged run are explained, saying which.
	note := "run " + finite + " diverged at epoch 3 (the loss became +Inf in epoch 3, batch 2, at learning rate 10); explaining its last finite weights, from epoch 2"
	out, errs, code = cli(t, db, "", "explain", "--run", finite)
	if code != 0 || !strings.HasPrefix(out, "note: "+note+"\nbaseline test r2: ") {
		t.Errorf("explain of finite weights: exit %d, stderr %q, stdout\n%s", code, errs, out)
	}
	out, _, code = cli(t, db, "", "explain", "--run", finite, "--json")
	var res struct {
		Diverged string
		Features []struct{ Feature string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || res.Diverged != note || len(res.Features) != 2 {
		t.Errorf("--json of finite weights: exit %d, %v, %+v", code, err, res)
	}
}
