package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTrainWarnsAboutDeadUnits: a far too high rate on ReLU kills units;
// train says so in words, in text and in JSON, and runs show prints the
// layer health and the warning from the store.
func TestTrainWarnsAboutDeadUnits(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	args := []string{"train", "--data", "circle", "--layers", "16,16", "--act", "relu", "--init", "he_uniform", "--opt", "sgd", "--lr", "3", "--epochs", "6"}
	out, errs, code := cli(t, db, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !regexp.MustCompile(`warning: layer 2: \d+% of relu units are dead since epoch 1: lower the learning rate or use leaky_relu`).MatchString(out) {
		t.Fatalf("no dead-unit warning:\n%s", out)
	}
	out, _, _ = cli(t, db, "", append(args, "--json")...)
	id := ""
	found := false
	for _, line := range strings.Split(out, "\n") {
		var ev struct {
			Event    string `json:"event"`
			ID       string `json:"id"`
			Warnings []struct {
				Rule string `json:"rule"`
			} `json:"warnings"`
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.ID != "" {
			id = ev.ID
		}
		if ev.Event == "epoch" && len(ev.Warnings) > 0 && ev.Warnings[0].Rule == "dead" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no dead warning in the JSON epochs:\n%s", out)
	}
	out, errs, code = cli(t, db, "", "runs", "show", id)
	if code != 0 {
		t.Fatalf("runs show: %s", errs)
	}
	for _, want := range []string{"layer health (epoch 6):", "update/weight", "relu", "warning at epoch 3: layer 2: ", "of relu units are dead since epoch 1"} {
		if !strings.Contains(out, want) {
			t.Fatalf("runs show lacks %q:\n%s", want, out)
		}
	}
	png := filepath.Join(t.TempDir(), "layers.png")
	if _, errs, code := cli(t, db, "", "plot", "--run", id, "--kind", "layers", "-o", png); code != 0 {
		t.Fatalf("plot --kind layers: %s", errs)
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Fatalf("layers.png: %v", err)
	}
}

// TestHealthyTrainHasNoWarning: the Playground default warns about nothing.
func TestHealthyTrainHasNoWarning(t *testing.T) {
	out, errs, code := cli(t, filepath.Join(t.TempDir(), "w.db"), "", "train", "--epochs", "30", "--no-save")
	if code != 0 || strings.Contains(out, "warning") {
		t.Fatalf("exit %d, %s\n%s", code, errs, out)
	}
}

// TestLRFind: the text chart and suggestion, the JSON shape, a figure, and
// bad flags.
func TestLRFind(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	base := []string{"lr-find", "--data", "xor", "--layers", "8", "--act", "relu", "--opt", "adam", "--steps", "100"}
	svg := filepath.Join(t.TempDir(), "lr.svg")
	out, errs, code := cli(t, db, "", append(base, "-o", svg)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"LR range test on xor, adam, float64", "1e-7", "suggested learning rate", "train with it: workbench train [same flags] --lr", "wrote " + svg} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "<svg") {
		t.Fatalf("no SVG: %v", err)
	}
	// --precision reaches the throwaway network.
	out, errs, code = cli(t, db, "", append(base, "--precision", "f32")...)
	if code != 0 || !strings.Contains(out, "LR range test on xor, adam, float32") {
		t.Fatalf("--precision f32: exit %d: %s%s", code, out, errs)
	}
	out, _, _ = cli(t, db, "", append(base, "--json")...)
	wantKeys(t, "lr_find", out, "event", "points", "diverged", "min_lr", "steepest_lr", "suggested", "rule", "smoothing", "noise", "drop", "descended")
	for _, bad := range [][]string{{"--start", "0"}, {"--end", "1e-9"}, {"--steps", "3"}, {"-o", "x.gif"}} {
		if _, errs, code := cli(t, db, "", append(base, bad...)...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d, no error", bad, code)
		}
	}
}
