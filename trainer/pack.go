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

// Narrow weight gradients. A layer a few columns wide (w3's 10 classes)
// fills at most 10 of a tile's 16 or 32 columns, and its weight gradient
// Xᵀ·dZ (In×Out) ran at 17–34% of the FMA peak. Its transpose dZᵀ·X
// (Out×In) is as wide as the layer's fan-in, so the wide tiles fill: each
// tile row sums over the batch in the same order from zero, so every
// element has the same bits as before, and the transpose back into dW
// is a few thousand copies.

// narrowTN reports whether the layer's weight gradient for batches of n
// rows goes through the transposed product: narrower than a wide tile but
// tiled (so the direct product's bits are the tiles' too), a fan-in of
// whole narrow tiles, and a batch long enough for the wide tiles.
func (l *layer[T]) narrowTN(n int) bool {
	return l.dwt != nil && n >= wideTileMin
}

// narrowLayer reports whether a layer in×out without batch normalization
// computes its weight gradient by the transposed product (see narrowTN).
func narrowLayer[T float](in, out int) bool {
	nw, ww := tileCols[T]()
	return ww > 0 && tileWidth[T](out) > 0 && out < ww && in%nw == 0
}

// gemmTNNarrow computes rows [lo, hi) of C = Aᵀ·B (C k×n, A m×k, B m×n)
// as the transposed product Cᵀ = Bᵀ·A: rows [lo, hi) of C are columns
// [lo, hi) of Cᵀ, computed into ct (n rows of hi−lo, row-major) by the
// tiles, then transposed into C. n is 4 or more, hi−lo a multiple of the
// narrow tile's width.
func gemmTNNarrow[T float](c, a, b, ct []T, m, k, n, lo, hi int) {
	w := hi - lo
	ct = ct[:n*w]
	// Tile row j of Cᵀ has multipliers B[i, j]: contiguous across j and n
	// apart across i; its columns are A's, k apart across i. A sum longer
	// than kChunk is taken in column blocks narrower than 64, where
	// tileBlock does not chunk it: the direct product, under 64 columns
	// wide, sums it in one pass, and the bits must be its.
	blk := w
	if nw, _ := tileCols[T](); m > kChunk {
		blk = 64 - nw
	}
	for j := 0; j < w; j += blk {
		cols := min(blk, w-j)
		tileBlock(ct[j:], w, b, 1, n, a[lo+j:], k, m, 0, n&^3, cols, false, nil, 0)
		if n%4 != 0 {
			// The last rows by one more 4-row tile over the last four,
			// which computes some rows twice with the same bits.
			r := n - 4
			tileBlock(ct[r*w+j:], w, b[r:], 1, n, a[lo+j:], k, m, 0, 4, cols, false, nil, 0)
		}
	}
	transpose(c[lo*n:hi*n], ct, n, w, 0, n)
}

// Weight gradients of heads. A layer narrower than a tile (a binary or
// regression head, under 8 outputs) had its weight gradient Xᵀ·dZ from the
// row kernel, a call per four batch rows and weight row: 128×256×1 took
// 260 µs in float64. Its transpose dZᵀ·X is as wide as the fan-in, so the
// tiles take it: tile row r sums dZ[i, j+r]·X[i, p] over the batch i in
// order, by fused multiply-adds from zero, whichever rows and columns the
// tile covers, so every element's bits are fixed by the product's shape.

// tnHeadMinK is the smallest fan-in whose head gradients take the tiles.
const tnHeadMinK = 32

// tnHeadBlock is the most columns of dZᵀ·X a tile block computes: under
// 64, so tileBlock never chunks the sum (the bits would depend on it).
const tnHeadBlock = 48

// tnHead reports whether C = Aᵀ·B (C k×n, A m×k, B m×n) goes through
// gemmTNHead: narrower than any tile, a fan-in of tnHeadMinK or more, and
// the machine's tiles.
func tnHead[T float](m, k, n int) bool {
	nw, _ := tileCols[T]()
	return nw > 0 && tileWidth[T](n) == 0 && n >= 1 && k >= tnHeadMinK && m > 0
}

// gemmTNHead computes rows [lo, hi) of C = Aᵀ·B for a narrow n as columns
// of Cᵀ = Bᵀ·A, up to tnHeadBlock at a time into a scratch block on the
// stack: whole tiles, then the last few columns as one tile widened over
// the columns before them (or after, at the start), which are computed
// with the same bits and not stored. A tile takes rows jb..jb+3 of Cᵀ, the last four
// overlapping when n is not a multiple of four; under four outputs, one
// row a tile, its four rows reading the same column of B.
func gemmTNHead[T float](c, a, b []T, m, k, n, lo, hi int, accumulate bool) {
	nw, _ := tileCols[T]()
	var ct [4 * 64]T
	for p0, w := lo, 0; p0 < hi; p0 += w {
		// Whole tiles while they fit, then the rest as one tile's width.
		w = min(tnHeadBlock, hi-p0) / nw * nw
		wt := w
		if w == 0 {
			w, wt = hi-p0, nw
		}
		s := min(p0, k-wt) // k ≥ tnHeadMinK ≥ nw
		store := func(r, col int) {
			for p := p0; p < p0+w; p++ {
				if v := ct[r*64+p-s]; accumulate {
					c[p*n+col] += v
				} else {
					c[p*n+col] = v
				}
			}
		}
		if n < 4 {
			for j := range n {
				tileBlock(ct[:], 64, b[j:], 0, n, a[s:], k, m, 0, 4, wt, false, nil, 0)
				store(0, j)
			}
			continue
		}
		for j := 0; j < n; j += 4 {
			jb := min(j, n-4)
			tileBlock(ct[:], 64, b[jb:], 1, n, a[s:], k, m, 0, 4, wt, false, nil, 0)
			for r := j - jb; r < 4; r++ {
				store(r, jb+r)
			}
		}
	}
}
