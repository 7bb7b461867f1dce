package sweeps

import (
	"math"
	"math/rand/v2"
	"sort"
)

// tpeDim is one axis in the space TPE models: log axes in ln units, int
// axes as a discrete grid of step 1, choices by index.
type tpeDim struct {
	low, high, step float64
	choices         int
}

// bounds is the axis's continuous extent: an int axis reaches half a step
// past its ends, so that its end values get a full cell of mass.
func (d tpeDim) bounds() (lo, hi float64) { return d.low - d.step/2, d.high + d.step/2 }

// parzen is a Parzen estimator over one or more axes (Optuna's
// _ParzenEstimator): a weighted mixture of product kernels, one per
// observation plus the prior. On a numeric axis a kernel is a Gaussian
// truncated to the axis (discretised on int axes); on a choice axis it is
// a categorical. It is not safe for concurrent use (sampling draws from
// the caller's source).
type parzen struct {
	dims    []tpeDim
	weights []float64     // per kernel, summing to 1; the prior is last
	mus     [][]float64   // [axis][kernel]; nil on choice axes
	sigmas  [][]float64   // [axis][kernel]
	cats    [][][]float64 // [axis][kernel][choice]; nil on numeric axes
}

// newParzen fits the estimator to observations (each a point with one
// value per axis, oldest first). A univariate estimator (one axis, joint
// false) sizes each kernel by the gaps to its neighbours; a joint one uses
// one width per axis that shrinks with the number of observations, as
// Optuna's multivariate TPE does (after Falkner et al. 2018, BOHB).
func newParzen(dims []tpeDim, obs [][]float64, joint bool) *parzen {
	p := &parzen{dims: dims, mus: make([][]float64, len(dims)), sigmas: make([][]float64, len(dims)), cats: make([][][]float64, len(dims))}
	w := append(tpeWeights(len(obs)), tpePriorWeight)
	var sum float64
	for _, v := range w {
		sum += v
	}
	for i := range w {
		w[i] /= sum
	}
	p.weights = w
	for a, dim := range dims {
		xs := make([]float64, len(obs))
		for i, o := range obs {
			xs[i] = o[a]
		}
		if dim.choices > 0 {
			p.cats[a] = categoricalKernels(dim.choices, xs)
			continue
		}
		var sig []float64
		if joint {
			sig = scottWidths(dim, len(xs), len(dims))
		} else {
			sig = neighbourWidths(dim, xs)
		}
		lo, hi := dim.bounds()
		p.mus[a] = append(append([]float64{}, xs...), 0.5*(lo+hi))
		p.sigmas[a] = append(sig, hi-lo)
	}
	return p
}

// categoricalKernels puts on each observed choice its own mass plus the
// prior's share spread over every choice; the prior kernel is uniform.
func categoricalKernels(choices int, xs []float64) [][]float64 {
	k := len(xs) + 1
	var out [][]float64
	for _, x := range xs {
		c := make([]float64, choices)
		for j := range c {
			c[j] = tpePriorWeight / float64(k)
		}
		c[int(x)]++
		normalize(c)
		out = append(out, c)
	}
	u := make([]float64, choices)
	for j := range u {
		u[j] = 1 / float64(choices)
	}
	return append(out, u)
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

// clipWidth is Optuna's magic clip: no kernel narrower than the range over
// min(100, kernels+1), nor wider than the range.
func clipWidth(s, span float64, n int) float64 {
	return math.Min(math.Max(s, span/math.Min(100, float64(n+1+1))), span)
}

// neighbourWidths gives each observation a width of the larger gap to its
// neighbours (among the observations, the prior's centre and the range's
// ends; the outermost take their inner gap), clipped by clipWidth.
func neighbourWidths(dim tpeDim, xs []float64) []float64 {
	lo, hi := dim.bounds()
	withPrior := append(append([]float64{}, xs...), 0.5*(lo+hi))
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
	sig := make([]float64, len(xs))
	for i, o := range order {
		if o < len(xs) {
			sig[o] = clipWidth(sorted[i], hi-lo, len(xs))
		}
	}
	return sig
}

// scottWidths is the multivariate width, 0.2·n^(−1/(axes+4))·range for
// every observation (Scott's rule with a fixed scale), clipped by
// clipWidth.
func scottWidths(dim tpeDim, n, axes int) []float64 {
	lo, hi := dim.bounds()
	s := clipWidth(0.2*math.Pow(math.Max(float64(n), 1), -1/float64(axes+4))*(hi-lo), hi-lo, n)
	sig := make([]float64, n)
	for i := range sig {
		sig[i] = s
	}
	return sig
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

// sample draws a point into x (one value per axis) from one kernel.
func (p *parzen) sample(r *rand.Rand, x []float64) {
	k := p.pick(r)
	for a, dim := range p.dims {
		x[a] = p.sampleAxis(r, a, k, dim)
	}
}

func (p *parzen) sampleAxis(r *rand.Rand, a, k int, dim tpeDim) float64 {
	if dim.choices > 0 {
		u := r.Float64()
		for j, q := range p.cats[a][k] {
			if u < q {
				return float64(j)
			}
			u -= q
		}
		return float64(dim.choices - 1)
	}
	lo, hi := dim.bounds()
	mu, s := p.mus[a][k], p.sigmas[a][k]
	ca, cb := normCDF((lo-mu)/s), normCDF((hi-mu)/s)
	u := ca + r.Float64()*(cb-ca)
	x := mu + s*math.Sqrt2*math.Erfinv(2*u-1)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = mu
	}
	x = math.Min(math.Max(x, lo), hi)
	if dim.step > 0 {
		x = dim.low + math.Round((x-dim.low)/dim.step)*dim.step
		x = math.Min(math.Max(x, dim.low), dim.high)
	}
	return x
}

// logPDF is the mixture's log density at x (log mass on int axes and
// choices).
func (p *parzen) logPDF(x []float64) float64 {
	terms := make([]float64, len(p.weights))
	for k, w := range p.weights {
		lp := math.Log(w)
		for a, dim := range p.dims {
			switch {
			case dim.choices > 0:
				lp += math.Log(p.cats[a][k][int(x[a])])
			case dim.step > 0:
				lp += logDiscreteTruncNorm(x[a], p.mus[a][k], p.sigmas[a][k], dim)
			default:
				lp += logTruncNorm(x[a], p.mus[a][k], p.sigmas[a][k], dim.low, dim.high)
			}
		}
		terms[k] = lp
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
