package trainer

import "golang.org/x/sys/cpu"

// useAVX selects the AVX2+FMA kernels, checked once at start-up. Every
// worker uses the same kernels, so results stay bit-identical on a given
// machine whatever the number of workers.
var useAVX = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func axpy4AVX(c, b0, b1, b2, b3 *float64, a0, a1, a2, a3 float64, n int)

//go:noescape
func dot4AVX(a, b0, b1, b2, b3 *float64, n int, out *[4]float64)

// axpy4 adds a0·b0 + a1·b1 + a2·b2 + a3·b3 to c.
func axpy4(c []float64, a0, a1, a2, a3 float64, b0, b1, b2, b3 []float64) {
	n := len(c)
	if n == 0 {
		return
	}
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	if useAVX {
		axpy4AVX(&c[0], &b0[0], &b1[0], &b2[0], &b3[0], a0, a1, a2, a3, n)
		return
	}
	axpy4Go(c, a0, a1, a2, a3, b0, b1, b2, b3)
}

// dot4 returns the dot products of a with b0..b3.
func dot4(a, b0, b1, b2, b3 []float64) (s [4]float64) {
	n := len(a)
	if n == 0 {
		return s
	}
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	if useAVX {
		dot4AVX(&a[0], &b0[0], &b1[0], &b2[0], &b3[0], n, &s)
		return s
	}
	return dot4Go(a, b0, b1, b2, b3)
}

//go:noescape
func adamAVX(w, grad, m, v *float64, n int, b1, b2, lrc1, c2, eps float64)

// adamStep applies one Adam update to w from g, updating the moments m and v.
func adamStep(w, g, m, v []float64, b1, b2, lrc1, c2, eps float64) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	head := n &^ 3
	if useAVX && head > 0 {
		adamAVX(&w[0], &g[0], &m[0], &v[0], head, b1, b2, lrc1, c2, eps)
		adamStepGo(w[head:], g[head:], m[head:], v[head:], b1, b2, lrc1, c2, eps)
		return
	}
	adamStepGo(w, g, m, v, b1, b2, lrc1, c2, eps)
}

//go:noescape
func tile4x8AVX(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)

// hasTile reports whether a register-tile kernel is available.
var hasTile = useAVX

// tile4x8 computes a 4×8 tile of C: row r, column j gets
// Σ_t a[r·ars + t·astep] · b[t·bstep + j] for t < iters (added to C when
// acc). The caller guarantees every index is in range.
func tile4x8(c []float64, ldc int, a []float64, ars, astep int, b []float64, bstep, iters int, acc bool) {
	tile4x8AVX(&c[0], ldc, &a[0], ars, astep, &b[0], bstep, iters, acc)
}

//go:noescape
func tile4x16AVX512(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)

// tileWidth is the widest register tile: 16 columns with AVX-512, 8 with
// AVX2, 0 without either.
var tileWidth = func() int {
	switch {
	case useAVX && cpu.X86.HasAVX512F:
		return 16
	case useAVX:
		return 8
	}
	return 0
}()

// tile4x16 is tile4x8 for 16 columns (AVX-512 only).
func tile4x16(c []float64, ldc int, a []float64, ars, astep int, b []float64, bstep, iters int, acc bool) {
	tile4x16AVX512(&c[0], ldc, &a[0], ars, astep, &b[0], bstep, iters, acc)
}
