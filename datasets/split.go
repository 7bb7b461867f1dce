package datasets

import (
	"math"
	"math/rand/v2"
)

// splitIndices returns the row indices of the train, validation and test
// splits. Classification splits are stratified: each class is divided in
// the requested ratios, so every split keeps the class ratios within one
// sample. Sets smaller than SmallSetRows are not split at all.
func splitIndices(t *Table, ratios [3]float64, seed uint64) (tr, va, te []int, rule string) {
	if t.N < SmallSetRows {
		all := make([]int, t.N)
		for i := range all {
			all[i] = i
		}
		return all, all, all, "small set: train, validation and test are all rows"
	}
	r := rand.New(rand.NewPCG(seed, 0x5b117))
	var groups [][]int
	if k := t.Meta.Classes(); k > 0 {
		groups = make([][]int, k)
		for i, y := range t.Y {
			c := int(y)
			if c >= 0 && c < k {
				groups[c] = append(groups[c], i)
			}
		}
	} else {
		all := make([]int, t.N)
		for i := range all {
			all[i] = i
		}
		groups = [][]int{all}
	}
	for _, g := range groups {
		shuffleInts(r, g)
		n := len(g)
		nTr := int(math.Round(float64(n) * ratios[0]))
		nVa := int(math.Round(float64(n) * ratios[1]))
		if nTr+nVa > n {
			nVa = n - nTr
		}
		tr = append(tr, g[:nTr]...)
		va = append(va, g[nTr:nTr+nVa]...)
		te = append(te, g[nTr+nVa:]...)
	}
	shuffleInts(r, tr)
	shuffleInts(r, va)
	shuffleInts(r, te)
	rule = "stratified by class"
	if t.Meta.Classes() == 0 {
		rule = "random"
	}
	if len(va) == 0 {
		rule += "; no validation rows, so validation metrics use the training split"
		va = tr
	}
	return tr, va, te, rule
}

// shuffleInts is a Fisher-Yates shuffle drawing from r.
func shuffleInts(r *rand.Rand, a []int) {
	for i := len(a) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		a[i], a[j] = a[j], a[i]
	}
}

// gather copies the rows idx of t into a new Split.
func gather(t *Table, idx []int) Split {
	s := Split{N: len(idx), D: t.D, X: make([]float64, len(idx)*t.D), Y: make([]float64, len(idx))}
	for i, j := range idx {
		copy(s.X[i*t.D:(i+1)*t.D], t.X[j*t.D:(j+1)*t.D])
		s.Y[i] = t.Y[j]
	}
	return s
}
