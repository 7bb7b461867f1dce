package trainer

import "fmt"

// Validate returns an error naming the first invalid field. Each field is
// checked against its registry row (range, choices, metric names), then
// the rules that span fields. It checks the spec on its own; CheckTask
// checks it against a dataset's task.
func (s *Spec) Validate() error {
	if err := s.Data.Validate(); err != nil {
		return err
	}
	if len(s.Model.Hidden) > 64 {
		return fmt.Errorf("model.hidden: %d layers is more than the limit of 64", len(s.Model.Hidden))
	}
	for i := range fields {
		f := &fields[i]
		if !f.PerLayer {
			if err := f.validate(s, -1); err != nil {
				return &FieldError{Field: f.Path, Reason: err.Error()}
			}
			continue
		}
		for l := range s.Model.Hidden {
			if err := f.validate(s, l); err != nil {
				return &FieldError{Field: layerPath(f, l), Reason: err.Error()}
			}
		}
	}
	if s.Optimizer.Name == "gd" && s.BatchSize != 0 {
		return fmt.Errorf("batch_size: gd is full-batch gradient descent; set batch_size to 0 or use sgd")
	}
	if s.Schedule.Name == "cosine" && s.Epochs == 0 {
		return fmt.Errorf("schedule.name: cosine anneals over the epoch limit, and epochs is 0 (no limit): set epochs or pick another schedule")
	}
	if err := s.checkCostMetrics(); err != nil {
		return err
	}
	return s.validateEval()
}

// checkCostMetrics refuses val_cost in a field that names a metric
// (early stopping's monitor, the plateau schedule's, the stopping rule)
// when the spec has no cost matrix to compute it.
func (s *Spec) checkCostMetrics() error {
	rule := ""
	if t, err := ParseTarget(s.Target); err == nil {
		rule = t.Metric
	}
	for _, c := range [...]struct{ field, metric string }{
		{"early_stop.monitor", s.EarlyStop.Monitor},
		{"schedule.monitor", s.Schedule.Monitor},
		{"target", rule},
	} {
		if err := s.CheckCost(c.metric); err != nil {
			return &FieldError{Field: c.field, Reason: err.Error()}
		}
	}
	return nil
}
