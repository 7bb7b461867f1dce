package trainer

import (
	"math"
	"math/rand/v2"
)

const (
	bnEps      = 1e-5
	bnMomentum = 0.1 // running = (1−m)·running + m·batch, as PyTorch
)

// Param is one trainable tensor and its gradient.
type Param struct {
	Name  string
	W     []float64
	G     []float64
	Decay bool // weights take L1/L2 and weight decay; biases and BN shifts do not
}

// Layer is a dense layer: z = x·W + b, then optional batch normalization,
// the activation, and optional inverted dropout. Buffers for up to maxBatch
// rows are allocated once. It is not safe for concurrent use.
type Layer struct {
	In, Out int
	Act     Activation
	BN      bool
	Dropout float64

	W, B, dW, dB               []float64 // W is In×Out, row-major; no B under BN
	Gamma, Beta, dGamma, dBeta []float64
	RunMean, RunVar            []float64

	maxBatch int
	x        []float64 // the last input (aliases the caller's buffer)
	z, h, a  []float64 // linear output, normalized output, activation output
	out      []float64 // after dropout (aliases a without dropout)
	mask     []float64
	xhat     []float64
	invStd   []float64
	dz, dh   []float64
	dx       []float64
}

func newLayer(in, out int, act Activation, bn bool, dropout float64, maxBatch int) *Layer {
	l := &Layer{In: in, Out: out, Act: act, BN: bn, Dropout: dropout}
	l.W, l.dW = make([]float64, in*out), make([]float64, in*out)
	if bn {
		l.Gamma, l.Beta = make([]float64, out), make([]float64, out)
		l.dGamma, l.dBeta = make([]float64, out), make([]float64, out)
		l.RunMean, l.RunVar = make([]float64, out), make([]float64, out)
		for j := range l.Gamma {
			l.Gamma[j], l.RunVar[j] = 1, 1
		}
	} else {
		l.B, l.dB = make([]float64, out), make([]float64, out)
	}
	l.resize(maxBatch)
	return l
}

// resize allocates the batch buffers for up to n rows.
func (l *Layer) resize(n int) {
	if n <= l.maxBatch {
		return
	}
	l.maxBatch = n
	m := n * l.Out
	l.z, l.dz, l.dh = make([]float64, m), make([]float64, m), make([]float64, m)
	l.h, l.a, l.out = l.z, l.z, l.z
	if l.BN {
		l.h, l.xhat = make([]float64, m), make([]float64, m)
		l.invStd = make([]float64, l.Out)
	}
	if _, linear := l.Act.(Linear); !linear {
		l.a = make([]float64, m)
	}
	l.out = l.a
	if l.Dropout > 0 {
		l.out, l.mask = make([]float64, m), make([]float64, m)
	}
	l.dx = make([]float64, n*l.In)
}

func (l *Layer) params(prefix string) []*Param {
	ps := []*Param{{Name: prefix + ".W", W: l.W, G: l.dW, Decay: true}}
	if l.BN {
		ps = append(ps, &Param{Name: prefix + ".gamma", W: l.Gamma, G: l.dGamma}, &Param{Name: prefix + ".beta", W: l.Beta, G: l.dBeta})
	} else {
		ps = append(ps, &Param{Name: prefix + ".b", W: l.B, G: l.dB})
	}
	return ps
}

// init draws the weights: Xavier/Glorot or He, uniform or normal.
func (l *Layer) init(kind string, r *rand.Rand) {
	fanIn, fanOut := float64(l.In), float64(l.Out)
	switch kind {
	case "xavier_uniform":
		lim := math.Sqrt(6 / (fanIn + fanOut))
		for i := range l.W {
			l.W[i] = (2*r.Float64() - 1) * lim
		}
	case "xavier_normal":
		sd := math.Sqrt(2 / (fanIn + fanOut))
		for i := range l.W {
			l.W[i] = r.NormFloat64() * sd
		}
	case "he_uniform":
		lim := math.Sqrt(6 / fanIn)
		for i := range l.W {
			l.W[i] = (2*r.Float64() - 1) * lim
		}
	default: // he_normal
		sd := math.Sqrt(2 / fanIn)
		for i := range l.W {
			l.W[i] = r.NormFloat64() * sd
		}
	}
}

// forward computes the layer's output for n rows of x. In training mode
// batch norm uses batch statistics (and updates the running ones) and
// dropout draws a fresh mask from r, unless fixedMask is set.
func (l *Layer) forward(p *pool, x []float64, n int, train bool, r *rand.Rand, fixedMask bool) []float64 {
	l.x = x
	m := n * l.Out
	z := l.z[:m]
	p.gemmNN(z, x, l.W, n, l.In, l.Out, false)
	if !l.BN {
		for i := 0; i < n; i++ {
			row := z[i*l.Out : (i+1)*l.Out]
			for j, b := range l.B {
				row[j] += b
			}
		}
	} else {
		l.batchNorm(n, train)
	}
	h := l.h[:m]
	a := l.a[:m]
	if _, linear := l.Act.(Linear); !linear {
		l.Act.Forward(a, h)
	} else if &a[0] != &h[0] {
		copy(a, h)
	}
	if l.Dropout > 0 && train {
		keep := 1 - l.Dropout
		scale := 1 / keep
		mask := l.mask[:m]
		if !fixedMask {
			for i := range mask {
				if r.Float64() < keep {
					mask[i] = scale
				} else {
					mask[i] = 0
				}
			}
		}
		out := l.out[:m]
		for i := range out {
			out[i] = a[i] * mask[i]
		}
		return out
	}
	return a
}

func (l *Layer) batchNorm(n int, train bool) {
	k := l.Out
	z, h := l.z[:n*k], l.h[:n*k]
	if !train {
		for j := 0; j < k; j++ {
			inv := 1 / math.Sqrt(l.RunVar[j]+bnEps)
			g, b, mu := l.Gamma[j], l.Beta[j], l.RunMean[j]
			for i := 0; i < n; i++ {
				h[i*k+j] = g*(z[i*k+j]-mu)*inv + b
			}
		}
		return
	}
	xhat := l.xhat[:n*k]
	fn := float64(n)
	for j := 0; j < k; j++ {
		mean := 0.0
		for i := 0; i < n; i++ {
			mean += z[i*k+j]
		}
		mean /= fn
		v := 0.0
		for i := 0; i < n; i++ {
			d := z[i*k+j] - mean
			v += d * d
		}
		v /= fn
		inv := 1 / math.Sqrt(v+bnEps)
		l.invStd[j] = inv
		g, b := l.Gamma[j], l.Beta[j]
		for i := 0; i < n; i++ {
			xh := (z[i*k+j] - mean) * inv
			xhat[i*k+j] = xh
			h[i*k+j] = g*xh + b
		}
		unbiased := v
		if n > 1 {
			unbiased = v * fn / (fn - 1)
		}
		l.RunMean[j] = (1-bnMomentum)*l.RunMean[j] + bnMomentum*mean
		l.RunVar[j] = (1-bnMomentum)*l.RunVar[j] + bnMomentum*unbiased
	}
}

// backward takes dL/d(output) for the last forward's n rows, accumulates
// nothing (it overwrites the gradients), and returns dL/dx when needDX.
func (l *Layer) backward(p *pool, dout []float64, n int, train, needDX bool) []float64 {
	m := n * l.Out
	da := dout[:m]
	if l.Dropout > 0 && train {
		dh := l.dh[:m]
		for i := range dh {
			dh[i] = da[i] * l.mask[i]
		}
		da = dh
	}
	dh := l.dh[:m]
	if _, linear := l.Act.(Linear); !linear {
		l.Act.Backward(dh, da, l.h[:m], l.a[:m])
	} else if &dh[0] != &da[0] {
		copy(dh, da)
	}
	dz := dh
	if l.BN {
		dz = l.dz[:m]
		l.batchNormBackward(dz, dh, n)
	} else {
		clear(l.dB)
		for i := 0; i < n; i++ {
			row := dz[i*l.Out : (i+1)*l.Out]
			for j, v := range row {
				l.dB[j] += v
			}
		}
	}
	p.gemmTN(l.dW, l.x, dz, n, l.In, l.Out, false)
	if !needDX {
		return nil
	}
	dx := l.dx[:n*l.In]
	p.gemmNT(dx, dz, l.W, n, l.In, l.Out, false)
	return dx
}

// batchNormBackward writes dL/dz into dz from dL/dh, for training-mode
// batch statistics:
// dz = γ·invStd/n · (n·dh − Σdh − x̂·Σ(dh·x̂)).
func (l *Layer) batchNormBackward(dz, dh []float64, n int) {
	k := l.Out
	fn := float64(n)
	for j := 0; j < k; j++ {
		sum, sumX := 0.0, 0.0
		for i := 0; i < n; i++ {
			g := dh[i*k+j]
			sum += g
			sumX += g * l.xhat[i*k+j]
		}
		l.dBeta[j] = sum
		l.dGamma[j] = sumX
		c := l.Gamma[j] * l.invStd[j] / fn
		for i := 0; i < n; i++ {
			dz[i*k+j] = c * (fn*dh[i*k+j] - sum - l.xhat[i*k+j]*sumX)
		}
	}
}
