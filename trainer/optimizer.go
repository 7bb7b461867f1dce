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

var (
	_ Optimizer = (*SGD)(nil)
	_ Optimizer = (*RMSProp)(nil)
	_ Optimizer = (*Adam)(nil)
	_ Optimizer = (*valueClip)(nil)
)

// NewOptimizer returns the optimizer that o names, bound to params. Zero
// settings take the usual defaults: momentum 0.9, β₁ 0.9, β₂ 0.999, ρ 0.9,
// ε 1e-8, AdamW weight decay 0.01. A ClipValue clips each gradient element
// before every step.
func NewOptimizer(o OptimizerSpec, params []*Param) (Optimizer, error) {
	opt, err := newOptimizer(o, params)
	if err != nil || o.ClipValue <= 0 {
		return opt, err
	}
	return &valueClip{Optimizer: opt, params: params, max: o.ClipValue}, nil
}

// valueClip clips every gradient element to ±max, then steps.
type valueClip struct {
	Optimizer
	params []*Param
	max    float64
}

func (c *valueClip) Step(lr float64) {
	for _, p := range c.params {
		for i, g := range p.G {
			p.G[i] = max(-c.max, min(c.max, g))
		}
	}
	c.Optimizer.Step(lr)
}

func newOptimizer(o OptimizerSpec, params []*Param) (Optimizer, error) {
	def := func(v, d float64) float64 {
		if v == 0 {
			return d
		}
		return v
	}
	eps := def(o.Eps, 1e-8)
	switch o.Name {
	case "gd", "sgd":
		s := &SGD{name: o.Name, params: params, Momentum: o.Momentum}
		if o.Momentum > 0 {
			s.vel = zerosLike(params)
		}
		return s, nil
	case "momentum", "nesterov":
		return &SGD{name: o.Name, params: params, Momentum: def(o.Momentum, 0.9), Nesterov: o.Name == "nesterov", vel: zerosLike(params)}, nil
	case "rmsprop":
		return &RMSProp{params: params, Rho: def(o.Rho, 0.9), Eps: eps, sq: zerosLike(params)}, nil
	case "adam", "adamw":
		a := &Adam{name: o.Name, params: params, Beta1: def(o.Beta1, 0.9), Beta2: def(o.Beta2, 0.999), Eps: eps,
			m: zerosLike(params), v: zerosLike(params)}
		if o.Name == "adamw" {
			a.WeightDecay = def(o.WeightDecay, 0.01)
		}
		return a, nil
	}
	return nil, fmt.Errorf("optimizer.name: unknown optimizer %q", o.Name)
}

func zerosLike(params []*Param) [][]float64 {
	out := make([][]float64, len(params))
	for i, p := range params {
		out[i] = make([]float64, len(p.W))
	}
	return out
}

// SGD is (mini-batch) gradient descent, with optional momentum and
// Nesterov momentum in PyTorch's form: v ← μv + g; w ← w − lr·v (or
// w ← w − lr·(g + μv) for Nesterov).
type SGD struct {
	name     string
	params   []*Param
	Momentum float64
	Nesterov bool
	vel      [][]float64
}

func (s *SGD) Name() string { return s.name }
func (s *SGD) Step(lr float64) {
	for pi, p := range s.params {
		w, g := p.W, p.G[:len(p.W)]
		if s.vel == nil {
			for i := range w {
				w[i] -= lr * g[i]
			}
			continue
		}
		v := s.vel[pi][:len(w)]
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
}

// RMSProp divides the step by a running root mean square of gradients.
type RMSProp struct {
	params   []*Param
	Rho, Eps float64
	sq       [][]float64
}

func (r *RMSProp) Name() string { return "rmsprop" }
func (r *RMSProp) Step(lr float64) {
	for pi, p := range r.params {
		w, g, s := p.W, p.G[:len(p.W)], r.sq[pi][:len(p.W)]
		for i := range w {
			s[i] = r.Rho*s[i] + (1-r.Rho)*g[i]*g[i]
			w[i] -= lr * g[i] / (math.Sqrt(s[i]) + r.Eps)
		}
	}
}

// Adam is Adam with bias correction; with WeightDecay > 0 it is AdamW
// (decoupled decay applied to weights, not biases: w ← w − lr·λ·w).
type Adam struct {
	name               string
	params             []*Param
	Beta1, Beta2, Eps  float64
	WeightDecay        float64
	m, v               [][]float64
	t                  int
	beta1Pow, beta2Pow float64
}

func (a *Adam) Name() string { return a.name }
func (a *Adam) Step(lr float64) {
	if a.t == 0 {
		a.beta1Pow, a.beta2Pow = 1, 1
	}
	a.t++
	a.beta1Pow *= a.Beta1
	a.beta2Pow *= a.Beta2
	c1 := 1 / (1 - a.beta1Pow)
	c2 := 1 / (1 - a.beta2Pow)
	b1, b2 := a.Beta1, a.Beta2
	for pi, p := range a.params {
		w, g := p.W, p.G[:len(p.W)]
		m, v := a.m[pi][:len(w)], a.v[pi][:len(w)]
		if a.WeightDecay > 0 && p.Decay {
			d := 1 - lr*a.WeightDecay
			for i := range w {
				w[i] *= d
			}
		}
		adamStep(w, g, m, v, b1, b2, lr*c1, c2, a.Eps)
	}
}

// adamStepGo is the portable Adam update, in the same order of operations
// as the vector kernel: m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²;
// w −= lrc1·m / (sqrt(c2·v) + eps).
func adamStepGo(w, g, m, v []float64, b1, b2, lrc1, c2, eps float64) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		gi := g[i]
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*(gi*gi)
		w[i] -= lrc1 * m[i] / (math.Sqrt(c2*v[i]) + eps)
	}
}

// clipGradNorm scales all gradients so their global L2 norm is at most
// maxNorm, and returns the norm before clipping.
func clipGradNorm(params []*Param, maxNorm float64) float64 {
	s := 0.0
	for _, p := range params {
		for _, g := range p.G {
			s += g * g
		}
	}
	norm := math.Sqrt(s)
	if maxNorm > 0 && norm > maxNorm {
		c := maxNorm / norm
		for _, p := range params {
			for i := range p.G {
				p.G[i] *= c
			}
		}
	}
	return norm
}
