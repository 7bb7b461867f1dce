package trainer

import (
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Kernels is a gonum BLAS, both blas.Float64 and blas.Float32: gonum's
// native implementation with Dgemm and Sgemm replaced by the trainer's
// register-tile kernels, split across a pool of workers, wherever they
// apply (alpha 1, beta 0 or 1, packed rows: the shapes of a dense layer);
// other calls go to gonum's own. It can serve any gonum code:
// blas64.Use(trainer.NewKernels(0)) makes mat.Dense.Mul use it. Results
// are bit-identical for any number of workers. Calls are not safe for
// concurrent use (the pool runs one product at a time).
type Kernels struct {
	gonum.Implementation
	pool *pool
}

var (
	_ blas.Float64 = (*Kernels)(nil)
	_ blas.Float32 = (*Kernels)(nil)
)

// NewKernels returns kernels on workers goroutines (0 = GOMAXPROCS).
// Close releases them.
func NewKernels(workers int) *Kernels { return &Kernels{pool: newPool(workers)} }

// Close stops the kernels' workers. It is safe to call more than once.
func (k *Kernels) Close() { k.pool.close() }

// Dgemm computes C = alpha·op(A)·op(B) + beta·C.
func (k *Kernels) Dgemm(tA, tB blas.Transpose, m, n, kk int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !gemmOwn(k.pool, tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc) {
		k.Implementation.Dgemm(tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C in float32.
func (k *Kernels) Sgemm(tA, tB blas.Transpose, m, n, kk int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !gemmOwn(k.pool, tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc) {
		k.Implementation.Sgemm(tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// gemmOwn runs C (m×n) = op(A)·op(B) (+ C when beta is 1) on the trainer's
// kernels and reports true, or reports false for a call they do not
// cover, which then goes to gonum (whose checks also give bad arguments
// their panics).
func gemmOwn[T float](p *pool, tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) bool {
	if alpha != 1 || (beta != 0 && beta != 1) || m <= 0 || n <= 0 || k <= 0 || ldc != n || len(c) < m*n {
		return false
	}
	aT := tA == blas.Trans || tA == blas.ConjTrans
	bT := tB == blas.Trans || tB == blas.ConjTrans
	acc := beta == 1
	switch {
	case !aT && !bT && lda == k && ldb == n && len(a) >= m*k && len(b) >= k*n:
		gemmNN(p, c, a, b, m, k, n, acc)
	case aT && !bT && lda == m && ldb == n && len(a) >= k*m && len(b) >= k*n:
		gemmTN(p, c, a, b, k, m, n, acc) // A is stored k×m
	case !aT && bT && lda == k && ldb == k && len(a) >= m*k && len(b) >= n*k:
		gemmNT(p, c, a, b, m, n, k, acc) // B is stored n×k
	default:
		return false
	}
	return true
}

// plugged is the BLAS that UseBLAS set, nil for the trainer's own kernels.
var plugged atomic.Pointer[blas.Float64]

// UseBLAS makes float64 networks built from now on compute their matrix
// products with impl, such as gonum's netlib binding to OpenBLAS or MKL
// (gonum.org/v1/netlib/blas/netlib.Implementation{}); nil restores the
// trainer's own kernels. Runs are then as deterministic as impl is: most
// BLAS libraries split work by thread count, so results can change with
// it.
//
// Without a plugged BLAS the trainer calls its kernels directly rather
// than through blas.Float64 (whose own implementation is Kernels): the
// direct path fuses the bias and the activation into the forward product
// on each worker's rows, computes large input gradients through a
// transposed copy of W kept with the layer, and spares w1's tiny products
// (2×8, 8×8 and 8×1 on batches of 10, nine calls a step of under a
// microsecond) an interface call and gonum-style argument checks each.
// BenchmarkBLASPath measures the two paths on w1; on the shared 2-core
// machine their difference stayed inside its ±15% noise.
func UseBLAS(impl blas.Float64) {
	if impl == nil {
		plugged.Store(nil)
		return
	}
	plugged.Store(&impl)
}

// pluggedBLAS returns the BLAS a new float64 network uses, nil for its own
// kernels.
func pluggedBLAS[T float]() blas.Float64 {
	if is32[T]() {
		return nil
	}
	if p := plugged.Load(); p != nil {
		return *p
	}
	return nil
}

// extForward computes the layer's z = x·W + b, and act(z) into out, with
// the plugged BLAS (float64 only).
func (l *layer[T]) extForward(x, z, out []T, n int) {
	l.ext.Dgemm(blas.NoTrans, blas.NoTrans, n, l.Out, l.In, 1, as64(x), l.In, as64(l.W), l.Out, 0, as64(z), l.Out)
	addBiasAct(z, l.B, out, l.actF, l.Out, 0, n)
}

// extWeightGrad computes dW = xᵀ·dz with the plugged BLAS.
func (l *layer[T]) extWeightGrad(dz []T, n int) {
	l.ext.Dgemm(blas.Trans, blas.NoTrans, l.In, l.Out, n, 1, as64(l.x), l.In, as64(dz), l.Out, 0, as64(l.dW), l.Out)
}

// extInputGrad computes dx = dz·Wᵀ with the plugged BLAS.
func (l *layer[T]) extInputGrad(dx, dz []T, n int) {
	l.ext.Dgemm(blas.NoTrans, blas.Trans, n, l.In, l.Out, 1, as64(dz), l.Out, as64(l.W), l.Out, 0, as64(dx), l.In)
}
