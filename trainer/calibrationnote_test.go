package trainer

import (
	"testing"

	"workbench/datasets"
)

func TestCalibrationNote(t *testing.T) {
	for _, c := range []struct {
		name      string
		calibrate string
		threshold float64
		task      datasets.Task
		short     string
	}{
		{"uncalibrated", "", 0.3, datasets.Binary, ""},
		{"none", "none", 0, datasets.Multiclass, ""},
		{"regression", "temperature", 0, datasets.Regression, ""},
		{"multiclass", "temperature", 0, datasets.Multiclass, "best_val_… uncalibrated; test_… calibrated"},
		{"binary at 0.5", "temperature", 0.5, datasets.Binary, "best_val_… uncalibrated; test_… calibrated"},
		{"binary at 0.3", "temperature", 0.3, datasets.Binary, "best_val_… uncalibrated (cut at 0.3); test_… calibrated"},
	} {
		s := DefaultSpec()
		s.Calibrate, s.Decision.Threshold = c.calibrate, c.threshold
		if got := s.CalibrationNote(c.task, false); got != c.short {
			t.Errorf("%s: %q, want %q", c.name, got, c.short)
		}
		long := s.CalibrationNote(c.task, true)
		if (long == "") != (c.short == "") {
			t.Errorf("%s: long note %q", c.name, long)
		}
	}
}
