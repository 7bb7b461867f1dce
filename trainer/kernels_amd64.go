package trainer

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// useAVX selects the AVX2+FMA kernels, checked once at start-up. Every
// worker uses the same kernels, so results stay bit-identical on a given
// machine whatever the number of workers.
var useAVX = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// useAVX512 selects the 512-bit tiles.
var useAVX512 = useAVX && cpu.X86.HasAVX512F

//go:noescape
func axpy4AVX(c, b0, b1, b2, b3 *float64, a0, a1, a2, a3 float64, n int)

//go:noescape
func dot4AVX(a, b0, b1, b2, b3 *float64, n int, out *[4]float64)

// axpy4 adds a0·b0 + a1·b1 + a2·b2 + a3·b3 to c.
func axpy4[T float](c []T, a0, a1, a2, a3 T, b0, b1, b2, b3 []T) {
	n := len(c)
	if n == 0 {
		return
	}
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	if useAVX && !is32[T]() {
		axpy4AVX(p64(c), p64(b0), p64(b1), p64(b2), p64(b3), float64(a0), float64(a1), float64(a2), float64(a3), n)
		return
	}
	axpy4Go(c, a0, a1, a2, a3, b0, b1, b2, b3)
}

// dot4 returns the dot products of a with b0..b3.
func dot4[T float](a, b0, b1, b2, b3 []T) (s [4]T) {
	n := len(a)
	if n == 0 {
		return s
	}
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	if useAVX && !is32[T]() {
		var o [4]float64
		dot4AVX(p64(a), p64(b0), p64(b1), p64(b2), p64(b3), n, &o)
		return [4]T{T(o[0]), T(o[1]), T(o[2]), T(o[3])}
	}
	return dot4Go(a, b0, b1, b2, b3)
}

// p64 and p32 return the address of x[0] as the kernels' pointer types.
func p64[T float](x []T) *float64 { return (*float64)(unsafe.Pointer(unsafe.SliceData(x))) }
func p32[T float](x []T) *float32 { return (*float32)(unsafe.Pointer(unsafe.SliceData(x))) }

//go:noescape
func adamAVX(w, grad, m, v *float64, n int, b1, b2, lrc1, c2, eps float64)

//go:noescape
func adamAVX32(w, grad, m, v *float32, n int, b1, b2, lrc1, c2, eps float32)

// adamStep applies one Adam update to w from g, updating the moments m and v.
func adamStep[T float](w, g, m, v []T, b1, b2, lrc1, c2, eps T) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	if is32[T]() {
		head := n &^ 7
		if useAVX && head > 0 {
			adamAVX32(p32(w), p32(g), p32(m), p32(v), head, float32(b1), float32(b2), float32(lrc1), float32(c2), float32(eps))
			adamStepGo(w[head:], g[head:], m[head:], v[head:], b1, b2, lrc1, c2, eps)
			return
		}
	} else {
		head := n &^ 3
		if useAVX && head > 0 {
			adamAVX(p64(w), p64(g), p64(m), p64(v), head, float64(b1), float64(b2), float64(lrc1), float64(c2), float64(eps))
			adamStepGo(w[head:], g[head:], m[head:], v[head:], b1, b2, lrc1, c2, eps)
			return
		}
	}
	adamStepGo(w, g, m, v, b1, b2, lrc1, c2, eps)
}

// adamAlign is the split granularity of a parallel Adam step: a multiple
// of both vector widths, so every element takes the same path (vector or
// scalar tail) whatever the split.
const adamAlign = 16

//go:noescape
func tile4x8AVX(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)

//go:noescape
func tile4x16AVX512(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)

//go:noescape
func tile8x16AVX512(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)

//go:noescape
func tile4x16F32AVX(c *float32, ldc int, a *float32, ars, astep int, b *float32, bstep, iters int, acc bool)

//go:noescape
func tile4x8F32AVX(c *float32, ldc int, a *float32, ars, astep int, b *float32, bstep, iters int, acc bool)

//go:noescape
func tile4x32F32AVX512(c *float32, ldc int, a *float32, ars, astep int, b *float32, bstep, iters int, acc bool)

//go:noescape
func tile8x32F32AVX512(c *float32, ldc int, a *float32, ars, astep int, b *float32, bstep, iters int, acc bool)

// tileCols returns the columns of T's narrow (AVX2) and wide (AVX-512)
// register tiles, 0 where the machine has none: 8 and 16 float64s, 16 and
// 32 float32s.
func tileCols[T float]() (narrow, wide int) {
	if !useAVX {
		return 0, 0
	}
	narrow = 8
	if is32[T]() {
		narrow = 16
	}
	if useAVX512 {
		wide = 2 * narrow
	}
	return narrow, wide
}

// halfCols returns the columns of T's half-width tile, for products
// narrower than a narrow tile: 8 float32s, none for float64 (whose small
// products, w1's and w2's, keep their results).
func halfCols[T float]() int {
	if useAVX && is32[T]() {
		return 8
	}
	return 0
}

// tile4h is tile4n for a half-width tile (float32 only).
func tile4h[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	tile4x8F32AVX(p32(c), ldc, p32(a), ars, astep, p32(b), bstep, iters, acc)
}

// tile4n computes a 4-row narrow tile of C: row r, column j gets
// Σ_t a[r·ars + t·astep] · b[t·bstep + j] for t < iters (added to C when
// acc). The caller guarantees every index is in range.
func tile4n[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	if is32[T]() {
		tile4x16F32AVX(p32(c), ldc, p32(a), ars, astep, p32(b), bstep, iters, acc)
		return
	}
	tile4x8AVX(p64(c), ldc, p64(a), ars, astep, p64(b), bstep, iters, acc)
}

// tile4w is tile4n for a wide (AVX-512) tile.
func tile4w[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	if is32[T]() {
		tile4x32F32AVX512(p32(c), ldc, p32(a), ars, astep, p32(b), bstep, iters, acc)
		return
	}
	tile4x16AVX512(p64(c), ldc, p64(a), ars, astep, p64(b), bstep, iters, acc)
}

// tile8w is tile4w for 8 rows: twice the arithmetic per load of B.
func tile8w[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	if is32[T]() {
		tile8x32F32AVX512(p32(c), ldc, p32(a), ars, astep, p32(b), bstep, iters, acc)
		return
	}
	tile8x16AVX512(p64(c), ldc, p64(a), ars, astep, p64(b), bstep, iters, acc)
}

//go:noescape
func dot4x5AVX512(c0, c1, c2, c3, a0, a1, a2, a3, b *float64, ldb, iters, mask int)

//go:noescape
func dot4x5F32AVX512(c0, c1, c2, c3, a0, a1, a2, a3, b *float32, ldb, iters, mask int)

// dotLanes returns the lanes of T's dot tiles (dot.go): 8 float64s or 16
// float32s with AVX-512, 0 without.
func dotLanes[T float]() int {
	if !useAVX512 {
		return 0
	}
	if is32[T]() {
		return 16
	}
	return 8
}

// dotTile sets c_r[j] to the dot product of a_r with row j of b (rows ldb
// apart), for r < 4 and j < 5: iters whole vectors, then the lanes set in
// mask of one more. The caller guarantees every index is in range.
func dotTile[T float](c *[dotRows][]T, a *[dotRows][]T, b []T, ldb, iters, mask int) {
	if is32[T]() {
		dot4x5F32AVX512(p32(c[0]), p32(c[1]), p32(c[2]), p32(c[3]), p32(a[0]), p32(a[1]), p32(a[2]), p32(a[3]), p32(b), ldb, iters, mask)
		return
	}
	dot4x5AVX512(p64(c[0]), p64(c[1]), p64(c[2]), p64(c[3]), p64(a[0]), p64(a[1]), p64(a[2]), p64(a[3]), p64(b), ldb, iters, mask)
}

//go:noescape
func transposeGather32(dst, src *float32, idx *[16]int32, groups, cols, rows int)

//go:noescape
func transposeGather64(dst, src *float64, idx *[16]int32, groups, cols, rows int)

// transposeRows writes the transpose of rows [lo, hi) of B (rows×cols)
// into bt (cols×rows), as transpose does: with AVX-512, each column of a
// group of 16 rows (8 for float64) by one gather, and the rows past the
// last group by transpose. Measured against transpose: w3's 256×10 in
// 0.37 µs against 1.6, its 256×256 float32 in 24 µs against 64 (float64
// 63–72 against 74–82).
func transposeRows[T float](bt, b []T, rows, cols, lo, hi int) {
	b, bt = b[:rows*cols], bt[:rows*cols]
	g := dotLanes[T]()
	if g == 0 || cols == 0 || hi <= lo || rows*cols >= 1<<31 {
		transpose(bt, b, rows, cols, lo, hi)
		return
	}
	var idx [16]int32
	for l := range idx {
		idx[l] = int32(l * cols)
	}
	groups := (hi - lo) / g
	if groups > 0 {
		if is32[T]() {
			transposeGather32(p32(bt[lo:]), p32(b[lo*cols:]), &idx, groups, cols, rows)
		} else {
			transposeGather64(p64(bt[lo:]), p64(b[lo*cols:]), &idx, groups, cols, rows)
		}
	}
	transpose(bt, b, rows, cols, lo+groups*g, hi)
}
