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
				bk := randVec(r, k*n, 1) // B for NT (k×n)
				init := randVec(r, max(m*n, k*n, m*k), 1)
				// Each product: its task, the C it writes (rows × cols), and
				// the naive value of C[i][j] without the initial value.
				products := []struct {
					name       string
					kind       gemmKind
					b          []float64
					rows, cols int
					naive      func(i, j int) float64
				}{
					{"NN", kindNN, b, m, n, func(i, j int) float64 { // A (m×k) · B (k×n)
						s := 0.0
						for p := 0; p < k; p++ {
							s += a[i*k+p] * b[p*n+j]
						}
						return s
					}},
					{"TN", kindTN, bt, k, n, func(p, j int) float64 { // Aᵀ·B, B m×n
						s := 0.0
						for i := 0; i < m; i++ {
							s += a[i*k+p] * bt[i*n+j]
						}
						return s
					}},
					{"NT", kindNT, bk, m, k, func(i, p int) float64 { // (m×n) · Bᵀ, B k×n
						s := 0.0
						for j := 0; j < n; j++ {
							s += bt[i*n+j] * bk[p*n+j]
						}
						return s
					}},
				}
				for _, pr := range products {
					want := make([]float64, pr.rows*pr.cols)
					for i := 0; i < pr.rows; i++ {
						for j := 0; j < pr.cols; j++ {
							want[i*pr.cols+j] = pr.naive(i, j)
							if acc {
								want[i*pr.cols+j] += init[i*pr.cols+j]
							}
						}
					}
					aIn := a
					if pr.kind == kindNT {
						aIn = bt // m×n
					}
					var first []float64
					for pi, pl := range pools {
						c := append([]float64(nil), init[:pr.rows*pr.cols]...)
						pl.do(gemmTask{kind: pr.kind, c: c, a: aIn, b: pr.b, m: m, k: k, n: n, accumulate: acc}, pr.rows, parallelMACs) // force the split
						for i := range want {
							if d := math.Abs(c[i] - want[i]); d > 1e-12*(1+math.Abs(want[i])) {
								t.Fatalf("%s[%d] = %v, want %v", pr.name, i, c[i], want[i])
							}
						}
						if pi == 0 {
							first = c
						} else if !equalBits(first, c) {
							t.Fatalf("%s with %d workers differs from 1", pr.name, pl.workers)
						}
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
