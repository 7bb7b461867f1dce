package sessions

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
