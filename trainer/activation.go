package trainer

import (
	"fmt"
	"math"
)

// Activation is an element-wise nonlinearity applied to whole slices.
type Activation interface {
	Name() string
	// Forward writes f(z) into a.
	Forward(a, z []float64)
	// Backward writes dz = da · f'(z) into dz, given z and a = f(z). dz may
	// alias da.
	Backward(dz, da, z, a []float64)
}

// ParseActivation returns the activation with the given name: relu,
// leaky_relu, elu, gelu, tanh, sigmoid or linear.
func ParseActivation(name string) (Activation, error) {
	switch name {
	case "relu":
		return ReLU{}, nil
	case "leaky_relu":
		return LeakyReLU{Slope: 0.01}, nil
	case "elu":
		return ELU{Alpha: 1}, nil
	case "gelu":
		return GELU{}, nil
	case "tanh":
		return Tanh{}, nil
	case "sigmoid":
		return Sigmoid{}, nil
	case "linear":
		return Linear{}, nil
	}
	return nil, fmt.Errorf("unknown activation %q (want relu, leaky_relu, elu, gelu, tanh, sigmoid or linear)", name)
}

// ActivationNames lists the activations in the order the UI cycles them.
var ActivationNames = []string{"relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu", "linear"}

var (
	_ Activation = ReLU{}
	_ Activation = LeakyReLU{}
	_ Activation = ELU{}
	_ Activation = GELU{}
	_ Activation = Tanh{}
	_ Activation = Sigmoid{}
	_ Activation = Linear{}
)

// ReLU is max(0, z).
type ReLU struct{}

func (ReLU) Name() string { return "relu" }
func (ReLU) Forward(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		a[i] = math.Float64frombits(math.Float64bits(v) & positiveMask(v))
	}
}
func (ReLU) Backward(dz, da, z, _ []float64) {
	dz, da = dz[:len(z)], da[:len(z)]
	for i, v := range z {
		dz[i] = math.Float64frombits(math.Float64bits(da[i]) & positiveMask(v))
	}
}

// positiveMask is all ones when v's sign bit is clear and zero when it is
// set, so ReLU needs no branch: signs of pre-activations are close to
// random, and mispredicted branches cost more than the arithmetic. At
// exactly +0 the gradient passes (a subgradient; the forward value is 0
// either way).
func positiveMask(v float64) uint64 {
	return ^uint64(int64(math.Float64bits(v)) >> 63)
}

// LeakyReLU is z for z > 0 and Slope·z otherwise.
type LeakyReLU struct{ Slope float64 }

func (LeakyReLU) Name() string { return "leaky_relu" }
func (l LeakyReLU) Forward(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		if v > 0 {
			a[i] = v
		} else {
			a[i] = l.Slope * v
		}
	}
}
func (l LeakyReLU) Backward(dz, da, z, _ []float64) {
	dz, da = dz[:len(z)], da[:len(z)]
	for i, v := range z {
		if v > 0 {
			dz[i] = da[i]
		} else {
			dz[i] = l.Slope * da[i]
		}
	}
}

// ELU is z for z > 0 and Alpha·(eᶻ − 1) otherwise.
type ELU struct{ Alpha float64 }

func (ELU) Name() string { return "elu" }
func (e ELU) Forward(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		if v > 0 {
			a[i] = v
		} else {
			a[i] = e.Alpha * math.Expm1(v)
		}
	}
}
func (e ELU) Backward(dz, da, z, a []float64) {
	dz, da, a = dz[:len(z)], da[:len(z)], a[:len(z)]
	for i, v := range z {
		if v > 0 {
			dz[i] = da[i]
		} else {
			dz[i] = da[i] * (a[i] + e.Alpha)
		}
	}
}

// GELU is the exact Gaussian error linear unit, z·Φ(z).
type GELU struct{}

func (GELU) Name() string { return "gelu" }
func (GELU) Forward(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		a[i] = 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
	}
}
func (GELU) Backward(dz, da, z, _ []float64) {
	dz, da = dz[:len(z)], da[:len(z)]
	const invSqrt2Pi = 0.3989422804014327
	for i, v := range z {
		cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
		pdf := invSqrt2Pi * math.Exp(-0.5*v*v)
		dz[i] = da[i] * (cdf + v*pdf)
	}
}

// Tanh is the hyperbolic tangent.
type Tanh struct{}

func (Tanh) Name() string { return "tanh" }
func (Tanh) Forward(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		a[i] = math.Tanh(v)
	}
}
func (Tanh) Backward(dz, da, z, a []float64) {
	dz, da, a = dz[:len(z)], da[:len(z)], a[:len(z)]
	for i := range z {
		dz[i] = da[i] * (1 - a[i]*a[i])
	}
}

// Sigmoid is the logistic function 1/(1+e⁻ᶻ).
type Sigmoid struct{}

func (Sigmoid) Name() string { return "sigmoid" }
func (Sigmoid) Forward(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		a[i] = sigmoid(v)
	}
}
func (Sigmoid) Backward(dz, da, z, a []float64) {
	dz, da, a = dz[:len(z)], da[:len(z)], a[:len(z)]
	for i := range z {
		dz[i] = da[i] * a[i] * (1 - a[i])
	}
}

// Linear is the identity.
type Linear struct{}

func (Linear) Name() string           { return "linear" }
func (Linear) Forward(a, z []float64) { copy(a, z) }
func (Linear) Backward(dz, da, z, _ []float64) {
	copy(dz[:len(z)], da[:len(z)])
}

// sigmoid is numerically stable for large |z|.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
