package sessions

import "workbench/trainer"

// evalSummary returns the summary metrics a cross-validated run adds to
// its row when it finishes: cv_<metric> (the mean over folds of the
// folds' final validation metric), cv_<metric>_std, and
// test_<metric>_std beside the test means. Other runs add nothing.
func evalSummary(e Evaluations) Metrics {
	m := Metrics{}
	if len(e.Val.Folds) == 0 {
		return m
	}
	for k, v := range e.Val.Metrics {
		m["cv_"+k] = v
	}
	for k, v := range e.Val.Std {
		m["cv_"+k+"_std"] = v
	}
	for k, v := range e.Test.Std {
		m["test_"+k+"_std"] = v
	}
	return m
}

// EpochFolds returns how many folds epoch h of f's history is the mean of,
// and how many folds the run has: from the epoch itself, or, for an epoch
// recorded before the store kept it, from the run's evaluation
// (trainer.Evaluation.FoldsAt). It returns 0, 0 for a run without
// cross-validation and when neither says (such an epoch of a run that has
// not finished).
func (f *FullRun) EpochFolds(h Epoch) (n, of int) {
	if h.Folds > 0 {
		return h.Folds, f.Spec.CV
	}
	if f.Evaluation != nil {
		return f.Evaluation.Val.FoldsAt(h.Epoch)
	}
	return 0, 0
}

// FoldsTraining returns, for a cross-validated run still training, how
// many of its folds its newest epoch is the mean of (the folds still
// training: they train at once, so a run is never on one fold) and how
// many it has; 0, 0 for any other run and before the first epoch.
func (f *FullRun) FoldsTraining() (n, of int) {
	if f.Status != trainer.StatusRunning || f.Spec.CV == 0 || len(f.History) == 0 {
		return 0, 0
	}
	return f.EpochFolds(f.History[len(f.History)-1])
}
