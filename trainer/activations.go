package trainer

// Activations returns, for n rows of already-scaled inputs x, every
// layer's outputs in inference mode: one n×Out slice per layer, row-major,
// the hidden layers' after their activation and the output layer's before
// the head (logits). It allocates its own buffers, so concurrent calls are
// safe. It panics if x is shorter than n rows.
func (s *Snapshot) Activations(x []float64, n int) [][]float64 {
	if len(x) < n*s.Inputs {
		panic("trainer: Activations input shorter than n rows")
	}
	out := make([][]float64, len(s.Layers))
	for i, l := range s.Layers {
		out[i] = make([]float64, n*l.Out)
	}
	if n == 0 {
		return out
	}
	const chunk = 1024
	m := s.model(min(n, chunk))
	for lo := 0; lo < n; lo += chunk {
		c := min(chunk, n-lo)
		m.Forward(x[lo*s.Inputs:(lo+c)*s.Inputs], c, false, nil)
		for i, l := range m.Layers {
			copy(out[i][lo*l.Out:(lo+c)*l.Out], l.a[:c*l.Out])
		}
	}
	return out
}
