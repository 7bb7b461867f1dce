package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"workbench/sessions"
	"workbench/trainer"
)

// TestTrainRunStoppedBeforeItsFirstEpoch: a run stopped (x) before its
// first epoch ended says so in its loss chart, its metric chart and its
// side panel, where all three waited for an epoch that would never come.
func TestTrainRunStoppedBeforeItsFirstEpoch(t *testing.T) {
	a := newApp(t, tempStore(t), 120, 40)
	m := a.trainScreen()
	r := &liveRun{id: "20261129-080000-noepch", key: "accuracy", plane: unitPlane()}
	m.add(r)
	r.apply(trainer.StartEvent{ID: r.id}, m.styles)
	v := ansi.Strip(m.View())
	if got := strings.Count(v, "waiting for the first epoch"); got != 3 || !strings.Contains(v, "computing…") {
		t.Fatalf("a running run with no epoch waits in %d places, want 3, and its boundary is computing:\n%s", got, v)
	}
	r.apply(trainer.FinishedEvent{ID: r.id, Status: trainer.StatusStopped, Reason: "cancelled"}, m.styles)
	v = ansi.Strip(m.View())
	if strings.Contains(v, "waiting for the first epoch") {
		t.Errorf("a stopped run still waits for its first epoch:\n%s", v)
	}
	if got := strings.Count(v, "no epochs: the run stopped"); got != 3 {
		t.Errorf("%d places say the run has no epochs, want 3 (loss, accuracy, panel):\n%s", got, v)
	}
	if !strings.Contains(v, "decision boundary") || strings.Contains(v, "computing…") || !strings.Contains(v, "none: no epoch ended") {
		t.Errorf("the boundary of a run with no weights:\n%s", v)
	}
	checkWidth(t, v, 120, 40)
}

// TestRunDetailOfARunWithNothing: the detail of a run interrupted before
// its first epoch says its charts will stay empty, and draws no metrics
// heading over no metrics and no tags label over no tags.
func TestRunDetailOfARunWithNothing(t *testing.T) {
	st := DefaultStyles()
	m := newRuns(&st, nil)
	m.SetSize(120, 40)
	m.detail = &sessions.FullRun{Run: sessions.Run{ID: "r1", Status: trainer.StatusInterrupted, Dataset: "circle", EpochsTotal: 50}}
	v := ansi.Strip(m.viewDetail())
	if got := strings.Count(v, "no epochs: the run stopped before its first epoch ended"); got != 2 {
		t.Errorf("%d charts say the run has no epochs, want 2:\n%s", got, v)
	}
	for _, bad := range []string{"waiting for the first epoch", "metrics", "tags:"} {
		if strings.Contains(v, bad) {
			t.Errorf("the detail says %q:\n%s", bad, v)
		}
	}
	m.detail.Run.Tags = []string{"baseline", "wide"}
	m.detail.Run.Metrics = map[string]float64{"test_loss": 0.25}
	v = ansi.Strip(m.viewDetail())
	for _, want := range []string{"tags: baseline, wide", "metrics", "test_loss"} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail lacks %q:\n%s", want, v)
		}
	}
}

// TestLayerHealthOfARunWithNoEpochs: the network view's layer health
// waits while the run runs, and says it has no epochs once it ended.
func TestLayerHealthOfARunWithNoEpochs(t *testing.T) {
	st := DefaultStyles()
	var in runInside
	if got := ansi.Strip(strings.Join(healthLines(&in, &st, 40), "\n")); got != "waiting for the first epoch…" {
		t.Errorf("running: %q", got)
	}
	in.fold(trainer.FinishedEvent{Status: trainer.StatusStopped})
	got := ansi.Strip(strings.Join(healthLines(&in, &st, 40), "\n"))
	if want := "no epochs: the run stopped before its\nfirst epoch ended"; strings.TrimRight(got, " ") != want {
		t.Errorf("stopped: %q, want %q", got, want)
	}
}

// TestPausedUnlimitedRunSaysTrained: a paused run without an epoch limit
// says how long it trained, not "running 2s … paused".
func TestPausedUnlimitedRunSaysTrained(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	m.SetSize(80, 22)
	spec := trainer.DefaultSpec()
	spec.Epochs = 0
	r := &liveRun{spec: spec, halted: true, progress: trainer.ProgressEvent{Elapsed: 2 * time.Second}}
	if got := m.progressLine(r); !strings.Contains(got, "trained 2s") || strings.Contains(got, "running") {
		t.Errorf("paused: %q", got)
	}
	r.halted = false
	if got := m.progressLine(r); !strings.Contains(got, "running 2s") {
		t.Errorf("running: %q", got)
	}
}

// TestTrainAtTheSmallestSize: at 50×15 the loss chart takes the rows a
// second chart cannot fill (a chart needs 5), where they were left blank.
func TestTrainAtTheSmallestSize(t *testing.T) {
	a := newApp(t, nil, 50, 15)
	spec := trainer.DefaultSpec()
	spec.Epochs = 10
	addSynthRun(t, a, spec, "20261129-100000-smalll")
	if blank := blankBodyRows(a.View()); blank > 1 {
		t.Errorf("%d blank rows under the loss chart:\n%s", blank, a.View())
	}
}

// blankBodyRows counts the blank rows of a screen between its first three
// lines (tabs, title, status) and its last two (status, keys).
func blankBodyRows(view string) int {
	lines := strings.Split(view, "\n")
	blank := 0
	for _, l := range lines[3 : len(lines)-2] {
		if strings.TrimSpace(l) == "" {
			blank++
		}
	}
	return blank
}

// TestMetricPanelFitsWideValues: a regression's wide values (mae
// 23268.8149) keep one whole column in a narrow panel rather than two cut
// mid-number ("22547.5…").
func TestMetricPanelFitsWideValues(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	val := map[string]float64{"loss": 1.2079, "r2": -0.0454, "mae": 23268.8149, "rmse": 26876.4902, "mse": 7.223e8}
	best := map[string]float64{"loss": 1.1, "r2": 0.01, "mae": 22547.5123, "rmse": 26272.9, "mse": 6.903e8}
	r := &liveRun{key: "r2", last: &trainer.EpochEvent{Epoch: 5, Val: val}, best: best, bestEpoch: 2}
	for _, fin := range []bool{false, true} {
		if fin {
			r.fin = &trainer.FinishedEvent{Test: trainer.Evaluation{Metrics: best}}
		}
		v := ansi.Strip(m.metricPanel(r, 28, 10))
		if strings.Contains(v, "…  ") || strings.Contains(v, "5…") || strings.Contains(v, "1…") {
			t.Errorf("finished %v: a value is cut:\n%s", fin, v)
		}
		want := map[bool]string{false: "23268.8149", true: "22547.5123"}[fin]
		if !strings.Contains(v, want) {
			t.Errorf("finished %v: no %s:\n%s", fin, want, v)
		}
	}
}

// TestPairsChartTitleFitsOneLine: the regression chart's title keeps to one
// line at 80×24's 44 columns (it wrapped "R² -" / "0.0121" and pushed the
// axis off the pane).
func TestPairsChartTitleFitsOneLine(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	e := trainer.Evaluation{Metrics: map[string]float64{"r2": -0.0121}, Pairs: [][2]float64{{1, 2}, {2, 2.5}, {3, 2.9}}}
	v := ansi.Strip(m.pairsChart(e, 44, 8))
	first, _, _ := strings.Cut(v, "\n")
	if !strings.HasSuffix(strings.TrimSpace(first), "R² -0.0121") || ansi.StringWidth(first) > 44 {
		t.Errorf("title line %q (%d cells)", first, ansi.StringWidth(first))
	}
	if n := strings.Count(v, "\n") + 1; n > 8 {
		t.Errorf("%d lines in 8 rows:\n%s", n, v)
	}
}

// TestProgressBarFollowsTheColourProfile: the progress bar colours as
// lipgloss does, so NO_COLOR (an Ascii profile) leaves it plain; it asked
// termenv itself, which ignores NO_COLOR.
func TestProgressBarFollowsTheColourProfile(t *testing.T) {
	defer lipgloss.SetColorProfile(lipgloss.ColorProfile())
	for _, c := range []struct {
		p      termenv.Profile
		colour bool
	}{{termenv.ANSI256, true}, {termenv.Ascii, false}} {
		lipgloss.SetColorProfile(c.p)
		st := DefaultStyles()
		m := newTrain(&st, nil)
		m.bar.Width = 20
		if got := strings.Contains(m.bar.ViewAs(0.5), "\x1b["); got != c.colour {
			t.Errorf("profile %v: colour codes %v, want %v", c.p, got, c.colour)
		}
	}
}

// TestMetricPanelKeepsOneMetricInTwoRows: at 80×24 a 2-D run with a
// layer-health warning leaves the panel two rows; they held the header
// and "+11 more metrics", no value at all. The key metric shows instead.
func TestMetricPanelKeepsOneMetricInTwoRows(t *testing.T) {
	st := DefaultStyles()
	m := newTrain(&st, nil)
	val := map[string]float64{"loss": 0.4431, "accuracy": 0.8095, "auc": 0.8186, "f1": 0.84, "precision": 0.7241,
		"recall": 1, "balanced_accuracy": 0.8095, "brier": 0.1475, "ece": 0.0727, "mcc": 0.6695, "pr_auc": 0.7387}
	r := &liveRun{key: "accuracy", last: &trainer.EpochEvent{Epoch: 30, Val: val}, best: val, bestEpoch: 30}
	r.fin = &trainer.FinishedEvent{Test: trainer.Evaluation{Metrics: val}}
	v := ansi.Strip(m.metricPanel(r, 28, 2))
	lines := strings.Split(v, "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "val metric") || !strings.Contains(lines[0], "@ep 30") {
		t.Fatalf("want the header and one metric:\n%s", v)
	}
	if f := strings.Fields(lines[1]); len(f) < 3 || f[0] != "accuracy" || f[len(f)-1] != "0.8095" {
		t.Fatalf("want the key metric's row, got %q:\n%s", lines[1], v)
	}
	// Three rows: two metrics and the count of the rest, as before.
	v = ansi.Strip(m.metricPanel(r, 28, 3))
	if !strings.Contains(v, "loss") || !strings.Contains(v, "+10 more metrics") {
		t.Fatalf("three rows:\n%s", v)
	}
}
