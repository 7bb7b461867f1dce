package sweeps

import (
	"context"
	"fmt"
	"sort"

	"workbench/analysis"
	"workbench/numfmt"
	"workbench/sessions"
)

// EnsembleTop combines the k best trials of a finished sweep (by its
// objective, among trials that finished with a saved model) into an
// ensemble run. The trials must share their data: a sweep over a data
// field is refused, naming it.
func EnsembleTop(ctx context.Context, store sessions.Store, res *Result, k int, o analysis.EnsembleOptions) (*analysis.EnsembleResult, error) {
	if k < 2 {
		return nil, fmt.Errorf("sweep: --ensemble-top %d: an ensemble needs at least 2 trials", k)
	}
	var ok []TrialResult
	for _, t := range res.Trials {
		if t.Standing().Candidate() && t.RunID != "" {
			ok = append(ok, t)
		}
	}
	if len(ok) < k {
		return nil, fmt.Errorf("sweep: --ensemble-top %d, but only %s finished with a model", k, numfmt.Count(len(ok), "trial"))
	}
	sort.SliceStable(ok, func(a, b int) bool {
		return RanksAbove(res.Lower, ok[a].Standing(), ok[b].Standing())
	})
	ids := make([]string, k)
	for i := range ids {
		ids[i] = ok[i].RunID
	}
	if o.Name == "" {
		o.Name = fmt.Sprintf("top %d of sweep %s", k, res.ID)
	}
	return analysis.Ensemble(ctx, store, ids, o)
}
