package trainer

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The matrix kernels work on flat row-major slices. Each output row is
// computed by one goroutine, in one fixed order, so a product is
// bit-identical whether it runs on one worker or many: parallelism never
// changes a result.

// wideTileMin is the shortest sum for which the AVX-512 tiles are used:
// measured, they are 22% faster on w3 (sums of 128 to 784 terms) but 6%
// slower on w2 (sums of 64), where the AVX2 tiles stay.
const wideTileMin = 128

// shortWideMax is the longest short sum for which the AVX-512 tiles are
// used too: a sum of a handful of terms (dZ·Wᵀ through a 10-class layer,
// 10 terms) spends its time loading and storing C, which the wide tiles
// do in half the instructions.
const shortWideMax = 16

// parallelMACs is the work (multiply-adds) above which a product is split
// across the pool's workers. Below it the hand-off (a futex wake, ~10 µs)
// costs more than it saves: measured on w2 (64×64·64×128, 0.5M MACs), one
// worker trains at 203k samples/s and two at 179k; on w3 (25M MACs) two
// workers give 22k against 14k.
const parallelMACs = 1 << 20

// pool runs row ranges of a product on persistent workers, so the hot path
// starts no goroutines and allocates nothing. It is owned by one model and
// not safe for concurrent use.
//
// A hand-off writes a task into each helper's slot and bumps the slot's
// sequence number. A helper that has just finished a task spins on that
// number for up to spinFor before it sleeps, and the caller spins the same
// way for the helpers to finish: on a virtual machine, waking a sleeping
// thread costs 50 to 200 µs (the idle virtual CPU has halted and the host
// must run it again), and a w3 step hands work over twice and meets one
// barrier, so sleeping between them cost 15% of a two-worker step.
type pool struct {
	workers int
	slots   []*slot // the helpers' (workers − 1)
	pending atomic.Int32
	caller  sleeper // the caller, waiting for pending to reach 0
	spin    time.Duration
	closed  atomic.Bool
	bar     barrier

	// handoffs counts the times work went to other workers (a product
	// split, a region started) and barriers the barriers they met; inside
	// is the caller's time in regions and waited the time workers spent
	// waiting in them (at barriers and for the region's end), all
	// workers together: the costs of parallelism, read by the benchmarks.
	handoffs, barriers int
	inside             time.Duration
	waited             atomic.Int64 // nanoseconds
}

// slot is one helper's mailbox. Its padding keeps the two helpers' hot
// words on separate cache lines.
type slot struct {
	seq  atomic.Uint64
	wake sleeper
	task gemmTask
	_    [64]byte
}

// spinFor is how long a waiting worker checks for work (or the caller for
// the end of a hand-off) before it sleeps: longer than the serial parts
// between a step's hand-offs (the loss, the next batch's shuffle, about
// 100 µs on w3), short enough that a pool left idle sleeps at once.
const spinFor = 300 * time.Microsecond

// sleeper lets one goroutine sleep until another wakes it, without a lost
// wake-up: the sleeper announces itself, checks its condition once more,
// and only then blocks; a waker that sees the announcement takes it back
// and sends one token.
type sleeper struct {
	asleep atomic.Bool
	ch     chan struct{}
}

// wait blocks until ready() holds, spinning for up to d first. It yields
// the processor between checks, so the process's other goroutines (the
// interface, the recorder) still run while a worker spins.
func (s *sleeper) wait(ready func() bool, d time.Duration) {
	if spinWait(ready, d) {
		return
	}
	for {
		s.asleep.Store(true)
		if ready() {
			if !s.asleep.CompareAndSwap(true, false) {
				<-s.ch // a waker took the announcement: drain its token
			}
			return
		}
		<-s.ch
		if ready() {
			return
		}
	}
}

// wakeUp wakes the sleeper if it announced that it sleeps.
func (s *sleeper) wakeUp() {
	if s.asleep.CompareAndSwap(true, false) {
		s.ch <- struct{}{}
	}
}

// spinWait checks ready until it holds or d has passed, and reports which.
func spinWait(ready func() bool, d time.Duration) bool {
	if d <= 0 {
		return ready()
	}
	var end time.Time
	for i := 0; ; i++ {
		if ready() {
			return true
		}
		if i%64 == 63 {
			now := time.Now()
			if end.IsZero() {
				end = now.Add(d)
			} else if now.After(end) {
				return false
			}
			runtime.Gosched()
		}
	}
}

type gemmKind uint8

const (
	kindNN   gemmKind = iota // C = A·B
	kindTN                   // C = Aᵀ·B
	kindNT                   // C = A·Bᵀ
	kindEach                 // fn(lo, hi): an element-wise pass
)

// gemmTask is one product (or pass) and the row range a worker computes.
// A float64 product uses c, a, b and act; a float32 one c32, a32, b32 and
// act32. With bias set (NN only) each computed row gets the bias added and
// then, with out set, the activation written to out: the layer's bias and
// activation fused into the product, so they run on the rows each worker
// has just written, while they are in its cache.
type gemmTask struct {
	kind          gemmKind
	f32           bool
	c, a, b       []float64
	c32, a32, b32 []float32
	m, k, n       int
	lo, hi        int
	accumulate    bool
	dot           bool // NN with b holding Bᵀ, by the dot tiles (dot.go)

	bias, out     []float64
	bias32, out32 []float32
	act           func(a, z []float64)
	act32         func(a, z []float32)

	fn func(lo, hi int)
}

func newPool(workers int) *pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Spinning only pays when every worker has a processor of its own; with
	// more workers than processors a spinning one holds a processor that
	// another needs.
	spin := time.Duration(0)
	if workers <= runtime.GOMAXPROCS(0) {
		spin = spinFor
	}
	return newPoolSpin(workers, spin)
}

// newPoolSpin is newPool with the given spin before a waiter sleeps.
func newPoolSpin(workers int, spin time.Duration) *pool {
	p := &pool{workers: workers, spin: spin, caller: sleeper{ch: make(chan struct{}, 1)}}
	for range workers - 1 {
		s := &slot{wake: sleeper{ch: make(chan struct{}, 1)}}
		p.slots = append(p.slots, s)
		go p.work(s)
	}
	return p
}

// work is a helper's loop: wait for the slot's next task, run it, report.
func (p *pool) work(s *slot) {
	var seen uint64
	for {
		s.wake.wait(func() bool { return s.seq.Load() != seen || p.closed.Load() }, p.spin)
		if p.closed.Load() {
			return
		}
		seen = s.seq.Load()
		s.task.run()
		if p.pending.Add(-1) == 0 {
			p.caller.wakeUp()
		}
	}
}

// close stops the workers. It is safe to call more than once.
func (p *pool) close() {
	if p == nil || p.closed.Swap(true) {
		return
	}
	for _, s := range p.slots {
		s.wake.wakeUp()
	}
}

// hand gives t to helper i (0-based) as part of a hand-off to n helpers.
func (p *pool) hand(i int, t *gemmTask) {
	s := p.slots[i]
	s.task = *t
	s.seq.Add(1)
	s.wake.wakeUp()
}

// waitHelpers waits for every task of the current hand-off to finish.
func (p *pool) waitHelpers() {
	p.caller.wait(p.helpersDone, p.spin)
}

func (p *pool) helpersDone() bool { return p.pending.Load() == 0 }

// do runs rows [0, rows) of t, split across the workers when the work is
// large enough; the caller's goroutine takes the last share.
func (p *pool) do(t *gemmTask, rows, macs int) {
	p.doAligned(t, rows, macs, 4)
}

// doAligned is do with splits on multiples of align rows, so a row is in
// the same tile (and takes the same path) whatever the number of workers.
//
// t is taken by pointer and copied only into the helpers' slots: the
// task is a few hundred bytes, and w1's tiny products (nine a step) run
// inline, where copies are most of the hand-off's cost.
func (p *pool) doAligned(t *gemmTask, rows, macs, align int) {
	if p == nil || p.workers <= 1 || macs < parallelMACs || rows < 2 {
		t.lo, t.hi = 0, rows
		t.run()
		return
	}
	w := min(p.workers, rows)
	p.handoffs++
	step := ((rows+w-1)/w + align - 1) / align * align
	lo, n := 0, 0
	for n < w-1 && lo+step < rows {
		n++
		lo += step
	}
	p.pending.Store(int32(n))
	for i := range n {
		t.lo, t.hi = i*step, (i+1)*step
		p.hand(i, t)
	}
	t.lo, t.hi = lo, rows
	t.run()
	p.waitHelpers()
}

// each runs fn over [0, n) in chunks split at multiples of align, on all
// workers when n·cost is large enough. fn must be element-wise, so that
// the result does not depend on the split.
func (p *pool) each(fn func(lo, hi int), n, cost, align int) {
	t := gemmTask{kind: kindEach, fn: fn}
	p.doAligned(&t, n, n*cost, align)
}

// region runs fn(w, nw) for w in [0, nw) on nw workers at once (nw is
// capped at the pool's size) and returns when all are done; the caller's
// goroutine runs w = 0. fn may call p.sync to wait for the others, and
// must not hand work to the pool itself. It is how a training step runs
// on all workers with two hand-offs instead of one per product.
func (p *pool) region(nw int, fn func(w, nw int)) {
	if p == nil || len(p.slots) == 0 || nw <= 1 {
		fn(0, 1)
		return
	}
	nw = min(nw, p.workers)
	p.handoffs++
	t0 := time.Now()
	t := gemmTask{kind: kindEach, fn: fn}
	p.pending.Store(int32(nw - 1))
	for w := 1; w < nw; w++ {
		t.lo, t.hi = w, nw
		p.hand(w-1, &t)
	}
	fn(0, nw)
	t1 := time.Now()
	p.waitHelpers()
	t2 := time.Now()
	p.waited.Add(int64(t2.Sub(t1)))
	p.inside += t2.Sub(t0)
}

// sync is a barrier among the nw workers of a region: it returns once all
// of them have called it. Worker 0 counts it.
func (p *pool) sync(w, nw int) {
	if nw <= 1 {
		return
	}
	if w == 0 {
		p.barriers++
	}
	t0 := time.Now()
	p.bar.wait(nw, p.spin)
	p.waited.Add(int64(time.Since(t0)))
}

// barrier is a barrier for the workers of a region. A waiter spins for up
// to spinFor (longer than the usual skew between two workers' halves of a
// step), then sleeps until the last one arrives: on a machine busy with
// other work the partner may be off its core for a whole time slice, and
// spinning through it would take the core from it.
type barrier struct {
	count    atomic.Int32
	gen      atomic.Uint32
	mu       sync.Mutex
	cond     sync.Cond
	sleepers int // guarded by mu
}

func (b *barrier) wait(nw int, spin time.Duration) {
	g := b.gen.Load()
	if b.count.Add(1) == int32(nw) {
		b.count.Store(0)
		b.mu.Lock()
		b.gen.Add(1)
		if b.sleepers > 0 {
			b.cond.Broadcast()
		}
		b.mu.Unlock()
		return
	}
	if spinWait(func() bool { return b.gen.Load() != g }, spin) {
		return
	}
	b.mu.Lock()
	if b.cond.L == nil {
		b.cond.L = &b.mu
	}
	for b.gen.Load() == g {
		b.sleepers++
		b.cond.Wait()
		b.sleepers--
	}
	b.mu.Unlock()
}

// share returns worker w's block of [0, n) split across nw workers in
// contiguous blocks whose starts are multiples of align, so that an
// element takes the same path (tile or tail) whatever nw is.
func share(n, w, nw, align int) (lo, hi int) {
	step := ((n+nw-1)/nw + align - 1) / align * align
	lo = min(w*step, n)
	return lo, min(lo+step, n)
}

func (t *gemmTask) run() {
	if t.f32 {
		runTask(t, t.c32, t.a32, t.b32, t.bias32, t.out32, t.act32)
		return
	}
	runTask(t, t.c, t.a, t.b, t.bias, t.out, t.act)
}

func runTask[T float](t *gemmTask, c, a, b, bias, out []T, act func(a, z []T)) {
	switch t.kind {
	case kindNN:
		if t.dot {
			gemmNNDotRows(c, a, b, t.k, t.n, t.lo, t.hi, t.accumulate)
		} else {
			gemmNNRows(c, a, b, t.k, t.n, t.lo, t.hi, t.accumulate)
		}
		if bias != nil {
			addBiasAct(c, bias, out, act, t.n, t.lo, t.hi)
		}
	case kindTN:
		gemmTNRows(c, a, b, t.m, t.k, t.n, t.lo, t.hi, t.accumulate)
	case kindNT:
		gemmNTRows(c, a, b, t.k, t.n, t.lo, t.hi, t.accumulate)
	case kindEach:
		t.fn(t.lo, t.hi)
	}
}

// addBiasAct adds bias (when set) to rows [lo, hi) of z (n columns) and,
// when out is set, writes act(z) for those rows into out.
func addBiasAct[T float](z, bias, out []T, act func(a, z []T), n, lo, hi int) {
	if bias != nil { // none under batch norm
		bias = bias[:n]
		for i := lo; i < hi; i++ {
			row := z[i*n : (i+1)*n]
			for j, b := range bias {
				row[j] += b
			}
		}
	}
	if out != nil {
		act(out[lo*n:hi*n], z[lo*n:hi*n])
	}
}

// newTask returns a task on c, a and b, in the fields of T's precision.
func newTask[T float](kind gemmKind, c, a, b []T, m, k, n int, accumulate bool) gemmTask {
	t := gemmTask{kind: kind, m: m, k: k, n: n, accumulate: accumulate}
	if is32[T]() {
		t.f32, t.c32, t.a32, t.b32 = true, as32(c), as32(a), as32(b)
	} else {
		t.c, t.a, t.b = as64(c), as64(a), as64(b)
	}
	return t
}

// gemmNN sets C (m×n) to A (m×k) · B (k×n), or adds to it when accumulate.
// It panics if a slice is too short.
func gemmNN[T float](p *pool, c, a, b []T, m, k, n int, accumulate bool) {
	if len(c) < m*n || len(a) < m*k || len(b) < k*n {
		panic("trainer: gemmNN shape mismatch")
	}
	t := newTask(kindNN, c, a, b, m, k, n, accumulate)
	p.do(&t, m, m*k*n)
}

// gemmNNDot sets C (m×n) to A (m×k) · B by the dot tiles, from bt, Bᵀ
// (n×k). It panics if a slice is too short.
func gemmNNDot[T float](p *pool, c, a, bt []T, m, k, n int) {
	if len(c) < m*n || len(a) < m*k || len(bt) < dotBT(k, n) {
		panic("trainer: gemmNNDot shape mismatch")
	}
	t := newTask(kindNN, c, a, bt, m, k, n, false)
	t.dot = true
	p.do(&t, m, m*k*n)
}

// gemmNNBiasAct sets Z (m×n) to A·B plus bias on every row, and, when out
// is set, out to act(Z); with dot, b holds Bᵀ (n×k) and the product goes
// through the dot tiles. It panics if a slice is too short.
func gemmNNBiasAct[T float](p *pool, z, a, b, bias, out []T, act func(a, z []T), m, k, n int, dot bool) {
	if len(z) < m*n || len(a) < m*k || len(b) < k*n || len(bias) < n || (out != nil && len(out) < m*n) || (dot && len(b) < dotBT(k, n)) {
		panic("trainer: gemmNNBiasAct shape mismatch")
	}
	t := newTask(kindNN, z, a, b, m, k, n, false)
	t.dot = dot
	if is32[T]() {
		t.bias32, t.out32 = as32(bias), as32(out)
		t.act32, _ = any(act).(func(a, z []float32))
	} else {
		t.bias, t.out = as64(bias), as64(out)
		t.act, _ = any(act).(func(a, z []float64))
	}
	if out == nil {
		t.out, t.out32 = nil, nil
	}
	p.do(&t, m, m*k*n)
}

// gemmTN sets C (k×n) to Aᵀ·B where A is m×k and B is m×n: the weight
// gradient Xᵀ·dZ. Rows of C are split across workers.
func gemmTN[T float](p *pool, c, a, b []T, m, k, n int, accumulate bool) {
	if len(c) < k*n || len(a) < m*k || len(b) < m*n {
		panic("trainer: gemmTN shape mismatch")
	}
	t := newTask(kindTN, c, a, b, m, k, n, accumulate)
	p.do(&t, k, m*k*n)
}

// gemmNT sets C (m×k) to A·Bᵀ where A is m×n and B is k×n: the input
// gradient dZ·Wᵀ.
func gemmNT[T float](p *pool, c, a, b []T, m, k, n int, accumulate bool) {
	if len(c) < m*k || len(a) < m*n || len(b) < k*n {
		panic("trainer: gemmNT shape mismatch")
	}
	t := newTask(kindNT, c, a, b, m, k, n, accumulate)
	p.do(&t, m, m*k*n)
}
