package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepFlagsThatTuneNothingAreRefused: --trials without --random
// axes, --prune-warmup without median stopping and --min-epochs or
// --reduction without ASHA are usage errors; each was dropped without a
// word. A sweep file's prune = true takes --prune-warmup, which was
// dropped unless --prune was given again.
func TestSweepFlagsThatTuneNothingAreRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	base := []string{"sweep", "--data", "moons", "--layers", "2", "--epochs", "2", "--grid", "lr=0.1,0.2"}
	for extra, want := range map[string]string{
		"--trials 5":       "--trials counts the draws of --random axes, and this sweep has none",
		"--prune-warmup 3": "--prune-warmup is for median stopping: add --prune (or --pruner median)",
		"--min-epochs 3":   "--min-epochs and --reduction are for --pruner asha",
		"--reduction 2":    "--min-epochs and --reduction are for --pruner asha",
	} {
		out, errs, code := cli(t, db, "", append(base, strings.Fields(extra)...)...)
		if code != ExitUsage || out != "" || !strings.HasPrefix(errs, "workbench sweep: "+want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", extra, code, out, errs)
		}
	}
	file := filepath.Join(dir, "s.toml")
	os.WriteFile(file, []byte("prune = true\n[base]\ndata = {name = \"moons\"}\nepochs = 2\n[[grid]]\nfield = \"lr\"\nvalues = [0.1, 0.2]\n"), 0o600)
	out, errs, code := cli(t, db, "", "sweep", "--file", file, "--prune-warmup", "2", "--json")
	if code != 0 {
		t.Fatalf("sweep --file --prune-warmup: exit %d: %s", code, errs)
	}
	var fin struct{ ID string }
	lines := strings.Split(strings.TrimSpace(out), "\n")
	json.Unmarshal([]byte(lines[len(lines)-1]), &fin)
	out, _, _ = cli(t, db, "", "sweep", "show", fin.ID, "--json")
	var show struct {
		Sweep struct {
			Config struct {
				Prune       bool `json:"prune"`
				PruneWarmup int  `json:"prune_warmup"`
			} `json:"config"`
		} `json:"sweep"`
	}
	if err := json.Unmarshal([]byte(out), &show); err != nil || !show.Sweep.Config.Prune || show.Sweep.Config.PruneWarmup != 2 {
		t.Errorf("the file's sweep with --prune-warmup 2: %+v (%v)", show.Sweep.Config, err)
	}
}
