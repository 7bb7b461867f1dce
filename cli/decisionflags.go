package cli

import (
	"github.com/spf13/pflag"

	"workbench/trainer"
)

// decisionFlags choose a binary task's positive class and decision rule.
// When the spec-field registry generates every spec flag, these become
// its rows (data.positive, decision.threshold, decision.cost_fp,
// decision.cost_fn) and this file goes.
type decisionFlags struct {
	fs             *pflag.FlagSet
	positive       string
	threshold      float64
	costFP, costFN float64
}

func addDecisionFlags(fs *pflag.FlagSet) *decisionFlags {
	f := &decisionFlags{fs: fs}
	fs.StringVar(&f.positive, "positive", "", "binary tasks: the positive `class`, whose probability, recall and precision are reported (credit: bad)")
	fs.Float64Var(&f.threshold, "threshold", 0, "binary tasks: predict positive at this probability or more (default 0.5, or tuned from the costs)")
	fs.Float64Var(&f.costFP, "cost-fp", 0, "binary tasks: the cost of a false positive; with --cost-fn, tunes the threshold on validation")
	fs.Float64Var(&f.costFN, "cost-fn", 0, "binary tasks: the cost of a false negative (--cost-fp 1 --cost-fn 5 is German credit's convention)")
	return f
}

// apply sets the flags given on the command line in s.
func (f *decisionFlags) apply(s *trainer.Spec) {
	if f.fs.Changed("positive") {
		s.Data.Positive = f.positive
	}
	if f.fs.Changed("threshold") {
		s.Decision.Threshold = f.threshold
	}
	if f.fs.Changed("cost-fp") {
		s.Decision.CostFP = f.costFP
	}
	if f.fs.Changed("cost-fn") {
		s.Decision.CostFN = f.costFN
	}
}
