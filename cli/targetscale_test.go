package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestDiabetesSeedsShareASplit runs issue 18's recipe (diabetes, 64 relu,
// Adam 1e-3, batch 32, 200 epochs, standard inputs) over seeds 1–5 with
// raw and standard targets. The seeds share one split, so the test R²
// varies only with training: under 0.1 from best to worst for both. (The
// mean is not asserted: on this split raw targets score higher, 0.570
// against 0.453 on the machine the README's figures came from, because
// raw targets are still fitting at epoch 200 where scaled ones overfit;
// scripts/evaluate-honestly.sh prints both and the other splits.)
func TestDiabetesSeedsShareASplit(t *testing.T) {
	if testing.Short() {
		t.Skip("10 runs of 200 epochs")
	}
	db := filepath.Join(t.TempDir(), "d.db")
	type result struct {
		r2   float64
		hash string
	}
	train := func(target string, seed int) result {
		out, errs, code := cli(t, db, "", "train", "--data", "diabetes", "--scale", "standard", "--layers", "64", "--act", "relu",
			"--opt", "adam", "--lr", "0.001", "--batch", "32", "--epochs", "200", "--seed", strconv.Itoa(seed),
			"--scale-target", target, "--no-save", "--json")
		if code != 0 {
			t.Fatalf("%s seed %d: exit %d: %s", target, seed, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var start struct {
			DataHash string `json:"data_hash"`
			Spec     struct {
				ScaleTarget string `json:"scale_target"`
			} `json:"spec"`
		}
		var fin struct {
			Test map[string]float64 `json:"test"`
		}
		if err := json.Unmarshal([]byte(lines[0]), &start); err != nil || start.Spec.ScaleTarget != target {
			t.Fatalf("%s seed %d: start %v %+v", target, seed, err, start)
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &fin); err != nil {
			t.Fatal(err)
		}
		return result{fin.Test["r2"], start.DataHash}
	}
	means := map[string]float64{}
	split := ""
	for _, target := range []string{"none", "standard"} {
		var r2 []float64
		for seed := 1; seed <= 5; seed++ {
			res := train(target, seed)
			if split == "" {
				split = res.hash
			}
			if res.hash != split {
				t.Fatalf("%s seed %d trained on another split", target, seed)
			}
			r2 = append(r2, res.r2)
		}
		spread := slices.Max(r2) - slices.Min(r2)
		for _, v := range r2 {
			means[target] += v / 5
		}
		t.Logf("%-8s test R² %.3f  mean %.3f  spread %.3f", target, r2, means[target], spread)
		if spread >= 0.1 || means[target] < 0.3 {
			t.Errorf("%s: test R² %.3f: spread %.3f (want < 0.1), mean %.3f", target, r2, spread, means[target])
		}
	}
}
