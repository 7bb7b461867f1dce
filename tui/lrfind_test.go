package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"workbench/numfmt"
	"workbench/trainer"
)

// TestSetupFindsAndAppliesLR: f runs the range test on the form's spec
// and shows the curve with its suggestion; F sets the learning rate.
func TestSetupFindsAndAppliesLR(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	press(a, "F")
	if !strings.Contains(a.status, "no learning-rate suggestion yet") {
		t.Fatalf("F before f: status %q", a.status)
	}
	press(a, "f")
	res := a.setupScreen().lrf.res
	if res == nil || a.setupScreen().lrf.err != nil {
		t.Fatalf("no result: %v", a.setupScreen().lrf.err)
	}
	view := a.View()
	for _, want := range []string{"learning-rate finder", "suggested learning rate", "F applies it", "1e-"} {
		if !strings.Contains(view, want) {
			t.Fatalf("the view lacks %q:\n%s", want, view)
		}
	}
	press(a, "F")
	// The rate as the status says it, to six digits (the form showed
	// 0.05000306842491094).
	said := numfmt.Short(res.Suggested)
	if got := a.setupScreen().spec.Optimizer.LR; numfmt.Short(got) != said || len(strconv.FormatFloat(got, 'g', -1, 64)) > 12 {
		t.Fatalf("lr %v after F, want %s", got, said)
	}
	if !strings.Contains(a.status, "learning rate set to") {
		t.Fatalf("status %q", a.status)
	}
}

// TestLRChartHostile: odd curves draw without panicking or overflowing.
func TestLRChartHostile(t *testing.T) {
	for _, pts := range [][]trainer.LRPoint{
		nil,
		{{LR: 1e-7, Smoothed: 1}},
		{{LR: 1e-7, Smoothed: math.NaN()}, {LR: 1, Smoothed: math.Inf(1)}},
		{{LR: 0, Smoothed: 1}, {LR: -1, Smoothed: 2}, {LR: math.Inf(1), Smoothed: 1e300}},
		{{LR: 1e-7, Smoothed: 1e300}, {LR: 1e-6, Smoothed: -1e300}, {LR: 1e-5, Smoothed: 0}},
	} {
		res := &trainer.LRFindResult{Points: pts, Suggested: 1e-3, MinLR: 1e-2, Rule: "min/10"}
		for _, size := range [][2]int{{60, 12}, {20, 5}, {5, 2}} {
			checkWidth(t, LRChart(res, size[0], size[1]), size[0], size[1]+1)
		}
		res.Diverged = true
		_ = LRSuggestion(res)
	}
}

// TestLRSuggestionSaysWhy: the text names the rule and, for min ÷ 10,
// whether the loss descended at all.
func TestLRSuggestionSaysWhy(t *testing.T) {
	for _, c := range []struct {
		res  trainer.LRFindResult
		want string
	}{
		{trainer.LRFindResult{Suggested: 0.0079, SteepestLR: 0.0079, MinLR: 0.11, Rule: "steepest", Descended: true},
			"suggested learning rate 0.0079: the steepest descent of the smoothed loss (minimum at 0.11)"},
		{trainer.LRFindResult{Suggested: 0.42, SteepestLR: 0.13, MinLR: 4.2, Rule: "min/10", Drop: 0.135, Noise: 0.031},
			"suggested learning rate 0.42: the minimum's rate 4.2 ÷ 10; the smoothed loss fell 0.1350 from its early level, 4.4× its noise (a descent needs 6×), so a steepest point could be a dip"},
		{trainer.LRFindResult{Suggested: 0.42, SteepestLR: 0.13, MinLR: 4.2, Rule: "min/10", Drop: 0.5, Noise: 0.031},
			"suggested learning rate 0.42: the minimum's rate 4.2 ÷ 10; the smoothed loss fell from its early level in too few steps to tell a descent from a dip"},
		{trainer.LRFindResult{Suggested: 0.42, MinLR: 4.2, Rule: "min/10"},
			"suggested learning rate 0.42: the minimum's rate 4.2 ÷ 10; the smoothed loss did not fall from its early level, so a steepest point would be a dip"},
		{trainer.LRFindResult{Suggested: 0.35, SteepestLR: 1.9, MinLR: 3.5, Rule: "min/10", Descended: true},
			"suggested learning rate 0.35: the minimum's rate 3.5 ÷ 10, under the steepest descent at 1.9, which lies within a decade of the minimum"},
	} {
		if got := LRSuggestion(&c.res); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

// TestSetupSaysTheLRSuggestionWhenNarrow: under 70 columns Setup has no
// panel for the finder, and f ran and showed nothing; the status line now
// gives the suggestion and F applies it.
func TestSetupSaysTheLRSuggestionWhenNarrow(t *testing.T) {
	a := newApp(t, nil, 50, 15)
	press(a, "f")
	res := a.setupScreen().lrf.res
	if res == nil {
		t.Fatalf("no result: %v", a.setupScreen().lrf.err)
	}
	want := "lr-find: " + numfmt.Short(res.Suggested) + " (" + res.Rule + ") · F applies it"
	if !strings.Contains(a.status, want) {
		t.Fatalf("status %q, want %q", a.status, want)
	}
	if v := a.View(); !strings.Contains(v, want) {
		t.Fatalf("the view:\n%s", v)
	}
}

// TestLRFinderClearsWhenTheSpecChanges: a suggestion made for one network
// went on being shown, and F applied it, after p loaded another (circle
// SGD's rate set on spiral Adam). Any change to the spec clears it; F
// itself (the rate) does not; esc closes the panel; a test that ends after
// the spec changed is dropped.
func TestLRFinderClearsWhenTheSpecChanges(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	press(a, "f")
	if a.setupScreen().lrf.res == nil {
		t.Fatalf("no result: %v", a.setupScreen().lrf.err)
	}
	press(a, "F") // the rate is not part of what the test depends on
	if a.setupScreen().lrf.res == nil || !strings.Contains(a.View(), "learning-rate finder") {
		t.Fatal("F cleared the finder")
	}
	press(a, "p") // the spiral preset: Adam, 16,16 ReLU
	lr := a.setupScreen().spec.Optimizer.LR
	if a.setupScreen().lrf.active() || strings.Contains(a.View(), "learning-rate finder") {
		t.Fatalf("the finder outlived the preset:\n%s", a.View())
	}
	press(a, "F")
	if got := a.setupScreen().spec.Optimizer.LR; got != lr || !strings.Contains(a.status, "no learning-rate suggestion yet") {
		t.Fatalf("F after p: lr %v (want %v), status %q", got, lr, a.status)
	}

	// A test still running when the spec changes.
	s := a.setupScreen()
	old := lrFinderKey(s.spec)
	s.lrf = lrFinder{running: true, key: old, label: "spiral · adam"}
	press(a, "down", "down", "right") // the number of samples
	res := &trainer.LRFindResult{Suggested: 0.5, MinLR: 5, Rule: "min/10"}
	send(a, lrFoundMsg{key: old, res: res})
	if a.setupScreen().lrf.res != nil {
		t.Fatal("a test of the old spec was taken")
	}
	press(a, "F")
	if a.setupScreen().spec.Optimizer.LR == 0.5 {
		t.Fatal("F applied a suggestion made for another spec")
	}

	// esc closes the panel; its outcome, arriving after, is dropped.
	s = a.setupScreen()
	s.lrf = lrFinder{running: true, key: lrFinderKey(s.spec)}
	press(a, "esc")
	send(a, lrFoundMsg{key: lrFinderKey(a.setupScreen().spec), res: res})
	if a.setupScreen().lrf.active() {
		t.Fatal("esc left the finder open")
	}
}

// TestLRFinderApplyRefusesAStaleSuggestion: the last guard, should Setup
// ever miss a change.
func TestLRFinderApplyRefusesAStaleSuggestion(t *testing.T) {
	spec := trainer.DefaultSpec()
	f := lrFinder{key: lrFinderKey(spec), res: &trainer.LRFindResult{Suggested: 0.25, Rule: "min/10"}}
	spec.Optimizer.LR = 0.7 // the rate alone: still the same spec
	if _, ok := f.apply(&spec); !ok || spec.Optimizer.LR != 0.25 {
		t.Fatalf("lr %v", spec.Optimizer.LR)
	}
	spec.Optimizer.Name = "adam"
	if text, ok := f.apply(&spec); ok || spec.Optimizer.LR != 0.25 || !strings.Contains(text, "another spec") {
		t.Fatalf("applied to another spec: %q, lr %v", text, spec.Optimizer.LR)
	}
}
