package tui

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"workbench/trainer"
)

// TestFirstRunLearns presses t on a fresh start: the Playground's default
// trains for real and its test accuracy is at least 0.95 on the screen and
// in the store.
func TestFirstRunLearns(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	if s := a.setupScreen().spec; s.Data.Name != "circle" || trainer.Summary(s.Model, 0, 2, 2) == "" || s.Data.Split != trainer.PlaygroundSplit {
		t.Fatalf("first spec: %+v", s.Data)
	}
	p := newPump(a)
	p.send(keyMsg("t"))
	p.until(t, 60*time.Second, "the first run did not finish", func() bool {
		r := a.trainScreen().selected()
		return r != nil && r.fin != nil
	})
	r := a.trainScreen().selected()
	if acc := r.fin.Test.Metrics["accuracy"]; acc < 0.95 {
		t.Fatalf("test accuracy %v < 0.95", acc)
	}
	// On screen: the metric panel's accuracy row, test column.
	m := regexp.MustCompile(`accuracy\s+\S+\s+\S+\s+(\d\.\d{4})`).FindStringSubmatch(a.View())
	if m == nil {
		t.Fatalf("no test accuracy on screen:\n%s", a.View())
	}
	if v, _ := strconv.ParseFloat(m[1], 64); v < 0.95 {
		t.Fatalf("the screen shows test accuracy %v", v)
	}
	p.until(t, 10*time.Second, "the run was not saved", func() bool {
		run, err := store.GetRun(context.Background(), r.id)
		return err == nil && run.Status == trainer.StatusDone
	})
	run, _ := store.GetRun(context.Background(), r.id)
	if acc := run.Metrics["test_accuracy"]; acc < 0.95 {
		t.Fatalf("stored test_accuracy %v", acc)
	}
}

// editField moves the cursor to key and opens it for typing.
func editField(t *testing.T, a *App, key string) {
	t.Helper()
	seekField(t, a, key)
	press(a, "enter")
}

func TestEditingReplacesTheOldValue(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	editField(t, a, "model.hidden[0].units")
	if !strings.Contains(a.View(), "typing replaces") {
		t.Fatal("the old value is not shown selected")
	}
	press(a, "2", "5", "6", "enter")
	if got := a.setupScreen().spec.Model.Hidden[0].Units; got != 256 {
		t.Fatalf("units 4 + typed 256 = %d, want 256", got)
	}
	// 4 → 256 units: 17 → 849 parameters, more than 10×: a warning.
	if a.statusOK || !strings.Contains(a.status, "parameters") {
		t.Fatalf("no growth warning: %q", a.status)
	}
	editField(t, a, "data.split[0]")
	press(a, "0", ".", "6", "enter")
	if got := a.setupScreen().spec.Data.Split[0]; got != 0.6 {
		t.Fatalf("0.5 + typed 0.6 = %v", got)
	}
	// Backspace edits the old value instead; esc cancels.
	editField(t, a, "optimizer.lr")
	press(a, "backspace", "1", "enter")
	if got := a.setupScreen().spec.Optimizer.LR; got != 0.01 {
		t.Fatalf("0.03 ⌫ 1 = %v, want 0.01", got)
	}
	editField(t, a, "optimizer.lr")
	press(a, "9", "esc")
	if got := a.setupScreen().spec.Optimizer.LR; got != 0.01 || a.awaitingInput() {
		t.Fatalf("esc did not cancel: lr %v", got)
	}
	// A built-in set's name replaced by a path opens the file.
	editField(t, a, "data.name")
	press(a, "x", "o", "r", "enter")
	if got := a.setupScreen().spec.Data.Name; got != "xor" {
		t.Fatalf("circle + typed xor = %q", got)
	}
}

func TestSetupShowsEffectiveDefaults(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	s := trainer.DefaultSpec()
	s.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.001}
	s.Data.Samples = 0
	a.setupScreen().setSpec(s)
	a.setupScreen().refreshDerived()
	got := map[string]string{}
	for _, f := range a.setupScreen().fields {
		got[f.key] = f.get(&a.setupScreen().spec)
	}
	for k, want := range map[string]string{"optimizer.beta1": "0.9", "optimizer.beta2": "0.999", "optimizer.eps": "1e-08", "data.samples": "500", "decision.threshold": "0.5"} {
		if got[k] != want {
			t.Errorf("%s shows %q, want %q", k, got[k], want)
		}
	}
	if v := a.View(); !regexp.MustCompile(`beta2\s+0\.999`).MatchString(v) {
		t.Errorf("β₂ is not shown as 0.999")
	}
	// Enter and enter again on an effective default keeps the spec's 0.
	editField(t, a, "optimizer.beta1")
	press(a, "enter")
	if b := a.setupScreen().spec.Optimizer.Beta1; b != 0 && b != 0.9 {
		t.Fatalf("β₁ %v", b)
	}
}

func TestPresetKeepsTheCursor(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	editField(t, a, "optimizer.lr")
	press(a, "esc")
	for range presets {
		press(a, "p")
		if f := a.setupScreen().current(); f == nil || f.key != "optimizer.lr" {
			t.Fatalf("after p the cursor is on %+v", f)
		}
	}
}

func TestSetupRemembersTheLastSpec(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Data.Name, spec.Epochs = "xor", 2
	spec.Model.Hidden[0].Units = 7
	a.setupScreen().setSpec(spec)
	p := newPump(a)
	p.send(keyMsg("t"))
	p.until(t, 30*time.Second, "the run did not finish", func() bool {
		r := a.trainScreen().selected()
		return r != nil && r.fin != nil
	})
	b := newApp(t, store, 120, 40)
	if got := b.setupScreen().spec; got.Data.Name != "xor" || got.Model.Hidden[0].Units != 7 || got.Epochs != 2 {
		t.Fatalf("the next launch starts from %+v", got)
	}
	// Options.Spec wins over the remembered spec.
	other := trainer.DefaultSpec()
	c := New(store, Options{Spec: &other})
	if got := c.setupScreen().spec; got.Data.Name != "circle" {
		t.Fatalf("Options.Spec lost to the remembered spec: %s", got.Data.Name)
	}
}

// TestInvalidReasonShowsWholeAt80: at 80×24 the value column cuts an
// invalid value's reason ("✗ 100000 is out"); the line under the form,
// which holds the range, shows it whole.
func TestInvalidReasonShowsWholeAt80(t *testing.T) {
	a := newApp(t, nil, 80, 24)
	editField(t, a, "data.aug_noise")
	for _, k := range strings.Split("100000", "") {
		press(a, k)
	}
	press(a, "enter")
	if v := a.View(); !strings.Contains(v, "✗ 100000 is out of range [0, 10]") {
		t.Errorf("the reason at 80×24:\n%s", v)
	}
}

// TestInvalidReasonKeepsItsSuggestion: a mistyped dataset's reason ends
// in "did you mean moons?", which the form's row cut at every width
// under about 180 columns and the line under the form cut at 120. The
// line under the form wraps the whole reason, at 80, 120 and 140 columns
// (where the hints beside the values leave no line under the form).
func TestInvalidReasonKeepsItsSuggestion(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {140, 40}} {
		a := newApp(t, nil, size[0], size[1])
		editField(t, a, "data.name")
		a.setupScreen().input.SetValue("mons")
		press(a, "enter")
		v := ansi.Strip(a.View())
		if !strings.Contains(v, "(did you mean") || !strings.Contains(v, "moons?)") {
			t.Errorf("%d×%d: the suggestion is cut:\n%s", size[0], size[1], v)
		}
		if got := strings.Count(v, "\n") + 1; got != size[1] {
			t.Errorf("%d×%d: the view has %d lines", size[0], size[1], got)
		}
		// The field's range comes back once the value is fixed.
		editField(t, a, "data.name")
		a.setupScreen().input.SetValue("moons")
		press(a, "enter")
		if v := ansi.Strip(a.View()); strings.Contains(v, "did you mean") {
			t.Errorf("%d×%d: the reason stays once fixed:\n%s", size[0], size[1], v)
		}
	}
}

// TestLongestLabelKeepsAGap: the longest label is followed by a space
// before its value (it read "cross-validation folds0").
func TestLongestLabelKeepsAGap(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	editField(t, a, "cv")
	press(a, "esc")
	if v := a.View(); !strings.Contains(v, "cross-validation folds ") {
		t.Errorf("no gap after the longest label:\n%s", v)
	}
}

// TestFixedValueClearsItsError: after t refused an invalid value, fixing
// it replaces "fix learning rate first: …" on the status line.
func TestFixedValueClearsItsError(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	editField(t, a, "optimizer.lr")
	a.setupScreen().input.SetValue("abc")
	press(a, "enter", "t")
	if a.statusOK || !strings.HasPrefix(a.status, "fix learning rate first") {
		t.Fatalf("t with an invalid rate: status %q", a.status)
	}
	editField(t, a, "optimizer.lr")
	a.setupScreen().input.SetValue("0.1")
	press(a, "enter")
	if !a.statusOK || a.status != "learning rate = 0.1" {
		t.Errorf("after the fix: status %q (ok %v)", a.status, a.statusOK)
	}
}

// TestLayerKeysSayWhyTheyDidNothing: d away from a layer and K on the
// first layer say why nothing happened (the last line stayed as it was).
func TestLayerKeysSayWhyTheyDidNothing(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	press(a, "d")
	if a.status != "d removes the layer under the cursor: move to one of its fields" {
		t.Errorf("d on the Train button: %q", a.status)
	}
	editField(t, a, "model.hidden[0].units")
	press(a, "esc", "K")
	if a.status != "layer 1 is already the first" {
		t.Errorf("K on layer 1: %q", a.status)
	}
	if n := len(a.setupScreen().spec.Model.Hidden); n != 2 {
		t.Errorf("%d layers", n)
	}
}

// TestSetupSaysSplitsDoNotApplyToATinySet: seed-example's 4 rows are not
// split (train, validation and test are all of them), yet the form showed
// train fraction 0.5 as if it applied.
func TestSetupSaysSplitsDoNotApplyToATinySet(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		a := newApp(t, nil, size[0], size[1])
		s := a.setupScreen()
		spec := s.spec
		spec.Data.Name = "seed-example"
		send(a, editSpecMsg{spec: spec})
		editField(t, a, "data.split[1]")
		press(a, "esc", "up", "up")
		if v := a.View(); strings.Count(v, "n/a: 4 rows") != 2 || size[0] == 120 && !strings.Contains(v, "every split uses all") {
			t.Fatalf("%v: the split rows do not say they do not apply:\n%s", size, v)
		}
		spec.Data.Name = "circle"
		send(a, editSpecMsg{spec: spec})
		if v := a.View(); strings.Contains(v, "n/a:") {
			t.Fatalf("%v: circle's 500 rows:\n%s", size, v)
		}
	}
}

// TestLayerEditsKeepTheCursorAndSaySo: a with the cursor on epochs left it
// on learning rate (the new layer's rows went in above); J and K said
// nothing, the line keeping "layer 3 added".
func TestLayerEditsKeepTheCursorAndSaySo(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	seekField(t, a, "epochs")
	press(a, "a")
	if k := a.setupScreen().cursorKey(); k != "epochs" || !strings.Contains(a.status, "layer 3 added") {
		t.Fatalf("after a: cursor on %q, status %q", k, a.status)
	}
	seekField(t, a, "model.hidden[0].units")
	press(a, "J")
	if k := a.setupScreen().cursorKey(); k != "model.hidden[1].units" || a.status != "layer 1 moved down: now layer 2" {
		t.Fatalf("after J: cursor on %q, status %q", k, a.status)
	}
	press(a, "K")
	if a.status != "layer 2 moved up: now layer 1" {
		t.Fatalf("after K: status %q", a.status)
	}
}
