//go:build !amd64

package trainer

func axpy4[T float](c []T, a0, a1, a2, a3 T, b0, b1, b2, b3 []T) {
	axpy4Go(c, a0, a1, a2, a3, b0, b1, b2, b3)
}

func dot4[T float](a, b0, b1, b2, b3 []T) [4]T { return dot4Go(a, b0, b1, b2, b3) }

func adamStep[T float](w, g, m, v []T, b1, b2, lrc1, c2, eps T) {
	adamStepGo(w, g, m, v, b1, b2, lrc1, c2, eps)
}

const adamAlign = 16

// tileCols is 0, 0: the portable path has no register-tile kernel.
func tileCols[T float]() (narrow, wide int) { return 0, 0 }

func halfCols[T float]() int { return 0 }

func tile4h[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	panic("trainer: tile4h without AVX")
}

func tile4n[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	panic("trainer: tile4n without AVX")
}

func tile4w[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	panic("trainer: tile4w without AVX-512")
}

func tile8w[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters int, acc bool) {
	panic("trainer: tile8w without AVX-512")
}

// dotLanes is 0: the portable path has no dot tiles.
func dotLanes[T float]() int { return 0 }

func dotTile[T float](c *[dotRows][]T, a *[dotRows][]T, b []T, ldb, iters, mask int) {
	panic("trainer: dotTile without AVX-512")
}

func transposeRows[T float](bt, b []T, rows, cols, lo, hi int) {
	transpose(bt, b, rows, cols, lo, hi)
}
