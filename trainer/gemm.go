package trainer

import (
	"runtime"
	"sync"
)

// The matrix kernels work on flat row-major slices. Each output row is
// computed by one goroutine, in one fixed order, so a product is
// bit-identical whether it runs on one worker or many: parallelism never
// changes a result.

// wideTileMin is the shortest sum for which the AVX-512 16-column tile is
// used: measured, it is 22% faster on w3 (sums of 128 to 784 terms) but 6%
// slower on w2 (sums of 64), where the 8-column AVX2 tile stays.
const wideTileMin = 128

// parallelMACs is the work (multiply-adds) above which a product is split
// across the pool's workers. Below it the hand-off (a futex wake, ~10 µs)
// costs more than it saves: measured on w2 (64×64·64×128, 0.5M MACs), one
// worker trains at 203k samples/s and two at 179k; on w3 (25M MACs) two
// workers give 22k against 14k.
const parallelMACs = 1 << 20

// pool runs row ranges of a product on persistent workers, so the hot path
// starts no goroutines and allocates nothing. It is owned by one model and
// not safe for concurrent use.
type pool struct {
	workers int
	tasks   chan gemmTask
	wg      sync.WaitGroup
	once    sync.Once
}

type gemmKind uint8

const (
	kindNN gemmKind = iota // C = A·B
	kindTN                 // C = Aᵀ·B
	kindNT                 // C = A·Bᵀ
)

type gemmTask struct {
	kind       gemmKind
	c, a, b    []float64
	m, k, n    int
	lo, hi     int
	accumulate bool
	wg         *sync.WaitGroup
}

func newPool(workers int) *pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &pool{workers: workers}
	if workers > 1 {
		p.tasks = make(chan gemmTask, workers)
		for i := 0; i < workers-1; i++ {
			go func() {
				for t := range p.tasks {
					t.run()
					t.wg.Done()
				}
			}()
		}
	}
	return p
}

// close stops the workers. It is safe to call more than once.
func (p *pool) close() {
	if p == nil || p.tasks == nil {
		return
	}
	p.once.Do(func() { close(p.tasks) })
}

// do runs rows [0, rows) of t, split across the workers when the work is
// large enough; the caller's goroutine takes the last share.
func (p *pool) do(t gemmTask, rows, macs int) {
	if p == nil || p.workers <= 1 || macs < parallelMACs || rows < 2 {
		t.lo, t.hi = 0, rows
		t.run()
		return
	}
	w := min(p.workers, rows)
	t.wg = &p.wg
	// Splits fall on multiples of 4 rows, so a row is in the same 4-row
	// tile (and takes the same path) whatever the number of workers.
	step := ((rows+w-1)/w + 3) &^ 3
	lo := 0
	for i := 0; i < w-1 && lo+step < rows; i++ {
		t.lo, t.hi = lo, lo+step
		p.wg.Add(1)
		p.tasks <- t
		lo = t.hi
	}
	t.lo, t.hi = lo, rows
	t.run()
	p.wg.Wait()
}

func (t *gemmTask) run() {
	switch t.kind {
	case kindNN:
		gemmNNRows(t.c, t.a, t.b, t.k, t.n, t.lo, t.hi, t.accumulate)
	case kindTN:
		gemmTNRows(t.c, t.a, t.b, t.m, t.k, t.n, t.lo, t.hi, t.accumulate)
	case kindNT:
		gemmNTRows(t.c, t.a, t.b, t.k, t.n, t.lo, t.hi, t.accumulate)
	}
}

// gemmNN sets C (m×n) to A (m×k) · B (k×n), or adds to it when accumulate.
// It panics if a slice is too short.
func (p *pool) gemmNN(c, a, b []float64, m, k, n int, accumulate bool) {
	if len(c) < m*n || len(a) < m*k || len(b) < k*n {
		panic("trainer: gemmNN shape mismatch")
	}
	p.do(gemmTask{kind: kindNN, c: c, a: a, b: b, m: m, k: k, n: n, accumulate: accumulate}, m, m*k*n)
}

// gemmTN sets C (k×n) to Aᵀ·B where A is m×k and B is m×n: the weight
// gradient Xᵀ·dZ. Rows of C are split across workers.
func (p *pool) gemmTN(c, a, b []float64, m, k, n int, accumulate bool) {
	if len(c) < k*n || len(a) < m*k || len(b) < m*n {
		panic("trainer: gemmTN shape mismatch")
	}
	p.do(gemmTask{kind: kindTN, c: c, a: a, b: b, m: m, k: k, n: n, accumulate: accumulate}, k, m*k*n)
}

// gemmNT sets C (m×k) to A·Bᵀ where A is m×n and B is k×n: the input
// gradient dZ·Wᵀ.
func (p *pool) gemmNT(c, a, b []float64, m, k, n int, accumulate bool) {
	if len(c) < m*k || len(a) < m*n || len(b) < k*n {
		panic("trainer: gemmNT shape mismatch")
	}
	p.do(gemmTask{kind: kindNT, c: c, a: a, b: b, m: m, k: k, n: n, accumulate: accumulate}, m, m*k*n)
}

// gemmNNRows computes rows [lo, hi) of C = A·B, four rows of B at a time,
// so each pass over a row of C does four multiply-adds per load and store.
func gemmNNRows(c, a, b []float64, k, n, lo, hi int, accumulate bool) {
	if hasTile && n >= 8 && k > 0 {
		// Whole 4-row tiles (aligned to multiples of 4) by register tiles,
		// leftover columns and rows by the row kernel below.
		n8 := n &^ 7
		t0 := (lo + 3) &^ 3
		for i := t0; i+4 <= hi; i += 4 {
			j := 0
			if tileWidth == 16 && k >= wideTileMin {
				for ; j+16 <= n8; j += 16 {
					tile4x16(c[i*n+j:], n, a[i*k:], k, 1, b[j:], n, k, accumulate)
				}
			}
			for ; j < n8; j += 8 {
				tile4x8(c[i*n+j:], n, a[i*k:], k, 1, b[j:], n, k, accumulate)
			}
			if n8 < n {
				gemmNNCols(c, a, b, k, n, i, i+4, n8, accumulate)
			}
		}
		tEnd := t0 + (max(hi-t0, 0) &^ 3)
		if tEnd > t0 {
			gemmNNRowsPlain(c, a, b, k, n, lo, min(t0, hi), accumulate)
			gemmNNRowsPlain(c, a, b, k, n, tEnd, hi, accumulate)
			return
		}
	}
	gemmNNRowsPlain(c, a, b, k, n, lo, hi, accumulate)
}

// gemmNNCols computes columns [j0, n) of rows [lo, hi) of C = A·B.
func gemmNNCols(c, a, b []float64, k, n, lo, hi, j0 int, accumulate bool) {
	for i := lo; i < hi; i++ {
		ci := c[i*n+j0 : i*n+n]
		ai := a[i*k : i*k+k]
		for jj := range ci {
			s := 0.0
			for p, av := range ai {
				s += av * b[p*n+j0+jj]
			}
			if accumulate {
				ci[jj] += s
			} else {
				ci[jj] = s
			}
		}
	}
}

// gemmNNRowsPlain is the row kernel: rows [lo, hi) of C = A·B, four rows
// of B at a time.
func gemmNNRowsPlain(c, a, b []float64, k, n, lo, hi int, accumulate bool) {
	for i := lo; i < hi; i++ {
		ci := c[i*n : i*n+n]
		if !accumulate {
			clear(ci)
		}
		ai := a[i*k : i*k+k]
		p := 0
		for ; p+4 <= k; p += 4 {
			a0, a1, a2, a3 := ai[p], ai[p+1], ai[p+2], ai[p+3]
			if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
				continue // sparse inputs (ReLU outputs, image backgrounds)
			}
			axpy4(ci, a0, a1, a2, a3, b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n])
		}
		for ; p < k; p++ {
			if av := ai[p]; av != 0 {
				axpy1(ci, av, b[p*n:p*n+n])
			}
		}
	}
}

// gemmTNRows computes rows [lo, hi) of C = Aᵀ·B (C is k×n): row p of C is
// the sum over i of A[i,p]·B[i,:], taken four rows of B at a time in
// increasing i.
func gemmTNRows(c, a, b []float64, m, k, n, lo, hi int, accumulate bool) {
	if hasTile && n >= 8 && m > 0 {
		n8 := n &^ 7
		t0 := (lo + 3) &^ 3
		for p := t0; p+4 <= hi; p += 4 {
			// Row r of a tile is C row p+r: multipliers A[i, p+r],
			// contiguous across r and k apart across i.
			j := 0
			if tileWidth == 16 && m >= wideTileMin {
				for ; j+16 <= n8; j += 16 {
					tile4x16(c[p*n+j:], n, a[p:], 1, k, b[j:], n, m, accumulate)
				}
			}
			for ; j < n8; j += 8 {
				tile4x8(c[p*n+j:], n, a[p:], 1, k, b[j:], n, m, accumulate)
			}
			if n8 < n {
				gemmTNCols(c, a, b, m, k, n, p, p+4, n8, accumulate)
			}
		}
		tEnd := t0 + (max(hi-t0, 0) &^ 3)
		if tEnd > t0 {
			gemmTNRowsPlain(c, a, b, m, k, n, lo, min(t0, hi), accumulate)
			gemmTNRowsPlain(c, a, b, m, k, n, tEnd, hi, accumulate)
			return
		}
	}
	gemmTNRowsPlain(c, a, b, m, k, n, lo, hi, accumulate)
}

// gemmTNCols computes columns [j0, n) of rows [lo, hi) of C = Aᵀ·B.
func gemmTNCols(c, a, b []float64, m, k, n, lo, hi, j0 int, accumulate bool) {
	for p := lo; p < hi; p++ {
		cp := c[p*n+j0 : p*n+n]
		for jj := range cp {
			s := 0.0
			for i := 0; i < m; i++ {
				s += a[i*k+p] * b[i*n+j0+jj]
			}
			if accumulate {
				cp[jj] += s
			} else {
				cp[jj] = s
			}
		}
	}
}

// gemmTNRowsPlain is the row kernel for rows [lo, hi) of C = Aᵀ·B.
func gemmTNRowsPlain(c, a, b []float64, m, k, n, lo, hi int, accumulate bool) {
	for p := lo; p < hi; p++ {
		cp := c[p*n : p*n+n]
		if !accumulate {
			clear(cp)
		}
		i := 0
		for ; i+4 <= m; i += 4 {
			a0, a1, a2, a3 := a[i*k+p], a[(i+1)*k+p], a[(i+2)*k+p], a[(i+3)*k+p]
			if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
				continue
			}
			axpy4(cp, a0, a1, a2, a3, b[i*n:i*n+n], b[(i+1)*n:(i+1)*n+n], b[(i+2)*n:(i+2)*n+n], b[(i+3)*n:(i+3)*n+n])
		}
		for ; i < m; i++ {
			if av := a[i*k+p]; av != 0 {
				axpy1(cp, av, b[i*n:i*n+n])
			}
		}
	}
}

// gemmNTRows computes rows [lo, hi) of C = A·Bᵀ (C is m×k, A m×n, B k×n)
// as dot products, four columns of C at a time.
func gemmNTRows(c, a, b []float64, k, n, lo, hi int, accumulate bool) {
	for i := lo; i < hi; i++ {
		ai := a[i*n : i*n+n]
		ci := c[i*k : i*k+k]
		p := 0
		for ; p+4 <= k; p += 4 {
			b0, b1, b2, b3 := b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n]
			s := dot4(ai, b0, b1, b2, b3)
			s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
			if accumulate {
				ci[p] += s0
				ci[p+1] += s1
				ci[p+2] += s2
				ci[p+3] += s3
			} else {
				ci[p], ci[p+1], ci[p+2], ci[p+3] = s0, s1, s2, s3
			}
		}
		for ; p < k; p++ {
			bp := b[p*n : p*n+n]
			s := 0.0
			for j, av := range ai {
				s += av * bp[j]
			}
			if accumulate {
				ci[p] += s
			} else {
				ci[p] = s
			}
		}
	}
}

// axpy4Go adds a0·b0 + a1·b1 + a2·b2 + a3·b3 to c: the portable kernel.
func axpy4Go(c []float64, a0, a1, a2, a3 float64, b0, b1, b2, b3 []float64) {
	n := len(c)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	for j := range c {
		c[j] += a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
	}
}

// axpy1 adds a·b to c.
func axpy1(c []float64, a float64, b []float64) {
	b = b[:len(c)]
	for j := range c {
		c[j] += a * b[j]
	}
}

// dot4Go returns the dot products of a with b0..b3: the portable kernel.
func dot4Go(a, b0, b1, b2, b3 []float64) (s [4]float64) {
	n := len(a)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	for j, av := range a {
		s[0] += av * b0[j]
		s[1] += av * b1[j]
		s[2] += av * b2[j]
		s[3] += av * b3[j]
	}
	return s
}
