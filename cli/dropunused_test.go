package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/trainer"
)

// TestPrintSpecDropsSyntheticSettings: train --data iris --print-spec does
// not carry the default spec's 500 samples (a synthetic set's size) into
// iris's spec; a synthetic set keeps them; and a spec file saved before,
// with samples and noise on iris, still loads and trains, printed without
// them.
func TestPrintSpecDropsSyntheticSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "train", "--data", "iris", "--print-spec")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, `"samples"`) || strings.Contains(out, `"noise"`) {
		t.Errorf("iris's spec has a synthetic set's settings:\n%s", out)
	}
	out, _, _ = cli(t, db, "", "train", "--data", "spiral", "--noise", "0.1", "--print-spec")
	var s trainer.Spec
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Data.Samples != 500 || s.Data.Noise != 0.1 {
		t.Errorf("spiral lost its samples or noise (%v): %+v", err, s.Data)
	}

	old := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(old, []byte(`{"data":{"name":"iris","samples":500,"noise":0.1,"split":[0.7,0.15,0.15],"seed":1},"epochs":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code = cli(t, db, "", "train", "--spec", old, "--print-spec")
	if code != 0 || strings.Contains(out, `"samples"`) || !strings.Contains(out, `"iris"`) {
		t.Errorf("an old spec with samples on iris: exit %d %s\n%s", code, errs, out)
	}
	if _, errs, code = cli(t, db, "", "train", "--spec", old); code != 0 {
		t.Errorf("an old spec with samples on iris does not train: exit %d %s", code, errs)
	}
}
