package trainer

import (
	"math/rand/v2"
	"sync/atomic"
)

// The row-parallel step. A network without batch normalization (whose
// statistics need the whole batch) and without a plugged BLAS runs its
// forward and backward passes as regions: every worker takes a fixed block
// of the batch's rows through all the layers at once, since a row's
// activations and input gradients depend on that row alone. Only the
// weight gradients sum over the batch; after one barrier the workers take
// tasks from a shared counter, each a fixed block of one layer's
// weight-gradient rows (or one layer's bias), and with a fused optimizer
// update those elements at once, while they are in the cache. Taking the
// tasks as they come, rather than a fixed half each, lets one worker take
// over from a partner the host has slowed. A step thus hands work to the other
// workers twice (the forward region, the backward one) and meets one
// barrier, where splitting each product took about a dozen hand-offs.
//
// Results do not depend on the number of workers, nor on which worker
// takes which task: blocks start at multiples of the tile height (and of
// adamAlign for the optimizer), so every element is computed by the same
// kernel in the same order as on one worker, and nothing is summed across
// workers.

// rowAlign is the alignment of the row blocks: 8-row tiles fit whole.
const rowAlign = 8

// rowState holds the arguments of the current region, set on the calling
// goroutine before the region starts (the regions' functions are method
// values made once, so a step allocates nothing).
type rowState[T float] struct {
	x      []T       // the input of the forward pass
	x64    []float64 // its float64 form, converted by rows (float32 only)
	idx    []int     // with idx, x's rows are rows idx of x64, gathered by rows
	g64    []float64 // dlogits in float64 (float32 only)
	g      []T       // dlogits
	n      int
	train  bool
	opt    rangeOptimizer // updates each block after its gradient; or nil
	wtNext bool           // the transposes of W are current for the backward pass
	out    []T            // the last layer's output (forwardRegion)
	// loss, when set, is called by each worker on its rows of the logits
	// (float64, converted into network.logits for float32) after its
	// forward pass (forwardGatherLoss).
	loss func(logits []float64, lo, hi int)

	fwd, bwd func(w, nw int)
	next     atomic.Int32 // the update phase's next task (backwardBlock)
}

// rowParallel reports whether the network takes the row-parallel path.
func (m *network[T]) rowParallel() bool {
	for _, l := range m.Layers {
		if l.BN || l.ext != nil {
			return false
		}
	}
	return true
}

// regionWorkers returns the workers a step on n rows uses: all of them
// from parallelMACs multiply-adds per pass, else one.
func (m *network[T]) regionWorkers(n int) int {
	macs := 0
	for _, l := range m.Layers {
		macs += n * l.In * l.Out
	}
	if m.pool == nil || macs < parallelMACs || n < 2*rowAlign {
		return 1
	}
	return m.pool.workers
}

// forwardRegion runs the forward pass of n rows of x (or of x64, converted
// on the way, for float32) on all workers, drawing the dropout masks from
// r first, in the order the layer-by-layer pass draws them.
func (m *network[T]) forwardRegion(x []T, x64 []float64, n int, train bool, r *rand.Rand, fixedMask bool) []T {
	if train && !fixedMask {
		for _, l := range m.Layers {
			if l.Dropout > 0 {
				l.drawMask(n*l.Out, r)
			}
		}
	}
	s := &m.rows
	s.x, s.x64, s.n, s.train = x, x64, n, train
	in := x
	for _, l := range m.Layers {
		l.x = in
		in = l.output(n, train)
		if l.dotW {
			// Wᵀ for the dot tiles before any worker's rows need it (a
			// few thousand copies; the backward pass uses it too).
			transposeRows(l.wt, l.W, l.In, l.Out, 0, l.In)
		}
	}
	s.out = in
	m.pool.region(m.regionWorkers(n), s.fwd)
	s.x, s.x64, s.out = nil, nil, nil
	s.wtNext = train
	return in
}

// forwardBlock is worker w's part of the forward region.
func (m *network[T]) forwardBlock(w, nw int) {
	s := &m.rows
	if lo, hi := share(s.n, w, nw, rowAlign); lo < hi {
		m.forwardBlockRows(lo, hi)
		if s.loss != nil {
			k := m.Outputs
			var logits []float64
			if is32[T]() {
				logits = m.logits[:s.n*k]
				for i, v := range s.out[lo*k : hi*k] {
					logits[lo*k+i] = float64(v)
				}
			} else {
				logits = as64(s.out[:s.n*k]) // the output itself
			}
			s.loss(logits, lo, hi)
		}
	}
	if s.train {
		// The backward pass's transposed weights, while W stands still
		// (the first layer's input gradient is not needed). Every worker
		// takes its share, whether it had rows of the batch or not: a
		// worker with none (the third of three on a batch of 31) once
		// skipped it, and the input gradients went through a stale or
		// zero part of Wᵀ.
		for _, l := range m.Layers[1:] {
			if l.wt != nil && l.packDX(s.n) && !l.dotW {
				a, b := share(l.In, w, nw, transposeBlk)
				transposeRows(l.wt, l.W, l.In, l.Out, a, b)
			}
		}
	}
}

// forwardBlockRows takes rows [lo, hi) of the batch through every layer.
func (m *network[T]) forwardBlockRows(lo, hi int) {
	s := &m.rows
	switch d := m.Inputs; {
	case s.idx != nil:
		for i := lo; i < hi; i++ {
			j := s.idx[i]
			dst, src := s.x[i*d:(i+1)*d], s.x64[j*d:(j+1)*d]
			if is32[T]() {
				for c, v := range src {
					dst[c] = T(v)
				}
			} else {
				copy(as64(dst), src)
			}
		}
	case s.x64 != nil:
		dst := s.x[lo*d : hi*d]
		for i, v := range s.x64[lo*d : hi*d] {
			dst[i] = T(v)
		}
	}
	for _, l := range m.Layers {
		l.forwardRows(s.n, lo, hi, s.train)
	}
}

// backwardRegion back-propagates g (or g64, converted on the way, for
// float32) through the last forwardRegion on all workers, and with opt
// set (begun by the caller) updates every parameter.
func (m *network[T]) backwardRegion(g []T, g64 []float64, n int, train bool, opt rangeOptimizer) {
	s := &m.rows
	s.g, s.g64, s.n, s.train, s.opt = g, g64, n, train, opt
	if !s.wtNext {
		for _, l := range m.Layers[1:] {
			if l.wt != nil && l.packDX(n) {
				m.pool.each(l.transposeW, l.In, l.Out*16, transposeBlk)
			}
		}
	}
	s.next.Store(0)
	m.pool.region(m.regionWorkers(n), s.bwd)
	s.g, s.g64, s.opt, s.wtNext = nil, nil, nil, false
}

// backwardBlock is worker w's part of the backward region: its rows'
// input gradients through every layer, a barrier, then tasks of the
// weight and bias gradients (and their update) until none is left.
func (m *network[T]) backwardBlock(w, nw int) {
	s := &m.rows
	n := s.n
	lo, hi := share(n, w, nw, rowAlign)
	if lo < hi {
		g := s.g
		if s.g64 != nil {
			k := m.Outputs
			dst := g[lo*k : hi*k]
			for i, v := range s.g64[lo*k : hi*k] {
				dst[i] = T(v)
			}
		}
		for i := len(m.Layers) - 1; i >= 0; i-- {
			l := m.Layers[i]
			g = l.backwardRows(g, n, lo, hi, s.train, i > 0)
			if l.packsDZ(n) {
				packB(l.dzp, l.dh, n, l.Out, packCols[T](l.Out, n), lo, hi)
			}
		}
	}
	m.pool.sync(w, nw)
	for m.updateTask(int(s.next.Add(1)) - 1) {
	}
}

// updateElems is about the weights in one task of the update phase: small
// enough that a worker whose partner is slowed by the host's other work
// takes over most of what is left, large enough that the tiles stay
// efficient and the shared counter is touched a few dozen times a step.
const updateElems = 8192

// updateChunk returns the weight rows in one update task of a layer out
// wide: a multiple of updateRows(out), so that every element takes the
// same tile and the same optimizer block whoever computes it.
func updateChunk(out int) int {
	a := updateRows(out)
	return max(updateElems/(out*a), 1) * a
}

// updateTask runs task i of the update phase and reports whether there
// was one.
func (m *network[T]) updateTask(i int) bool {
	li, a, b, ok := m.updateSpan(i)
	switch {
	case !ok:
		return false
	case b < 0:
		m.updateBias(li)
	default:
		m.updateWeights(li, a, b)
	}
	return true
}

// updateSpan returns task i of the update phase: rows [a, b) of layer
// li's weights, or with b < 0 layer li's bias; ok is false past the last
// task. The blocks of weight rows come first, the first (widest) layer's
// first, so that the largest tasks go first and the last ones are small.
func (m *network[T]) updateSpan(i int) (li, a, b int, ok bool) {
	for li, l := range m.Layers {
		c := updateChunk(l.Out)
		if k := (l.In + c - 1) / c; i >= k {
			i -= k
			continue
		}
		return li, i * c, min((i+1)*c, l.In), true
	}
	if i >= len(m.Layers) {
		return 0, 0, 0, false
	}
	return i, 0, -1, true
}

// updateWeights computes rows [a, b) of layer li's weight gradient and,
// with an optimizer, updates those weights while they are in the cache.
func (m *network[T]) updateWeights(li, a, b int) {
	s, l := &m.rows, m.Layers[li]
	if nw, _ := tileCols[T](); l.narrowTN(s.n) && (b-a)%nw == 0 {
		gemmTNNarrow(l.dW, l.x, l.dh, l.dwt[a*l.Out:], s.n, l.In, l.Out, a, b)
	} else {
		var bp []T
		if l.packsDZ(s.n) {
			bp = l.dzp
		}
		gemmTNRowsP(l.dW, l.x, l.dh, bp, s.n, l.In, l.Out, a, b, false)
	}
	if s.opt != nil {
		s.opt.update(2*li, a*l.Out, b*l.Out)
	}
}

// updateBias computes layer li's bias gradient and, with an optimizer,
// updates its biases.
func (m *network[T]) updateBias(li int) {
	s, l := &m.rows, m.Layers[li]
	l.biasCols(s.n, 0, l.Out)
	if s.opt != nil {
		s.opt.update(2*li+1, 0, l.Out)
	}
}

// updateRows is the alignment of blocks of weight rows out wide: a
// multiple of 4 (the tile height) whose elements start at a multiple of
// adamAlign.
func updateRows(out int) int {
	a := 4
	for a*out%adamAlign != 0 {
		a += 4
	}
	return a
}

// drawMask draws a fresh dropout mask for m values from r.
func (l *layer[T]) drawMask(m int, r *rand.Rand) {
	keep := 1 - l.Dropout
	scale := T(1 / keep)
	mask := l.mask[:m]
	for i := range mask {
		if r.Float64() < keep {
			mask[i] = scale
		} else {
			mask[i] = 0
		}
	}
}

// output returns the buffer that holds the layer's output for n rows.
func (l *layer[T]) output(n int, train bool) []T {
	if l.Dropout > 0 && train {
		return l.out[:n*l.Out]
	}
	return l.a[:n*l.Out]
}

// forwardRows computes rows [lo, hi) of the layer's output from rows
// [lo, hi) of its input l.x (n rows), with the dropout mask drawn.
func (l *layer[T]) forwardRows(n, lo, hi int, train bool) {
	m := n * l.Out
	z, a := l.z[:m], l.a[:m]
	var out []T
	if _, linear := l.Act.(Linear); !linear {
		out = a
	}
	if l.dotW {
		gemmNNDotRows(z, l.x, l.wt, l.In, l.Out, lo, hi, false)
	} else {
		gemmNNRows(z, l.x, l.W, l.In, l.Out, lo, hi, false)
	}
	addBiasAct(z, l.B, out, l.actF, l.Out, lo, hi)
	if l.Dropout > 0 && train {
		r0, r1 := lo*l.Out, hi*l.Out
		dst, mask := l.out[r0:r1], l.mask[r0:r1]
		for i, v := range a[r0:r1] {
			dst[i] = v * mask[i]
		}
	}
}

// backwardRows takes rows [lo, hi) of dL/d(output) for the last forward's
// n rows, writes those rows of dL/dz into l.dh, and returns dL/dx (whose
// rows [lo, hi) it has written) when needDX.
func (l *layer[T]) backwardRows(dout []T, n, lo, hi int, train, needDX bool) []T {
	r0, r1 := lo*l.Out, hi*l.Out
	da := dout[r0:r1]
	dh := l.dh[r0:r1]
	if l.Dropout > 0 && train {
		mask := l.mask[r0:r1]
		for i, v := range da {
			dh[i] = v * mask[i]
		}
		da = dh
	}
	if _, linear := l.Act.(Linear); !linear {
		l.actB(dh, da, l.h[r0:r1], l.a[r0:r1])
	} else if &dh[0] != &da[0] {
		copy(dh, da)
	}
	if !needDX {
		return nil
	}
	dx, dz := l.dx[:n*l.In], l.dh[:n*l.Out]
	if l.wt != nil && l.packDX(n) {
		gemmNNRows(dx, dz, l.wt, l.Out, l.In, lo, hi, false)
	} else {
		gemmNTRows(dx, dz, l.W, l.In, l.Out, lo, hi, false)
	}
	return dx
}

// biasCols sets columns [c0, c1) of the bias gradient to the column sums
// of dL/dz over the last pass's n rows, in row order.
func (l *layer[T]) biasCols(n, c0, c1 int) {
	db := l.dB[c0:c1]
	clear(db)
	for i := 0; i < n; i++ {
		row := l.dh[i*l.Out+c0 : i*l.Out+c1]
		for j, v := range row {
			db[j] += v
		}
	}
}
