package cli

import (
	"bufio"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/spf13/cobra"
)

func TestHelpGolden(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			path := strings.Fields(sub.CommandPath())[1:]
			t.Run(strings.Join(path, "_"), func(t *testing.T) {
				out, _, code := cli(t, filepath.Join(t.TempDir(), "h.db"), "", append(path, "--help")...)
				if code != 0 || !strings.Contains(out, "Usage:") {
					t.Fatalf("exit %d: %s", code, out)
				}
				golden.RequireEqual(t, []byte(out))
			})
			walk(sub)
		}
	}
	walk(newRoot(&env{getenv: os.Getenv}))
	t.Run("main", func(t *testing.T) {
		out, _, _ := cli(t, filepath.Join(t.TempDir(), "h.db"), "", "--help")
		golden.RequireEqual(t, []byte(out))
	})
}

// keys returns the sorted top-level keys of a JSON object.
func keys(t *testing.T, line string) []string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("not a JSON object: %s", line)
	}
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

func wantKeys(t *testing.T, what, line string, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := keys(t, line); !reflect.DeepEqual(got, want) {
		t.Errorf("%s keys:\n got %v\nwant %v", what, got, want)
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONShapes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "j.db")
	out, errs, code := cli(t, db, "", "train", "--data", "circle", "--epochs", "3", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	wantKeys(t, "start", lines[0], "event", "id", "summary", "params", "task", "data", "data_hash", "train_rows", "val_rows", "test_rows", "spec")
	wantKeys(t, "epoch", lines[1], "event", "id", "epoch", "epochs", "train", "val", "lr", "elapsed_s", "samples_per_s", "best", "layers")
	var ep struct {
		Layers []map[string]any `json:"layers"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &ep); err != nil || len(ep.Layers) != 2 {
		t.Fatalf("epoch layers %v (%v)", ep.Layers, err)
	}
	wantKeys(t, "layer", mustMarshal(t, ep.Layers[0]), "layer", "activation", "units", "weight_norm", "grad_norm", "rel_grad",
		"update_ratio", "dead", "saturated", "act_mean", "act_std")
	wantKeys(t, "finished", lines[len(lines)-1], "event", "id", "status", "epochs", "best_epoch", "monitor", "best", "test", "elapsed_s", "samples_per_s", "saved")
	out, _, _ = cli(t, db, "", "bench", "--workload", "w1", "--json")
	wantKeys(t, "bench", out, "workload", "precision", "workers", "samples_per_s", "gflop_per_s", "epochs", "rows", "wall_s", "cpu_s")
	out, _, _ = cli(t, db, "", "version", "--json")
	wantKeys(t, "version", out, "version", "revision", "go")

	out, errs, code = cli(t, db, "", "sweep", "--data", "moons", "--epochs", "5", "--grid", "lr=0.01,0.1", "--parallel", "2", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("sweep --json printed %d lines", len(lines))
	}
	wantKeys(t, "sweep trial", lines[0], "event", "index", "run_id", "status", "objective", "epochs", "params")
	wantKeys(t, "sweep finished", lines[2], "event", "id", "status", "objective", "best")
	var fin struct{ ID string }
	json.Unmarshal([]byte(lines[2]), &fin)
	out, _, code = cli(t, db, "", "sweep", "show", fin.ID, "--json")
	if code != 0 {
		t.Fatal(out)
	}
	var rep struct {
		Ranking []map[string]any `json:"ranking"`
		Effects []map[string]any `json:"effects"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Ranking) != 2 || len(rep.Effects) != 1 {
		t.Fatalf("sweep show: %v %s", err, out)
	}
	r0, r1 := rep.Ranking[0]["objective"].(float64), rep.Ranking[1]["objective"].(float64)
	if r0 < r1 {
		t.Fatalf("ranking is not by the objective: %v then %v", r0, r1)
	}
	out, _, _ = cli(t, db, "", "runs", "list", "--json")
	var runs []map[string]any
	json.Unmarshal([]byte(out), &runs)
	if len(runs) != 3 {
		t.Fatalf("%d runs", len(runs))
	}
	for _, k := range []string{"id", "name", "status", "spec", "dataset", "task", "summary", "metrics", "created", "epochs_done"} {
		if _, ok := runs[0][k]; !ok {
			t.Errorf("runs list item lacks %q", k)
		}
	}
}

func TestPlotWritesAPNGOfTheRequestedSize(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	out, _, code := cli(t, db, "", "train", "--data", "moons", "--epochs", "20", "--json")
	if code != 0 {
		t.Fatal(out)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	var id string
	for sc.Scan() {
		var ev struct{ Event, ID string }
		json.Unmarshal(sc.Bytes(), &ev)
		id = ev.ID
	}
	for _, c := range []struct {
		kind string
		w, h int
	}{{"curves", 640, 400}, {"roc", 500, 500}, {"confusion", 300, 280}} {
		file := filepath.Join(dir, c.kind+".png")
		_, errs, code := cli(t, db, "", "plot", "--run", id, "--kind", c.kind, "--width", strconv.Itoa(c.w), "--height", strconv.Itoa(c.h), "-o", file)
		if code != 0 {
			t.Fatalf("%s: %s", c.kind, errs)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Fatalf("%s: %v, want %d×%d", c.kind, b, c.w, c.h)
		}
	}
	svg := filepath.Join(dir, "c.svg")
	if _, errs, code := cli(t, db, "", "plot", "--run", id, "-o", svg); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(svg); !strings.Contains(string(b), "<svg") {
		t.Fatal("no SVG written")
	}
	if _, _, code := cli(t, db, "", "plot", "--run", id, "-o", filepath.Join(dir, "x.gif")); code != 2 {
		t.Fatalf("a .gif file: exit %d, want 2", code)
	}
}
