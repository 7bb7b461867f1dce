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
)

// BCE is binary cross-entropy on a sigmoid head, computed from logits as
// max(z,0) − z·t + log(1+e^−|z|).
type BCE struct{}

func (BCE) Name() string { return "bce" }
func (BCE) Eval(grad, z, t []float64, n, k int) float64 {
	m := n * k
	sum := 0.0
	inv := 1 / float64(n)
	for i := 0; i < m; i++ {
		v := z[i]
		sum += math.Max(v, 0) - v*t[i] + math.Log1p(math.Exp(-math.Abs(v)))
		if grad != nil {
			grad[i] = (sigmoid(v) - t[i]) * inv
		}
	}
	return sum * inv
}

// SoftmaxCE is cross-entropy on a softmax head, computed with log-sum-exp.
type SoftmaxCE struct{}

func (SoftmaxCE) Name() string { return "ce" }
func (SoftmaxCE) Eval(grad, z, t []float64, n, k int) float64 {
	sum := 0.0
	inv := 1 / float64(n)
	for i := 0; i < n; i++ {
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
			sum += tr[j] * (lse - v)
			tsum += tr[j]
		}
		if grad != nil {
			g := grad[i*k : (i+1)*k]
			for j, v := range row {
				g[j] = (math.Exp(v-lse)*tsum - tr[j]) * inv
			}
		}
	}
	return sum * inv
}

// MSE is the mean squared error of the head's outputs, averaged over rows
// and outputs. On a binary task it compares the sigmoid probability with
// the 0/1 target, as the seed example does.
type MSE struct{ Head Head }

func (MSE) Name() string { return "mse" }
func (l MSE) Eval(grad, z, t []float64, n, k int) float64 {
	inv := 1 / float64(n*k)
	sum := 0.0
	switch l.Head {
	case HeadSigmoid:
		for i, v := range z[:n*k] {
			p := sigmoid(v)
			d := p - t[i]
			sum += d * d
			if grad != nil {
				grad[i] = 2 * d * p * (1 - p) * inv
			}
		}
	case HeadSoftmax:
		var pbuf [64]float64
		for i := 0; i < n; i++ {
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
				sum += d * d
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
		for i, v := range z[:n*k] {
			d := v - t[i]
			sum += d * d
			if grad != nil {
				grad[i] = 2 * d * inv
			}
		}
	}
	return sum * inv
}

// Huber is quadratic within Delta of the target and linear beyond it.
type Huber struct{ Delta float64 }

func (Huber) Name() string { return "huber" }
func (h Huber) Eval(grad, z, t []float64, n, k int) float64 {
	inv := 1 / float64(n*k)
	sum := 0.0
	for i, v := range z[:n*k] {
		d := v - t[i]
		if math.Abs(d) <= h.Delta {
			sum += 0.5 * d * d
			if grad != nil {
				grad[i] = d * inv
			}
		} else {
			sum += h.Delta * (math.Abs(d) - 0.5*h.Delta)
			if grad != nil {
				grad[i] = h.Delta * math.Copysign(1, d) * inv
			}
		}
	}
	return sum * inv
}
