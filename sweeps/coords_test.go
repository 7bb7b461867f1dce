package sweeps

import (
	"slices"
	"testing"

	"workbench/sessions"
)

// TestCoordinatesKeepTheGridsOrder: a categorical grid axis lists its
// values bottom to top in the grid's order, not in the order the ranked
// trials first show them (layers=8;16,16;32 read 16,16 at the bottom and 8
// in the middle when a 16,16 trial ranked first).
func TestCoordinatesKeepTheGridsOrder(t *testing.T) {
	rep := &Report{
		Spec:   Spec{Grid: []Param{{Field: "layers", Values: []string{"8", "16,16", "32"}}}},
		Fields: []string{"layers"},
		Trials: []ReportTrial{
			{Params: map[string]string{"layers": "16,16"}, Objective: 1, HasObj: true},
			{Params: map[string]string{"layers": "8"}, Objective: 0.95, HasObj: true},
			{Params: map[string]string{"layers": "32"}, Objective: 0.94, HasObj: true},
		},
	}
	rep.Sweep = &sessions.Sweep{Objective: "val_accuracy"}
	axes, _ := rep.Coordinates()
	if want := []string{"8", "16,16", "32"}; !slices.Equal(axes[0].Labels, want) {
		t.Errorf("labels %v, want %v", axes[0].Labels, want)
	}
}
