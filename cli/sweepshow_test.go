package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A random search over seeds: sweep show reports each configuration's
// mean ± std and the random axis's effect in quantile bins.
func TestSweepShowSeedsAndBins(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--samples", "120", "--epochs", "2",
		"--random", "lr=log:1e-3:1e-1", "--trials", "8", "--seeds", "2", "--parallel", "2", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var fin struct{ ID string }
	json.Unmarshal([]byte(lines[len(lines)-1]), &fin)

	out, errs, code = cli(t, db, "", "sweep", "show", fin.ID)
	if code != 0 {
		t.Fatal(errs)
	}
	if n := len(regexp.MustCompile(`(?m)^  lr=\S+\s+\S+ ± \S+\s+n=2/2$`).FindAllString(out, -1)); n != 8 {
		t.Errorf("%d configurations with mean ± std over 2 seeds, want 8:\n%s", n, out)
	}
	effect := regexp.MustCompile(`(?m)^  lr .*$`).FindString(out)
	if bins := strings.Count(effect, "(n="); bins != 5 || strings.Count(effect, "(n=1)") > 0 || !strings.Contains(effect, "–") || strings.Contains(effect, "00000") {
		t.Errorf("lr's effect should be 5 quantile bins of 3 or 4 trials: %q", effect)
	}

	out, _, _ = cli(t, db, "", "sweep", "show", fin.ID, "--json")
	var rep struct {
		Configs []struct {
			Params map[string]string `json:"params"`
			Mean   float64           `json:"mean"`
			Std    *float64          `json:"std"`
			N      int               `json:"n"`
		} `json:"configs"`
		Effects []struct {
			Field  string `json:"field"`
			Binned bool   `json:"binned"`
			Values []struct {
				N int `json:"n"`
			} `json:"values"`
		} `json:"effects"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Configs) != 8 || rep.Configs[0].Std == nil || rep.Configs[0].N != 2 || rep.Configs[0].Params["lr"] == "" {
		t.Errorf("configs: %+v", rep.Configs)
	}
	for i := 1; i < len(rep.Configs); i++ {
		if rep.Configs[i].Mean > rep.Configs[i-1].Mean {
			t.Errorf("configs are not ranked by mean: %+v", rep.Configs)
		}
	}
	if len(rep.Effects) != 2 || rep.Effects[0].Field != "lr" || !rep.Effects[0].Binned || len(rep.Effects[0].Values) != 5 {
		t.Errorf("effects: %+v", rep.Effects)
	}
	if rep.Effects[1].Field != "seed" || rep.Effects[1].Binned || len(rep.Effects[1].Values) != 2 {
		t.Errorf("the seed keeps one entry per value: %+v", rep.Effects[1])
	}
}
