package trainer

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/stat/distuv"
)

const (
	bnEps      = 1e-5
	bnMomentum = 0.1 // running = (1−m)·running + m·batch, as PyTorch
)

// Param is one trainable float64 tensor and its gradient.
type Param = param[float64]

// param is one trainable tensor and its gradient, in either precision.
type param[T float] struct {
	Name  string
	W     []T
	G     []T
	Decay bool // weights take L1/L2 and weight decay; biases and BN shifts do not
}

// Layer is a float64 dense layer.
type Layer = layer[float64]

// layer is a dense layer: z = x·W + b, then optional batch normalization,
// the activation, and optional inverted dropout, in precision T. Buffers
// for up to maxBatch rows are allocated once. It is not safe for
// concurrent use.
type layer[T float] struct {
	In, Out int
	Act     Activation
	BN      bool
	Dropout float64

	W, B, dW, dB               []T // W is In×Out, row-major; no B under BN
	Gamma, Beta, dGamma, dBeta []T
	RunMean, RunVar            []T

	actF func(a, z []T)         // Act.Forward in T
	actB func(dz, da, z, a []T) // Act.Backward in T
	wt   []T                    // Wᵀ, for dx through the tiles (see backward) and the dot tiles
	dotW bool                   // the forward product goes through Wᵀ and the dot tiles (dot.go)

	transposeW func(lo, hi int) // rows [lo, hi) of W into wt, on the pool
	ext        blas.Float64     // a plugged BLAS (see UseBLAS), or nil

	maxBatch int
	x        []T // the last input (aliases the caller's buffer)
	z, h, a  []T // linear output, normalized output, activation output
	out      []T // after dropout (aliases a without dropout)
	mask     []T
	xhat     []T
	invStd   []T
	dz, dh   []T
	dx       []T
	dzp      []T // dh packed into panels for the weight gradient (pack.go), or nil
	dwt      []T // dWᵀ, for a narrow layer's weight gradient (pack.go), or nil
}

func newLayer(in, out int, act Activation, bn bool, dropout float64, maxBatch int) *Layer {
	return newLayerT[float64](in, out, act, bn, dropout, maxBatch)
}

// setAct replaces the layer's activation (the buffers must suit it: the
// same linearity).
func (l *layer[T]) setAct(act Activation) {
	l.Act = act
	l.actF, l.actB = actFuncs[T](act)
}

func newLayerT[T float](in, out int, act Activation, bn bool, dropout float64, maxBatch int) *layer[T] {
	l := &layer[T]{In: in, Out: out, Act: act, BN: bn, Dropout: dropout}
	l.actF, l.actB = actFuncs[T](act)
	l.ext = pluggedBLAS[T]()
	l.W, l.dW = make([]T, in*out), make([]T, in*out)
	if bn {
		l.Gamma, l.Beta = make([]T, out), make([]T, out)
		l.dGamma, l.dBeta = make([]T, out), make([]T, out)
		l.RunMean, l.RunVar = make([]T, out), make([]T, out)
		for j := range l.Gamma {
			l.Gamma[j], l.RunVar[j] = 1, 1
		}
	} else {
		l.B, l.dB = make([]T, out), make([]T, out)
	}
	l.dotW = dotNarrow[T](in, out)
	if l.packDX(maxBatch) || l.dotW {
		l.wt = make([]T, dotBT(in, out))
		l.transposeW = func(lo, hi int) { transposeRows(l.wt, l.W, l.In, l.Out, lo, hi) }
	}
	l.resize(maxBatch)
	return l
}

// packDX reports whether dx = dz·Wᵀ goes through a transposed copy of W
// and the register tiles rather than the dot-product kernel: for float32
// always (there is no float32 dot kernel), for float64 from 16k
// multiply-adds (w2's output layer, w3's), where the tiles' speed pays for
// the copy; w1's products, a few hundred, keep the dot kernel.
func (l *layer[T]) packDX(n int) bool {
	nw, _ := tileCols[T]()
	return nw > 0 && l.In >= 4 && (is32[T]() || n*l.In*l.Out >= packMACs)
}

// packMACs is the size from which float64 input gradients are packed.
const packMACs = 1 << 14

func (l *layer[T]) resize(n int) {
	if n <= l.maxBatch {
		return
	}
	l.maxBatch = n
	m := n * l.Out
	l.z, l.dz, l.dh = make([]T, m), make([]T, m), make([]T, m)
	l.h, l.a, l.out = l.z, l.z, l.z
	if l.BN {
		l.h, l.xhat = make([]T, m), make([]T, m)
		l.invStd = make([]T, l.Out)
	}
	if _, linear := l.Act.(Linear); !linear {
		l.a = make([]T, m)
	}
	l.out = l.a
	if l.Dropout > 0 {
		l.out, l.mask = make([]T, m), make([]T, m)
	}
	l.dx = make([]T, n*l.In)
	if _, ww := tileCols[T](); ww > 0 && l.In >= packMinIn && l.Out >= ww && !l.BN {
		l.dzp = make([]T, n*l.Out)
	}
	if narrowLayer[T](l.In, l.Out) && !l.BN && l.dwt == nil {
		l.dwt = make([]T, l.In*l.Out)
	}
}

func (l *layer[T]) params(prefix string) []*param[T] {
	ps := []*param[T]{{Name: prefix + ".W", W: l.W, G: l.dW, Decay: true}}
	if l.BN {
		ps = append(ps, &param[T]{Name: prefix + ".gamma", W: l.Gamma, G: l.dGamma}, &param[T]{Name: prefix + ".beta", W: l.Beta, G: l.dBeta})
	} else {
		ps = append(ps, &param[T]{Name: prefix + ".b", W: l.B, G: l.dB})
	}
	return ps
}

// init draws the weights: Xavier/Glorot or He, uniform or normal, with
// gonum's distuv on r's stream. The uniform draws take distuv.Uniform on
// [-1, 1) times the limit, not distuv.Uniform on [-lim, lim): that is
// u·2lim − lim, rounded twice, which would move every weight by an ulp
// from the (2u − 1)·lim that runs have always drawn and so change every
// saved result; 2u − 1 is exact, so this form keeps them bit for bit. The
// normal draws are N(0, 1)·sd in both. Both precisions draw the same
// float64 stream; float32 rounds it.
func (l *layer[T]) init(kind string, r *rand.Rand) {
	fanIn, fanOut := float64(l.In), float64(l.Out)
	var d distuv.Rander
	var scale float64
	switch kind {
	case "xavier_uniform":
		d, scale = distuv.Uniform{Min: -1, Max: 1, Src: r}, math.Sqrt(6/(fanIn+fanOut))
	case "xavier_normal":
		d, scale = distuv.Normal{Mu: 0, Sigma: math.Sqrt(2 / (fanIn + fanOut)), Src: r}, 1
	case "he_uniform":
		d, scale = distuv.Uniform{Min: -1, Max: 1, Src: r}, math.Sqrt(6/fanIn)
	default: // he_normal
		d, scale = distuv.Normal{Mu: 0, Sigma: math.Sqrt(2 / fanIn), Src: r}, 1
	}
	for i := range l.W {
		l.W[i] = T(d.Rand() * scale)
	}
}

// forward computes the layer's output for n rows of x. In training mode
// batch norm uses batch statistics (and updates the running ones) and
// dropout draws a fresh mask from r, unless fixedMask is set.
func (l *layer[T]) forward(p *pool, x []T, n int, train bool, r *rand.Rand, fixedMask bool) []T {
	l.x = x
	m := n * l.Out
	z := l.z[:m]
	h := l.h[:m]
	a := l.a[:m]
	_, linear := l.Act.(Linear)
	if !l.BN {
		// Bias and activation fused into the product: each worker finishes
		// its own rows.
		var out []T
		if !linear {
			out = a
		}
		if l.ext != nil {
			l.extForward(x, z, out, n)
		} else if l.dotW {
			transposeRows(l.wt, l.W, l.In, l.Out, 0, l.In)
			gemmNNBiasAct(p, z, x, l.wt, l.B, out, l.actF, n, l.In, l.Out, true)
		} else {
			gemmNNBiasAct(p, z, x, l.W, l.B, out, l.actF, n, l.In, l.Out, false)
		}
	} else if l.ext != nil {
		l.extForward(x, z, nil, n) // no bias under batch norm: B is zero-length
		l.batchNorm(n, train)
		if !linear {
			l.actF(a, h)
		}
	} else {
		if l.dotW {
			transposeRows(l.wt, l.W, l.In, l.Out, 0, l.In)
			gemmNNDot(p, z, x, l.wt, n, l.In, l.Out)
		} else {
			gemmNN(p, z, x, l.W, n, l.In, l.Out, false)
		}
		l.batchNorm(n, train)
		if !linear {
			l.actF(a, h)
		}
	}
	if linear && &a[0] != &h[0] {
		copy(a, h)
	}
	if l.Dropout > 0 && train {
		keep := 1 - l.Dropout
		scale := T(1 / keep)
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

func (l *layer[T]) batchNorm(n int, train bool) {
	k := l.Out
	z, h := l.z[:n*k], l.h[:n*k]
	if !train {
		for j := 0; j < k; j++ {
			inv := T(1 / math.Sqrt(float64(l.RunVar[j])+bnEps))
			g, b, mu := l.Gamma[j], l.Beta[j], l.RunMean[j]
			for i := 0; i < n; i++ {
				h[i*k+j] = g*(z[i*k+j]-mu)*inv + b
			}
		}
		return
	}
	xhat := l.xhat[:n*k]
	fn := T(n)
	for j := 0; j < k; j++ {
		var mean T
		for i := 0; i < n; i++ {
			mean += z[i*k+j]
		}
		mean /= fn
		var v T
		for i := 0; i < n; i++ {
			d := z[i*k+j] - mean
			v += d * d
		}
		v /= fn
		inv := T(1 / math.Sqrt(float64(v)+bnEps))
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
func (l *layer[T]) backward(p *pool, dout []T, n int, train, needDX bool) []T {
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
		l.actB(dh, da, l.h[:m], l.a[:m])
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
	if l.ext != nil {
		l.extWeightGrad(dz, n)
	} else {
		gemmTN(p, l.dW, l.x, dz, n, l.In, l.Out, false)
	}
	if !needDX {
		return nil
	}
	dx := l.dx[:n*l.In]
	if l.ext != nil {
		l.extInputGrad(dx, dz, n)
		return dx
	}
	if l.wt != nil && l.packDX(n) {
		p.each(l.transposeW, l.In, l.Out*16, transposeBlk)
		gemmNN(p, dx, dz, l.wt, n, l.Out, l.In, false)
		return dx
	}
	gemmNT(p, dx, dz, l.W, n, l.In, l.Out, false)
	return dx
}

// batchNormBackward writes dL/dz into dz from dL/dh, for training-mode
// batch statistics:
// dz = γ·invStd/n · (n·dh − Σdh − x̂·Σ(dh·x̂)).
func (l *layer[T]) batchNormBackward(dz, dh []T, n int) {
	k := l.Out
	fn := T(n)
	for j := 0; j < k; j++ {
		var sum, sumX T
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
