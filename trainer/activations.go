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
	if s.Precision == Float32 {
		activations(snapshotModel[float32](s, min(n, activationChunk)), x, n, out)
	} else {
		activations(snapshotModel[float64](s, min(n, activationChunk)), x, n, out)
	}
	return out
}

const activationChunk = 1024

// activations fills out for Activations, in the network's precision.
func activations[T float](m *network[T], x []float64, n int, out [][]float64) {
	for lo := 0; lo < n; lo += activationChunk {
		c := min(activationChunk, n-lo)
		m.forward64(x[lo*m.Inputs:(lo+c)*m.Inputs], c, false, nil)
		for i, l := range m.Layers {
			dst := out[i][lo*l.Out : (lo+c)*l.Out]
			for j, v := range l.a[:c*l.Out] {
				dst[j] = float64(v)
			}
		}
	}
}
