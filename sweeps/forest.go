package sweeps

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Random-forest settings, as Optuna's fANOVA evaluator uses them
// (scikit-learn's regressor: bootstrap samples, every feature tried at each
// split, leaves of one sample).
const (
	forestTrees = 64
	forestDepth = 64
)

// forest is a random forest of regression trees. It is built once and
// then only read, so concurrent reads are safe.
type forest struct{ trees []regTree }

// regTree is a binary regression tree in a flat array; node 0 is the root.
type regTree struct{ nodes []treeNode }

type treeNode struct {
	feat        int // -1 for a leaf
	thr         float64
	left, right int
	value       float64
}

// fitForest fits forestTrees trees to rows x (one per trial) and targets
// y, drawing bootstrap samples from a generator seeded with seed.
func fitForest(x [][]float64, y []float64, seed uint64) *forest {
	r := rand.New(rand.NewPCG(seed, 0xf0e57))
	f := &forest{}
	n := len(y)
	for t := 0; t < forestTrees; t++ {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = r.IntN(n)
		}
		tr := regTree{}
		tr.grow(x, y, idx, 0)
		f.trees = append(f.trees, tr)
	}
	return f
}

// grow adds the node for the samples idx and returns its index.
func (t *regTree) grow(x [][]float64, y []float64, idx []int, depth int) int {
	var sum float64
	for _, i := range idx {
		sum += y[i]
	}
	me := len(t.nodes)
	t.nodes = append(t.nodes, treeNode{feat: -1, value: sum / float64(len(idx))})
	if len(idx) < 2 || depth >= forestDepth {
		return me
	}
	feat, thr, ok := bestSplit(x, y, idx)
	if !ok {
		return me
	}
	var l, r []int
	for _, i := range idx {
		if x[i][feat] <= thr {
			l = append(l, i)
		} else {
			r = append(r, i)
		}
	}
	left := t.grow(x, y, l, depth+1)
	right := t.grow(x, y, r, depth+1)
	t.nodes[me] = treeNode{feat: feat, thr: thr, left: left, right: right, value: t.nodes[me].value}
	return me
}

// bestSplit finds the feature and threshold (a midpoint between distinct
// values) that minimise the children's summed squared error; ok is false
// when no split lowers it.
func bestSplit(x [][]float64, y []float64, idx []int) (feat int, thr float64, ok bool) {
	n := float64(len(idx))
	var sum, sq float64
	for _, i := range idx {
		sum += y[i]
		sq += y[i] * y[i]
	}
	best := sq - sum*sum/n - 1e-12*math.Max(1, math.Abs(sq))
	type pair struct {
		x float64
		i int
	}
	ps := make([]pair, len(idx))
	for j := range x[idx[0]] {
		for k, i := range idx {
			ps[k] = pair{x[i][j], i}
		}
		slices.SortFunc(ps, func(a, b pair) int {
			if c := cmp.Compare(a.x, b.x); c != 0 {
				return c
			}
			return a.i - b.i
		})
		var ls, lq float64
		for k := 0; k < len(ps)-1; k++ {
			v := y[ps[k].i]
			ls += v
			lq += v * v
			a, b := ps[k].x, ps[k+1].x
			if a == b {
				continue
			}
			nl, nr := float64(k+1), n-float64(k+1)
			rs, rq := sum-ls, sq-lq
			sse := lq - ls*ls/nl + rq - rs*rs/nr
			if sse < best {
				best, feat, thr, ok = sse, j, (a+b)/2, true
			}
		}
	}
	return feat, thr, ok
}

// leafBox is a leaf's region of the space and its prediction.
type leafBox struct {
	lo, hi []float64
	value  float64
}

// leaves lists the tree's leaves as boxes inside the domain [lo, hi].
func (t *regTree) leaves(lo, hi []float64) []leafBox {
	var out []leafBox
	var walk func(n int, lo, hi []float64)
	walk = func(n int, lo, hi []float64) {
		nd := t.nodes[n]
		if nd.feat < 0 {
			out = append(out, leafBox{lo: lo, hi: hi, value: nd.value})
			return
		}
		thr := math.Min(math.Max(nd.thr, lo[nd.feat]), hi[nd.feat])
		lhi := append([]float64{}, hi...)
		lhi[nd.feat] = thr
		rlo := append([]float64{}, lo...)
		rlo[nd.feat] = thr
		walk(nd.left, lo, lhi)
		walk(nd.right, rlo, hi)
	}
	walk(0, lo, hi)
	return out
}

// mainEffects is functional ANOVA (Hutter et al. 2014) on one tree: with
// the uniform measure on the domain, the variance of each feature's
// marginal prediction over the tree's total variance. ok is false for a
// constant tree.
func (t *regTree) mainEffects(lo, hi []float64) (shares []float64, ok bool) {
	boxes := t.leaves(lo, hi)
	d := len(lo)
	frac := func(b leafBox, j int) float64 { return (b.hi[j] - b.lo[j]) / (hi[j] - lo[j]) }
	vols := make([]float64, len(boxes))
	var mean float64
	for k, b := range boxes {
		v := 1.0
		for j := 0; j < d; j++ {
			v *= frac(b, j)
		}
		vols[k] = v
		mean += v * b.value
	}
	var total float64
	for k, b := range boxes {
		total += vols[k] * (b.value - mean) * (b.value - mean)
	}
	if !(total > 1e-300) {
		return nil, false
	}
	shares = make([]float64, d)
	for j := 0; j < d; j++ {
		// The marginal over the intervals between the leaves' edges: each
		// leaf adds its value, weighted by its volume in the other
		// dimensions, to the intervals it spans (a difference array).
		cuts := []float64{lo[j], hi[j]}
		for _, b := range boxes {
			cuts = append(cuts, b.lo[j], b.hi[j])
		}
		sort.Float64s(cuts)
		cuts = slices.Compact(cuts)
		diff := make([]float64, len(cuts))
		for q, b := range boxes {
			f := frac(b, j)
			if f <= 0 {
				continue
			}
			a, _ := slices.BinarySearch(cuts, b.lo[j])
			c, _ := slices.BinarySearch(cuts, b.hi[j])
			diff[a] += b.value * vols[q] / f
			diff[c] -= b.value * vols[q] / f
		}
		var vj, marg float64
		for k := 0; k+1 < len(cuts); k++ {
			marg += diff[k]
			w := (cuts[k+1] - cuts[k]) / (hi[j] - lo[j])
			vj += w * (marg - mean) * (marg - mean)
		}
		shares[j] = vj / total
	}
	return shares, true
}

// mainEffects averages the trees' shares over the non-constant trees.
func (f *forest) mainEffects(lo, hi []float64) []float64 {
	out := make([]float64, len(lo))
	n := 0
	for i := range f.trees {
		s, ok := f.trees[i].mainEffects(lo, hi)
		if !ok {
			continue
		}
		n++
		for j := range out {
			out[j] += s[j]
		}
	}
	for j := range out {
		if n > 0 {
			out[j] /= float64(n)
		}
	}
	return out
}
