package tui

import (
	"fmt"
	"strings"

	"workbench/trainer"
)

// evalFields are the Setup rows of the evaluation settings: target
// scaling, class weights, cross-validation and calibration.
func evalFields() []field {
	cv := intField("cv", "Evaluation", "cross-validation folds", 0, trainer.MaxFolds, []string{"0", "3", "5", "10"},
		func(s *trainer.Spec) *int { return &s.CV })
	cv.hint = fmt.Sprintf("0 = off, 2 … %d folds", trainer.MaxFolds)
	cv.set = func(s *trainer.Spec, v string) error {
		n, err := parseIntIn(v, 0, trainer.MaxFolds)
		if err == nil && n == 1 {
			err = fmt.Errorf("0 (off) or at least 2 folds")
		}
		if err == nil {
			s.CV = n
			if n == 0 {
				s.CVAll = false
			}
		}
		return err
	}
	return []field{
		enumField("scale_target", "Evaluation", "target scaling", []string{"none", "standard", "minmax"},
			func(s *trainer.Spec) *string { return &s.ScaleTarget }),
		{key: "class_weight", section: "Evaluation", label: "class weights", hint: "none, balanced or CLASS=W,…", layer: -1,
			steps: []string{"none", "balanced"},
			get: func(s *trainer.Spec) string {
				if s.ClassWeight == "" {
					return "none"
				}
				return s.ClassWeight
			},
			set: func(s *trainer.Spec, v string) error {
				t := trainer.DefaultSpec()
				t.ClassWeight = strings.TrimSpace(v)
				if err := t.Validate(); err != nil {
					return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "class_weight: "))
				}
				s.ClassWeight = t.ClassWeight
				return nil
			}},
		cv,
		{key: "cv_all", section: "Evaluation", label: "folds use test rows", hint: "off on (on: no held-out test)", layer: -1,
			steps: []string{"off", "on"},
			get: func(s *trainer.Spec) string {
				if s.CVAll {
					return "on"
				}
				return "off"
			},
			set: func(s *trainer.Spec, v string) error {
				switch v {
				case "on":
					if s.CV == 0 {
						return fmt.Errorf("set cross-validation folds first")
					}
					s.CVAll = true
				case "off":
					s.CVAll = false
				default:
					return fmt.Errorf("on or off")
				}
				return nil
			}},
		enumField("calibrate", "Evaluation", "calibration", []string{"none", "temperature"},
			func(s *trainer.Spec) *string { return &s.Calibrate }),
	}
}
