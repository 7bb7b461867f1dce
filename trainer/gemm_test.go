package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestGemmKernels checks the three products against a naive triple loop,
// on shapes that exercise the register tiles (4- and 8-row, narrow and
// wide), their column and row remainders and the parallel split, and
// checks that 1, 2 and 3 workers give bit-identical results, in both
// precisions. The naive sum is in float64; float32 is held to its
// rounding: 1e-5 of Σ|a·b|.
func TestGemmKernels(t *testing.T) {
	t.Run("float64", func(t *testing.T) { testGemm[float64](t, 1e-12) })
	t.Run("float32", func(t *testing.T) { testGemm[float32](t, 1e-5) })
}

func testGemm[T float](t *testing.T, tol float64) {
	r := rand.New(rand.NewPCG(1, 1))
	shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {4, 8, 8}, {5, 9, 17}, {13, 33, 10}, {64, 64, 128}, {130, 97, 101}, {257, 70, 64}, {9, 160, 56}, {37, 200, 100}, {20, 130, 40}, {24, 600, 96}}
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
				a := randVecT[T](r, m*k)
				b := randVecT[T](r, k*n)
				bt := randVecT[T](r, m*n) // B for TN (m×n)
				bk := randVecT[T](r, k*n) // B for NT (k×n)
				init := randVecT[T](r, max(m*n, k*n, m*k))
				// Each product: its task, the C it writes (rows × cols), and
				// the naive value of C[i][j] without the initial value.
				products := []struct {
					name       string
					kind       gemmKind
					b          []T
					rows, cols int
					naive      func(i, j int) (sum, abs float64)
				}{
					{"NN", kindNN, b, m, n, func(i, j int) (s, sa float64) { // A (m×k) · B (k×n)
						for p := 0; p < k; p++ {
							v := float64(a[i*k+p]) * float64(b[p*n+j])
							s, sa = s+v, sa+math.Abs(v)
						}
						return s, sa
					}},
					{"TN", kindTN, bt, k, n, func(p, j int) (s, sa float64) { // Aᵀ·B, B m×n
						for i := 0; i < m; i++ {
							v := float64(a[i*k+p]) * float64(bt[i*n+j])
							s, sa = s+v, sa+math.Abs(v)
						}
						return s, sa
					}},
					{"NT", kindNT, bk, m, k, func(i, p int) (s, sa float64) { // (m×n) · Bᵀ, B k×n
						for j := 0; j < n; j++ {
							v := float64(bt[i*n+j]) * float64(bk[p*n+j])
							s, sa = s+v, sa+math.Abs(v)
						}
						return s, sa
					}},
				}
				for _, pr := range products {
					want := make([]float64, pr.rows*pr.cols)
					bound := make([]float64, pr.rows*pr.cols)
					for i := 0; i < pr.rows; i++ {
						for j := 0; j < pr.cols; j++ {
							w, sa := pr.naive(i, j)
							if acc {
								w += float64(init[i*pr.cols+j])
								sa += math.Abs(float64(init[i*pr.cols+j]))
							}
							want[i*pr.cols+j], bound[i*pr.cols+j] = w, tol*(1+sa)
						}
					}
					aIn := a
					if pr.kind == kindNT {
						aIn = bt // m×n
					}
					var first []T
					for pi, pl := range pools {
						c := append([]T(nil), init[:pr.rows*pr.cols]...)
						task := newTask(pr.kind, c, aIn, pr.b, m, k, n, acc)
						pl.do(&task, pr.rows, parallelMACs) // force the split
						for i := range want {
							if d := math.Abs(float64(c[i]) - want[i]); d > bound[i] {
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

func equalBits[T float](a, b []T) bool {
	for i := range a {
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) {
			return false
		}
	}
	return true
}

func randVecT[T float](r *rand.Rand, n int) []T {
	v := make([]T, n)
	for i := range v {
		v[i] = T(2*r.Float64() - 1)
	}
	return v
}

// TestPackedPanels: NN and TN products reading B from packed panels give
// the unpacked products' bits, in both precisions, on shapes with wide
// strips, narrow and overlapping column tails, chunked sums and row tails;
// packing by blocks of rows (as the workers do) gives the same panels.
func TestPackedPanels(t *testing.T) {
	t.Run("float64", func(t *testing.T) { testPacked[float64](t) })
	t.Run("float32", func(t *testing.T) { testPacked[float32](t) })
}

func testPacked[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, s := range [][3]int{{128, 784, 256}, {130, 600, 72}, {136, 300, 40}, {20, 128, 96}} {
		m, k, n := s[0], s[1], s[2]
		a, b, bt := randVecT[T](r, m*k), randVecT[T](r, k*n), randVecT[T](r, m*n)
		// NN: B is k×n, summed over k.
		want, got := make([]T, m*n), make([]T, m*n)
		gemmNNRows(want, a, b, k, n, 0, m, false)
		bp := make([]T, k*n)
		nP := packCols[T](n, k)
		for r0 := 0; r0 < k; r0 += 100 { // by blocks of rows
			packB(bp, b, k, n, nP, r0, min(r0+100, k))
		}
		gemmNNRowsP(got, a, b, bp, k, n, 0, m, false)
		if !sameBits(got, want) {
			t.Errorf("NN %v packed (%d columns): the bits differ", s, nP)
		}
		// TN: B is m×n, summed over m.
		want, got = make([]T, k*n), make([]T, k*n)
		gemmTNRows(want, a, bt, m, k, n, 0, k, false)
		nP = packCols[T](n, m)
		bp = make([]T, m*n)
		packB(bp, bt, m, n, nP, 0, m)
		gemmTNRowsP(got, a, bt, bp, m, k, n, 0, k, false)
		if !sameBits(got, want) {
			t.Errorf("TN %v packed (%d columns): the bits differ", s, nP)
		}
	}
}

func sameBits[T float](a, b []T) bool {
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

// TestPoolHandoffs runs many hand-offs through a pool whose helpers spin
// and one whose helpers sleep at once (the wake-up path), with pauses
// longer than the spin in between, checks every product against one
// worker's, and checks that close stops the helpers.
func TestPoolHandoffs(t *testing.T) {
	before := runtime.NumGoroutine()
	r := rand.New(rand.NewPCG(3, 4))
	const m, k, n = 64, 128, 160
	a, b := randVecT[float64](r, m*k), randVecT[float64](r, k*n)
	want := make([]float64, m*n)
	gemmNN(newPool(1), want, a, b, m, k, n, false)
	for _, spin := range []time.Duration{0, spinFor} {
		p := newPoolSpin(3, spin)
		got := make([]float64, m*n)
		var sum atomic.Int64
		for i := range 40 {
			clear(got)
			gemmNN(p, got, a, b, m, k, n, false)
			if !slices.Equal(got, want) {
				t.Fatalf("spin %v, hand-off %d: the product differs from one worker's", spin, i)
			}
			p.region(3, func(w, nw int) {
				p.sync(w, nw)
				sum.Add(int64(w + 1))
			})
			if i%10 == 0 {
				time.Sleep(2 * spinFor) // the helpers go to sleep
			}
		}
		if got := sum.Load(); got != 40*6 {
			t.Errorf("spin %v: the regions ran %d worker-units, want %d", spin, got, 40*6)
		}
		p.close()
		p.close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after close, %d before", g, before)
	}
}

// TestTranspose checks every element of transposes done in row blocks, as
// workers do them, against the definition, for shapes with and without
// whole 8-row groups and with fewer columns than a group.
func TestTranspose(t *testing.T) {
	testTranspose[float64](t)
	testTranspose[float32](t)
}

func testTranspose[T float](t *testing.T) {
	for _, s := range [][2]int{{1, 1}, {7, 3}, {8, 1}, {16, 10}, {23, 9}, {256, 10}, {261, 13}, {48, 256}} {
		rows, cols := s[0], s[1]
		b := make([]T, rows*cols)
		for i := range b {
			b[i] = T(i + 1)
		}
		for _, parts := range []int{1, 2, 3} {
			bt := make([]T, rows*cols)
			for w := 0; w < parts; w++ {
				lo, hi := share(rows, w, parts, transposeBlk)
				transpose(bt, b, rows, cols, lo, hi)
			}
			for i := 0; i < rows; i++ {
				for j := 0; j < cols; j++ {
					if got, want := bt[j*rows+i], b[i*cols+j]; got != want {
						t.Fatalf("%d×%d in %d blocks: Bᵀ[%d,%d] = %v, want %v", rows, cols, parts, j, i, got, want)
					}
				}
			}
		}
	}
}

// TestTNNarrowMatchesTiles: the transposed weight gradient of a narrow
// layer gives every element the bits of the direct product, for widths
// from the narrowest tiled one to under a wide tile's, whole and in row blocks,
// in both precisions.
func TestTNNarrowMatchesTiles(t *testing.T) {
	testTNNarrow[float64](t)
	testTNNarrow[float32](t)
}

func testTNNarrow[T float](t *testing.T) {
	nw, ww := tileCols[T]()
	if ww == 0 {
		t.Skip("no wide tiles on this CPU")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{tileWidth[T](1 << 10), 10, 13, ww - 1} {
		if !narrowLayer[T](4*nw, n) {
			t.Fatalf("%T: a layer %d wide is not narrow", want0[T](), n)
		}
		m, k := 128, 4*nw
		x, dz := randVecT[T](r, m*k), randVecT[T](r, m*n)
		want := make([]T, k*n)
		gemmTNRowsP(want, x, dz, nil, m, k, n, 0, k, false)
		for _, blk := range [][2]int{{0, k}, {nw, 3 * nw}} {
			got, ct := make([]T, k*n), make([]T, k*n)
			gemmTNNarrow(got, x, dz, ct, m, k, n, blk[0], blk[1])
			for i := blk[0] * n; i < blk[1]*n; i++ {
				if got[i] != want[i] {
					t.Fatalf("%T, %d columns, rows %v: element %d is %v, want %v", want[0], n, blk, i, got[i], want[i])
				}
			}
		}
	}
}

func want0[T float]() (z T) { return z }

// TestGemmEveryWidth: the row-block products compute every element, for
// every output width from 1 to 80 and sums short and long enough for
// each kind of tile, in both precisions, set and accumulated, against a
// float64 reference. Float32 products 25 to 31 columns wide (and 41 to 47,
// ...) once left 1 to 7 columns untouched: the tail tile past the 16-wide
// tiles was 8 wide where 9 to 15 columns were left.
func TestGemmEveryWidth(t *testing.T) {
	testGemmEveryWidth[float64](t)
	testGemmEveryWidth[float32](t)
}

func testGemmEveryWidth[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, k := range []int{20, wideTileMin + 2} {
		for n := 1; n <= 80; n++ {
			const m = 13 // whole tiles and a row kernel's rows
			a, b, dz := randVecT[T](r, m*k), randVecT[T](r, k*n), randVecT[T](r, m*n)
			for _, acc := range []bool{false, true} {
				g := &gemmProp[T]{t: t, r: r, m: m, k: k, n: n, acc: acc}
				nn, tn := randVecT[T](r, m*n), randVecT[T](r, k*n) // the products' old contents
				nn0, tn0 := slices.Clone(nn), slices.Clone(tn)
				gemmNNRowsP(nn, a, b, nil, k, n, 0, m, acc)
				gemmTNRowsP(tn, a, dz, nil, m, k, n, 0, k, acc)
				want, bound := g.ref(m, n, k, nn0, func(i, j, p int) float64 { return float64(a[i*k+p]) * float64(b[p*n+j]) })
				g.check("A·B", nn, nn0, want, bound, n, 0, m)
				want, bound = g.ref(k, n, m, tn0, func(p, j, i int) float64 { return float64(a[i*k+p]) * float64(dz[i*n+j]) })
				g.check("Aᵀ·B", tn, tn0, want, bound, n, 0, k)
			}
		}
	}
}
