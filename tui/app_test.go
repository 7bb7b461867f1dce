package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"workbench/datasets"
	"workbench/trainer"
)

// stable blanks what the clock decides (finish times), so goldens compare.
var clockRe = regexp.MustCompile(`\d{2}-\d{2} \d{2}:\d{2}`)

func goldenView(t *testing.T, name string, view string) {
	t.Helper()
	golden.RequireEqual(t, []byte(clockRe.ReplaceAllString(view, "MM-DD hh:mm")))
}

func TestGoldenViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			store := tempStore(t)
			ids := storeSynthRuns(t, store)
			a := newApp(t, store, w, h)
			t.Run("setup", func(t *testing.T) { goldenView(t, "setup", a.View()) })
			spec := trainer.DefaultSpec()
			spec.Data = datasets.Spec{Name: "circle", Samples: 200, Split: datasets.DefaultSplit, Seed: 3}
			spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}}
			spec.Optimizer, spec.Epochs = trainer.OptimizerSpec{Name: "adam", LR: 0.03}, 40
			addSynthRun(t, a, spec, "20261128-130000-cccccc")
			t.Run("train", func(t *testing.T) { goldenView(t, "train", a.View()) })
			press(a, "3")
			t.Run("runs", func(t *testing.T) { goldenView(t, "runs", a.View()) })
			send(a, compareRunsMsg{ids: ids})
			t.Run("compare", func(t *testing.T) { goldenView(t, "compare", a.View()) })
			press(a, "?")
			t.Run("help", func(t *testing.T) { goldenView(t, "help", a.View()) })
			press(a, "?", "2")
			addSynthDigits(t, a, "20261128-130500-dddddd")
			t.Run("train-10-classes", func(t *testing.T) { goldenView(t, "train-10-classes", a.View()) })
		})
	}
}

func TestResizeSweepNeverPanics(t *testing.T) {
	store := tempStore(t)
	ids := storeSynthRuns(t, store)
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 10
	addSynthRun(t, a, spec, "20261128-140000-dddddd")
	send(a, compareRunsMsg{ids: ids})
	for _, screen := range []string{"1", "2", "3", "4"} {
		press(a, screen)
		for w := 10; w <= 300; w += 29 {
			for h := 3; h <= 100; h += 13 {
				send(a, tea.WindowSizeMsg{Width: w, Height: h})
				v := a.View()
				if w < MinWidth || h < MinHeight {
					if !strings.Contains(v, fmt.Sprintf("%d×%d", MinWidth, MinHeight)) {
						t.Fatalf("%d×%d: no size message", w, h)
					}
					continue
				}
				if lines := strings.Count(v, "\n") + 1; lines > h {
					t.Fatalf("screen %s at %d×%d draws %d lines", screen, w, h, lines)
				}
			}
		}
	}
}

// TestRealTrainingOnTheTrainScreen is the one view test that trains for
// real (the goldens use synthetic events, so any CPU reproduces them): a
// circle run reaches a high test accuracy, within a tolerance, and the
// panel shows the finished run's test column.
func TestRealTrainingOnTheTrainScreen(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data = datasets.Spec{Name: "circle", Samples: 200, Split: datasets.DefaultSplit, Seed: 3}
	spec.Model.Hidden = []trainer.LayerSpec{{Units: 8, Activation: "tanh"}}
	spec.Optimizer, spec.Epochs = trainer.OptimizerSpec{Name: "adam", LR: 0.03}, 40
	addFixedRun(t, a, spec, "20261128-130000-cccccc")
	r := a.trainScreen().selected()
	if r.fin == nil || r.fin.Status != trainer.StatusDone || r.fin.Epochs != 40 {
		t.Fatalf("the run did not finish its 40 epochs: %+v", r.fin)
	}
	if acc := r.fin.Test.Metrics["accuracy"]; acc < 0.9 {
		t.Fatalf("test accuracy %.3f, want ≥ 0.9", acc)
	}
	v := a.View()
	for _, want := range []string{"Epoch 40/40", "test ROC, AUC", "val metric", "test", "done"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the view lacks %q:\n%s", want, v)
		}
	}
}
