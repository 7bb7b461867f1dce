package tui

import (
	"strings"

	"workbench/trainer"
)

// positiveDefault shows an empty positive class: the dataset's own.
const positiveDefault = "default"

// decisionFields are a binary task's decision settings: the positive
// class, a fixed threshold, or the costs of a false positive and a false
// negative from which the threshold is tuned on validation.
func decisionFields() []field {
	costSteps := []string{"0", "1", "2", "5", "10", "20"}
	threshold := floatField("decision.threshold", "Decision", "threshold", 0, 0.99, []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"},
		func(s *trainer.Spec) *float64 { return &s.Decision.Threshold })
	threshold.hint = "0 means 0.5, or tuned on validation from the costs"
	return []field{
		{key: "data.positive", section: "Decision", label: "positive class", hint: "binary: enter types a class name, e.g. bad",
			steps: []string{positiveDefault}, layer: -1,
			get: func(s *trainer.Spec) string {
				if s.Data.Positive == "" {
					return positiveDefault
				}
				return s.Data.Positive
			},
			set: func(s *trainer.Spec, v string) error {
				v = strings.TrimSpace(v)
				if v == positiveDefault {
					v = ""
				}
				s.Data.Positive = v
				return nil
			}},
		threshold,
		floatField("decision.cost_fp", "Decision", "cost false positive", 0, 1e9, costSteps, func(s *trainer.Spec) *float64 { return &s.Decision.CostFP }),
		floatField("decision.cost_fn", "Decision", "cost false negative", 0, 1e9, costSteps, func(s *trainer.Spec) *float64 { return &s.Decision.CostFN }),
	}
}
