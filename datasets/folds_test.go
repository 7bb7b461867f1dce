package datasets

import (
	"math"
	"testing"
)

func TestFoldsStratifiedDisjointCover(t *testing.T) {
	p, err := Build(Spec{Name: "wine", Scale: "standard", Split: DefaultSplit, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	pool := p.CVPool(false)
	if pool.N != p.Train.N+p.Val.N {
		t.Fatalf("pool %d rows, want train+val %d", pool.N, p.Train.N+p.Val.N)
	}
	const k = 5
	folds := Folds(pool.Y, p.Classes(), k, 7)
	seen := make([]int, pool.N)
	total := make([]float64, p.Classes())
	for _, y := range pool.Y {
		total[int(y)]++
	}
	for i, f := range folds {
		count := make([]float64, p.Classes())
		for _, j := range f {
			seen[j]++
			count[int(pool.Y[j])]++
		}
		for c := range count {
			if share := total[c] / k; math.Abs(count[c]-share) >= 1 {
				t.Errorf("fold %d holds %v of class %d, want within one of %v", i, count[c], c, share)
			}
		}
		if d := len(f) - pool.N/k; d < 0 || d > 1 {
			t.Errorf("fold %d has %d rows of %d", i, len(f), pool.N)
		}
	}
	for j, n := range seen {
		if n != 1 {
			t.Fatalf("row %d is in %d folds, want exactly one", j, n)
		}
	}
	again := Folds(pool.Y, p.Classes(), k, 7)
	for i := range folds {
		for j := range folds[i] {
			if folds[i][j] != again[i][j] {
				t.Fatal("the same seed gave different folds")
			}
		}
	}
	// Prepared folds: validation rows are the fold's, training rows the
	// rest; the test split is held out, in every fold.
	fp, err := p.CVFolds(k, false, 7)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, f := range fp {
		rows += f.Val.N
		if f.Train.N+f.Val.N != pool.N || f.Test.N != p.Test.N {
			t.Errorf("fold sizes %d+%d, test %d", f.Train.N, f.Val.N, f.Test.N)
		}
		// Standard scaling refitted on the fold's training rows: mean 0.
		m := 0.0
		for i := range f.Train.N {
			m += f.Train.X[i*f.Train.D]
		}
		if math.Abs(m/float64(f.Train.N)) > 1e-9 {
			t.Errorf("fold's first feature has training mean %v, want 0", m/float64(f.Train.N))
		}
	}
	if rows != pool.N {
		t.Errorf("validation rows %d, want the pool's %d", rows, pool.N)
	}
	all, _ := p.CVFolds(k, true, 7)
	if all[0].Test.N != 0 || all[0].Train.N+all[0].Val.N != p.Train.N+p.Val.N+p.Test.N {
		t.Errorf("cv-all fold: train %d, val %d, test %d", all[0].Train.N, all[0].Val.N, all[0].Test.N)
	}
	if _, err := p.CVFolds(100, false, 1); err == nil {
		t.Error("100 folds of 151 rows: no error")
	}
}
