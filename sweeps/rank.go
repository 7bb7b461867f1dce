package sweeps

import (
	"math"

	"workbench/trainer"
)

// Standing is what ranks a trial: its status and its objective.
type Standing struct {
	Status    trainer.Status
	Objective float64
	HasObj    bool
}

// Candidate reports whether a trial can be a sweep's best: it has an
// objective and ran to its end (done, early-stopped or at its target). As
// in Optuna, a pruned trial is never a candidate: its objective comes from
// fewer epochs and the pruner judged it worse.
func (s Standing) Candidate() bool {
	if !s.HasObj || math.IsNaN(s.Objective) {
		return false
	}
	switch s.Status {
	case trainer.StatusDone, trainer.StatusEarlyStopped, trainer.StatusTargetReached:
		return true
	}
	return false
}

// RanksAbove reports whether a ranks above b when a lower objective is
// better (lower) or not: candidates first, then other trials with an
// objective (pruned, stopped), then trials without one; within each group
// by objective.
func RanksAbove(lower bool, a, b Standing) bool {
	if ca, cb := a.Candidate(), b.Candidate(); ca != cb {
		return ca
	}
	if a.HasObj != b.HasObj {
		return a.HasObj
	}
	if lower {
		return a.Objective < b.Objective
	}
	return a.Objective > b.Objective
}

// Standing returns what ranks t.
func (t TrialResult) Standing() Standing { return Standing{t.Status, t.Objective, t.HasObj} }

// Standing returns what ranks t.
func (t ReportTrial) Standing() Standing { return Standing{t.Status, t.Objective, t.HasObj} }
