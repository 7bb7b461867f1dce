package datasets

import (
	"fmt"
	"math"
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
	pool := Split{D: p.Train.D}
	for _, i := range p.cvParts(all) {
		s := p.split(i)
		pool.X = append(pool.X, s.X...)
		pool.Y = append(pool.Y, s.Y...)
		pool.N += s.N
	}
	return pool
}

// cvParts returns the splits CVPool joins, in order: 0 train, 1
// validation, 2 test.
func (p *Prepared) cvParts(all bool) []int {
	parts := []int{0}
	if !strings.Contains(p.SplitRule, "no validation rows") && !strings.HasPrefix(p.SplitRule, "small set") {
		parts = append(parts, 1)
	}
	if all && !strings.HasPrefix(p.SplitRule, "small set") {
		parts = append(parts, 2)
	}
	return parts
}

func (p *Prepared) split(i int) *Split { return [3]*Split{&p.Train, &p.Val, &p.Test}[i] }

// unimpute sets back to NaN the cells of x (raw rows in CVPool's order, or
// the test split's alone) that were missing before imputation.
func (p *Prepared) unimpute(x []float64, parts []int) {
	off := 0
	for _, i := range parts {
		for _, j := range p.missing[i] {
			x[off+j] = math.NaN()
		}
		off += len(p.split(i).X)
	}
}

// CVFolds prepares k-fold cross-validation: fold i trains on the pool
// (CVPool) without fold i's rows and validates on them; the test split is
// the held-out test split, or empty when all is set. The imputation of
// missing cells and the input scaling are refitted on each fold's
// training rows, so no fold sees its validation rows' statistics. It
// returns an error when a fold would be empty, a class has fewer rows than
// folds, or a fold's training rows leave a column with nothing to impute
// from.
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
	// Back to raw units, with the missing cells missing again, to refit
	// the imputation and the scaler on each fold.
	raw := make([]float64, len(pool.X))
	p.Scaler.Inverse(raw, pool.X)
	p.unimpute(raw, p.cvParts(all))
	kind, _ := ParseScaling(p.Scaler.Kind)
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
			p.unimpute(f.Test.X, []int{2})
		} else {
			f.Test = Split{D: pool.D}
		}
		fill, empty := fitFill(&f.Train, p.groups)
		if hasNaN(&f.Train) || hasNaN(&f.Val) || hasNaN(&f.Test) {
			if empty >= 0 {
				return nil, fmt.Errorf("cv: fold %d: column %q has no values in the fold's training rows to impute from", i+1, p.Meta.FeatureNames[empty])
			}
			for _, s := range []*Split{&f.Train, &f.Val, &f.Test} {
				fillMissing(s, fill, p.groups)
			}
		}
		f.Scaler = FitScaler(kind, &f.Train)
		if im := p.Scaler.Impute; im != nil {
			f.Scaler.Impute = &Imputer{Policy: im.Policy, Fill: fill}
		}
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
