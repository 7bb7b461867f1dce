package trainer

import (
	"fmt"
	"math"
)

// OutputGradient writes into grad (len Inputs) the gradient of head output
// c (a probability, or a value for regression; c is 0 for binary and
// regression) with respect to one row of scaled inputs x, in inference
// mode, and returns that output. It panics if x or grad is not Inputs long
// or c is not an output.
func (s *Snapshot) OutputGradient(grad, x []float64, c int) float64 {
	if len(x) != s.Inputs || len(grad) != s.Inputs || c < 0 || c >= s.Outputs {
		panic("trainer: OutputGradient shape mismatch")
	}
	type cache struct{ z, a []float64 }
	caches := make([]cache, len(s.Layers))
	h := x
	for li, l := range s.Layers {
		z := make([]float64, l.Out)
		if l.B != nil {
			copy(z, l.B)
		}
		for i := 0; i < l.In; i++ {
			if h[i] == 0 {
				continue
			}
			w := l.W[i*l.Out : (i+1)*l.Out]
			for j := range z {
				z[j] += h[i] * w[j]
			}
		}
		if l.BatchNorm {
			for j := range z {
				z[j] = l.Gamma[j]*(z[j]-l.RunMean[j])/math.Sqrt(l.RunVar[j]+bnEps) + l.Beta[j]
			}
		}
		act, _ := ParseActivation(l.Activation)
		a := make([]float64, l.Out)
		act.Forward(a, z)
		caches[li] = cache{z, a}
		h = a
	}
	out := make([]float64, s.Outputs)
	headFor(s.Task).Apply(out, h, 1, s.Outputs)
	// d out[c] / d logits.
	g := make([]float64, s.Outputs)
	switch headFor(s.Task) {
	case HeadSigmoid:
		g[0] = out[0] * (1 - out[0])
	case HeadSoftmax:
		for j := range g {
			d := 0.0
			if j == c {
				d = 1
			}
			g[j] = out[c] * (d - out[j])
		}
	default:
		g[c] = 1
	}
	for li := len(s.Layers) - 1; li >= 0; li-- {
		l := s.Layers[li]
		act, _ := ParseActivation(l.Activation)
		dz := make([]float64, l.Out)
		act.Backward(dz, g, caches[li].z, caches[li].a)
		if l.BatchNorm {
			for j := range dz {
				dz[j] *= l.Gamma[j] / math.Sqrt(l.RunVar[j]+bnEps)
			}
		}
		dx := make([]float64, l.In)
		for i := range dx {
			w := l.W[i*l.Out : (i+1)*l.Out]
			sum := 0.0
			for j, v := range dz {
				sum += v * w[j]
			}
			dx[i] = sum
		}
		g = dx
	}
	copy(grad, g)
	return out[c]
}

// IntegratedGradients returns the attribution of each input to head output
// c for one row of scaled inputs x against a baseline row: (x−baseline)
// times the mean gradient along the straight path between them, by the
// midpoint rule with steps points. The attributions add up to
// f(x) − f(baseline) up to the rule's error. It also returns f(x) and
// f(baseline). It returns an error when steps is below 1.
func (s *Snapshot) IntegratedGradients(x, baseline []float64, c, steps int) (attr []float64, fx, fbase float64, err error) {
	if steps < 1 {
		return nil, 0, 0, fmt.Errorf("integrated gradients: steps must be at least 1")
	}
	if len(x) != s.Inputs || len(baseline) != s.Inputs {
		panic("trainer: IntegratedGradients shape mismatch")
	}
	sum := make([]float64, s.Inputs)
	grad := make([]float64, s.Inputs)
	pt := make([]float64, s.Inputs)
	for k := 0; k < steps; k++ {
		t := (float64(k) + 0.5) / float64(steps)
		for i := range pt {
			pt[i] = baseline[i] + t*(x[i]-baseline[i])
		}
		s.OutputGradient(grad, pt, c)
		for i, g := range grad {
			sum[i] += g
		}
	}
	attr = make([]float64, s.Inputs)
	for i := range attr {
		attr[i] = (x[i] - baseline[i]) * sum[i] / float64(steps)
	}
	fx = s.OutputGradient(grad, x, c)
	fbase = s.OutputGradient(grad, baseline, c)
	return attr, fx, fbase, nil
}

// Dequantize returns the float model whose weights are q's decoded weights
// (code·2^w_exp): the function q computes, without the rounding of its
// inputs. Gradient-based attributions of a quantized model use it.
func (q *Quantized) Dequantize() *Snapshot {
	s := &Snapshot{Task: q.Task, Inputs: q.Inputs, Outputs: q.Outputs, Threshold: q.Threshold}
	for _, l := range q.Layers {
		w := make([]float64, len(l.W))
		for i := 0; i < l.In; i++ {
			for j := 0; j < l.Out; j++ {
				w[i*l.Out+j] = math.Ldexp(float64(l.W[i*l.Out+j]), l.WExp[j])
			}
		}
		s.Layers = append(s.Layers, LayerWeights{In: l.In, Out: l.Out, Activation: l.Activation, W: w, B: append([]float64(nil), l.B...)})
	}
	return s
}
