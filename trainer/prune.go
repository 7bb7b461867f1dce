package trainer

import (
	"fmt"
	"math"
	"sort"
)

// Mask marks the weights that pruning kept: Mask[l][i] is false when
// weight i of layer l's W was set to zero and must stay zero.
type Mask [][]bool

// Clone returns a deep copy of s.
func (s *Snapshot) Clone() *Snapshot {
	c := *s
	c.Layers = make([]LayerWeights, len(s.Layers))
	for i, l := range s.Layers {
		l.W = append([]float64(nil), l.W...)
		l.B = append([]float64(nil), l.B...)
		l.Gamma = append([]float64(nil), l.Gamma...)
		l.Beta = append([]float64(nil), l.Beta...)
		l.RunMean = append([]float64(nil), l.RunMean...)
		l.RunVar = append([]float64(nil), l.RunVar...)
		if len(l.B) == 0 {
			l.B = nil
		}
		if !l.BatchNorm {
			l.Gamma, l.Beta, l.RunMean, l.RunVar = nil, nil, nil, nil
		}
		c.Layers[i] = l
	}
	return &c
}

// NumWeights counts the entries of every layer's weight matrix.
func (s *Snapshot) NumWeights() int {
	n := 0
	for _, l := range s.Layers {
		n += len(l.W)
	}
	return n
}

// NonZeroWeights counts the non-zero entries of every weight matrix.
func (s *Snapshot) NonZeroWeights() int {
	n := 0
	for _, l := range s.Layers {
		for _, w := range l.W {
			if w != 0 {
				n++
			}
		}
	}
	return n
}

// PruneMagnitude returns a copy of s with the fraction frac of all its
// weights (every layer's W, biases and batch-norm parameters excluded) of
// smallest magnitude set to zero, globally across layers, and the mask of
// the weights kept. Ties are broken by position, so the result is
// deterministic. It returns an error when frac is outside [0, 1).
func PruneMagnitude(s *Snapshot, frac float64) (*Snapshot, Mask, error) {
	if !(frac >= 0 && frac < 1) {
		return nil, nil, fmt.Errorf("prune: fraction %v is out of range [0, 1)", frac)
	}
	c := s.Clone()
	type ref struct{ l, i int }
	var all []ref
	mask := make(Mask, len(c.Layers))
	for l, lw := range c.Layers {
		mask[l] = make([]bool, len(lw.W))
		for i := range lw.W {
			mask[l][i] = true
			all = append(all, ref{l, i})
		}
	}
	sort.SliceStable(all, func(a, b int) bool {
		return math.Abs(c.Layers[all[a].l].W[all[a].i]) < math.Abs(c.Layers[all[b].l].W[all[b].i])
	})
	k := int(math.Round(frac * float64(len(all))))
	for _, r := range all[:k] {
		c.Layers[r.l].W[r.i] = 0
		mask[r.l][r.i] = false
	}
	return c, mask, nil
}

// PruneUnits returns a smaller copy of s: in every hidden layer, the
// fraction frac of units (rounded down, keeping at least one) whose
// outgoing weights have the smallest L2 norm are removed with their
// incoming weights, bias and batch-norm parameters, giving narrower dense
// layers. It returns an error when frac is outside [0, 1).
func PruneUnits(s *Snapshot, frac float64) (*Snapshot, error) {
	if !(frac >= 0 && frac < 1) {
		return nil, fmt.Errorf("prune: fraction %v is out of range [0, 1)", frac)
	}
	c := s.Clone()
	for l := 0; l+1 < len(c.Layers); l++ {
		cur, next := &c.Layers[l], &c.Layers[l+1]
		norms := make([]float64, cur.Out)
		for j := range norms {
			row := next.W[j*next.Out : (j+1)*next.Out]
			ss := 0.0
			for _, w := range row {
				ss += w * w
			}
			norms[j] = math.Sqrt(ss)
		}
		keepN := max(1, cur.Out-int(frac*float64(cur.Out)))
		order := make([]int, cur.Out)
		for j := range order {
			order[j] = j
		}
		sort.SliceStable(order, func(a, b int) bool { return norms[order[a]] > norms[order[b]] })
		kept := append([]int(nil), order[:keepN]...)
		sort.Ints(kept)
		w := make([]float64, cur.In*keepN)
		for i := 0; i < cur.In; i++ {
			for jj, j := range kept {
				w[i*keepN+jj] = cur.W[i*cur.Out+j]
			}
		}
		pick := func(v []float64) []float64 {
			if v == nil {
				return nil
			}
			out := make([]float64, keepN)
			for jj, j := range kept {
				out[jj] = v[j]
			}
			return out
		}
		cur.W, cur.B = w, pick(cur.B)
		cur.Gamma, cur.Beta, cur.RunMean, cur.RunVar = pick(cur.Gamma), pick(cur.Beta), pick(cur.RunMean), pick(cur.RunVar)
		cur.Out = keepN
		nw := make([]float64, keepN*next.Out)
		for jj, j := range kept {
			copy(nw[jj*next.Out:(jj+1)*next.Out], next.W[j*next.Out:(j+1)*next.Out])
		}
		next.W, next.In = nw, keepN
	}
	return c, nil
}

// HiddenUnits returns the widths of the hidden layers.
func (s *Snapshot) HiddenUnits() []int {
	var out []int
	for _, l := range s.Layers[:len(s.Layers)-1] {
		out = append(out, l.Out)
	}
	return out
}
