package tui

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// fixedReport is a sweep of 24 trials over a log learning rate, an int
// width and an activation, with a made-up objective that peaks at lr
// 1e-2, 48 units and tanh.
func fixedReport(n int, obj func(i int) float64) *sweeps.Report {
	spec := sweeps.Spec{Random: []sweeps.Dist{
		{Field: "lr", Kind: "log", Min: 1e-4, Max: 1},
		{Field: "units", Kind: "int", Min: 4, Max: 64},
		{Field: "act", Kind: "choice", Items: []string{"relu", "tanh", "sigmoid"}},
	}, Trials: n}
	rep := &sweeps.Report{Sweep: &sessions.Sweep{ID: "sweep-20261128-120000-abcdef", Name: "fixed", Status: "done", Objective: "val_accuracy", Trials: n},
		Spec: spec, Fields: spec.Fields(), Trials: []sweeps.ReportTrial{}}
	for i := 0; i < n; i++ {
		lr := math.Pow(10, -4+4*float64((i*7)%n)/float64(max(n-1, 1)))
		units := 4 + (i*13)%61
		act := []string{"relu", "tanh", "sigmoid"}[i%3]
		y := obj(i)
		if math.IsNaN(y) {
			y = 0.95 - 0.1*math.Pow(math.Log10(lr)+2, 2) - math.Abs(float64(units-48))/200
			if act != "tanh" {
				y -= 0.05
			}
		}
		rep.Trials = append(rep.Trials, sweeps.ReportTrial{RunID: fmt.Sprintf("run-%02d", i), Status: trainer.StatusDone, Objective: y, HasObj: true, Epochs: 20,
			Params: map[string]string{"lr": fmt.Sprintf("%g", lr), "units": fmt.Sprint(units), "act": act}})
	}
	// Ranked best first, as sweeps.Load returns them.
	for i := 1; i < len(rep.Trials); i++ {
		for j := i; j > 0 && rep.Trials[j].Objective > rep.Trials[j-1].Objective; j-- {
			rep.Trials[j], rep.Trials[j-1] = rep.Trials[j-1], rep.Trials[j]
		}
	}
	specs := make([]trainer.Spec, n)
	objs := make([]float64, n)
	for i, t := range rep.Trials {
		s := trainer.DefaultSpec()
		fmt.Sscan(t.Params["lr"], &s.Optimizer.LR)
		fmt.Sscan(t.Params["units"], &s.Model.Hidden[0].Units)
		s.Model.Hidden[0].Activation = t.Params["act"]
		specs[i], objs[i] = s, t.Objective
	}
	spec.Random[1].Field = "model.hidden[0].units"
	rep.Importance = sweeps.Importances(sweeps.Spec{Random: spec.Random}, specs, objs)
	for i := range rep.Importance.Params {
		if rep.Importance.Params[i].Field == "model.hidden[0].units" {
			rep.Importance.Params[i].Field = "units"
		}
	}
	return rep
}

func sweepView(rep *sweeps.Report, w, h int) sweepViewModel {
	st := DefaultStyles()
	m := newSweepView(&st, rep.Sweep.ID)
	m.Focus()
	m.SetSize(w, h)
	m, _ = m.Update(sweepLoadedMsg{id: rep.Sweep.ID, rep: rep})
	return m
}

func TestGoldenSweepView(t *testing.T) {
	m := sweepView(fixedReport(24, func(int) float64 { return math.NaN() }), 120, 40)
	t.Run("all", func(t *testing.T) { goldenView(t, "sweep", m.View()) })
	for _, k := range []string{"right", "down", "down", "-"} {
		m, _ = m.Update(keyMsg(k))
	}
	view := m.View()
	t.Run("brushed", func(t *testing.T) { goldenView(t, "brushed", view) })
	if !strings.Contains(view, "of 24 trials in the brush") || strings.Contains(view, "24 of 24 trials in the brush") {
		t.Fatalf("the brush selected nothing or everything:\n%s", view)
	}
	for i, line := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(line); w > 120 {
			t.Fatalf("line %d is %d wide", i, w)
		}
	}
	if n := len(strings.Split(view, "\n")); n > 40 {
		t.Fatalf("%d lines", n)
	}
}

func TestParcoordsBrushSelectsTheRange(t *testing.T) {
	m := sweepView(fixedReport(24, func(int) float64 { return math.NaN() }), 120, 40)
	// Brush the top of the objective axis (the last one): the best trials.
	m, _ = m.Update(keyMsg("left"))
	// A new brush covers the top half; narrowed 4 times it is 0.7…0.8, and
	// moved up 5 times 0.9…1.
	for _, k := range []string{"up", "-", "-", "-", "-", "-", "up", "up", "up", "up", "up"} {
		m, _ = m.Update(keyMsg(k))
	}
	if b := m.par.brushes[3]; !b.on || math.Abs(b.lo-0.9) > 1e-9 || math.Abs(b.hi-1) > 1e-9 {
		t.Fatalf("brush %+v", b)
	}
	ids := m.par.Brushed()
	if len(ids) == 0 || len(ids) >= 24 {
		t.Fatalf("%d trials in the brush", len(ids))
	}
	best := m.brushedBest(4)
	if best[0] != m.rep.Trials[0].RunID {
		t.Fatalf("the best trial %s is not first in the brush %v", m.rep.Trials[0].RunID, best)
	}
	m, _ = m.Update(keyMsg("x"))
	if len(m.par.Brushed()) != 24 {
		t.Fatal("x did not clear the brush")
	}
}

func TestParcoordsHostileValuesNeverPanic(t *testing.T) {
	cases := map[string]*sweeps.Report{
		"none": fixedReport(0, nil),
		"one":  fixedReport(1, func(int) float64 { return 0.5 }),
		"hostile": fixedReport(8, func(i int) float64 {
			return []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300, 0, 0.5, 1e-300}[i]
		}),
		"constant": fixedReport(5, func(int) float64 { return 0.7 }),
	}
	for _, h := range hostile { // the table every view is tested with
		vals := h.vals
		cases["table "+h.name] = fixedReport(len(vals), func(i int) float64 { return vals[i] })
	}
	cases["hostile"].Trials[0].HasObj = false
	cases["hostile"].Trials[1].Params["lr"] = "NaN"
	cases["hostile"].Trials[2].Params["units"] = "+Inf"
	cases["hostile"].Trials[3].Params["act"] = "unknown"
	for name, rep := range cases {
		for _, size := range [][2]int{{120, 40}, {20, 8}, {1, 1}, {0, 0}, {300, 100}} {
			m := sweepView(rep, size[0], size[1])
			for _, k := range []string{"", "up", "down", "+", "-", "left", "right", "x", "X", "enter"} {
				if k != "" {
					m, _ = m.Update(keyMsg(k))
				}
				if v := m.View(); size[0] >= 20 && strings.Contains(v, "NaN") {
					t.Errorf("%s %v: NaN printed:\n%s", name, size, v)
				}
			}
		}
	}
}

func TestSweepViewOpensFromRuns(t *testing.T) {
	store := tempStore(t)
	base := trainer.DefaultSpec()
	base.Data = datasets.Spec{Name: "moons", Samples: 200, Noise: 0.1, Split: datasets.DefaultSplit, Seed: 1}
	base.Epochs = 3
	res, err := sweeps.Run(context.Background(), store, sweeps.Spec{Base: base, Grid: []sweeps.Param{{Field: "lr", Values: []string{"0.01", "0.1"}}}}, sweeps.Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store, 120, 40)
	press(a, "3", "w")
	v := a.View()
	if !strings.Contains(v, res.ID) || !strings.Contains(v, "importance") || !strings.Contains(v, "2 of 2 trials in the brush") {
		t.Fatalf("sweep view:\n%s", v)
	}
	press(a, "esc")
	if strings.Contains(a.View(), "importance") {
		t.Fatal("esc did not close the sweep view")
	}
}

func TestSweepViewFollowsARunningSweep(t *testing.T) {
	store := tempStore(t)
	base := trainer.DefaultSpec()
	base.Data = datasets.Spec{Name: "moons", Samples: 200, Noise: 0.1, Split: datasets.DefaultSplit, Seed: 1}
	base.Epochs = 3
	spec := sweeps.Spec{Base: base, Grid: []sweeps.Param{{Field: "lr", Values: []string{"0.01", "0.1"}}}}
	if _, err := sweeps.Run(context.Background(), store, spec, sweeps.Options{Parallel: 1}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store, 120, 40)
	press(a, "3", "w")
	if !strings.Contains(a.View(), "2 trials") {
		t.Fatalf("%s", a.View())
	}
	// Another trial of the same sweep lands in the store; the next refresh
	// of the Runs screen reloads the open view.
	sws, _ := store.ListSweeps(context.Background())
	data, evs := fixedRun(t, base, "20261128-130500-dddddd")
	ch := make(chan trainer.Event, len(evs))
	for _, e := range evs {
		ch <- e
	}
	close(ch)
	rec := sessions.Record(store, data, ch, sessions.RecordOptions{SweepID: sws[0].ID})
	for range rec.Events() {
	}
	run(a, a.runsScreen().load())
	if v := a.View(); !strings.Contains(v, "3 trials") || !strings.Contains(v, "of 3 trials in the brush") {
		t.Fatalf("the view did not follow the sweep:\n%s", v)
	}
}

// TestSweepViewKeepsTheTrustNoteAt80: with too few trials for the forest,
// the note shows at 80 columns (after the importance head it was cut off).
func TestSweepViewKeepsTheTrustNoteAt80(t *testing.T) {
	rep := fixedReport(8, func(int) float64 { return math.NaN() })
	if rep.Importance.Note == "" {
		t.Fatal("8 trials of 3 axes should be too few to trust")
	}
	v := ansi.Strip(sweepView(rep, 80, 24).View())
	if !strings.Contains(v, "too few trials to trust") {
		t.Errorf("no trust note at 80×24:\n%s", v)
	}
	if n := len(strings.Split(v, "\n")); n > 24 {
		t.Errorf("%d lines", n)
	}
	// A per-layer path keeps its end in the importance bars
	// ("model.hidden[…" hid which field it was).
	for i := range rep.Importance.Params {
		if rep.Importance.Params[i].Field == "units" {
			rep.Importance.Params[i].Field = "model.hidden[0].units"
		}
	}
	if v := ansi.Strip(sweepView(rep, 80, 24).View()); !strings.Contains(v, "0].units") {
		t.Errorf("the bars cut the path's end:\n%s", v)
	}
}

// TestSweepViewSaysASubgrid: the importance of a grid sweep stopped before
// its grid completed says it is exact on a sub-grid of 4 of the grid's 6
// points, even at 80 columns; it said "exact fANOVA of the grid".
func TestSweepViewSaysASubgrid(t *testing.T) {
	spec := sweeps.Spec{Grid: []sweeps.Param{{Field: "lr", Values: []string{"0.001", "0.01", "0.1"}}, {Field: "act", Values: []string{"relu", "tanh"}}}}
	rep := &sweeps.Report{Sweep: &sessions.Sweep{ID: "sweep-20261129-120000-abcdef", Status: "stopped", Objective: "val_accuracy", Trials: 6},
		Spec: spec, Fields: spec.Fields(), Trials: []sweeps.ReportTrial{}}
	var specs []trainer.Spec
	var objs []float64
	for i, c := range [][2]string{{"0.001", "relu"}, {"0.001", "tanh"}, {"0.01", "relu"}, {"0.01", "tanh"}} {
		s := trainer.DefaultSpec()
		fmt.Sscan(c[0], &s.Optimizer.LR)
		s.Model.Hidden[0].Activation = c[1]
		y := 0.7 + 0.1*float64(i)
		specs, objs = append(specs, s), append(objs, y)
		rep.Trials = append(rep.Trials, sweeps.ReportTrial{RunID: fmt.Sprintf("run-%d", i), Status: trainer.StatusDone, Objective: y, HasObj: true, Epochs: 5,
			Params: map[string]string{"lr": c[0], "act": c[1]}})
	}
	rep.Importance = sweeps.Importances(spec, specs, objs)
	for _, c := range []struct {
		w    int
		want []string
	}{
		{140, []string{"(exact fANOVA of a sub-grid, 4 of the grid's 6 points, 4 trials)", "a sub-grid of 4 of the grid's 6 points (lr 2 of 3 values): exact on it"}},
		{80, []string{"a sub-grid of 4 of the grid's 6 points (lr 2 of 3 values)"}},
	} {
		view := ansi.Strip(sweepView(rep, c.w, 40).View())
		for _, want := range c.want {
			if !strings.Contains(view, want) {
				t.Errorf("%d columns: the view lacks %q:\n%s", c.w, want, view)
			}
		}
		if strings.Contains(view, "fANOVA of the grid") || strings.Contains(view, "complete grid") {
			t.Errorf("%d columns: the view claims the whole grid:\n%s", c.w, view)
		}
	}
}
