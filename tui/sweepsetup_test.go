package tui

import (
	"context"
	"strings"
	"testing"

	"workbench/sweeps"
	"workbench/trainer"
)

func TestSetupSearchesARangeWithTPE(t *testing.T) {
	a, store := setupAtLR(t, 5)
	press(a, "w")
	a.setupScreen().input.SetValue("log:1e-3:0.3")
	press(a, "enter")
	if !strings.Contains(a.View(), "Sweep 20 trials") || !strings.Contains(a.status, "TPE") {
		t.Fatalf("range mark: %q\n%s", a.status, a.View())
	}
	press(a, "t")
	sws, _ := store.ListSweeps(context.Background())
	if len(sws) != 1 || sws[0].Trials != 20 || sws[0].Status != "done" {
		t.Fatalf("stored sweeps: %+v", sws)
	}
	sp, err := sweeps.ParseSpecFile([]byte(sws[0].Config))
	if err != nil || sp.Sampler != sweeps.SamplerTPE || len(sp.Random) != 1 || sp.Random[0].Kind != "log" {
		t.Fatalf("config %+v %v", sp, err)
	}
	// A bad range is refused with the reason.
	press(a, "1", "w")
	a.setupScreen().input.SetValue("log:0:1")
	press(a, "enter")
	if a.statusOK || !strings.Contains(a.status, "log") {
		t.Fatalf("bad range accepted: %q", a.status)
	}
}

// TestSetupSweepErrorsSpeakTheForm: refused values to sweep are named by
// the field's label and the text typed, not by the --random flag and the
// spec path.
func TestSetupSweepErrorsSpeakTheForm(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	for raw, want := range map[string]string{
		"log:1e-4:abc": "learning rate ⟳ log:1e-4:abc: want log:LO:HI, two numbers",
		"log:0.1:0.01": "learning rate ⟳ log:0.1:0.01: log needs 0 < LO < HI, got 0.1:0.01",
		"0.1,abc":      "learning rate ⟳ 0.1,abc: not a number",
	} {
		editField(t, a, "optimizer.lr")
		press(a, "esc", "w")
		a.setupScreen().input.SetValue(raw)
		press(a, "enter")
		if a.statusOK || a.status != want {
			t.Errorf("%s: status %q, want %q", raw, a.status, want)
		}
		if strings.Contains(a.status, "--") {
			t.Errorf("%s: the status names a flag: %q", raw, a.status)
		}
	}
}

// TestSetupRefusesASweepThatNeverEnds: with epochs ∞ and nothing to stop
// the trials, w refuses the values to sweep and says why (the sweep
// started, its first trials trained for good and the rest never ran).
func TestSetupRefusesASweepThatNeverEnds(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 0
	a.setupScreen().setSpec(spec)
	editField(t, a, "optimizer.lr")
	press(a, "esc", "w")
	a.setupScreen().input.SetValue("0.01,0.1")
	press(a, "enter")
	if a.statusOK || !strings.Contains(a.status, "no epoch limit") || len(a.setupScreen().sweep) != 0 {
		t.Errorf("status %q, marks %v", a.status, a.setupScreen().sweep)
	}
}

// TestSetupSweepChecksEveryChoice: a choice the field cannot take is
// refused when marked, named plainly (it passed when the one trial drawn
// to check missed it).
func TestSetupSweepChecksEveryChoice(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	editField(t, a, "model.hidden[0].activation")
	press(a, "esc", "w")
	a.setupScreen().input.SetValue("choice:relu,relux")
	press(a, "enter")
	if a.statusOK || !strings.HasPrefix(a.status, `activation ⟳ choice:relu,relux: value "relux": `) || len(a.setupScreen().sweep) != 0 {
		t.Errorf("status %q, marks %v", a.status, a.setupScreen().sweep)
	}
}

// TestSetupSweepNamesTrialsByFlag: a sweep from Setup names its axes, and
// so its trials, by the fields' flags as `sweep --grid lr=…` does
// ("#1 lr=0.001 momentum=0"), not by spec paths, which left no room for
// the values in Train's tabs and the sweep's table; a layer's own field
// keeps its path, which its flag (every layer) does not name.
func TestSetupSweepNamesTrialsByFlag(t *testing.T) {
	a := newApp(t, nil, 120, 40)
	s := a.setupScreen()
	s.sweep["optimizer.lr"] = "0.001,0.1"
	s.sweep["optimizer.momentum"] = "0,0.9"
	s.sweep["model.hidden[0].units"] = "4,8"
	s.spec.Optimizer.Name = "momentum"
	trials, err := sweeps.Expand(s.sweepSpec())
	if err != nil || len(trials) != 8 {
		t.Fatalf("%d trials, %v", len(trials), err)
	}
	if got, want := trials[0].Spec.Name, "#1 lr=0.001 model.hidden[0].units=4 momentum=0"; got != want {
		t.Errorf("the first trial is named %q, want %q", got, want)
	}
	if got := trials[7].Spec; got.Optimizer.LR != 0.1 || got.Optimizer.Momentum != 0.9 || got.Model.Hidden[0].Units != 8 || got.Model.Hidden[1].Units != 2 {
		t.Errorf("the last trial's spec: lr %v, momentum %v, layers %+v", got.Optimizer.LR, got.Optimizer.Momentum, got.Model.Hidden)
	}
}
