package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The products' property test: every entry point, on a shape, against a
// float64 reference with a bound that grows with the length of the sum,
// checking every element, that rows outside a block are left alone, and
// that the result's bits depend neither on the workers nor on the split.

// propDims are the sizes that sit on the tiles' boundaries: tile heights
// (4, 8) and widths (8, 16, 32), the half-tile tail, shortWideMax (16),
// wideTileMin (128), kChunk (256), each ±1.
var propDims = []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33, 41, 47, 48, 49, 63, 64, 65, 127, 128, 129, 255, 256, 257, 300}

// propSentinel fills rows outside a block, which no product may touch.
const propSentinel = -7.25

// gemmProp checks every product of a, b of shape m×k·k×n (and its TN and
// NT forms) on the pools, and the row-block entry points on the blocks
// [lo, hi) of [0, rows), with accumulate set or not.
type gemmProp[T float] struct {
	t       testing.TB
	r       *rand.Rand
	pools   []*pool
	m, k, n int
	acc     bool
}

// unit is T's unit roundoff.
func unit[T float]() float64 {
	if is32[T]() {
		return 0x1p-24
	}
	return 0x1p-53
}

// ref returns C's reference values (rows×cols, with C's initial values
// added when accumulating) and per-element bounds: a sum of s terms
// rounded at each step is within (s+2)·u·Σ|terms| of the exact one.
func (g *gemmProp[T]) ref(rows, cols, s int, init []T, term func(i, j, p int) float64) (want, bound []float64) {
	want, bound = make([]float64, rows*cols), make([]float64, rows*cols)
	u := unit[T]()
	for i := range rows {
		for j := range cols {
			var sum, abs float64
			for p := range s {
				v := term(i, j, p)
				sum, abs = sum+v, abs+math.Abs(v)
			}
			if g.acc {
				v := float64(init[i*cols+j])
				sum, abs = sum+v, abs+math.Abs(v)
			}
			want[i*cols+j], bound[i*cols+j] = sum, float64(s+4)*u*abs+1e-300
		}
	}
	return want, bound
}

// check compares rows [lo, hi) of c with want and the other rows with
// init, bit for bit.
func (g *gemmProp[T]) check(what string, c, init []T, want, bound []float64, cols, lo, hi int) {
	g.t.Helper()
	for i := range len(c) / max(cols, 1) {
		for j := range cols {
			e := i*cols + j
			if i < lo || i >= hi {
				if c[e] != init[e] {
					g.t.Fatalf("%s %v: row %d (outside [%d, %d)) column %d changed from %v to %v", what, g, i, lo, hi, j, init[e], c[e])
				}
				continue
			}
			if d := math.Abs(float64(c[e]) - want[e]); !(d <= bound[e]) {
				g.t.Fatalf("%s %v rows [%d, %d): C[%d,%d] = %v, want %v ± %.3g", what, g, lo, hi, i, j, c[e], want[e], bound[e])
			}
		}
	}
}

func (g *gemmProp[T]) String() string {
	return fmt.Sprintf("%T %d×%d·%d acc=%v", want0[T](), g.m, g.k, g.n, g.acc)
}

// blocks returns row blocks of [0, rows): the whole, two at an odd
// offset, and three split at multiples of align (bit-identical to the
// whole when align is the tile height).
func blocks(r *rand.Rand, rows, align int) (odd [][2]int, aligned [][][2]int) {
	odd = [][2]int{{0, rows}}
	if rows > 2 {
		a := 1 + r.IntN(rows-1)
		odd = append(odd, [2]int{a, a + 1 + r.IntN(rows-a)}, [2]int{0, 1 + r.IntN(rows-1)})
	}
	for _, parts := range []int{2, 3} {
		var bs [][2]int
		for w := range parts {
			lo, hi := share(rows, w, parts, align)
			bs = append(bs, [2]int{lo, hi})
		}
		aligned = append(aligned, bs)
	}
	return odd, aligned
}

// filled returns a copy of init with the rows outside [lo, hi) set to
// propSentinel, and that as the new init.
func filled[T float](init []T, cols, lo, hi int) (c, c0 []T) {
	c0 = append([]T(nil), init...)
	for i := range len(c0) / max(cols, 1) {
		if i < lo || i >= hi {
			for j := range cols {
				c0[i*cols+j] = propSentinel
			}
		}
	}
	return append([]T(nil), c0...), c0
}

// run checks every entry point on the shape.
func (g *gemmProp[T]) run() {
	m, k, n, r := g.m, g.k, g.n, g.r
	a := randVecT[T](r, m*k)  // A for NN (m×k), and for TN (m×k, summed over m)
	b := randVecT[T](r, k*n)  // B for NN (k×n), and for NT (k×n)
	bm := randVecT[T](r, m*n) // B for TN (m×n), A for NT (m×n)
	initNN, initTN, initNT := randVecT[T](r, m*n), randVecT[T](r, k*n), randVecT[T](r, m*k)
	wNN, bNN := g.ref(m, n, k, initNN, func(i, j, p int) float64 { return float64(a[i*k+p]) * float64(b[p*n+j]) })
	wTN, bTN := g.ref(k, n, m, initTN, func(p, j, i int) float64 { return float64(a[i*k+p]) * float64(bm[i*n+j]) })
	wNT, bNT := g.ref(m, k, n, initNT, func(i, p, j int) float64 { return float64(bm[i*n+j]) * float64(b[p*n+j]) })

	// The pool's products, split at the pool's alignment whatever their size.
	for _, pr := range []struct {
		name        string
		kind        gemmKind
		aa, bb      []T
		init        []T
		want, bound []float64
		rows, cols  int
	}{{"NN", kindNN, a, b, initNN, wNN, bNN, m, n}, {"TN", kindTN, a, bm, initTN, wTN, bTN, k, n}, {"NT", kindNT, bm, b, initNT, wNT, bNT, m, k}} {
		var first []T
		for _, pl := range g.pools {
			c := append([]T(nil), pr.init...)
			task := newTask(pr.kind, c, pr.aa, pr.bb, m, k, n, g.acc)
			pl.do(&task, pr.rows, parallelMACs)
			g.check(fmt.Sprintf("%s on %d workers", pr.name, pl.workers), c, pr.init, pr.want, pr.bound, pr.cols, 0, pr.rows)
			if first == nil {
				first = c
			} else if !sameBits(first, c) {
				g.t.Fatalf("%s %v: %d workers' bits differ from 1's", pr.name, g, pl.workers)
			}
		}
	}

	// NN by rows, packed or not.
	// As the callers do, B is packed only where packCols has columns.
	var bpNN, bpTN []T
	if nP := packCols[T](n, k); nP > 0 {
		bpNN = make([]T, k*n)
		packB(bpNN, b, k, n, nP, 0, k)
	}
	if nP := packCols[T](n, m); nP > 0 {
		bpTN = make([]T, m*n)
		packB(bpTN, bm, m, n, nP, 0, m)
	}
	whole := append([]T(nil), initNN...)
	gemmNNRowsP(whole, a, b, nil, k, n, 0, m, g.acc)
	odd, aligned := blocks(r, m, 4)
	for _, bl := range odd {
		for _, bp := range packings(bpNN) {
			c, c0 := filled(initNN, n, bl[0], bl[1])
			gemmNNRowsP(c, a, b, bp, k, n, bl[0], bl[1], g.acc)
			g.check(fmt.Sprintf("gemmNNRowsP (packed %v)", bp != nil), c, c0, wNN, bNN, n, bl[0], bl[1])
		}
	}
	for _, bs := range aligned {
		for _, bp := range packings(bpNN) {
			c := append([]T(nil), initNN...)
			for _, bl := range bs {
				gemmNNRowsP(c, a, b, bp, k, n, bl[0], bl[1], g.acc)
			}
			if !sameBits(c, whole) {
				g.t.Fatalf("gemmNNRowsP %v (packed %v) in blocks %v: bits differ from one block's", g, bp != nil, bs)
			}
		}
	}

	// TN by rows, packed or not (B is m×n, summed over m).
	whole = append([]T(nil), initTN...)
	gemmTNRowsP(whole, a, bm, nil, m, k, n, 0, k, g.acc)
	odd, aligned = blocks(r, k, 4)
	for _, bl := range odd {
		for _, bp := range packings(bpTN) {
			c, c0 := filled(initTN, n, bl[0], bl[1])
			gemmTNRowsP(c, a, bm, bp, m, k, n, bl[0], bl[1], g.acc)
			g.check(fmt.Sprintf("gemmTNRowsP (packed %v)", bp != nil), c, c0, wTN, bTN, n, bl[0], bl[1])
		}
	}
	for _, bs := range aligned {
		for _, bp := range packings(bpTN) {
			c := append([]T(nil), initTN...)
			for _, bl := range bs {
				gemmTNRowsP(c, a, bm, bp, m, k, n, bl[0], bl[1], g.acc)
			}
			if !sameBits(c, whole) {
				g.t.Fatalf("gemmTNRowsP %v (packed %v) in blocks %v: bits differ from one block's", g, bp != nil, bs)
			}
		}
	}

	// The narrow weight gradient where a layer k×n would take it: the
	// direct product's bits, in blocks of whole narrow tiles.
	if nw, _ := tileCols[T](); !g.acc && narrowLayer[T](k, n) && m >= wideTileMin && n >= 4 {
		direct := make([]T, k*n)
		gemmTNRowsP(direct, a, bm, nil, m, k, n, 0, k, false)
		ct := make([]T, k*n)
		for _, bl := range [][2]int{{0, k}, {nw, k}, {0, k - nw}} {
			if bl[0] >= bl[1] {
				continue
			}
			c, c0 := filled(initTN, n, bl[0], bl[1])
			gemmTNNarrow(c, a, bm, ct, m, k, n, bl[0], bl[1])
			g.check("gemmTNNarrow", c, c0, wTN, bTN, n, bl[0], bl[1])
			for e := bl[0] * n; e < bl[1]*n; e++ {
				if c[e] != direct[e] {
					g.t.Fatalf("gemmTNNarrow %v rows %v: element %d is %v, the direct product's %v", g, bl, e, c[e], direct[e])
				}
			}
		}
	}

	// NT by rows.
	odd, _ = blocks(r, m, 4)
	for _, bl := range odd {
		c, c0 := filled(initNT, k, bl[0], bl[1])
		gemmNTRows(c, bm, b, k, n, bl[0], bl[1], g.acc)
		g.check("gemmNTRows", c, c0, wNT, bNT, k, bl[0], bl[1])
	}

	// The transpose of B (k×n) in blocks, as the workers do it.
	for _, parts := range []int{1, 2, 3} {
		bt := make([]T, k*n)
		for w := range parts {
			lo, hi := share(k, w, parts, transposeBlk)
			transpose(bt, b, k, n, lo, hi)
		}
		for p := range k {
			for j := range n {
				if bt[j*k+p] != b[p*n+j] {
					g.t.Fatalf("transpose %d×%d in %d blocks: Bᵀ[%d,%d] = %v, want %v", k, n, parts, j, p, bt[j*k+p], b[p*n+j])
				}
			}
		}
	}
}

// propShapes returns shapes drawn from propDims, up to maxMACs
// multiply-adds each to keep the reference cheap: every boundary value in
// each of the three places, then count more drawn freely.
func propShapes(r *rand.Rand, count, maxMACs int) [][3]int {
	pick := func() int { return propDims[r.IntN(len(propDims))] }
	var s [][3]int
	add := func(place, d int) {
		for {
			x := [3]int{pick(), pick(), pick()}
			x[place] = d
			if x[0]*x[1]*x[2] <= maxMACs {
				s = append(s, x)
				return
			}
		}
	}
	for _, d := range propDims {
		for place := range 3 {
			add(place, d)
		}
	}
	for range count {
		add(r.IntN(3), pick())
	}
	return s
}

// packings returns the panels to try: none, and bp when it is set.
func packings[T float](bp []T) [][]T {
	if bp == nil {
		return [][]T{nil}
	}
	return [][]T{nil, bp}
}

func newPools() []*pool { return []*pool{newPool(1), newPool(2), newPool(3)} }

// TestGemmProperties runs every product entry point on shapes around the
// tiles' boundaries, in both precisions, set and accumulated.
func TestGemmProperties(t *testing.T) {
	pools := newPools()
	defer func() {
		for _, p := range pools {
			p.close()
		}
	}()
	shapes := propShapes(rand.New(rand.NewPCG(21, 22)), 10, 1<<18)
	// The narrow weight gradient's shapes: a batch of 128 or more rows,
	// a fan-in of whole tiles, fewer outputs than a wide tile.
	shapes = append(shapes, [3]int{128, 64, 10}, [3]int{130, 48, 13}, [3]int{257, 32, 31}, [3]int{300, 96, 8})
	for i, s := range shapes {
		for _, acc := range []bool{false, true} {
			r := rand.New(rand.NewPCG(uint64(i), 23))
			(&gemmProp[float64]{t: t, r: r, pools: pools, m: s[0], k: s[1], n: s[2], acc: acc}).run()
			(&gemmProp[float32]{t: t, r: r, pools: pools, m: s[0], k: s[1], n: s[2], acc: acc}).run()
		}
	}
	t.Logf("%d shapes, both precisions, set and accumulated", len(shapes))
}

// withKernels runs fn with the machine's kernels limited to AVX2 (wide
// false) or to the portable Go ones (avx false), as on CPUs without
// AVX-512 or AVX2, and restores them.
func withKernels(avx, wide bool, fn func()) {
	a, w := useAVX, useAVX512
	defer func() { useAVX, useAVX512 = a, w }()
	useAVX, useAVX512 = a && avx, w && avx && wide
	fn()
}

// TestGemmPropertiesOtherCPUs runs the boundary shapes of
// TestGemmProperties on the AVX2 kernels alone and on the portable ones,
// the paths of CPUs without AVX-512 or AVX2.
func TestGemmPropertiesOtherCPUs(t *testing.T) {
	pools := newPools()
	defer func() {
		for _, p := range pools {
			p.close()
		}
	}()
	shapes := propShapes(rand.New(rand.NewPCG(25, 26)), 0, 1<<17)
	for _, avx := range []bool{true, false} {
		withKernels(avx, false, func() {
			for i, s := range shapes {
				acc := i%2 == 1
				r := rand.New(rand.NewPCG(uint64(i), 27))
				(&gemmProp[float64]{t: t, r: r, pools: pools, m: s[0], k: s[1], n: s[2], acc: acc}).run()
				(&gemmProp[float32]{t: t, r: r, pools: pools, m: s[0], k: s[1], n: s[2], acc: acc}).run()
			}
		})
	}
}

// FuzzGemm runs the property test on fuzzed shapes (each dimension 1 to
// 300) and seeds: go test ./trainer -run '^$' -fuzz FuzzGemm -fuzztime 60s.
func FuzzGemm(f *testing.F) {
	f.Add(uint16(30), uint16(25), uint16(47), uint64(1), false, false)
	f.Add(uint16(129), uint16(257), uint16(65), uint64(2), true, true)
	f.Add(uint16(9), uint16(784%300), uint16(10), uint64(3), false, true)
	pools := newPools()
	f.Cleanup(func() {
		for _, p := range pools {
			p.close()
		}
	})
	f.Fuzz(func(t *testing.T, m, k, n uint16, seed uint64, acc, f32 bool) {
		m, k, n = 1+m%300, 1+k%300, 1+n%300
		r := rand.New(rand.NewPCG(seed, 24))
		if f32 {
			(&gemmProp[float32]{t: t, r: r, pools: pools, m: int(m), k: int(k), n: int(n), acc: acc}).run()
		} else {
			(&gemmProp[float64]{t: t, r: r, pools: pools, m: int(m), k: int(k), n: int(n), acc: acc}).run()
		}
	})
}

// TestKernelsOnBoundaryShapes: the gonum BLAS Kernels agree with gonum's
// native Dgemm on every transpose pair, beta 0 and 1, on the boundary
// shapes, in float64 and (Sgemm, against the float64 result of the same
// float32 inputs) float32, within the bounds of gemmProp.ref.
func TestKernelsOnBoundaryShapes(t *testing.T) {
	k := NewKernels(3)
	defer k.Close()
	var native gonum.Implementation
	r := rand.New(rand.NewPCG(28, 29))
	for _, s := range propShapes(r, 0, 1<<16) {
		m, n, kk := s[0], s[1], s[2]
		for _, tr := range [][2]blas.Transpose{{blas.NoTrans, blas.NoTrans}, {blas.Trans, blas.NoTrans}, {blas.NoTrans, blas.Trans}, {blas.Trans, blas.Trans}} {
			for _, beta := range []float64{0, 1} {
				lda, ldb := kk, n
				if tr[0] == blas.Trans {
					lda = m
				}
				if tr[1] == blas.Trans {
					ldb = kk
				}
				// float32 values, so that the float64 product is Sgemm's reference.
				a, b, c0 := to64(randVecT[float32](r, m*kk)), to64(randVecT[float32](r, kk*n)), to64(randVecT[float32](r, m*n))
				want := append([]float64(nil), c0...)
				native.Dgemm(tr[0], tr[1], m, n, kk, 1, a, lda, b, ldb, beta, want, n)
				got := append([]float64(nil), c0...)
				k.Dgemm(tr[0], tr[1], m, n, kk, 1, a, lda, b, ldb, beta, got, n)
				got32 := to32(c0)
				k.Sgemm(tr[0], tr[1], m, n, kk, 1, to32(a), lda, to32(b), ldb, float32(beta), got32, n)
				abs := make([]float64, m*n) // Σ|terms| per element, from |A|·|B|
				absA, absB := make([]float64, len(a)), make([]float64, len(b))
				for i, v := range a {
					absA[i] = math.Abs(v)
				}
				for i, v := range b {
					absB[i] = math.Abs(v)
				}
				native.Dgemm(tr[0], tr[1], m, n, kk, 1, absA, lda, absB, ldb, 0, abs, n)
				for i := range want {
					sa := abs[i] + beta*math.Abs(c0[i])
					if d := math.Abs(got[i] - want[i]); !(d <= float64(2*kk+8)*0x1p-53*sa+1e-300) {
						t.Fatalf("%v %c%c beta %v: Dgemm C[%d] = %v, gonum %v", s, tr[0], tr[1], beta, i, got[i], want[i])
					}
					if d := math.Abs(float64(got32[i]) - want[i]); !(d <= float64(kk+4)*0x1p-24*sa+float64(kk+4)*0x1p-53*sa+1e-300) {
						t.Fatalf("%v %c%c beta %v: Sgemm C[%d] = %v, gonum %v", s, tr[0], tr[1], beta, i, got32[i], want[i])
					}
				}
			}
		}
	}
}

func to64(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}
