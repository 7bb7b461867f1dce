package trainer

import (
	"fmt"
	"math"
)

// Optimizer updates parameters from their gradients. Its state (moments,
// velocities) is allocated once in NewOptimizer; Step allocates nothing.
type Optimizer interface {
	Name() string
	// Step applies one update with learning rate lr.
	Step(lr float64)
}

// rangeOptimizer is an Optimizer whose update is element-wise, so parts
// of a tensor can be updated on different workers with the same result:
// begin sets the step's constants (once, before any update), and update
// then changes elements [lo, hi) of parameter pi. lo must be a multiple of
// adamAlign, so that every element takes the same path (vector or scalar)
// whatever the split. Step(lr) is begin(lr) and the update of everything.
type rangeOptimizer interface {
	Optimizer
	begin(lr float64)
	update(pi, lo, hi int)
}

var (
	_ rangeOptimizer = (*sgd[float64])(nil)
	_ rangeOptimizer = (*rmsProp[float32])(nil)
	_ rangeOptimizer = (*adam[float64])(nil)
	_ rangeOptimizer = (*valueClip[float32])(nil)
)

var (
	_ Optimizer = (*SGD)(nil)
	_ Optimizer = (*RMSProp)(nil)
	_ Optimizer = (*Adam)(nil)
	_ Optimizer = (*adam[float32])(nil)
	_ Optimizer = (*valueClip[float64])(nil)
)

// SGD, RMSProp and Adam are the float64 optimizers.
type (
	SGD     = sgd[float64]
	RMSProp = rmsProp[float64]
	Adam    = adam[float64]
)

// NewOptimizer returns the optimizer that o names, bound to params. Zero
// settings take the usual defaults: momentum 0.9, β₁ 0.9, β₂ 0.999, ρ 0.9,
// ε 1e-8, AdamW weight decay 0.01. A ClipValue clips each gradient element
// before every step.
func NewOptimizer(o OptimizerSpec, params []*Param) (Optimizer, error) {
	return newOptimizer(o, params, nil)
}

// newOptimizer is NewOptimizer for either precision. With a pool, Adam
// updates large tensors on all its workers.
func newOptimizer[T float](o OptimizerSpec, params []*param[T], p *pool) (Optimizer, error) {
	opt, err := baseOptimizer(o, params, p)
	if err != nil || o.ClipValue <= 0 {
		return opt, err
	}
	return &valueClip[T]{Optimizer: opt, params: params, max: T(o.ClipValue)}, nil
}

// valueClip clips every gradient element to ±max, then steps.
type valueClip[T float] struct {
	Optimizer
	params []*param[T]
	max    T
}

func (c *valueClip[T]) Step(lr float64) {
	for _, p := range c.params {
		for i, g := range p.G {
			p.G[i] = max(-c.max, min(c.max, g))
		}
	}
	c.Optimizer.Step(lr)
}

func (c *valueClip[T]) begin(lr float64) { c.Optimizer.(rangeOptimizer).begin(lr) }

func (c *valueClip[T]) update(pi, lo, hi int) {
	g := c.params[pi].G[lo:hi]
	for i, v := range g {
		g[i] = max(-c.max, min(c.max, v))
	}
	c.Optimizer.(rangeOptimizer).update(pi, lo, hi)
}

// baseOptimizer is the optimizer that o names, without value clipping.
func baseOptimizer[T float](o OptimizerSpec, params []*param[T], p *pool) (Optimizer, error) {
	def := func(v, d float64) float64 {
		if v == 0 {
			return d
		}
		return v
	}
	eps := def(o.Eps, 1e-8)
	switch o.Name {
	case "gd", "sgd":
		s := &sgd[T]{name: o.Name, params: params, Momentum: T(o.Momentum)}
		if o.Momentum > 0 {
			s.vel = zerosLike(params)
		}
		return s, nil
	case "momentum", "nesterov":
		return &sgd[T]{name: o.Name, params: params, Momentum: T(def(o.Momentum, 0.9)), Nesterov: o.Name == "nesterov", vel: zerosLike(params)}, nil
	case "rmsprop":
		return &rmsProp[T]{params: params, Rho: T(def(o.Rho, 0.9)), Eps: T(eps), sq: zerosLike(params)}, nil
	case "adam", "adamw":
		a := &adam[T]{name: o.Name, params: params, Beta1: def(o.Beta1, 0.9), Beta2: def(o.Beta2, 0.999), Eps: eps,
			m: zerosLike(params), v: zerosLike(params), pool: p}
		a.each = a.stepRange
		if o.Name == "adamw" {
			a.WeightDecay = def(o.WeightDecay, 0.01)
		}
		return a, nil
	}
	return nil, fmt.Errorf("optimizer.name: unknown optimizer %q", o.Name)
}

func zerosLike[T float](params []*param[T]) [][]T {
	out := make([][]T, len(params))
	for i, p := range params {
		out[i] = make([]T, len(p.W))
	}
	return out
}

// SGD is (mini-batch) gradient descent, with optional momentum and
// Nesterov momentum in PyTorch's form: v ← μv + g; w ← w − lr·v (or
// w ← w − lr·(g + μv) for Nesterov).
type sgd[T float] struct {
	name     string
	params   []*param[T]
	Momentum T
	Nesterov bool
	vel      [][]T
	lr       T // this step's rate
}

func (s *sgd[T]) Name() string { return s.name }
func (s *sgd[T]) Step(rate float64) {
	s.begin(rate)
	for pi, p := range s.params {
		s.update(pi, 0, len(p.W))
	}
}

func (s *sgd[T]) begin(rate float64) { s.lr = T(rate) }

func (s *sgd[T]) update(pi, lo, hi int) {
	lr := s.lr
	p := s.params[pi]
	w := p.W[lo:hi]
	g := p.G[lo:hi]
	g = g[:len(w)]
	if s.vel == nil {
		for i := range w {
			w[i] -= lr * g[i]
		}
		return
	}
	v := s.vel[pi][lo:hi]
	v = v[:len(w)]
	mu := s.Momentum
	if s.Nesterov {
		for i := range w {
			v[i] = mu*v[i] + g[i]
			w[i] -= lr * (g[i] + mu*v[i])
		}
	} else {
		for i := range w {
			v[i] = mu*v[i] + g[i]
			w[i] -= lr * v[i]
		}
	}
}

// RMSProp divides the step by a running root mean square of gradients.
type rmsProp[T float] struct {
	params   []*param[T]
	Rho, Eps T
	sq       [][]T
	lr       T // this step's rate
}

func (r *rmsProp[T]) Name() string { return "rmsprop" }
func (r *rmsProp[T]) Step(rate float64) {
	r.begin(rate)
	for pi, p := range r.params {
		r.update(pi, 0, len(p.W))
	}
}

func (r *rmsProp[T]) begin(rate float64) { r.lr = T(rate) }

func (r *rmsProp[T]) update(pi, lo, hi int) {
	lr := r.lr
	p := r.params[pi]
	w := p.W[lo:hi]
	g, s := p.G[lo:hi], r.sq[pi][lo:hi]
	g, s = g[:len(w)], s[:len(w)]
	for i := range w {
		s[i] = r.Rho*s[i] + (1-r.Rho)*g[i]*g[i]
		w[i] -= lr * g[i] / (T(math.Sqrt(float64(s[i]))) + r.Eps)
	}
}

// Adam is Adam with bias correction; with WeightDecay > 0 it is AdamW
// (decoupled decay applied to weights, not biases: w ← w − lr·λ·w).
//
// The bias corrections are kept in float64 in both precisions; the update
// itself runs in the run's precision.
type adam[T float] struct {
	name               string
	params             []*param[T]
	Beta1, Beta2, Eps  float64
	WeightDecay        float64
	m, v               [][]T
	t                  int
	beta1Pow, beta2Pow float64

	// pool and each split large tensors across workers; cur and the
	// step's constants are the arguments of each (a method value made
	// once, so the step allocates nothing).
	pool                  *pool
	each                  func(lo, hi int)
	cur                   int
	b1, b2, lrc1, c2, eps T
	decay                 T // AdamW's 1 − lr·λ
}

// adamParallel is the tensor size above which the update is split across
// workers: w3's 784×256 weights (0.2M) split; w2's do not.
const adamParallel = 1 << 16

func (a *adam[T]) Name() string { return a.name }
func (a *adam[T]) Step(lr float64) {
	a.begin(lr)
	for pi, p := range a.params {
		a.cur = pi
		if n := len(p.W); n >= adamParallel && a.pool != nil {
			a.pool.each(a.each, n, 8, adamAlign)
		} else {
			a.update(pi, 0, n)
		}
	}
}

func (a *adam[T]) begin(lr float64) {
	if a.t == 0 {
		a.beta1Pow, a.beta2Pow = 1, 1
	}
	a.t++
	a.beta1Pow *= a.Beta1
	a.beta2Pow *= a.Beta2
	c1 := 1 / (1 - a.beta1Pow)
	a.b1, a.b2, a.lrc1, a.c2, a.eps = T(a.Beta1), T(a.Beta2), T(lr*c1), T(1/(1-a.beta2Pow)), T(a.Eps)
	a.decay = T(1 - lr*a.WeightDecay)
}

// stepRange updates elements [lo, hi) of tensor a.cur.
func (a *adam[T]) stepRange(lo, hi int) { a.update(a.cur, lo, hi) }

func (a *adam[T]) update(pi, lo, hi int) {
	p := a.params[pi]
	w, g := p.W[lo:hi], p.G[lo:hi]
	if a.WeightDecay > 0 && p.Decay {
		d := a.decay
		for i := range w {
			w[i] *= d
		}
	}
	m, v := a.m[pi][lo:hi], a.v[pi][lo:hi]
	adamStep(w, g, m, v, a.b1, a.b2, a.lrc1, a.c2, a.eps)
}

// adamStepGo is the portable Adam update, in the same order of operations
// as the vector kernel: m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²;
// w −= lrc1·m / (sqrt(c2·v) + eps).
func adamStepGo[T float](w, g, m, v []T, b1, b2, lrc1, c2, eps T) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		gi := g[i]
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*(gi*gi)
		w[i] -= lrc1 * m[i] / (T(math.Sqrt(float64(c2*v[i]))) + eps)
	}
}

// clipGradNorm scales all gradients so their global L2 norm is at most
// maxNorm, and returns the norm before clipping.
func clipGradNorm[T float](params []*param[T], maxNorm float64) float64 {
	s := 0.0
	for _, p := range params {
		for _, g := range p.G {
			s += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(s)
	if maxNorm > 0 && norm > maxNorm {
		c := T(maxNorm / norm)
		for _, p := range params {
			for i := range p.G {
				p.G[i] *= c
			}
		}
	}
	return norm
}
