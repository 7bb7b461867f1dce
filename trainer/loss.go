package trainer

import (
	"fmt"
	"math"

	"workbench/datasets"
)

// Loss measures a batch of output logits against targets. The output head
// (sigmoid for binary, softmax for multiclass, identity for regression) is
// part of the loss, so the gradient is taken with respect to the logits,
// which keeps cross-entropy numerically stable.
type Loss interface {
	Name() string
	// Eval returns the mean loss of n rows of k logits against targets t
	// (n×k: 0/1 or soft for binary, one-hot or soft for multiclass, values
	// for regression). If grad is non-nil it receives dLoss/dlogits.
	Eval(grad, logits, t []float64, n, k int) float64
}

// NewLoss returns the loss name for a task's output head.
func NewLoss(name string, task datasets.Task) (Loss, error) {
	switch name {
	case "bce":
		if task != datasets.Binary {
			return nil, fmt.Errorf("loss: bce needs a binary task")
		}
		return BCE{}, nil
	case "ce":
		if task != datasets.Multiclass {
			return nil, fmt.Errorf("loss: ce needs a multiclass task")
		}
		return SoftmaxCE{}, nil
	case "mse":
		return MSE{Head: headFor(task)}, nil
	case "huber":
		return Huber{Delta: 1}, nil
	}
	return nil, fmt.Errorf("loss: unknown loss %q (want mse, bce, ce or huber)", name)
}

// Head is the output layer's squashing function.
type Head int

// The heads.
const (
	HeadLinear Head = iota
	HeadSigmoid
	HeadSoftmax
)

func headFor(task datasets.Task) Head {
	switch task {
	case datasets.Binary:
		return HeadSigmoid
	case datasets.Multiclass:
		return HeadSoftmax
	}
	return HeadLinear
}

// Apply writes the head's outputs for n rows of k logits into out.
func (h Head) Apply(out, logits []float64, n, k int) {
	switch h {
	case HeadSigmoid:
		for i, z := range logits[:n*k] {
			out[i] = sigmoid(z)
		}
	case HeadSoftmax:
		for i := 0; i < n; i++ {
			softmax(out[i*k:(i+1)*k], logits[i*k:(i+1)*k])
		}
	default:
		copy(out[:n*k], logits[:n*k])
	}
}

func softmax(p, z []float64) {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	s := 0.0
	for j, v := range z {
		p[j] = math.Exp(v - m)
		s += p[j]
	}
	for j := range p {
		p[j] /= s
	}
}

var (
	_ Loss = BCE{}
	_ Loss = SoftmaxCE{}
	_ Loss = MSE{}
	_ Loss = Huber{}

	_ rowLoss = BCE{}
	_ rowLoss = SoftmaxCE{}
	_ rowLoss = MSE{}
	_ rowLoss = Huber{}
)

// rowLoss is a loss evaluated a block of rows at a time, so that the
// workers can each take theirs (forwardGatherLoss) with the bits of Eval.
// evalRows writes rows [lo, hi) of the gradient of the mean over n rows
// (with grad set), stores each element's term of the sum in terms (when
// set) and returns their sum in element order; mean turns the sum of all
// n rows' terms, added in element order, into Eval's result.
type rowLoss interface {
	evalRows(grad, z, t, terms []float64, n, k, lo, hi int) float64
	mean(sum float64, n, k int) float64
}

// BCE is binary cross-entropy on a sigmoid head, computed from logits as
// max(z,0) − z·t + log(1+e^−|z|).
type BCE struct{}

func (BCE) Name() string { return "bce" }
func (l BCE) Eval(grad, z, t []float64, n, k int) float64 {
	return l.mean(l.evalRows(grad, z, t, nil, n, k, 0, n), n, k)
}

func (BCE) mean(sum float64, n, k int) float64 { return sum * (1 / float64(n)) }

func (BCE) evalRows(grad, z, t, terms []float64, n, k, lo, hi int) float64 {
	sum := 0.0
	inv := 1 / float64(n)
	for i := lo * k; i < hi*k; i++ {
		v := z[i]
		term := math.Max(v, 0) - v*t[i] + math.Log1p(math.Exp(-math.Abs(v)))
		sum += term
		if terms != nil {
			terms[i] = term
		}
		if grad != nil {
			grad[i] = (sigmoid(v) - t[i]) * inv
		}
	}
	return sum
}

// SoftmaxCE is cross-entropy on a softmax head, computed with log-sum-exp.
type SoftmaxCE struct{}

func (SoftmaxCE) Name() string { return "ce" }
func (l SoftmaxCE) Eval(grad, z, t []float64, n, k int) float64 {
	return l.mean(l.evalRows(grad, z, t, nil, n, k, 0, n), n, k)
}

func (SoftmaxCE) mean(sum float64, n, k int) float64 { return sum * (1 / float64(n)) }

func (SoftmaxCE) evalRows(grad, z, t, terms []float64, n, k, lo, hi int) float64 {
	sum := 0.0
	inv := 1 / float64(n)
	for i := lo; i < hi; i++ {
		row, tr := z[i*k:(i+1)*k], t[i*k:(i+1)*k]
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, v)
		}
		s := 0.0
		for _, v := range row {
			s += math.Exp(v - m)
		}
		lse := m + math.Log(s)
		tsum := 0.0
		for j, v := range row {
			term := tr[j] * (lse - v)
			sum += term
			if terms != nil {
				terms[i*k+j] = term
			}
			tsum += tr[j]
		}
		if grad != nil {
			g := grad[i*k : (i+1)*k]
			for j, v := range row {
				g[j] = (math.Exp(v-lse)*tsum - tr[j]) * inv
			}
		}
	}
	return sum
}

// MSE is the mean squared error of the head's outputs, averaged over rows
// and outputs. On a binary task it compares the sigmoid probability with
// the 0/1 target, as the seed example does.
type MSE struct{ Head Head }

func (MSE) Name() string { return "mse" }
func (l MSE) Eval(grad, z, t []float64, n, k int) float64 {
	return l.mean(l.evalRows(grad, z, t, nil, n, k, 0, n), n, k)
}

func (MSE) mean(sum float64, n, k int) float64 { return sum * (1 / float64(n*k)) }

func (l MSE) evalRows(grad, z, t, terms []float64, n, k, lo, hi int) float64 {
	inv := 1 / float64(n*k)
	sum := 0.0
	add := func(i int, term float64) {
		sum += term
		if terms != nil {
			terms[i] = term
		}
	}
	switch l.Head {
	case HeadSigmoid:
		for i := lo * k; i < hi*k; i++ {
			v := z[i]
			p := sigmoid(v)
			d := p - t[i]
			add(i, d*d)
			if grad != nil {
				grad[i] = 2 * d * p * (1 - p) * inv
			}
		}
	case HeadSoftmax:
		var pbuf [64]float64
		for i := lo; i < hi; i++ {
			row, tr := z[i*k:(i+1)*k], t[i*k:(i+1)*k]
			var p []float64
			if k <= len(pbuf) {
				p = pbuf[:k]
			} else {
				p = make([]float64, k)
			}
			softmax(p, row)
			dot := 0.0
			for j := range p {
				d := p[j] - tr[j]
				add(i*k+j, d*d)
				dot += 2 * d * inv * p[j]
			}
			if grad != nil {
				g := grad[i*k : (i+1)*k]
				for j := range p {
					g[j] = p[j] * (2*(p[j]-tr[j])*inv - dot)
				}
			}
		}
	default:
		for i := lo * k; i < hi*k; i++ {
			d := z[i] - t[i]
			add(i, d*d)
			if grad != nil {
				grad[i] = 2 * d * inv
			}
		}
	}
	return sum
}

// Huber is quadratic within Delta of the target and linear beyond it.
type Huber struct{ Delta float64 }

func (Huber) Name() string { return "huber" }
func (h Huber) Eval(grad, z, t []float64, n, k int) float64 {
	return h.mean(h.evalRows(grad, z, t, nil, n, k, 0, n), n, k)
}

func (Huber) mean(sum float64, n, k int) float64 { return sum * (1 / float64(n*k)) }

func (h Huber) evalRows(grad, z, t, terms []float64, n, k, lo, hi int) float64 {
	inv := 1 / float64(n*k)
	sum := 0.0
	for i := lo * k; i < hi*k; i++ {
		d := z[i] - t[i]
		var term float64
		if math.Abs(d) <= h.Delta {
			term = 0.5 * d * d
			if grad != nil {
				grad[i] = d * inv
			}
		} else {
			term = h.Delta * (math.Abs(d) - 0.5*h.Delta)
			if grad != nil {
				grad[i] = h.Delta * math.Copysign(1, d) * inv
			}
		}
		sum += term
		if terms != nil {
			terms[i] = term
		}
	}
	return sum
}
