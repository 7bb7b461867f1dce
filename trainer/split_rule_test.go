package trainer

import (
	"testing"

	"workbench/datasets"
)

// TestRealDataLeavesThePlaygroundSplit: the Playground's 50% split belongs
// to its synthetic sets; a real dataset takes 70/15/15, and a synthetic one
// chosen again takes the Playground's back.
func TestRealDataLeavesThePlaygroundSplit(t *testing.T) {
	s := DefaultSpec()
	if s.Data.Split != PlaygroundSplit {
		t.Fatalf("default split %v", s.Data.Split)
	}
	if err := s.Set("data", "credit"); err != nil {
		t.Fatal(err)
	}
	if s.Data.Split != datasets.DefaultSplit {
		t.Fatalf("credit split %v, want %v", s.Data.Split, datasets.DefaultSplit)
	}
	if err := s.Set("data", "spiral"); err != nil {
		t.Fatal(err)
	}
	if s.Data.Split != PlaygroundSplit {
		t.Fatalf("spiral split %v, want %v", s.Data.Split, PlaygroundSplit)
	}
	s.Data.Split = [3]float64{0.6, 0.2, 0.2} // a split the user chose stays
	if err := s.Set("data", "iris"); err != nil || s.Data.Split != [3]float64{0.6, 0.2, 0.2} {
		t.Fatalf("a chosen split changed: %v %v", s.Data.Split, err)
	}
}
