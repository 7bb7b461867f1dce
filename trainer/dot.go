package trainer

// Narrow products by dot products. A layer a few outputs wide (w3's 10
// classes) fills at most 10 of a register tile's 16 or 32 columns, so its
// forward product X·W ran at 21–31% of the FMA peak. The dot-product tiles
// vectorise along the sum instead: with Wᵀ in hand (n rows of k), output
// (i, j) is the dot product of row i of X and row j of Wᵀ, both contiguous,
// and every lane of the vectors does work whatever n is. A tile computes
// 4 rows by 5 columns, 20 accumulators.
//
// The order of the additions is the kernel's (see dot_amd64.s): lanes sum
// interleaved terms, then the lanes are added pairwise. It differs from
// the register tiles' t-order sums, so a narrow layer's outputs differ
// from what the tiles gave in their last bits; every path that computes a
// layer's forward product (the layer-by-layer pass, the row-parallel
// step, prediction) takes the same tiles, so results stay bit-identical
// for any worker count, and each element's sum is independent of the tile
// that computed it.

const (
	dotRows = 4 // rows of A per dot tile
	dotCols = 5 // rows of Bᵀ (columns of C) per dot tile
	// dotMinK is the shortest sum the dot tiles take: shorter ones leave
	// the lanes' reduction most of the work.
	dotMinK = 32
)

// dotNarrow reports whether a product k deep and n wide goes through the
// dot tiles: narrower than a wide register tile and a sum of dotMinK
// terms or more. Below 5 outputs (a binary or regression head) the row
// kernel took a call per four inputs and output row; the tiles compute 5
// columns of which n are kept, from a Bᵀ padded with zero rows.
func dotNarrow[T float](k, n int) bool {
	_, ww := tileCols[T]()
	return dotLanes[T]() > 0 && n >= 1 && n < min(ww, 16) && k >= dotMinK
}

// dotBT returns the length of Bᵀ's buffer for the dot tiles: n rows of k,
// or dotCols rows when n is fewer, the rows past n left zero.
func dotBT(k, n int) int { return max(n, dotCols) * k }

// gemmNNDotRows computes rows [lo, hi) of C = A·B (C m×n, A m×k) from bt,
// Bᵀ (n rows of k, padded to dotBT(k, n) with zero rows), by dot tiles. Rows past the last whole block of four
// repeat the block's last row in the tile, which stores it again with the
// same bits; columns past the last whole block of five are computed by one
// more block over the last five, again storing some columns twice. When
// accumulating, or narrower than a tile, a tile writes into scratch rows
// instead and only the columns not stored yet go to C.
func gemmNNDotRows[T float](c, a, bt []T, k, n, lo, hi int, accumulate bool) {
	lanes := dotLanes[T]()
	iters, mask := k/lanes, 1<<(k%lanes)-1
	var ar, cr [dotRows][]T
	var scratch [dotRows][dotCols]T
	direct := !accumulate && n >= dotCols
	for i := lo; i < hi; i += dotRows {
		r := min(dotRows, hi-i)
		for rr := range dotRows {
			ri := i + min(rr, r-1)
			ar[rr] = a[ri*k : ri*k+k]
		}
		for j0 := 0; j0 < n; j0 += dotCols {
			jb := max(min(j0, n-dotCols), 0)
			for rr := range dotRows {
				if !direct {
					cr[rr] = scratch[rr][:]
				} else {
					ri := i + min(rr, r-1)
					cr[rr] = c[ri*n+jb : ri*n+jb+dotCols]
				}
			}
			dotTile(&cr, &ar, bt[jb*k:(jb+dotCols)*k], k, iters, mask)
			if !direct {
				for rr := range r {
					ci := c[(i+rr)*n+jb : (i+rr)*n+min(jb+dotCols, n)]
					for jj := j0 - jb; jj < len(ci); jj++ {
						if accumulate {
							ci[jj] += scratch[rr][jj]
						} else {
							ci[jj] = scratch[rr][jj]
						}
					}
				}
			}
		}
	}
}
