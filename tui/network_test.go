package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

// unitPlane is the square [−1, 1]² with no scaling.
func unitPlane(crosses ...string) *plane {
	return &plane{x0: -1, x1: 1, y0: -1, y1: 1, crosses: crosses, task: datasets.Binary, classes: 2}
}

// TestUnitMapOfX1: a hidden unit that is exactly x₁ draws x₁: on a 4-pixel
// row the centres are −0.75, −0.25, 0.25, 0.75, which its largest
// magnitude scales to −1, −⅓, ⅓, 1 on every row; x₂'s map falls from top
// to bottom; a unit of −x₁ is x₁'s mirror.
func TestUnitMapOfX1(t *testing.T) {
	snap := &trainer.Snapshot{Task: datasets.Binary, Inputs: 2, Outputs: 1, Layers: []trainer.LayerWeights{
		{In: 2, Out: 2, Activation: "linear", W: []float64{1, -1, 0, 0}, B: []float64{0, 0}},
		{In: 2, Out: 1, Activation: "linear", W: []float64{1, 0}, B: []float64{0}},
	}}
	n := buildNetwork("r", newNetInput(nil, unitPlane()), snap, 4, 2, 8)
	if len(n.cols) != 3 || !n.maps {
		t.Fatalf("%d columns, maps %v", len(n.cols), n.maps)
	}
	row := []float64{-1, -1.0 / 3, 1.0 / 3, 1}
	check := func(name string, got []float64, want func(r, c int) float64) {
		t.Helper()
		if len(got) != 16 {
			t.Fatalf("%s: %d pixels, want 16", name, len(got))
		}
		for r := 0; r < 4; r++ {
			for c := 0; c < 4; c++ {
				if w := want(r, c); math.Abs(got[r*4+c]-w) > 1e-12 {
					t.Fatalf("%s: pixel (%d, %d) = %v, want %v", name, r, c, got[r*4+c], w)
				}
			}
		}
	}
	check("x1", n.cols[0].units[0].vals, func(_, c int) float64 { return row[c] })
	check("x2", n.cols[0].units[1].vals, func(r, _ int) float64 { return row[3-r] })
	check("h1.1 = x1", n.cols[1].units[0].vals, func(_, c int) float64 { return row[c] })
	check("h1.2 = −x1", n.cols[1].units[1].vals, func(_, c int) float64 { return -row[c] })
	// The output, sigmoid(x₁), on the boundary's scale: 2σ(x)−1 = tanh(x/2).
	check("out", n.cols[2].units[0].vals, func(_, c int) float64 { return math.Tanh((-0.75 + 0.5*float64(c)) / 2) })
	// Colourless, x₁'s map is the boundary's shades from blank to ▓.
	if got := n.cols[1].units[0].lines[0]; got != " ·▒▓" {
		t.Errorf("x1 drawn as %q, want %q", got, " ·▒▓")
	}
	if w := n.cols[0].units[0].norm; math.Abs(w-math.Sqrt2) > 1e-12 {
		t.Errorf("x1's outgoing norm %v, want √2", w)
	}
}

// TestHistogramOfSample: off the plane, each unit is a histogram of its
// values over the validation sample.
func TestHistogramOfSample(t *testing.T) {
	snap := &trainer.Snapshot{Task: datasets.Regression, Inputs: 1, Outputs: 1, Layers: []trainer.LayerWeights{
		{In: 1, Out: 1, Activation: "relu", W: []float64{1}, B: []float64{0}},
		{In: 1, Out: 1, Activation: "linear", W: []float64{1}, B: []float64{0}},
	}}
	in := &netInput{features: []string{"age"}, sample: []float64{-1, 0, 1, 2, 3, 3}, rows: 6}
	n := buildNetwork("r", in, snap, 4, 2, 8)
	if n.maps {
		t.Fatal("maps for 1-D data")
	}
	h := n.cols[1].units[0]           // relu(x): 0, 0, 1, 2, 3, 3 over [0, 3] in 4 bins
	want := []float64{1, 0.5, 0.5, 1} // counts 2, 1, 1, 2 over the tallest
	for i, w := range want {
		if h.vals[i] != w {
			t.Fatalf("bins %v, want %v", h.vals, want)
		}
	}
	if h.lo != 0 || h.hi != 3 || n.cols[0].units[0].label != "age" {
		t.Fatalf("range %v..%v, label %q", h.lo, h.hi, n.cols[0].units[0].label)
	}
}

// TestLargeLayersAreSummarized: past the units that fit (and always past
// 64), a layer shows its units of largest weight norm and says so.
func TestLargeLayersAreSummarized(t *testing.T) {
	snap := fixedSnapshot(2, []int{100}, "relu")
	n := buildNetwork("r", newNetInput(nil, unitPlane()), snap, 4, 1, 64)
	c := n.cols[1]
	if len(c.units) != 64 || c.total != 100 {
		t.Fatalf("%d of %d units shown", len(c.units), c.total)
	}
	if got := unitLabel(c, 99); got != "h1.100" {
		t.Errorf("a hidden unit not drawn is named %q, want h1.100", got)
	}
	if want := "showing the top 64 units of layer 1 by weight norm"; n.summary != want {
		t.Fatalf("summary %q, want %q", n.summary, want)
	}
	min := math.Inf(1)
	for i, u := range c.units {
		min = math.Min(min, u.norm)
		if i > 0 && u.index <= c.units[i-1].index {
			t.Fatal("shown units are not in layer order")
		}
	}
	shown := map[int]bool{}
	for _, u := range c.units {
		shown[u.index] = true
	}
	for j := 0; j < 100; j++ {
		if !shown[j] && colNorm(snap.Layers[0].W, j, 2, 100) > min {
			t.Fatalf("unit %d (norm %v) is hidden while one of norm %v shows", j, colNorm(snap.Layers[0].W, j, 2, 100), min)
		}
	}
}

// fixedSnapshot is a network with weights from a fixed formula: the same
// on every machine.
func fixedSnapshot(inputs int, hidden []int, act string) *trainer.Snapshot {
	s := &trainer.Snapshot{Task: datasets.Binary, Inputs: inputs, Outputs: 1}
	in := inputs
	for li, out := range append(append([]int{}, hidden...), 1) {
		l := trainer.LayerWeights{In: in, Out: out, Activation: act, W: make([]float64, in*out), B: make([]float64, out)}
		if li == len(hidden) {
			l.Activation = "linear"
		}
		for i := range l.W {
			l.W[i] = 1.5 * math.Sin(float64(3*i+7*li+1))
		}
		for j := range l.B {
			l.B[j] = 0.3 * math.Cos(float64(j+li))
		}
		s.Layers = append(s.Layers, l)
		in = out
	}
	return s
}

// fixedHealth is a hand-made layer-health history in which layer 2's ReLU
// units die from epoch 4.
func fixedHealth(id string) []trainer.Event {
	var evs []trainer.Event
	for e := 1; e <= 8; e++ {
		f := float64(e)
		dead := 0.0
		if e >= 4 {
			dead = 0.63
		}
		evs = append(evs, trainer.EpochEvent{ID: id, Epoch: e, Layers: []trainer.LayerHealth{
			{Layer: 1, Activation: "tanh", Units: 6, WeightNorm: 2 + 0.1*f, GradNorm: 0.5 / f, RelGrad: 0.8, UpdateRatio: 0.01 / f, Saturated: 0.05 * f, ActMean: 0.01, ActStd: 0.5 + 0.01*f},
			{Layer: 2, Activation: "relu", Units: 4, WeightNorm: 3 + 0.2*f, GradNorm: 0.3 / f, RelGrad: 0.6, UpdateRatio: 0.02 / f, Dead: dead, ActMean: 0.4, ActStd: 0.3},
		}})
	}
	return evs
}

// fixedNetworkRun is a live run on the unit square with the fixed
// snapshot and health history, its network view computed synchronously.
func fixedNetworkRun(t *testing.T, m networkModel) *liveRun {
	return fixedNetworkRunOf(t, m, 6, 4)
}

// fixedNetworkRunOf is fixedNetworkRun with hidden layers of the given
// units (tanh, then relu).
func fixedNetworkRunOf(t *testing.T, m networkModel, hidden ...int) *liveRun {
	t.Helper()
	id := "20261128-120000-netnet"
	r := &liveRun{id: id, plane: unitPlane()}
	for _, ev := range fixedHealth(id) {
		r.inside.fold(ev)
	}
	r.inside.fold(trainer.FinishedEvent{ID: id, Model: fixedSnapshot(2, hidden, "tanh")})
	for i := 1; i < len(hidden); i++ {
		r.inside.snap.Layers[i].Activation = "relu"
	}
	cmd := m.refresh(r)
	if cmd == nil {
		t.Fatal("no computation started")
	}
	msg := cmd().(networkMsg)
	if next := m.receive(r, msg); next != nil {
		t.Fatal("a second computation for the same weights")
	}
	return r
}

// TestNetworkGolden draws the network panel from a fixed snapshot.
func TestNetworkGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newNetwork(&chartStyles)
			m.SetSize(size[0], size[1])
			m.Focus()
			r := fixedNetworkRun(t, m)
			// Select layer 1's third unit: its incoming links show.
			m, _ = m.Update(keyMsg("down"))
			m, _ = m.Update(keyMsg("down"))
			view := m.viewFor(r)
			checkWidth(t, view, size[0], size[1])
			goldenView(t, "network", view)
		})
	}
}

// TestNetworkFitsTheTerminal: at 80×24 a network of 8 and 8 units keeps
// maps of minMapRows rows and scrolls to the selected unit (it squeezed
// every map into one row); at 120×40 every unit fits with no scrolling.
// The sizes are the terminal's: Train gives the view its height less the
// tab bar, status and help lines and its own two.
func TestNetworkFitsTheTerminal(t *testing.T) {
	for _, c := range []struct {
		w, h   int
		scroll bool
	}{{80, 24, true}, {120, 40, false}} {
		t.Run(fmt.Sprintf("%dx%d", c.w, c.h), func(t *testing.T) {
			m := newNetwork(&chartStyles)
			m.SetSize(c.w, c.h-3-2)
			m.Focus()
			r := fixedNetworkRunOf(t, m, 8, 8)
			if n := r.inside.net; n.mh < minMapRows || len(n.cols[1].units) != 8 || n.summary != "" {
				t.Fatalf("maps of %d rows, %d of 8 units drawn (%q)", n.mh, len(n.cols[1].units), n.summary)
			}
			for range 5 { // h1.6, below the first screen at 80×24
				m, _ = m.Update(keyMsg("down"))
			}
			view := m.viewFor(r)
			checkWidth(t, view, c.w, c.h-5)
			if lines := strings.Count(view, "\n") + 1; lines != c.h-5 {
				t.Errorf("%d lines, want %d", lines, c.h-5)
			}
			if !strings.Contains(view, "▸h1.6") {
				t.Errorf("the selected unit is out of view:\n%s", view)
			}
			if got := strings.Contains(view, "▲ more above"); got != c.scroll {
				t.Errorf("scrolled %v, want %v:\n%s", got, c.scroll, view)
			}
			goldenView(t, "network", view)
		})
	}
}

// TestWideNetworkKeepsItsHints: a network of 128 and 128 units shows the
// top 64 of each; the note saying so takes a line of its own, so the keys
// (at 80 columns the selected unit) and the scroll hint stay on theirs,
// and neither is cut.
func TestWideNetworkKeepsItsHints(t *testing.T) {
	for _, c := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", c[0], c[1]), func(t *testing.T) {
			m := newNetwork(&chartStyles)
			m.SetSize(c[0], c[1]-3-2)
			m.Focus()
			r := fixedNetworkRunOf(t, m, 128, 128)
			view := ansi.Strip(m.viewFor(r))
			checkWidth(t, view, c[0], c[1]-5)
			lines := strings.Split(view, "\n")
			if len(lines) != c[1]-5 {
				t.Fatalf("%d lines, want %d", len(lines), c[1]-5)
			}
			want := "arrows select a unit · esc closes"
			if c[0] < 90 { // no side pane: the selected unit in brief
				want = "▸h1.1 bias "
			}
			if got := strings.TrimSpace(lines[1]); !strings.HasPrefix(got, want) || !strings.Contains(got, " · ▼ more below") {
				t.Errorf("line 2 is %q, want %q … · ▼ more below", got, want)
			}
			if got, want := strings.TrimSpace(lines[2]), "showing the top 64 units of layers 1, 2 by weight norm"; !strings.HasPrefix(got, want) {
				t.Errorf("line 3 is %q, want %q", got, want)
			}
			if !strings.Contains(lines[3], "64/128") {
				t.Errorf("the header %q does not give a layer's total", lines[3])
			}
			if strings.Contains(view, "…") {
				t.Errorf("something is cut:\n%s", view)
			}
		})
	}
}

// TestNarrowNetworkNamesTheUnit: under 90 columns there is no side pane,
// so the line under the title gives the selected unit, its bias and its
// three largest weights, the pane's first three, by name; for an input,
// its outgoing weights.
func TestNarrowNetworkNamesTheUnit(t *testing.T) {
	m := newNetwork(&chartStyles)
	m.SetSize(80, 19)
	m.Focus()
	r := fixedNetworkRun(t, m)
	n := r.inside.net
	m, _ = m.Update(keyMsg("down"))
	m, _ = m.Update(keyMsg("down")) // h1.3
	u := n.cols[1].units[2]
	names, ws := m.links(n, 1, u)
	want := fmt.Sprintf("▸h1.3 bias %s · in: %s %s, %s %s", numfmt.Value(u.bias), names[0], numfmt.Value(ws[0]), names[1], numfmt.Value(ws[1]))
	if len(ws) != 2 || math.Abs(ws[0]) < math.Abs(ws[1]) {
		t.Fatalf("h1.3 has weights %v from %v, want 2, largest first", ws, names)
	}
	if got := strings.TrimSpace(strings.Split(ansi.Strip(m.viewFor(r)), "\n")[1]); !strings.HasPrefix(got, want+" · ▼ more below") {
		t.Errorf("line 2 is %q, want %q · ▼ more below", got, want)
	}
	m, _ = m.Update(keyMsg("left")) // the inputs: x2 (the nearest row), 6 weights out
	line := strings.Split(ansi.Strip(m.viewFor(r)), "\n")[1]
	if !strings.HasPrefix(line, "▸x2 · out: h1.") || strings.Contains(line, "bias") {
		t.Errorf("for an input, line 2 is %q", line)
	}
}

func checkWidth(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("%d lines in %d", len(lines), h)
	}
	for i, line := range lines {
		if lw := lipgloss.Width(line); lw > w {
			t.Fatalf("line %d is %d cells wide in %d:\n%s", i, lw, w, line)
		}
	}
}

// TestNetworkHostile: odd weights, odd health values, one unit and none
// never crash the view or overflow it.
func TestNetworkHostile(t *testing.T) {
	weird := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300, 0, math.MaxFloat64}
	snaps := map[string]*trainer.Snapshot{
		"one unit":   fixedSnapshot(2, []int{1}, "relu"),
		"no hidden":  fixedSnapshot(2, nil, "tanh"),
		"no layers":  {Task: datasets.Binary, Inputs: 2, Outputs: 1},
		"no inputs":  {Task: datasets.Binary},
		"wide":       fixedSnapshot(2, []int{200, 3}, "tanh"),
		"deep":       fixedSnapshot(2, []int{3, 3, 3, 3, 3, 3, 3, 3, 3}, "sigmoid"),
		"short data": {Task: datasets.Binary, Inputs: 2, Outputs: 1, Layers: []trainer.LayerWeights{{In: 2, Out: 3, Activation: "relu", W: []float64{1}}}},
	}
	for _, v := range weird {
		s := fixedSnapshot(2, []int{3, 2}, "tanh")
		for _, l := range s.Layers {
			for i := range l.W {
				if i%2 == 0 {
					l.W[i] = v
				}
			}
			l.B[0] = v
		}
		snaps[fmt.Sprint(v)] = s
	}
	for name, snap := range snaps {
		for _, pl := range []*plane{unitPlane(), nil} {
			for _, size := range [][2]int{{120, 40}, {200, 60}, {80, 24}, {50, 15}, {30, 6}} {
				where := fmt.Sprintf("%s/2d=%v/%dx%d", name, pl != nil, size[0], size[1])
				t.Run(where, func(t *testing.T) {
					m := newNetwork(&chartStyles)
					m.SetSize(size[0], size[1])
					m.Focus()
					r := &liveRun{id: "x", plane: pl, data: &datasets.Prepared{Val: datasets.Split{X: weird, N: 3, D: 2}}}
					for _, v := range weird {
						r.inside.fold(trainer.EpochEvent{Epoch: 1, Layers: []trainer.LayerHealth{{Layer: 1, WeightNorm: v, GradNorm: v, UpdateRatio: v, Dead: v, Saturated: v, ActMean: v, ActStd: v, RelGrad: v}}})
					}
					r.inside.fold(trainer.EpochEvent{Epoch: 2, Layers: []trainer.LayerHealth{}})
					r.inside.fold(trainer.FinishedEvent{Model: snap})
					checkWidth(t, m.viewFor(r), size[0], size[1])
					if cmd := m.refresh(r); cmd != nil {
						m.receive(r, cmd().(networkMsg))
					}
					for _, k := range []string{"up", "left", "right", "right", "down", "right", "right", "right"} {
						m, _ = m.Update(keyMsg(k))
						checkWidth(t, m.viewFor(r), size[0], size[1])
					}
				})
			}
		}
	}
}

// TestNetworkKeyOnTrain: v on the Train screen opens the view over a run,
// arrows move the selection instead of switching runs, esc closes it.
func TestNetworkKeyOnTrain(t *testing.T) {
	spec := trainer.DefaultSpec()
	spec.Epochs = 3
	a := newApp(t, nil, 120, 40)
	addFixedRun(t, a, spec, "20261128-120000-aaaaaa")
	press(a, "v")
	if !a.trainScreen().net.Focused() {
		t.Fatal("v did not open the network view")
	}
	r := a.trainScreen().selected()
	if r.inside.net == nil || len(r.inside.net.cols) != 4 {
		t.Fatalf("the view was not computed: %+v", r.inside.net)
	}
	view := a.View()
	for _, want := range []string{"network · maps over the input plane", "L1 tanh", "layer health", "incoming weights", "unit up"} {
		if !strings.Contains(view, want) {
			t.Fatalf("the view lacks %q:\n%s", want, view)
		}
	}
	press(a, "right", "down")
	if col, row := a.trainScreen().net.clamp(r.inside.net); col != 2 || row != 1 {
		t.Fatalf("selection at %d,%d, want 2,1", col, row)
	}
	press(a, "esc")
	if a.trainScreen().net.Focused() || strings.Contains(a.View(), "layer health") {
		t.Fatal("esc did not close the view")
	}
	_ = tea.KeyMsg{}
}

// TestSparkline: bars between the minimum and the maximum, a gap for a
// non-finite value, and a long history averaged into the width.
func TestSparkline(t *testing.T) {
	for _, c := range []struct {
		vals []float64
		w    int
		want string
	}{
		{[]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8, "▁▂▃▄▅▆▇█"},
		{[]float64{1, math.NaN(), 2}, 4, "▁ █ "},
		{[]float64{3, 3}, 3, "▄▄ "},
		{[]float64{0, 0, 1, 1, 2, 2, 3, 3}, 4, "▁▃▆█"},
		{nil, 2, "  "},
		{[]float64{math.Inf(1), 1e300, -1e300}, 3, " █▁"},
	} {
		if got := sparkline(c.vals, c.w); got != c.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", c.vals, c.w, got, c.want)
		}
	}
}

// TestNetworkNamesImageInputsAndClasses: on digits or fashion-mnist the
// pane's incoming weights all read "pixel_…" (seven cells), and the
// output units out1…out10 where the classes have names.
func TestNetworkNamesImageInputsAndClasses(t *testing.T) {
	snap := &trainer.Snapshot{Task: datasets.Multiclass, Inputs: 3, Outputs: 3, Layers: []trainer.LayerWeights{
		{In: 3, Out: 3, Activation: "linear", W: []float64{0.9, 0, 0, 0, 0.5, 0, 0, 0, 0.1}, B: make([]float64, 3)},
	}}
	in := &netInput{features: []string{"pixel_3_4", "pixel_3_5", "pixel_7_0"}, classes: []string{"T-shirt/top", "Trouser", "Pullover"},
		sample: []float64{1, 2, 3, 4, 5, 6}, rows: 2}
	n := buildNetwork("r", in, snap, 4, 2, 8)
	for j, want := range in.classes {
		if got := n.cols[1].units[j].label; got != want {
			t.Errorf("output %d is %q, want %q", j+1, got, want)
		}
	}
	m := newNetwork(&chartStyles)
	m.SetSize(120, 30)
	pane := ansi.Strip(m.pane(&liveRun{}, n, 1, 0, 40))
	for _, want := range []string{"T-shirt/top · output unit 1", "pixel_3_4 ", "pixel_3_5 ", "pixel_7_0 "} {
		if !strings.Contains(pane, want) {
			t.Errorf("the pane lacks %q:\n%s", want, pane)
		}
	}
	checkWidth(t, pane, 40, 100)
}
