package datasets

import (
	"math"
	"math/rand/v2"
)

// Augmenter perturbs training batches in place: Gaussian input noise and
// mixup. It draws fresh randomness on every call, so every epoch sees new
// noise, and it is deterministic for its seed. It allocates only in New.
// It is not safe for concurrent use.
type Augmenter struct {
	sigma, alpha float64
	r            *rand.Rand
	perm         []int
	tmpX, tmpT   []float64
}

// NewAugmenter returns an augmenter for batches of up to maxBatch rows of d
// features and k target columns, or nil when s asks for no augmentation.
func NewAugmenter(s Spec, maxBatch, d, k int) *Augmenter {
	if s.AugNoise == 0 && s.Mixup == 0 {
		return nil
	}
	return &Augmenter{
		sigma: s.AugNoise, alpha: s.Mixup,
		r:    rand.New(rand.NewPCG(s.Seed, 0xa09)),
		perm: make([]int, maxBatch), tmpX: make([]float64, maxBatch*d), tmpT: make([]float64, maxBatch*k),
	}
}

// Apply augments a batch of n rows: x is n×d inputs and t is n×k targets
// (one-hot or soft for classification). Mixup blends each row with another
// row of the batch, inputs and targets alike, with λ ~ Beta(α, α).
func (a *Augmenter) Apply(x, t []float64, n, d, k int) {
	if a == nil {
		return
	}
	if a.sigma > 0 {
		for i := range x[:n*d] {
			x[i] += a.r.NormFloat64() * a.sigma
		}
	}
	if a.alpha > 0 && n > 1 {
		lam := a.beta(a.alpha)
		perm := a.perm[:n]
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j := a.r.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		copy(a.tmpX[:n*d], x[:n*d])
		copy(a.tmpT[:n*k], t[:n*k])
		for i := 0; i < n; i++ {
			p := perm[i]
			for j := 0; j < d; j++ {
				x[i*d+j] = lam*a.tmpX[i*d+j] + (1-lam)*a.tmpX[p*d+j]
			}
			for j := 0; j < k; j++ {
				t[i*k+j] = lam*a.tmpT[i*k+j] + (1-lam)*a.tmpT[p*k+j]
			}
		}
	}
}

// beta draws from Beta(alpha, alpha) as a ratio of Gamma draws.
func (a *Augmenter) beta(alpha float64) float64 {
	x := a.gamma(alpha)
	y := a.gamma(alpha)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}

// gamma draws from Gamma(shape, 1) by Marsaglia and Tsang's method.
func (a *Augmenter) gamma(shape float64) float64 {
	if shape < 1 {
		u := a.r.Float64()
		return a.gamma(shape+1) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		var x, v float64
		for {
			x = a.r.NormFloat64()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		u := a.r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
