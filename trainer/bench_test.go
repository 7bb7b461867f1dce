package trainer

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// benchWorkers sizes the pool in the benchmarks:
// go test ./trainer -bench . -args -workers 1
var benchWorkers = flag.Int("workers", 0, "matrix workers in the benchmarks (0 = GOMAXPROCS)")

// BenchmarkTrainStep times one training step (gather, forward, backward,
// optimizer) of the three workload shapes in both precisions: Small is
// w1, Medium w2, Large w3.
func BenchmarkTrainStep(b *testing.B) {
	for _, c := range []struct{ name, w string }{{"Small", "w1"}, {"Medium", "w2"}, {"Large", "w3"}} {
		s, data, err := Workload(c.w)
		if err != nil {
			b.Fatal(err)
		}
		for _, prec := range PrecisionNames {
			b.Run(c.name+"/"+prec, func(b *testing.B) {
				s.Precision = prec
				r, err := newRunner(s, data, Options{Workers: *benchWorkers})
				if err != nil {
					b.Fatal(err)
				}
				defer r.model.Close()
				nb := data.Train.N / r.batch
				r.shuffle()
				p := poolOf(r.model)
				steps := make([]time.Duration, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				h0, b0, cpu0, in0, wait0 := p.handoffs, p.barriers, processCPU(), p.inside, p.waited.Load()
				for i := 0; i < b.N; i++ {
					j := i % nb
					t0 := time.Now()
					r.step(j*r.batch, (j+1)*r.batch, 1e-3)
					steps[i] = time.Since(t0)
				}
				b.ReportMetric(float64(b.N*r.batch)/b.Elapsed().Seconds(), "samples/s")
				// The median step: on a shared virtual machine some steps
				// run two to three times slower than the rest (the host's
				// other work), and the median is what the code itself costs.
				slices.Sort(steps)
				b.ReportMetric(float64(r.batch)/steps[len(steps)/2].Seconds(), "samples/s-median")
				// CPU time per step counts every worker's time, so on a
				// loaded machine 1 and 2 workers still compare: equal
				// figures mean parallelism costs no extra work.
				b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/step")
				b.ReportMetric(float64(p.handoffs-h0)/float64(b.N), "handoffs/step")
				b.ReportMetric(float64(p.barriers-b0)/float64(b.N), "barriers/step")
				// Outside the regions one worker runs alone (the serial
				// part); inside, waits are time a worker idled for another.
				perStep := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
				b.ReportMetric(perStep(b.Elapsed()-(p.inside-in0)), "serial-µs/step")
				b.ReportMetric(perStep(time.Duration(p.waited.Load()-wait0)), "wait-µs/step")
			})
		}
	}
}

// BenchmarkGemmW3 reports GFLOP/s (2 flops per multiply-add) for each
// product of a w3 training step (batch 128, 784-256-256-10), on one
// worker, in both precisions. NT is the input gradient as the layer
// computes it: a transpose of W, then NN. NNp and TNp are NN and TN with
// B packed into panels as the row-parallel step does (packing counted);
// for the 10-class layer TNp is its transposed weight gradient, as the
// row-parallel step computes it (the transpose back counted).
func BenchmarkGemmW3(b *testing.B) {
	type shape struct {
		kind    gemmKind
		packed  bool
		given   bool // the dot tiles' Wᵀ made beforehand (NNd)
		m, k, n int
	}
	const batch = 128
	var shapes []shape
	dims := []int{784, 256, 256, 10}
	for i := 0; i+1 < len(dims); i++ {
		in, out := dims[i], dims[i+1]
		shapes = append(shapes, shape{kindNN, false, false, batch, in, out}, shape{kindTN, false, false, batch, in, out})
		if packCols[float32](out, 128) > 0 {
			shapes = append(shapes, shape{kindNN, true, false, batch, in, out}, shape{kindTN, true, false, batch, in, out})
		}
		if i > 0 {
			shapes = append(shapes, shape{kindNT, false, false, batch, in, out})
		}
		if narrowLayer[float32](in, out) {
			// TNp here is the narrow layer's transposed product (pack.go).
			shapes = append(shapes, shape{kindTN, true, false, batch, in, out})
		}
		if dotNarrow[float32](in, out) {
			// NNp here is the narrow layer's forward product by dot
			// tiles (dot.go), the transpose of W counted; NNd the same
			// with Wᵀ given, as in a training step, where the one
			// transpose also serves the input gradient (NT counts it).
			shapes = append(shapes, shape{kindNN, true, false, batch, in, out}, shape{kindNN, true, true, batch, in, out})
		}
	}
	for _, prec := range PrecisionNames {
		for _, s := range shapes {
			kind := [...]string{"NN", "TN", "NT"}[s.kind]
			switch {
			case s.given:
				kind += "d"
			case s.packed:
				kind += "p"
			}
			name := fmt.Sprintf("%s/%s/%dx%dx%d", prec, kind, s.m, s.k, s.n)
			b.Run(name, func(b *testing.B) {
				if prec == Float32 {
					benchGemm[float32](b, s.kind, s.packed, s.given, s.m, s.k, s.n)
				} else {
					benchGemm[float64](b, s.kind, s.packed, s.given, s.m, s.k, s.n)
				}
			})
		}
	}
}

func benchGemm[T float](b *testing.B, kind gemmKind, packed, given bool, m, k, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	p := newPool(1)
	defer p.close()
	// NN: x (m×k) · W (k×n); TN: xᵀ·dz into dW (k×n); NT: dz (m×n) · Wᵀ
	// into dx (m×k).
	x, w, dz := randVecT[T](r, m*k), randVecT[T](r, k*n), randVecT[T](r, m*n)
	out, wt, bp := make([]T, max(m*n, k*n, m*k)), make([]T, k*n), make([]T, max(k, m)*n)
	transpose(wt, w, k, n, 0, k) // NNd's Wᵀ, made beforehand
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	calls := make([]time.Duration, b.N)
	shares := make([]float64, b.N)
	one := 2 * float64(m*k*n) / 1e9
	probe := newPeakProbe[T](one)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := threadCPU()
	var probing time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		switch {
		case kind == kindNN && packed && dotNarrow[T](k, n):
			if !given {
				transposeRows(wt, w, k, n, 0, k)
			}
			gemmNNDotRows(out, x, wt, k, n, 0, m, false)
		case kind == kindNN && packed:
			packB(bp, w, k, n, packCols[T](n, k), 0, k)
			gemmNNRowsP(out, x, w, bp, k, n, 0, m, false)
		case kind == kindTN && packed && narrowLayer[T](k, n):
			gemmTNNarrow(out, x, dz, bp, m, k, n, 0, k)
		case kind == kindTN && packed:
			packB(bp, dz, m, n, packCols[T](n, m), 0, m)
			gemmTNRowsP(out, x, dz, bp, m, k, n, 0, k, false)
		case kind == kindNN:
			gemmNN(p, out, x, w, m, k, n, false)
		case kind == kindTN:
			gemmTN(p, out, x, dz, m, k, n, false)
		case kind == kindNT:
			transposeRows(wt, w, k, n, 0, k)
			gemmNN(p, out, dz, wt, m, n, k, false)
		}
		calls[i] = time.Since(t0)
		t1 := time.Now()
		shares[i] = (one / calls[i].Seconds()) / probe.run()
		probing += time.Since(t1)
	}
	flops := 2 * float64(m*k*n) * float64(b.N) / 1e9
	b.ReportMetric(flops/(b.Elapsed()-probing).Seconds(), "GFLOP/s")
	// Per second of this thread's CPU time: on a loaded machine the wall
	// clock counts time the thread waited for a core.
	b.ReportMetric(flops/(threadCPU()-cpu0).Seconds(), "GFLOP/s-cpu")
	// The median and fastest single product. On these shared virtual
	// machines a tenth of the calls run two to three times slower than
	// the rest (the host's other work on the same physical core), which
	// drags the mean down by half; the median is the kernel's own speed.
	slices.Sort(calls)
	b.ReportMetric(one/calls[len(calls)/2].Seconds(), "GFLOP/s-median")
	b.ReportMetric(one/calls[0].Seconds(), "GFLOP/s-best")
	// The host's speed moves by half within a minute, and a fixed peak
	// (85 or 173 GFLOP/s) then says more about the moment than the
	// kernel: after every call the probe measures the peak the core gives
	// right then, and this is the median of the calls' shares of it.
	b.ReportMetric(100*median(shares), "%peak-median")
}

// peakProbe measures the FMA peak the core gives at the moment: the wide
// 8-row tile, which reaches the nominal peak on an idle host (161 of 173
// GFLOP/s in float32), summing over L1-resident operands for about as
// many flops as the product it follows.
type peakProbe[T float] struct {
	a, b, c []T
	reps    int
}

func newPeakProbe[T float](gflop float64) *peakProbe[T] {
	_, ww := tileCols[T]()
	if ww == 0 {
		ww = 1
	}
	const m, k = 8, 256
	p := &peakProbe[T]{a: make([]T, m*k), b: make([]T, k*ww), c: make([]T, m*ww)}
	for i := range p.a {
		p.a[i] = 1e-3
	}
	for i := range p.b {
		p.b[i] = 1e-3
	}
	p.reps = max(1, int(gflop*1e9/(2*m*k*float64(ww))))
	return p
}

// run returns the probe's GFLOP/s (0 without the wide tiles).
func (p *peakProbe[T]) run() float64 {
	_, ww := tileCols[T]()
	if ww == 0 {
		return 0
	}
	const m, k = 8, 256
	t0 := time.Now()
	for range p.reps {
		tile8w(p.c, ww, p.a, k, 1, p.b, ww, k, false)
	}
	return 2 * float64(m*k*ww*p.reps) / time.Since(t0).Seconds() / 1e9
}

// threadCPU returns the calling thread's user+system CPU time.
func threadCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU returns the process's user+system CPU time, all threads.
func processCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRun times whole runs of w1, events and evaluation included.
func BenchmarkRun(b *testing.B) {
	s, data, err := Workload("w1")
	if err != nil {
		b.Fatal(err)
	}
	s.Epochs = 10
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h, err := Run(context.Background(), s, data)
		if err != nil {
			b.Fatal(err)
		}
		for range h.Events {
		}
	}
}

// BenchmarkScaling measures the speed of 2 workers against 1 on the w3
// step, in both precisions, in cycles of adjacent blocks in one process,
// so that every ratio compares blocks that met the same state of a noisy
// host (whose speed moves by a third within a minute, more than separate
// runs can tell apart). A cycle runs scalingBlock steps on each of:
//   - the pool's first worker alone (1w);
//   - both workers (2w), reported as speedup-median;
//   - a second, independent one-worker model trained at once on another
//     goroutine (indep): what two cores give to two runs that share
//     nothing, reported as indep-speedup-median.
//
// The pool's results do not depend on its workers, so the steps train one
// model throughout.
func BenchmarkScaling(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs 2 processors")
	}
	s, data, err := Workload("w3")
	if err != nil {
		b.Fatal(err)
	}
	for _, prec := range PrecisionNames {
		b.Run("Large/"+prec, func(b *testing.B) {
			s.Precision = prec
			r, err := newRunner(s, data, Options{Workers: 2})
			if err != nil {
				b.Fatal(err)
			}
			defer r.model.Close()
			r2, err := newRunner(s, data, Options{Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			defer r2.model.Close()
			p := poolOf(r.model)
			nb := data.Train.N / r.batch
			r.shuffle()
			r2.shuffle()
			j := 0
			block := func(r *runner, j *int) {
				for range scalingBlock {
					r.step(*j*r.batch, (*j+1)*r.batch, 1e-3)
					*j = (*j + 1) % nb
				}
			}
			rate := func(steps int, t0 time.Time) float64 {
				return float64(steps*r.batch) / time.Since(t0).Seconds()
			}
			cycles := max(b.N/(3*scalingBlock), 2)
			var one, two, ratios, indep []float64
			b.ResetTimer()
			for range cycles {
				p.workers = 1
				t0 := time.Now()
				block(r, &j)
				one = append(one, rate(scalingBlock, t0))

				p.workers = 2
				t0 = time.Now()
				block(r, &j)
				two = append(two, rate(scalingBlock, t0))
				ratios = append(ratios, two[len(two)-1]/one[len(one)-1])

				p.workers = 1
				done := make(chan struct{})
				j2 := j
				go func() { block(r2, &j2); close(done) }()
				t0 = time.Now()
				block(r, &j)
				<-done
				indep = append(indep, rate(2*scalingBlock, t0)/one[len(one)-1])
			}
			p.workers = 2
			b.ReportMetric(median(one), "samples/s-1w")
			b.ReportMetric(median(two), "samples/s-2w")
			b.ReportMetric(median(ratios), "speedup-median")
			b.ReportMetric(median(indep), "indep-speedup-median")
		})
	}
}

// scalingBlock is the steps in one block of BenchmarkScaling: about 50 ms
// of w3, long enough to cover a hand-off's warm-up, short enough that the
// host's speed rarely changes within a pair.
const scalingBlock = 20

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
