package sweeps

import (
	"context"
	"math"
	"sort"
	"strings"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// Plan is a sweep checked and expanded for a queue: what Run checks
// before its first trial, for trials that will run elsewhere.
type Plan struct {
	// Trials are the trials known up front: all of them, or TPE's
	// startup trials.
	Trials []Trial
	// Budget is how many trials the sweep runs; for TPE, the trials after
	// Trials are proposed from the finished ones (NextTrial).
	Budget    int
	Objective string
	Lower     bool
}

// Prepare expands s and checks every trial against its data's task, as
// Run does before it trains.
func Prepare(s Spec) (*Plan, error) {
	trials, err := Expand(s)
	if err != nil {
		return nil, err
	}
	first, err := datasets.Build(trials[0].Spec.Data)
	if err != nil {
		return nil, err
	}
	obj, err := checkTrials(s, first.Task(), trials)
	if err != nil {
		return nil, err
	}
	return &Plan{Trials: trials, Budget: s.budget(len(trials)), Objective: obj, Lower: trainer.LowerIsBetter(obj)}, nil
}

// NextTrial proposes trial index of a TPE sweep from its finished trials,
// in any order: what Run's dispatcher does when a worker frees up, for a
// sweep whose trials end on many machines. As with Run at parallelism
// above 1, the proposal depends on which trials have finished.
func NextTrial(s Spec, obj string, index int, finished []TrialResult) (Trial, error) {
	startup, err := Expand(s)
	if err != nil {
		return Trial{Index: index}, err
	}
	next := newSource(s, startup, trainer.LowerIsBetter(obj), func(trainer.Spec) error { return nil })
	sort.Slice(finished, func(i, j int) bool { return finished[i].Trial.Index < finished[j].Trial.Index })
	return next(index, finished)
}

// Peers reads the other trials of a distributed sweep.
type Peers interface {
	PeerEpochs(ctx context.Context, q sessions.PeerQuery) ([]sessions.PeerEpoch, error)
}

// SharedPruner returns the prune decision for trial index of a
// distributed sweep whose trials share store: the sweep's median or ASHA
// pruner, comparing against the other trials' epochs in the store rather
// than in one process's memory. It returns nil for a sweep without
// pruning. A failed read prunes nothing.
func SharedPruner(s Spec, obj string, index, epochs int, store Peers, sweepID string) func(epoch int, val map[string]float64) bool {
	split, metric, _ := strings.Cut(obj, "_")
	lower := trainer.LowerIsBetter(obj)
	value := func(p sessions.PeerEpoch) (float64, bool) {
		m := p.Val
		if split == "train" {
			m = p.Train
		}
		v, ok := m[metric]
		return v, ok && !math.IsNaN(v)
	}
	ctx := context.Background()
	switch {
	case s.Pruner == PrunerASHA:
		min, eta := ashaDefaults(s)
		a := &asha{min: min, eta: eta, lower: lower}
		best, seen := 0.0, false
		return func(epoch int, val map[string]float64) bool {
			if v, ok := val[metric]; ok && !math.IsNaN(v) && (!seen || a.better(v, best)) {
				best, seen = v, true
			}
			if !a.rung(epoch) || epoch >= epochs {
				return false
			}
			if !seen {
				return true
			}
			peers, err := store.PeerEpochs(ctx, sessions.PeerQuery{SweepID: sweepID, Trial: index, From: 1, To: epoch, Reached: epoch})
			if err != nil {
				return false
			}
			bests := map[int]float64{}
			for _, p := range peers {
				if v, ok := value(p); ok {
					if b, had := bests[p.Trial]; !had || a.better(v, b) {
						bests[p.Trial] = v
					}
				}
			}
			comp := []float64{best}
			for _, b := range bests {
				comp = append(comp, b)
			}
			sort.Slice(comp, func(i, j int) bool { return a.better(comp[i], comp[j]) })
			k := max(len(comp)/a.eta-1, 0)
			return a.better(comp[k], best)
		}
	case s.Prune || s.Pruner == PrunerMedian:
		warmup := s.PruneWarmup
		if warmup <= 0 {
			warmup = 5
		}
		return func(epoch int, val map[string]float64) bool {
			v, ok := val[metric]
			if !ok || math.IsNaN(v) || epoch <= warmup || epoch >= epochs {
				return false
			}
			peers, err := store.PeerEpochs(ctx, sessions.PeerQuery{SweepID: sweepID, Trial: index, Earlier: true, From: epoch, To: epoch, Reached: epoch})
			if err != nil {
				return false
			}
			var earlier []float64
			for _, p := range peers {
				if x, ok := value(p); ok {
					earlier = append(earlier, x)
				}
			}
			return worseThanMedian(v, earlier, lower)
		}
	}
	return nil
}
