package datasets

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Folds divides rows 0…len(y)−1 into k disjoint folds whose union is every
// row. With classes > 0 the folds are stratified: each class's rows are
// shuffled and dealt in turn, so every fold holds each class within one
// row of its share, and fold sizes differ by at most one. The same seed
// gives the same folds. It panics if k < 2.
func Folds(y []float64, classes, k int, seed uint64) [][]int {
	if k < 2 {
		panic("datasets: Folds needs k ≥ 2")
	}
	r := rand.New(rand.NewPCG(seed, 0xcf01d))
	var groups [][]int
	if classes > 0 {
		groups = make([][]int, classes)
		for i, v := range y {
			c := min(max(int(v), 0), classes-1)
			groups[c] = append(groups[c], i)
		}
	} else {
		all := make([]int, len(y))
		for i := range all {
			all[i] = i
		}
		groups = [][]int{all}
	}
	folds := make([][]int, k)
	next := 0
	for _, g := range groups {
		shuffleInts(r, g)
		for _, i := range g {
			folds[next%k] = append(folds[next%k], i)
			next++
		}
	}
	return folds
}

// CVPool returns the rows cross-validation divides: the training and
// validation splits, and the test split too when all is set. A split
// whose validation rows are the training rows (no validation fraction)
// adds them once.
func (p *Prepared) CVPool(all bool) Split {
	parts := []*Split{&p.Train}
	if !strings.Contains(p.SplitRule, "no validation rows") && !strings.HasPrefix(p.SplitRule, "small set") {
		parts = append(parts, &p.Val)
	}
	if all && !strings.HasPrefix(p.SplitRule, "small set") {
		parts = append(parts, &p.Test)
	}
	pool := Split{D: p.Train.D}
	for _, s := range parts {
		pool.X = append(pool.X, s.X...)
		pool.Y = append(pool.Y, s.Y...)
		pool.N += s.N
	}
	return pool
}

// CVFolds prepares k-fold cross-validation: fold i trains on the pool
// (CVPool) without fold i's rows and validates on them; the test split is
// the held-out test split, or empty when all is set. The input scaling is
// refitted on each fold's training rows, so no fold sees its validation
// rows' statistics. It returns an error when a fold would be empty or a
// class has fewer rows than folds.
func (p *Prepared) CVFolds(k int, all bool, seed uint64) ([]*Prepared, error) {
	pool := p.CVPool(all)
	if pool.N < 2*k {
		return nil, fmt.Errorf("cv: %d rows cannot make %d folds (each fold needs at least two rows)", pool.N, k)
	}
	classes := p.Classes()
	if classes > 0 {
		count := make([]int, classes)
		for _, v := range pool.Y {
			count[int(v)]++
		}
		for c, n := range count {
			if n > 0 && n < k {
				return nil, fmt.Errorf("cv: class %s has %d rows, fewer than %d folds", className(p.Meta.ClassNames, c), n, k)
			}
		}
	}
	// Back to raw units, to refit the scaler on each fold.
	raw := make([]float64, len(pool.X))
	p.Scaler.Inverse(raw, pool.X)
	kind, _ := ParseScaling(p.Spec.Scale)
	folds := Folds(pool.Y, classes, k, seed)
	out := make([]*Prepared, k)
	for i := range folds {
		in := make([]bool, pool.N)
		for _, j := range folds[i] {
			in[j] = true
		}
		var trIdx []int
		for j := range pool.N {
			if !in[j] {
				trIdx = append(trIdx, j)
			}
		}
		f := &Prepared{Spec: p.Spec, Meta: p.Meta,
			SplitRule: fmt.Sprintf("fold %d of %d (%s)", i+1, k, foldRule(classes))}
		f.Train = rowsOf(raw, pool.Y, pool.D, trIdx)
		f.Val = rowsOf(raw, pool.Y, pool.D, folds[i])
		if !all {
			f.Test = Split{N: p.Test.N, D: p.Test.D, Y: p.Test.Y, X: make([]float64, len(p.Test.X))}
			p.Scaler.Inverse(f.Test.X, p.Test.X)
		} else {
			f.Test = Split{D: pool.D}
		}
		f.Scaler = FitScaler(kind, &f.Train)
		for _, s := range []*Split{&f.Train, &f.Val, &f.Test} {
			f.Scaler.Transform(s.X, s.X)
		}
		f.Hash = hashPrepared(f)
		out[i] = f
	}
	return out, nil
}

func foldRule(classes int) string {
	if classes > 0 {
		return "stratified"
	}
	return "random"
}

func className(names []string, c int) string {
	if c < len(names) {
		return fmt.Sprintf("%q", names[c])
	}
	return fmt.Sprint(c)
}

// rowsOf copies rows idx of an n×d matrix and its labels into a Split.
func rowsOf(x, y []float64, d int, idx []int) Split {
	s := Split{N: len(idx), D: d, X: make([]float64, len(idx)*d), Y: make([]float64, len(idx))}
	for i, j := range idx {
		copy(s.X[i*d:(i+1)*d], x[j*d:(j+1)*d])
		s.Y[i] = y[j]
	}
	return s
}
