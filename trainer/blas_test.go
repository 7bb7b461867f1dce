package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// TestKernelsMatchGonum: Kernels.Dgemm and Sgemm agree with gonum's
// native implementation on the shapes they take over (every transpose
// pair, beta 0 and 1) and on those they hand back (alpha 2, beta 0.5,
// strided leading dimensions), within rounding.
func TestKernelsMatchGonum(t *testing.T) {
	k := NewKernels(2)
	defer k.Close()
	var native gonum.Implementation
	r := rand.New(rand.NewPCG(3, 3))
	for _, s := range [][3]int{{1, 1, 1}, {7, 9, 5}, {64, 128, 10}, {130, 40, 200}} {
		m, n, kk := s[0], s[1], s[2]
		for _, tr := range [][2]blas.Transpose{{blas.NoTrans, blas.NoTrans}, {blas.Trans, blas.NoTrans}, {blas.NoTrans, blas.Trans}, {blas.Trans, blas.Trans}} {
			for _, ab := range [][2]float64{{1, 0}, {1, 1}, {2, 0.5}} {
				for _, pad := range []int{0, 3} {
					name := fmt.Sprintf("%dx%dx%d/%c%c/alpha=%v,beta=%v/pad=%d", m, n, kk, tr[0], tr[1], ab[0], ab[1], pad)
					lda, ldb, ldc := kk+pad, n+pad, n+pad
					if tr[0] == blas.Trans {
						lda = m + pad
					}
					if tr[1] == blas.Trans {
						ldb = kk + pad
					}
					rowsA, rowsB := m, kk
					if tr[0] == blas.Trans {
						rowsA = kk
					}
					if tr[1] == blas.Trans {
						rowsB = n
					}
					a, b, c0 := randVec(r, rowsA*lda, 1), randVec(r, rowsB*ldb, 1), randVec(r, m*ldc, 1)
					want := append([]float64(nil), c0...)
					native.Dgemm(tr[0], tr[1], m, n, kk, ab[0], a, lda, b, ldb, ab[1], want, ldc)
					got := append([]float64(nil), c0...)
					k.Dgemm(tr[0], tr[1], m, n, kk, ab[0], a, lda, b, ldb, ab[1], got, ldc)
					got32 := to32(c0)
					k.Sgemm(tr[0], tr[1], m, n, kk, float32(ab[0]), to32(a), lda, to32(b), ldb, float32(ab[1]), got32, ldc)
					for i := range want {
						if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
							t.Fatalf("%s: Dgemm C[%d] = %v, gonum %v", name, i, got[i], want[i])
						}
						if math.Abs(float64(got32[i])-want[i]) > 1e-5*float64(kk+1) {
							t.Fatalf("%s: Sgemm C[%d] = %v, gonum %v", name, i, got32[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestKernelsServeGonumMat: plugged into blas64, the kernels run
// mat.Dense.Mul.
func TestKernelsServeGonumMat(t *testing.T) {
	k := NewKernels(1)
	defer k.Close()
	blas64.Use(k)
	defer blas64.Use(gonum.Implementation{})
	a := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	b := mat.NewDense(3, 2, []float64{7, 8, 9, 10, 11, 12})
	var c mat.Dense
	c.Mul(a, b)
	if want := []float64{58, 64, 139, 154}; !reflect.DeepEqual(c.RawMatrix().Data, want) {
		t.Fatalf("A·B = %v, want %v", c.RawMatrix().Data, want)
	}
}

// TestUseBLAS: a run on a plugged BLAS trains as the trainer's own
// kernels do: bit-identical through Kernels (the same kernels behind the
// interface, on a network small enough that no product takes the
// transposed-W path), and within rounding (1e-9 relative per epoch)
// through gonum's native Dgemm, batch norm included.
func TestUseBLAS(t *testing.T) {
	s := DefaultSpec()
	s.Epochs = 10
	s.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu", BatchNorm: true}, {Units: 8, Activation: "tanh"}}
	s.Optimizer = OptimizerSpec{Name: "adam", LR: 0.01}
	data := prepare(t, s.Data)
	want, _ := runAll(t, s, data, Options{Workers: 1})
	k := NewKernels(2)
	defer k.Close()
	defer UseBLAS(nil)
	for _, c := range []struct {
		name  string
		impl  blas.Float64
		exact bool
	}{{"Kernels", k, true}, {"gonum", gonum.Implementation{}, false}} {
		UseBLAS(c.impl)
		got, _ := runAll(t, s, data, Options{Workers: 1})
		for i := range want {
			x, y := want[i].Train["loss"], got[i].Train["loss"]
			if c.exact && x != y || math.Abs(x-y) > 1e-9*x {
				t.Fatalf("%s: epoch %d loss %v, own kernels %v", c.name, i+1, y, x)
			}
		}
	}
}
