//go:build !amd64

package trainer

func axpy4(c []float64, a0, a1, a2, a3 float64, b0, b1, b2, b3 []float64) {
	axpy4Go(c, a0, a1, a2, a3, b0, b1, b2, b3)
}

func dot4(a, b0, b1, b2, b3 []float64) [4]float64 { return dot4Go(a, b0, b1, b2, b3) }

func adamStep(w, g, m, v []float64, b1, b2, lrc1, c2, eps float64) {
	adamStepGo(w, g, m, v, b1, b2, lrc1, c2, eps)
}

// hasTile is false: the portable path has no register-tile kernel.
const hasTile = false

func tile4x8(c []float64, ldc int, a []float64, ars, astep int, b []float64, bstep, iters int, acc bool) {
	panic("trainer: tile4x8 without AVX")
}

const tileWidth = 0

func tile4x16(c []float64, ldc int, a []float64, ars, astep int, b []float64, bstep, iters int, acc bool) {
	panic("trainer: tile4x16 without AVX-512")
}
