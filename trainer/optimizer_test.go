package trainer

import (
	"testing"

	"workbench/datasets"
)

func TestClipValueClipsEachGradientElement(t *testing.T) {
	p := &Param{W: []float64{0, 0, 0, 0}, G: []float64{2, -3, 0.1, -0.25}}
	opt, err := NewOptimizer(OptimizerSpec{Name: "sgd", ClipValue: 0.5}, []*Param{p})
	if err != nil {
		t.Fatal(err)
	}
	if opt.Name() != "sgd" {
		t.Errorf("name %q", opt.Name())
	}
	opt.Step(1)
	want := []float64{-0.5, 0.5, -0.1, 0.25}
	for i := range want {
		if p.W[i] != want[i] {
			t.Fatalf("w = %v, want %v", p.W, want)
		}
	}
	if a := testing.AllocsPerRun(100, func() { opt.Step(0.1) }); a != 0 {
		t.Errorf("a clipped step allocates %v times", a)
	}
	// The field is one registry row: flag, path and validation.
	s := DefaultSpec()
	if err := s.Set("clip-value", "0.5"); err != nil || s.Optimizer.ClipValue != 0.5 {
		t.Fatalf("clip-value: %v %v", err, s.Optimizer.ClipValue)
	}
	s.Optimizer.ClipValue = -1
	if err := s.Validate(); err == nil || err.Error() != "optimizer.clip_value: -1 is out of range [0, 1,000,000]" {
		t.Errorf("Validate: %v", err)
	}
	// A clipped run still learns moons.
	data := prepare(t, datasets.Spec{Name: "moons", Samples: 300, Noise: 0.1, Seed: 2})
	s = DefaultSpec()
	s.Data = data.Spec
	s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01, ClipValue: 0.05}
	s.Epochs = 60
	_, fin := runAll(t, s, data, Options{})
	if acc := fin.Val.Metrics["accuracy"]; acc < 0.85 {
		t.Errorf("val accuracy %v with clipped gradients", acc)
	}
}
