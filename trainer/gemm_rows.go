package trainer

// kChunk is the longest sum a tile takes in one pass over a wide product
// (64 columns or more): longer ones, such as w3's 784 inputs, are taken in
// chunks of kChunk terms, each added to C, so that a strip of B (256 rows
// of 16 float64s or 32 float32s, 32 KB) stays in the L1 cache while every
// row block of the worker uses it. The chunking depends only on the
// product's shape, never on the split across workers.
const kChunk = 256

// tileBlock computes rows [i0, i1) (whole 4-row tiles) and columns [0, nT)
// (whole narrow tiles) of a product by register tiles: row r, column j of
// C (rows ldc apart) gets Σ_t a[r·ars + t·astep] · b[t·bstep + j] for
// t < iters. Every tile sums each element in the same order (t upwards,
// one fused multiply-add at a time, from zero, then added to C when
// accumulating or for a later chunk), so an element's bits do not depend
// on which tile computed it: 8-row tiles where they fit, 4-row ones
// elsewhere, give the same result. Column strips are the outer loop, so a
// strip of B is reused by every row block while it is in cache.
//
// With bp set, the wide strips read B from bp instead, packed by packB
// (bpk rows): a strip there is contiguous, so it stays in the L1 cache
// where B's own rows, a power of two apart, fall into a few cache sets
// and stream from L2. The sums are the same, so are the bits.
func tileBlock[T float](c []T, ldc int, a []T, ars, astep int, b []T, bstep, iters, i0, i1, nT int, acc bool, bp []T, bpk int) {
	nw, ww := tileCols[T]()
	if h := halfCols[T](); nT < nw {
		for j := 0; j < nT; j += h {
			for i := i0; i < i1; i += 4 {
				tile4h(c[i*ldc+j:], ldc, a[i*ars:], ars, astep, b[j:], bstep, iters, acc)
			}
		}
		return
	}
	wide := ww > 0 && (iters >= wideTileMin || iters <= shortWideMax)
	nWide := 0
	if wide {
		nWide = nT - nT%ww
	}
	chunk := iters
	if iters > kChunk && nT >= 64 {
		chunk = kChunk
	}
	for k0 := 0; k0 < iters; k0 += chunk {
		kc := min(chunk, iters-k0)
		ak, bk, ac := a[k0*astep:], b[k0*bstep:], acc || k0 > 0
		for j := 0; j < nWide; j += ww {
			bj, bs := bk[j:], bstep
			if bp != nil {
				bj, bs = bp[j*bpk+k0*ww:], ww
			}
			i := i0
			for ; i+8 <= i1; i += 8 {
				tile8w(c[i*ldc+j:], ldc, ak[i*ars:], ars, astep, bj, bs, kc, ac)
			}
			for ; i < i1; i += 4 {
				tile4w(c[i*ldc+j:], ldc, ak[i*ars:], ars, astep, bj, bs, kc, ac)
			}
		}
		for j := nWide; j < nT; j += nw {
			for i := i0; i < i1; i += 4 {
				tile4n(c[i*ldc+j:], ldc, ak[i*ars:], ars, astep, bk[j:], bstep, kc, ac)
			}
		}
	}
}

// tileWidth returns the column step of the tiles for a product n columns
// wide (the tiled columns are a multiple of it), or 0 for no tiles.
func tileWidth[T float](n int) int {
	nw, _ := tileCols[T]()
	if nw > 0 && n >= nw {
		return nw
	}
	if h := halfCols[T](); h > 0 && n >= h {
		return h
	}
	return 0
}

// overlapTail returns the width of one more tile that computes the rem
// columns past the tiles of a product n wide, placed over the last
// columns and so overlapping tiled ones, or 0 when the row kernel takes
// them. Every tile gives an element the same bits, so computing some
// twice changes nothing (it would when accumulating, which adds twice).
// Float32 uses its half-width tile where it covers the rest, else its
// narrow one (past 16 columns the rest can be 9 to 15 wide); float64 its
// narrow tile (w2's 10 classes: 8 tiled columns and 2 more).
func overlapTail[T float](n, rem int, accumulate bool) int {
	nw, _ := tileCols[T]()
	w := halfCols[T]()
	if w == 0 || rem > w {
		w = nw
	}
	if accumulate || w == 0 || n < w || rem > w {
		return 0
	}
	return w
}

// gemmNNRows computes rows [lo, hi) of C = A·B: whole 4-row tiles (aligned
// to multiples of 4) by register tiles, leftover columns and rows by the
// row kernel.
func gemmNNRows[T float](c, a, b []T, k, n, lo, hi int, accumulate bool) {
	gemmNNRowsP(c, a, b, nil, k, n, lo, hi, accumulate)
}

// gemmNNRowsP is gemmNNRows with B's wide strips packed in bp (or nil).
func gemmNNRowsP[T float](c, a, b, bp []T, k, n, lo, hi int, accumulate bool) {
	if nw := tileWidth[T](n); nw > 0 && k > 0 {
		nT := n - n%nw
		t0 := (lo + 3) &^ 3
		tEnd := t0 + (max(hi-t0, 0) &^ 3)
		if tEnd > t0 {
			tileBlock(c, n, a, k, 1, b, n, k, t0, tEnd, nT, accumulate, bp, k)
			if ow := overlapTail[T](n, n-nT, accumulate); nT < n && ow > 0 {
				tileBlock(c[n-ow:], n, a, k, 1, b[n-ow:], n, k, t0, tEnd, ow, false, nil, 0)
			} else if nT < n {
				gemmNNCols(c, a, b, k, n, t0, tEnd, nT, accumulate)
			}
			gemmNNRowsPlain(c, a, b, k, n, lo, min(t0, hi), accumulate)
			gemmNNRowsPlain(c, a, b, k, n, tEnd, hi, accumulate)
			return
		}
	}
	gemmNNRowsPlain(c, a, b, k, n, lo, hi, accumulate)
}

// gemmNNCols computes columns [j0, n) of rows [lo, hi) of C = A·B.
func gemmNNCols[T float](c, a, b []T, k, n, lo, hi, j0 int, accumulate bool) {
	for i := lo; i < hi; i++ {
		ci := c[i*n+j0 : i*n+n]
		ai := a[i*k : i*k+k]
		for jj := range ci {
			var s T
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
func gemmNNRowsPlain[T float](c, a, b []T, k, n, lo, hi int, accumulate bool) {
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
// the sum over i of A[i,p]·B[i,:], in increasing i.
func gemmTNRows[T float](c, a, b []T, m, k, n, lo, hi int, accumulate bool) {
	gemmTNRowsP(c, a, b, nil, m, k, n, lo, hi, accumulate)
}

// gemmTNRowsP is gemmTNRows with B's wide strips packed in bp (or nil).
func gemmTNRowsP[T float](c, a, b, bp []T, m, k, n, lo, hi int, accumulate bool) {
	if tnHead[T](m, k, n) {
		gemmTNHead(c, a, b, m, k, n, lo, hi, accumulate)
		return
	}
	if nw := tileWidth[T](n); nw > 0 && m > 0 {
		nT := n - n%nw
		t0 := (lo + 3) &^ 3
		tEnd := t0 + (max(hi-t0, 0) &^ 3)
		if tEnd > t0 {
			// Row r of a tile is C row p+r: multipliers A[i, p+r],
			// contiguous across r and k apart across i.
			tileBlock(c, n, a, 1, k, b, n, m, t0, tEnd, nT, accumulate, bp, m)
			if ow := overlapTail[T](n, n-nT, accumulate); nT < n && ow > 0 {
				tileBlock(c[n-ow:], n, a, 1, k, b[n-ow:], n, m, t0, tEnd, ow, false, nil, 0)
			} else if nT < n {
				gemmTNCols(c, a, b, m, k, n, t0, tEnd, nT, accumulate)
			}
			gemmTNRowsPlain(c, a, b, m, k, n, lo, min(t0, hi), accumulate)
			gemmTNRowsPlain(c, a, b, m, k, n, tEnd, hi, accumulate)
			return
		}
	}
	gemmTNRowsPlain(c, a, b, m, k, n, lo, hi, accumulate)
}

// gemmTNCols computes columns [j0, n) of rows [lo, hi) of C = Aᵀ·B.
func gemmTNCols[T float](c, a, b []T, m, k, n, lo, hi, j0 int, accumulate bool) {
	for p := lo; p < hi; p++ {
		cp := c[p*n+j0 : p*n+n]
		for jj := range cp {
			var s T
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
func gemmTNRowsPlain[T float](c, a, b []T, m, k, n, lo, hi int, accumulate bool) {
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
// as dot products, four columns of C at a time. Large products go through
// a transposed copy of B and the tiles instead (see Layer.backward).
func gemmNTRows[T float](c, a, b []T, k, n, lo, hi int, accumulate bool) {
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
			var s T
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

// transposeBlk is the alignment of the row blocks that workers transpose
// (a multiple of the 8 rows transpose takes together).
const transposeBlk = 16

// transpose writes the transpose of rows [lo, hi) of B (rows×cols) into
// bt (cols×rows); lo is a multiple of transposeBlk. It reads eight rows of
// B at once and writes each column of them as one run of eight in Bᵀ:
// measured on w3's 256×256 float32, 65 µs against 106 to 163 µs for the
// former loop over blocks of 16 rows, which indexed both matrices afresh
// for every element.
func transpose[T float](bt, b []T, rows, cols, lo, hi int) {
	b, bt = b[:rows*cols], bt[:rows*cols]
	i := lo
	for ; i+8 <= hi; i += 8 {
		s0, s1, s2, s3 := b[i*cols:][:cols], b[(i+1)*cols:][:cols], b[(i+2)*cols:][:cols], b[(i+3)*cols:][:cols]
		s4, s5, s6, s7 := b[(i+4)*cols:][:cols], b[(i+5)*cols:][:cols], b[(i+6)*cols:][:cols], b[(i+7)*cols:][:cols]
		for j := range s0 {
			d := (*[8]T)(bt[j*rows+i:])
			d[0], d[1], d[2], d[3] = s0[j], s1[j], s2[j], s3[j]
			d[4], d[5], d[6], d[7] = s4[j], s5[j], s6[j], s7[j]
		}
	}
	for ; i < hi; i++ {
		for j, v := range b[i*cols : (i+1)*cols] {
			bt[j*rows+i] = v
		}
	}
}

// axpy4Go adds a0·b0 + a1·b1 + a2·b2 + a3·b3 to c: the portable kernel.
func axpy4Go[T float](c []T, a0, a1, a2, a3 T, b0, b1, b2, b3 []T) {
	n := len(c)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	for j := range c {
		c[j] += a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
	}
}

// axpy1 adds a·b to c.
func axpy1[T float](c []T, a T, b []T) {
	b = b[:len(c)]
	for j := range c {
		c[j] += a * b[j]
	}
}

// dot4Go returns the dot products of a with b0..b3: the portable kernel.
func dot4Go[T float](a, b0, b1, b2, b3 []T) (s [4]T) {
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
