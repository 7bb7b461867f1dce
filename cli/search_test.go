package cli

import (
	"bufio"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepWithTPEAndASHAThenImportanceAndParallelPlot(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	out, errs, code := cli(t, db, "", "sweep", "--data", "moons", "--epochs", "9", "--random", "lr=log:1e-4:0.3", "--random", "act=choice:relu,tanh",
		"--trials", "12", "--sampler", "tpe", "--pruner", "asha", "--min-epochs", "1", "--parallel", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var id string
	trials, pruned := 0, 0
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var ev struct{ Event, ID, Status string }
		json.Unmarshal(sc.Bytes(), &ev)
		switch ev.Event {
		case "trial":
			trials++
			if ev.Status == "pruned" {
				pruned++
			}
		case "finished":
			id = ev.ID
		}
	}
	if trials != 12 || pruned == 0 || id == "" {
		t.Fatalf("%d trials, %d pruned, id %q:\n%s", trials, pruned, id, out)
	}
	out, _, code = cli(t, db, "", "sweep", "show", id, "--json")
	var rep struct {
		Importance struct {
			Method  string
			Trials  int
			Trusted bool
			Params  []struct{ Field string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("show: %v %s", err, out)
	}
	if imp := rep.Importance; imp.Method != "fanova-forest" || imp.Trials != 12 || !imp.Trusted || len(imp.Params) != 2 {
		t.Fatalf("importance %+v", rep.Importance)
	}
	if out, _, _ := cli(t, db, "", "sweep", "show", id); !strings.Contains(out, "importance (share of val_accuracy variance") {
		t.Fatalf("sweep show lacks importance:\n%s", out)
	}
	file := filepath.Join(dir, "par.png")
	if _, errs, code := cli(t, db, "", "plot", "--kind", "parallel", "--sweep", id, "--width", "640", "--height", "360", "-o", file); code != 0 {
		t.Fatal(errs)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 360 {
		t.Fatalf("png: %v %v", err, img)
	}
	for _, bad := range [][]string{
		{"sweep", "--data", "moons", "--random", "lr=log:1e-4:0.3", "--trials", "3", "--sampler", "bayes"},
		{"sweep", "--data", "moons", "--grid", "lr=0.1,0.2", "--sampler", "tpe"},
		{"sweep", "--data", "moons", "--grid", "lr=0.1,0.2", "--pruner", "asha", "--reduction", "1"},
		{"plot", "--kind", "parallel", "-o", file},
		{"plot", "--sweep", id, "-o", file},
		{"plot", "--kind", "parallel", "--sweep", "no-such-sweep", "-o", file},
	} {
		if _, errs, code := cli(t, db, "", bad...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
}
