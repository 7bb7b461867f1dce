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

// TPE settings, Optuna's TPESampler defaults (Bergstra et al. 2011, with
// Optuna's univariate Parzen estimators).
const (
	// tpeStartup trials are drawn at random before TPE takes over. They
	// are the same draws random search makes with the same seed.
	tpeStartup = 10
	// tpeCandidates is how many points are drawn from the good density;
	// the one with the best ratio l(x)/g(x) is proposed.
	tpeCandidates = 24
	// tpePriorWeight is the weight of the prior kernel (a wide Gaussian at
	// the centre of the range, or a uniform over the choices).
	tpePriorWeight = 1.0
)

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
}

// tpeDim is one axis in the space TPE models: log axes in ln units, int
// axes as a discrete grid of step 1, choices by index.
type tpeDim struct {
	low, high, step float64
	choices         int
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

// goodTrial reports whether a finished trial counts with its objective;
// pruned, diverged, failed and stopped trials count as bad.
func goodTrial(r TrialResult) bool {
	if !r.HasObj || math.IsNaN(r.Objective) || math.IsInf(r.Objective, 0) {
		return false
	}
	switch r.Status {
	case trainer.StatusDone, trainer.StatusEarlyStopped, trainer.StatusTargetReached:
		return true
	}
	return false
}

// split orders the finished trials and returns the good group (the best
// tpeGamma(n)) and the rest, each in trial order.
func (p *tpe) split(done []TrialResult) (below, above []TrialResult) {
	var good, bad []TrialResult
	for _, r := range done {
		if r.Trial.Params == nil {
			continue
		}
		if goodTrial(r) {
			good = append(good, r)
		} else {
			bad = append(bad, r)
		}
	}
	sort.SliceStable(good, func(i, j int) bool {
		a, b := good[i].Objective, good[j].Objective
		if a != b {
			if p.lower {
				return a < b
			}
			return a > b
		}
		return good[i].Trial.Index < good[j].Trial.Index
	})
	n := min(tpeGamma(len(good)+len(bad)), len(good))
	below = append(below, good[:n]...)
	above = append(append(above, good[n:]...), bad...)
	byIndex := func(ts []TrialResult) {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Trial.Index < ts[j].Trial.Index })
	}
	byIndex(below)
	byIndex(above)
	return below, above
}

// suggest proposes the parameters of trial index given the finished
// trials. Each axis is sampled independently (Optuna's default,
// multivariate=false): tpeCandidates draws from the good density l, and
// the one that maximises log l(x) − log g(x) wins.
func (p *tpe) suggest(index int, done []TrialResult) map[string]string {
	r := rand.New(rand.NewPCG(p.spec.Seed, 0x79e0000+uint64(index)))
	below, above := p.split(done)
	out := make(map[string]string, len(p.spec.Random))
	for _, d := range p.spec.Random {
		dim := dimOf(d)
		l := newParzen(dim, observe(d, below))
		g := newParzen(dim, observe(d, above))
		best, bestScore := 0.0, math.Inf(-1)
		for c := 0; c < tpeCandidates; c++ {
			x := l.sample(r)
			if s := l.logPDF(x) - g.logPDF(x); s > bestScore {
				best, bestScore = x, s
			}
		}
		out[d.Field] = decode(d, best)
	}
	return out
}

// observe reads one axis of the trials, skipping values outside the space.
func observe(d Dist, ts []TrialResult) []float64 {
	var xs []float64
	for _, t := range ts {
		if x, ok := encode(d, t.Trial.Params[d.Field]); ok {
			xs = append(xs, x)
		}
	}
	return xs
}

// parzen is a weighted mixture: truncated Gaussians (discretised for int
// axes) or categoricals, one kernel per observation plus the prior.
type parzen struct {
	dim     tpeDim
	weights []float64
	mus     []float64
	sigmas  []float64
	cats    [][]float64 // categorical kernels: probability per choice
}

func newParzen(dim tpeDim, xs []float64) *parzen {
	p := &parzen{dim: dim}
	w := append(tpeWeights(len(xs)), tpePriorWeight)
	var sum float64
	for _, v := range w {
		sum += v
	}
	for i := range w {
		w[i] /= sum
	}
	p.weights = w
	if dim.choices > 0 {
		k := len(xs) + 1
		for _, x := range xs {
			c := make([]float64, dim.choices)
			for j := range c {
				c[j] = tpePriorWeight / float64(k)
			}
			c[int(x)]++
			normalize(c)
			p.cats = append(p.cats, c)
		}
		u := make([]float64, dim.choices)
		for j := range u {
			u[j] = 1 / float64(dim.choices)
		}
		p.cats = append(p.cats, u)
		return p
	}
	p.mus, p.sigmas = bandwidths(dim, xs)
	return p
}

func normalize(c []float64) {
	var s float64
	for _, v := range c {
		s += v
	}
	for i := range c {
		c[i] /= s
	}
}

// bandwidths places a kernel on each observation, with a width of the
// larger gap to its neighbours (among the observations, the prior's
// centre and the range's ends; the outermost take their inner gap), clipped
// to [range/min(100, kernels+1), range]; then the prior, as wide as the
// range.
func bandwidths(dim tpeDim, xs []float64) (mus, sigmas []float64) {
	lo, hi := dim.low-dim.step/2, dim.high+dim.step/2
	span := hi - lo
	prior := 0.5 * (dim.low + dim.high)
	withPrior := append(append([]float64{}, xs...), prior)
	order := make([]int, len(withPrior))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return withPrior[order[a]] < withPrior[order[b]] })
	ends := make([]float64, len(withPrior)+2)
	ends[0], ends[len(ends)-1] = lo, hi
	for i, o := range order {
		ends[i+1] = withPrior[o]
	}
	sorted := make([]float64, len(withPrior))
	for i := range sorted {
		sorted[i] = math.Max(ends[i+1]-ends[i], ends[i+2]-ends[i+1])
	}
	if len(ends) >= 4 {
		sorted[0] = ends[2] - ends[1]
		sorted[len(sorted)-1] = ends[len(ends)-2] - ends[len(ends)-3]
	}
	sig := make([]float64, len(withPrior))
	for i, o := range order {
		sig[o] = sorted[i]
	}
	minSig := span / math.Min(100, float64(len(xs)+1+1))
	for i := range xs {
		mus = append(mus, xs[i])
		sigmas = append(sigmas, math.Min(math.Max(sig[i], minSig), span))
	}
	return append(mus, prior), append(sigmas, span)
}

func (p *parzen) pick(r *rand.Rand) int {
	u := r.Float64()
	for i, w := range p.weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(p.weights) - 1
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func (p *parzen) sample(r *rand.Rand) float64 {
	k := p.pick(r)
	if p.dim.choices > 0 {
		u := r.Float64()
		for j, q := range p.cats[k] {
			if u < q {
				return float64(j)
			}
			u -= q
		}
		return float64(p.dim.choices - 1)
	}
	lo, hi := p.dim.low-p.dim.step/2, p.dim.high+p.dim.step/2
	mu, s := p.mus[k], p.sigmas[k]
	a, b := normCDF((lo-mu)/s), normCDF((hi-mu)/s)
	u := a + r.Float64()*(b-a)
	x := mu + s*math.Sqrt2*math.Erfinv(2*u-1)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = mu
	}
	x = math.Min(math.Max(x, lo), hi)
	if p.dim.step > 0 {
		x = p.dim.low + math.Round((x-p.dim.low)/p.dim.step)*p.dim.step
		x = math.Min(math.Max(x, p.dim.low), p.dim.high)
	}
	return x
}

// logPDF is the mixture's log density (log mass on int axes and choices).
func (p *parzen) logPDF(x float64) float64 {
	terms := make([]float64, len(p.weights))
	for k, w := range p.weights {
		var lp float64
		switch {
		case p.dim.choices > 0:
			lp = math.Log(p.cats[k][int(x)])
		case p.dim.step > 0:
			lp = logDiscreteTruncNorm(x, p.mus[k], p.sigmas[k], p.dim)
		default:
			lp = logTruncNorm(x, p.mus[k], p.sigmas[k], p.dim.low, p.dim.high)
		}
		terms[k] = math.Log(w) + lp
	}
	return logSumExp(terms)
}

func logTruncNorm(x, mu, s, lo, hi float64) float64 {
	z := (x - mu) / s
	mass := normCDF((hi-mu)/s) - normCDF((lo-mu)/s)
	return -0.5*z*z - math.Log(s*math.Sqrt(2*math.Pi)) - math.Log(math.Max(mass, 1e-300))
}

func logDiscreteTruncNorm(x, mu, s float64, dim tpeDim) float64 {
	h := dim.step / 2
	p := normCDF((x+h-mu)/s) - normCDF((x-h-mu)/s)
	mass := normCDF((dim.high+h-mu)/s) - normCDF((dim.low-h-mu)/s)
	return math.Log(math.Max(p, 1e-300)) - math.Log(math.Max(mass, 1e-300))
}

func logSumExp(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	if math.IsInf(m, -1) {
		return m
	}
	var s float64
	for _, x := range xs {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// expandTPE returns the startup trials: the first draws random search
// would make with the same seed, so both samplers start alike.
func expandTPE(s Spec) ([]Trial, error) {
	r := s
	r.Sampler, r.Trials = "", min(tpeStartup, s.Trials)
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
	p := &tpe{spec: s, lower: lower}
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
