package trainer

// Packed panels of B. A product's wide register tiles read B in strips of
// ww columns (16 float64s or 32 float32s, one AVX-512 tile) down all its
// rows. In B's own layout a strip's rows are n elements apart, a power of
// two on w3 (256 float64s, 2 KB), so the strip falls into a few L1 cache
// sets and streams from L2 at every use; packed, each strip is one
// contiguous run that stays in L1 while every row block uses it.

// packCols returns the columns of B (n wide) that packB packs for T's
// wide tiles: the wide-tiled columns of tileBlock, 0 when there are none
// or when the sum is too short for wide tiles.
func packCols[T float](n, iters int) int {
	nw, ww := tileCols[T]()
	if ww == 0 || n < ww || iters < wideTileMin {
		return 0
	}
	nT := n - n%nw
	return nT - nT%ww
}

// packB copies rows [r0, r1) of the first nP columns of B (k×n, row-major)
// into panels of ww columns: bp[q·k·ww + t·ww + c] = b[t·n + q·ww + c].
// Rows are independent, so workers may pack blocks of rows at once.
func packB[T float](bp, b []T, k, n, nP, r0, r1 int) {
	_, ww := tileCols[T]()
	for q := 0; q*ww < nP; q++ {
		panel := bp[q*k*ww : (q+1)*k*ww]
		for t := r0; t < r1; t++ {
			copy(panel[t*ww:(t+1)*ww], b[t*n+q*ww:t*n+q*ww+ww])
		}
	}
}

// packMinIn is the fan-in from which the row-parallel step packs a
// layer's dL/dz for its weight gradient Xᵀ·dZ: every 8 rows of the
// gradient reuse the whole of dZ, so the packing (done by each worker on
// the rows it has just computed) pays for itself on w3's 784-input layer
// (TN 128×784×256 float64: 53 GFLOP/s packed against 47, float32 147
// against 140, best of 6 on a loaded machine) and not measurably on its
// 256-input ones.
const packMinIn = 512

// packsDZ reports whether the layer packs dL/dz for batches of n rows.
func (l *layer[T]) packsDZ(n int) bool {
	return l.dzp != nil && packCols[T](l.Out, n) > 0
}
