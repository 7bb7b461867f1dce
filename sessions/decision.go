package sessions

import "workbench/datasets"

// DecisionNote says which threshold a run's metrics are at, "" for a run
// without a decision rule: the rule's sentence (long) or phrase. A run
// saved before its epochs followed the rule has no best_val_threshold, and
// its best_val_… metrics are at 0.5, so the note says that instead.
func (r *Run) DecisionNote(long bool) string {
	d := r.Spec.Decision
	if d.IsZero() {
		return ""
	}
	if _, ok := r.Metrics["best_val_threshold"]; !ok && r.BestEpoch > 0 {
		if long {
			return "decision rule: this run's epochs (best_val_…) were scored at 0.5, as runs saved before they followed the rule were; test_… are at test_threshold"
		}
		return "best_val_… at 0.5 (saved before the rule scored epochs); test_… at test_threshold"
	}
	if long {
		return d.Describe()
	}
	return d.Rule()
}

// CalibrationNote says, for a run calibrated by temperature scaling, that
// its best_val_… metrics are before calibration and its test_… after (see
// trainer.Spec.CalibrationNote); "" for any other run and before its
// first epoch.
func (r *Run) CalibrationNote(long bool) string {
	if r.BestEpoch == 0 {
		return ""
	}
	task, err := datasets.ParseTask(r.Task)
	if err != nil {
		return ""
	}
	return r.Spec.CalibrationNote(task, long)
}
