package sweeps

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
)

// The pruner names a sweep file or --pruner takes.
const (
	PrunerMedian = "median"
	PrunerASHA   = "asha"
)

// trialPruner decides after each epoch whether a trial stops. It is safe
// for concurrent use by the sweep's workers.
type trialPruner interface {
	report(trial, epoch int, val map[string]float64) bool
}

// checkPruner validates the pruner settings.
func checkPruner(s Spec) error {
	switch s.Pruner {
	case "", PrunerMedian:
	case PrunerASHA:
		if s.MinEpochs < 0 {
			return fmt.Errorf("sweep: min_epochs %d: want 1 or more epochs", s.MinEpochs)
		}
		if s.Reduction != 0 && s.Reduction < 2 {
			return fmt.Errorf("sweep: reduction %d: want 2 or more", s.Reduction)
		}
	default:
		return fmt.Errorf("sweep: unknown pruner %q (median or asha)", s.Pruner)
	}
	return nil
}

// ashaDefaults fills ASHA's settings: a reduction of 3 and a first rung at
// epochs/η³ (at least 1), which gives about four rungs.
func ashaDefaults(s Spec) (minEpochs, eta int) {
	eta = s.Reduction
	if eta == 0 {
		eta = 3
	}
	minEpochs = s.MinEpochs
	if minEpochs == 0 {
		minEpochs = max(1, s.Base.Epochs/(eta*eta*eta))
	}
	return minEpochs, eta
}

// newPruner returns the sweep's pruner, or nil without pruning.
func newPruner(s Spec, obj string, lower bool) trialPruner {
	_, metric, _ := strings.Cut(obj, "_")
	switch {
	case s.Pruner == PrunerASHA:
		r, eta := ashaDefaults(s)
		return &asha{min: r, eta: eta, metric: metric, lower: lower, best: map[int]float64{}, rungs: map[int][]float64{}}
	case s.Prune || s.Pruner == PrunerMedian:
		return newMedian(s, obj, lower)
	}
	return nil
}

// asha is asynchronous successive halving (Li et al. 2018, as Optuna's
// SuccessiveHalvingPruner): rungs at min·η^k epochs; at a rung a trial
// goes on only if its best objective so far is in the top 1/η of every
// trial that has reached that rung (itself included). While fewer than η
// trials have reached a rung, only the best of them goes on.
type asha struct {
	mu     sync.Mutex
	min    int
	eta    int
	metric string
	lower  bool
	best   map[int]float64   // trial → best objective so far
	rungs  map[int][]float64 // rung epoch → the values trials had there
}

// rung reports whether epoch is one of the rungs.
func (a *asha) rung(epoch int) bool {
	for r := a.min; r <= epoch; r *= a.eta {
		if r == epoch {
			return true
		}
	}
	return false
}

func (a *asha) better(x, y float64) bool {
	if a.lower {
		return x < y
	}
	return x > y
}

func (a *asha) report(trial, epoch int, val map[string]float64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	b, seen := a.best[trial]
	if v, ok := val[a.metric]; ok && !math.IsNaN(v) && (!seen || a.better(v, b)) {
		b, seen = v, true
		a.best[trial] = v
	}
	if !a.rung(epoch) {
		return false
	}
	if !seen { // no value by a rung: nothing to promote
		return true
	}
	a.rungs[epoch] = append(a.rungs[epoch], b)
	comp := append([]float64{}, a.rungs[epoch]...)
	sort.Slice(comp, func(i, j int) bool { return a.better(comp[i], comp[j]) })
	k := max(len(comp)/a.eta-1, 0)
	return a.better(comp[k], b)
}
