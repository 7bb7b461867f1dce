package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmKernels checks the three products against a naive triple loop,
// on shapes that exercise the register tiles, their column and row
// remainders and the parallel split, and checks that 1, 2 and 3 workers
// give bit-identical results.
func TestGemmKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {4, 8, 8}, {5, 9, 17}, {13, 33, 10}, {64, 64, 128}, {130, 97, 101}, {257, 70, 64}, {9, 160, 56}}
	pools := []*pool{newPool(1), newPool(2), newPool(3)}
	defer func() {
		for _, p := range pools {
			p.close()
		}
	}()
	for _, s := range shapes {
		m, k, n := s[0], s[1], s[2]
		for _, acc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%dx%dx%d acc=%v", m, k, n, acc), func(t *testing.T) {
				a := randVec(r, m*k, 1)
				b := randVec(r, k*n, 1)
				bt := randVec(r, m*n, 1) // B for TN (m×n)
				w := randVec(r, n*k, 1)  // B for NT (n×k rows of width k … used as k×? below)
				init := randVec(r, max(m*n, k*n, m*k), 1)
				check := func(name string, got, want []float64) {
					t.Helper()
					for i := range want {
						if d := math.Abs(got[i] - want[i]); d > 1e-12*(1+math.Abs(want[i])) {
							t.Fatalf("%s[%d] = %v, want %v", name, i, got[i], want[i])
						}
					}
				}
				// NN: C (m×n) = A (m×k) · B (k×n)
				want := make([]float64, m*n)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := 0.0
						if acc {
							s = init[i*n+j]
						}
						for p := 0; p < k; p++ {
							s += a[i*k+p] * b[p*n+j]
						}
						want[i*n+j] = s
					}
				}
				var first []float64
				for pi, p := range pools {
					c := append([]float64(nil), init[:m*n]...)
					p.do(gemmTask{kind: kindNN, c: c, a: a, b: b, m: m, k: k, n: n, accumulate: acc}, m, parallelMACs) // force the split
					check("NN", c, want)
					if pi == 0 {
						first = c
					} else if !equalBits(first, c) {
						t.Fatalf("NN with %d workers differs from 1", p.workers)
					}
				}
				// TN: C (k×n) = Aᵀ·B where A is m×k and B is m×n.
				want = make([]float64, k*n)
				for p := 0; p < k; p++ {
					for j := 0; j < n; j++ {
						s := 0.0
						if acc {
							s = init[p*n+j]
						}
						for i := 0; i < m; i++ {
							s += a[i*k+p] * bt[i*n+j]
						}
						want[p*n+j] = s
					}
				}
				for pi, pl := range pools {
					c := append([]float64(nil), init[:k*n]...)
					pl.do(gemmTask{kind: kindTN, c: c, a: a, b: bt, m: m, k: k, n: n, accumulate: acc}, k, parallelMACs)
					check("TN", c, want)
					if pi == 0 {
						first = c
					} else if !equalBits(first, c) {
						t.Fatalf("TN with %d workers differs from 1", pl.workers)
					}
				}
				// NT: C (m×k) = A (m×n) · Bᵀ where B is k×n.
				an := bt // m×n
				bk := w[:k*n]
				want = make([]float64, m*k)
				for i := 0; i < m; i++ {
					for p := 0; p < k; p++ {
						s := 0.0
						if acc {
							s = init[i*k+p]
						}
						for j := 0; j < n; j++ {
							s += an[i*n+j] * bk[p*n+j]
						}
						want[i*k+p] = s
					}
				}
				for pi, pl := range pools {
					c := append([]float64(nil), init[:m*k]...)
					pl.do(gemmTask{kind: kindNT, c: c, a: an, b: bk, m: m, k: k, n: n, accumulate: acc}, m, parallelMACs)
					check("NT", c, want)
					if pi == 0 {
						first = c
					} else if !equalBits(first, c) {
						t.Fatalf("NT with %d workers differs from 1", pl.workers)
					}
				}
			})
		}
	}
}

func equalBits(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
