package sweeps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"workbench/trainer"
)

// The sampler names a sweep file or --sampler takes.
const (
	SamplerRandom = "random"
	SamplerTPE    = "tpe"
)

// TPE settings: Optuna's TPESampler defaults (Bergstra et al. 2011),
// except that it starts TPE sooner on a small budget (startupTrials) and
// models the axes jointly (Optuna's multivariate=True).
const (
	// tpeStartup is the most trials drawn at random before TPE takes over.
	// They are the same draws random search makes with the same seed.
	tpeStartup = 10
	// tpeCandidates is how many points are drawn from the good density;
	// the one with the best ratio l(x)/g(x) is proposed.
	tpeCandidates = 24
	// tpePriorWeight is the weight of the prior kernel (a wide Gaussian at
	// the centre of the range, or a uniform over the choices).
	tpePriorWeight = 1.0
)

// startupTrials is how many random trials TPE starts with: Optuna's 10,
// but no more than a tenth of the budget unless the model needs more, and
// at least one more than the number of axes (BOHB's minimum for a model
// of d axes). With Optuna's 10, a third of a 30-trial budget would be
// random; a 30-trial sweep of 3 or 4 axes starts with 4 or 5, one of 100
// trials with 10.
func startupTrials(s Spec) int {
	return min(tpeStartup, max(s.Trials/10, len(s.Random)+1))
}

// tpeGamma is Optuna's default_gamma: how many of n finished trials form
// the good group, min(⌈0.1·n⌉, 25).
func tpeGamma(n int) int { return min(int(math.Ceil(0.1*float64(n))), 25) }

// tpeWeights is Optuna's default_weights: n observations ordered oldest
// first weigh 1, except that beyond 25 the older ones ramp down linearly
// from 1/n.
func tpeWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n >= 25 {
		ramp := n - 25
		for i := 0; i < ramp; i++ {
			// numpy.linspace(1/n, 1, ramp)
			if ramp == 1 {
				w[i] = 1 / float64(n)
			} else {
				w[i] = 1/float64(n) + (1-1/float64(n))*float64(i)/float64(ramp-1)
			}
		}
	}
	return w
}

// checkSampler validates the sampler and what it can search.
func checkSampler(s Spec) error {
	switch s.Sampler {
	case "", SamplerRandom:
		return nil
	case SamplerTPE:
	default:
		return fmt.Errorf("sweep: unknown sampler %q (random or tpe)", s.Sampler)
	}
	switch {
	case len(s.Random) == 0:
		return fmt.Errorf("sweep: the tpe sampler searches --random axes; give at least one")
	case s.Trials <= 0:
		return fmt.Errorf("sweep: the tpe sampler needs a trial budget (--trials N)")
	case len(s.Grid) > 0:
		return fmt.Errorf("sweep: the tpe sampler does not take --grid axes; write them as --random FIELD=choice:A,B")
	case s.Seeds > 1:
		return fmt.Errorf("sweep: the tpe sampler does not take --seeds; run each seed as its own sweep")
	}
	return nil
}

// budget is how many trials the sweep runs: every expanded trial, or for
// TPE the trial budget (only the startup trials exist up front).
func (s Spec) budget(expanded int) int {
	if s.Sampler == SamplerTPE {
		return s.Trials
	}
	return expanded
}

// Budget is the number of trials the sweep will run, or an error for an
// invalid space.
func Budget(s Spec) (int, error) {
	ts, err := Expand(s)
	if err != nil {
		return 0, err
	}
	return s.budget(len(ts)), nil
}

// tpe proposes trials from the finished ones. It is used by one goroutine
// (the sweep's dispatcher) at a time.
type tpe struct {
	spec  Spec
	lower bool
	// multivariate models the axes jointly; the sweeps use it. Without it
	// each axis is modelled on its own, as Optuna's default does.
	multivariate bool
}

func dimOf(d Dist) tpeDim {
	switch d.Kind {
	case "log":
		return tpeDim{low: math.Log(d.Min), high: math.Log(d.Max)}
	case "int":
		return tpeDim{low: math.Ceil(d.Min), high: math.Floor(d.Max), step: 1}
	case "choice":
		return tpeDim{choices: len(d.Items)}
	}
	return tpeDim{low: d.Min, high: d.Max}
}

// encode reads a trial's text value into TPE's space.
func encode(d Dist, v string) (float64, bool) {
	if d.Kind == "choice" {
		for i, it := range d.Items {
			if it == v {
				return float64(i), true
			}
		}
		return 0, false
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) {
		return 0, false
	}
	if d.Kind == "log" {
		if x <= 0 {
			return 0, false
		}
		return math.Log(x), true
	}
	return x, true
}

// decode writes a value of TPE's space as the trial's text value.
func decode(d Dist, x float64) string {
	switch d.Kind {
	case "choice":
		return d.Items[int(x)]
	case "int":
		return strconv.Itoa(int(math.Round(x)))
	case "log":
		return ftoa(math.Exp(x))
	}
	return ftoa(x)
}

// goodTrial reports whether a finished trial ran to its end with a finite
// objective: only such trials rank by objective alone (see split).
func goodTrial(r TrialResult) bool {
	if !finiteObj(r) {
		return false
	}
	switch r.Status {
	case trainer.StatusDone, trainer.StatusEarlyStopped, trainer.StatusTargetReached:
		return true
	}
	return false
}

// tier is where a finished trial ranks in TPE's split, best first: a
// trial that ran to its end, a pruned one (Optuna's PRUNED), or one that
// diverged, failed or was stopped, which never joins the good group.
func tier(r TrialResult) int {
	switch {
	case goodTrial(r):
		return 0
	case r.Status == trainer.StatusPruned:
		return 1
	}
	return 2
}

// split ranks the finished trials and returns the good group (the best
// tpeGamma(n) of n) and the rest, each in trial order. As in Optuna, the
// trials that ran to their end rank by objective; pruned ones rank below
// them, those that got furthest first and then by their objective so far,
// and fill the good group only when too few trials ran to their end (an
// ASHA sweep early on). Diverged, failed and stopped trials count as bad.
func (p *tpe) split(done []TrialResult) (below, above []TrialResult) {
	var ts []TrialResult
	for _, r := range done {
		if r.Trial.Params != nil {
			ts = append(ts, r)
		}
	}
	better := func(a, b TrialResult) bool {
		if ta, tb := tier(a), tier(b); ta != tb {
			return ta < tb
		}
		if a.Status == trainer.StatusPruned && a.Epochs != b.Epochs {
			return a.Epochs > b.Epochs
		}
		fa, fb := finiteObj(a), finiteObj(b)
		switch {
		case fa != fb:
			return fa
		case fa && a.Objective != b.Objective:
			return (a.Objective < b.Objective) == p.lower
		}
		return a.Trial.Index < b.Trial.Index
	}
	sort.SliceStable(ts, func(i, j int) bool { return better(ts[i], ts[j]) })
	n := tpeGamma(len(ts))
	for i, r := range ts {
		if i < n && tier(r) < 2 {
			below = append(below, r)
		} else {
			above = append(above, r)
		}
	}
	byIndex := func(ts []TrialResult) {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Trial.Index < ts[j].Trial.Index })
	}
	byIndex(below)
	byIndex(above)
	return below, above
}

func finiteObj(r TrialResult) bool {
	return r.HasObj && !math.IsNaN(r.Objective) && !math.IsInf(r.Objective, 0)
}

// suggest proposes the parameters of trial index given the finished
// trials: tpeCandidates draws from the good density l, and the one that
// maximises log l(x) − log g(x) wins. Univariate TPE (Optuna's default)
// does this for each axis on its own; multivariate TPE draws whole points
// from joint densities, so it can learn how the axes go together.
func (p *tpe) suggest(index int, done []TrialResult) map[string]string {
	r := rand.New(rand.NewPCG(p.spec.Seed, 0x79e0000+uint64(index)))
	below, above := p.split(done)
	out := make(map[string]string, len(p.spec.Random))
	axes := p.spec.Random
	if !p.multivariate {
		for _, d := range axes {
			x := propose(r, []Dist{d}, below, above, false)
			out[d.Field] = decode(d, x[0])
		}
		return out
	}
	x := propose(r, axes, below, above, true)
	for a, d := range axes {
		out[d.Field] = decode(d, x[a])
	}
	return out
}

// propose returns the best of tpeCandidates points drawn from the good
// density over axes, modelled jointly or (for one axis) univariately.
func propose(r *rand.Rand, axes []Dist, below, above []TrialResult, joint bool) []float64 {
	dims := make([]tpeDim, len(axes))
	for a, d := range axes {
		dims[a] = dimOf(d)
	}
	l := newParzen(dims, observe(axes, below), joint)
	g := newParzen(dims, observe(axes, above), joint)
	best, x := make([]float64, len(axes)), make([]float64, len(axes))
	bestScore := math.Inf(-1)
	for c := 0; c < tpeCandidates; c++ {
		l.sample(r, x)
		if s := l.logPDF(x) - g.logPDF(x); s > bestScore {
			bestScore = s
			copy(best, x)
		}
	}
	return best
}

// observe reads the axes of the trials as points, skipping a trial with a
// value outside the space.
func observe(axes []Dist, ts []TrialResult) [][]float64 {
	var pts [][]float64
next:
	for _, t := range ts {
		pt := make([]float64, len(axes))
		for a, d := range axes {
			x, ok := encode(d, t.Trial.Params[d.Field])
			if !ok {
				continue next
			}
			pt[a] = x
		}
		pts = append(pts, pt)
	}
	return pts
}

// expandTPE returns the startup trials: the first draws random search
// would make with the same seed, so both samplers start alike.
func expandTPE(s Spec) ([]Trial, error) {
	r := s
	r.Sampler, r.Trials = "", min(startupTrials(s), s.Trials)
	return Expand(r)
}

// makeTrial builds trial i of s from its parameters.
func makeTrial(s Spec, i int, params map[string]string) (Trial, error) {
	spec, err := apply(s.Base, params)
	t := Trial{Index: i, Spec: spec, Params: params}
	if err != nil {
		return t, err
	}
	t.Spec.Name = trialName(s.Name, i, params)
	return t, nil
}

// trialSource returns trial i, given the trials finished so far (in the
// order they finished).
type trialSource func(i int, done []TrialResult) (Trial, error)

// newSource serves the expanded trials in order; for TPE, the trials after
// the startup ones are proposed from the finished ones.
func newSource(s Spec, expanded []Trial, lower bool, check func(trainer.Spec) error) trialSource {
	if s.Sampler != SamplerTPE {
		return func(i int, _ []TrialResult) (Trial, error) { return expanded[i], nil }
	}
	p := &tpe{spec: s, lower: lower, multivariate: true}
	return func(i int, done []TrialResult) (Trial, error) {
		if i < len(expanded) {
			return expanded[i], nil
		}
		t, err := makeTrial(s, i, p.suggest(i, done))
		if err == nil {
			err = check(t.Spec)
		}
		return t, err
	}
}
