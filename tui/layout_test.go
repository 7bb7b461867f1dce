package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/trainer"
)

func TestTabStripKeepsTheCurrentTabInView(t *testing.T) {
	var tabs []string
	for i := 0; i < 12; i++ {
		tabs = append(tabs, fmt.Sprintf("● trial-%02d running", i))
	}
	for _, sel := range []int{0, 5, 11} {
		out := tabStrip(tabs, sel, 60)
		if lipgloss.Width(out) > 60 || !strings.Contains(out, fmt.Sprintf("trial-%02d", sel)) {
			t.Fatalf("sel %d: %q (%d wide)", sel, out, lipgloss.Width(out))
		}
		if sel > 0 && !strings.HasPrefix(out, "‹ ") {
			t.Fatalf("sel %d: no ‹ for hidden tabs on the left: %q", sel, out)
		}
		if sel < 11 && !strings.HasSuffix(out, " ›") {
			t.Fatalf("sel %d: no › for hidden tabs on the right: %q", sel, out)
		}
	}
	if out := tabStrip(tabs[:2], 1, 80); strings.ContainsAny(out, "‹›") {
		t.Fatalf("markers when everything fits: %q", out)
	}
}

// TestBoundaryRedrawnAfterResize: a boundary drawn at one size is computed
// again at the new size, so it fills its panel.
func TestBoundaryRedrawnAfterResize(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "circle", Samples: 200, Split: datasets.DefaultSplit, Seed: 3}
	spec.Epochs = 5
	addFixedRun(t, a, spec, "20261128-130000-resize")
	r := a.trainScreen().selected()
	if r.grid == nil {
		t.Fatal("no boundary")
	}
	send(a, tea.WindowSizeMsg{Width: 200, Height: 60})
	_, _, _, _, bw, bh := a.trainScreen().layout()
	if r.grid.w != bw || r.grid.h != bh {
		t.Fatalf("after the resize the grid is %d×%d, the panel wants %d×%d", r.grid.w, r.grid.h, bw, bh)
	}
	for _, line := range strings.Split(a.View(), "\n") {
		if lipgloss.Width(line) > 200 {
			t.Fatalf("a line overflows: %q", line)
		}
	}
}

// TestStatusClearsWhenItNoLongerApplies: "training <id>" gives way when the
// run ends, and a red error when a later compare works.
func TestStatusClearsWhenItNoLongerApplies(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "circle", Samples: 200, Split: datasets.DefaultSplit, Seed: 3}
	spec.Epochs = 10
	addSynthRun(t, a, spec, "20261128-130000-status")
	if strings.Contains(a.View(), "training 20261128-130000-status") || !strings.Contains(a.View(), "20261128-130000-status done") {
		t.Fatalf("the status still says training after the run ended:\n%s", a.View())
	}
	send(a, statusMsg{text: "select two or more runs to compare", err: true})
	send(a, compareRunsMsg{ids: ids})
	if strings.Contains(a.View(), "select two or more runs") {
		t.Fatal("the error stayed after a compare that worked")
	}
}

// TestCompareScrollsAndKeepsTheDifferencesInView: at 80×24 the
// hyperparameters that differ show without scrolling, and ↓ scrolls the
// rest into view.
func TestCompareScrollsAndKeepsTheDifferencesInView(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 80, 24)
	send(a, compareRunsMsg{ids: ids})
	v := a.View()
	if !strings.Contains(v, "hyperparameters that differ") || !strings.Contains(v, "optimizer.lr") {
		t.Fatalf("the differences are off screen:\n%s", v)
	}
	if strings.Contains(v, "test_recall") {
		t.Fatal("test: the whole table fits, so scrolling is not exercised")
	}
	for i := 0; i < 30; i++ {
		press(a, "down")
	}
	if v := a.View(); !strings.Contains(v, "test_recall") {
		t.Fatalf("↓ did not scroll to the end of the table:\n%s", v)
	}
}

// TestSetupHintsAtScaling: breast-cancer unscaled gets the hint that its
// feature ranges differ by far more than 100×; standard scaling silences it.
func TestSetupHintsAtScaling(t *testing.T) {
	a := newApp(t, nil, 160, 48)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "breast-cancer", Scale: "none", Split: datasets.DefaultSplit, Seed: 1}
	send(a, editSpecMsg{spec: spec})
	if v := a.View(); !strings.Contains(v, "worst area spans") {
		t.Fatalf("no scaling hint for unscaled breast-cancer:\n%s", v)
	}
	spec.Data.Scale = "standard"
	send(a, editSpecMsg{spec: spec})
	if v := a.View(); strings.Contains(v, "worst area spans") {
		t.Fatal("the hint stayed with standard scaling")
	}
}
