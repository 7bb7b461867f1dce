package trainer

import "math"

// actFuncs returns act's forward and backward passes in precision T. For
// float64 they are act's own methods; for float32 they compute the same
// functions, through float64 where a math function is needed.
func actFuncs[T float](act Activation) (fwd func(a, z []T), bwd func(dz, da, z, a []T)) {
	if f, ok := any(act.Forward).(func(a, z []T)); ok {
		b, _ := any(act.Backward).(func(dz, da, z, a []T))
		return f, b
	}
	switch act := act.(type) {
	case ReLU:
		f, _ := any(relu32).(func(a, z []T))
		b, _ := any(reluBack32).(func(dz, da, z, a []T))
		return f, b
	case LeakyReLU:
		s := T(act.Slope)
		return func(a, z []T) {
				a = a[:len(z)]
				for i, v := range z {
					if v > 0 {
						a[i] = v
					} else {
						a[i] = s * v
					}
				}
			}, func(dz, da, z, _ []T) {
				dz, da = dz[:len(z)], da[:len(z)]
				for i, v := range z {
					if v > 0 {
						dz[i] = da[i]
					} else {
						dz[i] = s * da[i]
					}
				}
			}
	case ELU:
		al := T(act.Alpha)
		return func(a, z []T) {
				a = a[:len(z)]
				for i, v := range z {
					if v > 0 {
						a[i] = v
					} else {
						a[i] = al * T(math.Expm1(float64(v)))
					}
				}
			}, func(dz, da, z, a []T) {
				dz, da, a = dz[:len(z)], da[:len(z)], a[:len(z)]
				for i, v := range z {
					if v > 0 {
						dz[i] = da[i]
					} else {
						dz[i] = da[i] * (a[i] + al)
					}
				}
			}
	case Tanh:
		return func(a, z []T) { via64(a, z, math.Tanh) }, func(dz, da, z, a []T) {
			dz, da, a = dz[:len(z)], da[:len(z)], a[:len(z)]
			for i := range z {
				dz[i] = da[i] * (1 - a[i]*a[i])
			}
		}
	case Sigmoid:
		return func(a, z []T) { via64(a, z, sigmoid) }, func(dz, da, z, a []T) {
			dz, da, a = dz[:len(z)], da[:len(z)], a[:len(z)]
			for i := range z {
				dz[i] = da[i] * a[i] * (1 - a[i])
			}
		}
	case GELU:
		return func(a, z []T) { via64(a, z, gelu) }, func(dz, da, z, _ []T) {
			dz, da = dz[:len(z)], da[:len(z)]
			const invSqrt2Pi = 0.3989422804014327
			for i, v := range z {
				x := float64(v)
				cdf := 0.5 * (1 + math.Erf(x/math.Sqrt2))
				pdf := invSqrt2Pi * math.Exp(-0.5*x*x)
				dz[i] = da[i] * T(cdf+x*pdf)
			}
		}
	}
	// Linear.
	return func(a, z []T) { copy(a, z) }, func(dz, da, z, _ []T) { copy(dz[:len(z)], da[:len(z)]) }
}

// via64 sets a to f(z) computed in float64, a chunk at a time: the whole
// chunk is converted first, so that each call of f starts from a value in
// memory. Converting inside the call's loop (float64(v) writes only the
// low half of a register) made each call wait for the last one's result,
// and float32 tanh three times slower than float64's. a and z may be the
// same slice.
func via64[T float](a, z []T, f func(float64) float64) {
	a = a[:len(z)]
	var buf [64]float64
	for lo := 0; lo < len(z); lo += len(buf) {
		b := buf[:min(len(buf), len(z)-lo)]
		for i := range b {
			b[i] = float64(z[lo+i])
		}
		for i, v := range b {
			b[i] = f(v)
		}
		for i, v := range b {
			a[lo+i] = T(v)
		}
	}
}

// gelu is GELU's forward function, x·Φ(x).
func gelu(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) }

// relu32 is ReLU.Forward for float32, branch-free like it.
func relu32(a, z []float32) {
	a = a[:len(z)]
	for i, v := range z {
		a[i] = math.Float32frombits(math.Float32bits(v) & positiveMask32(v))
	}
}

func reluBack32(dz, da, z, _ []float32) {
	dz, da = dz[:len(z)], da[:len(z)]
	for i, v := range z {
		dz[i] = math.Float32frombits(math.Float32bits(da[i]) & positiveMask32(v))
	}
}

func positiveMask32(v float32) uint32 {
	return ^uint32(int32(math.Float32bits(v)) >> 31)
}
