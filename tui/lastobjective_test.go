package tui

import (
	"testing"

	"workbench/trainer"
)

// TestSetupRestoresTheSweepObjective: the objective of the sweep Setup
// last started is there on the next launch, with the sweep's base spec,
// as the other Setup choices are: it was lost, so the next sweep ranked
// its trials by the default metric unless the user chose again.
func TestSetupRestoresTheSweepObjective(t *testing.T) {
	store := tempStore(t)
	a := newApp(t, store, 120, 40)
	spec := trainer.DefaultSpec()
	spec.Epochs = 2
	spec.Optimizer.LR = 0.05
	a.setupScreen().setSpec(spec)
	seekField(t, a, "optimizer.lr")
	press(a, "w")
	a.setupScreen().input.SetValue("0.01,0.1")
	press(a, "enter")
	seekField(t, a, objectiveKey)
	press(a, "right", "right")
	chosen := a.setupScreen().objective
	if chosen == "" {
		t.Fatal("→ on the objective chose nothing")
	}
	seekField(t, a, "optimizer.lr") // t from the button or a field starts the sweep
	press(a, "t")
	if a.sweeps != 0 {
		t.Fatalf("the sweep has not ended: %d", a.sweeps)
	}

	b := newApp(t, store, 120, 40)
	m := b.setupScreen()
	if m.objective != chosen || m.spec.Optimizer.LR != 0.05 || m.spec.Epochs != 2 {
		t.Fatalf("next launch: objective %q (want %q), lr %g, epochs %d", m.objective, chosen, m.spec.Optimizer.LR, m.spec.Epochs)
	}
	seekField(t, b, "optimizer.lr")
	press(b, "w")
	b.setupScreen().input.SetValue("0.01,0.1")
	press(b, "enter")
	seekField(t, b, objectiveKey)
	if v := b.setupScreen().value(b.setupScreen().current()); v != chosen {
		t.Errorf("the objective line reads %q, want %q", v, chosen)
	}

	// A run trained since keeps the objective for the next sweep.
	c := newApp(t, store, 120, 40)
	press(c, "t")
	if d := newApp(t, store, 120, 40); d.setupScreen().objective != chosen {
		t.Errorf("after a single run the objective is %q, want %q", d.setupScreen().objective, chosen)
	}
}
