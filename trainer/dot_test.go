package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// fmaT is the fused multiply-add a·b + c rounded once to T: math.FMA for
// float64. For float32, a·b is exact in float64 and TwoSum gives the
// float64 sum's error exactly; rounding that sum to odd (its last bit set
// when inexact) and then to float32 rounds once, as the hardware does
// (math.FMA in float64 and a conversion would round twice).
func fmaT[T float](a, b, c T) T {
	if !is32[T]() {
		return T(math.FMA(float64(a), float64(b), float64(c)))
	}
	x, y := float64(a)*float64(b), float64(c)
	s := x + y
	bv := s - x
	if e := (x - (s - bv)) + (y - bv); e != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return T(float32(s))
}

// dotRef is one element of a dot tile in the kernel's order: lane l sums
// the terms t ≡ l (mod lanes) by fused multiply-adds from zero, the
// terms of the last partial vector past k being zero; then lanes i and
// i+half are added, halving until one is left.
func dotRef[T float](a, b []T, lanes int) T {
	acc := make([]T, lanes)
	for t0 := 0; t0 < len(a); t0 += lanes {
		for l := range lanes {
			var x, y T
			if t0+l < len(a) {
				x, y = a[t0+l], b[t0+l]
			}
			acc[l] = fmaT(x, y, acc[l])
		}
	}
	for h := lanes / 2; h >= 1; h /= 2 {
		for i := range h {
			acc[i] += acc[i+h]
		}
	}
	return acc[0]
}

// TestDotTilesMatchReference: every element of a narrow product by dot
// tiles has the bits of dotRef, on sums with and without a partial last
// vector, widths that need an overlapping column block, row ranges that
// leave 1–3 rows past the last whole block, and accumulation; and the
// product agrees with a float64 sum in plain order.
func TestDotTilesMatchReference(t *testing.T) {
	if dotLanes[float64]() == 0 {
		t.Skip("no AVX-512 dot tiles on this machine")
	}
	t.Run("float64", func(t *testing.T) { testDotTiles[float64](t) })
	t.Run("float32", func(t *testing.T) { testDotTiles[float32](t) })
}

func testDotTiles[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	lanes := dotLanes[T]()
	for _, k := range []int{32, 33, 40, 47, 64, 100, 256, 257, 784} {
		for _, n := range []int{1, 2, 4, 5, 7, 10, 13, 15} {
			for _, span := range [][3]int{{9, 0, 9}, {13, 2, 11}, {4, 0, 4}, {3, 1, 2}} {
				m, lo, hi := span[0], span[1], span[2]
				for _, accumulate := range []bool{false, true} {
					a, b := randVecT[T](r, m*k), randVecT[T](r, k*n)
					for i := range a {
						if i%7 == 0 {
							a[i] = 0 // ReLU's zeros
						}
					}
					bt := make([]T, dotBT(k, n))
					transpose(bt, b, k, n, 0, k)
					c := randVecT[T](r, m*n)
					before := append([]T(nil), c...)
					gemmNNDotRows(c, a, bt, k, n, lo, hi, accumulate)
					name := fmt.Sprintf("k%d n%d rows [%d,%d) of %d acc=%v", k, n, lo, hi, m, accumulate)
					for i := range m {
						for j := range n {
							got := c[i*n+j]
							if i < lo || i >= hi {
								if got != before[i*n+j] {
									t.Fatalf("%s: row %d outside the range changed", name, i)
								}
								continue
							}
							want := dotRef(a[i*k:(i+1)*k], bt[j*k:(j+1)*k], lanes)
							if accumulate {
								want += before[i*n+j]
							}
							if got != want {
								t.Fatalf("%s: C[%d,%d] = %v, want %v (bits differ)", name, i, j, got, want)
							}
							var plain float64
							for p := range k {
								plain += float64(a[i*k+p]) * float64(b[p*n+j])
							}
							if accumulate {
								plain += float64(before[i*n+j])
							}
							if math.Abs(float64(got)-plain) > 1e-4*math.Sqrt(float64(k)) {
								t.Fatalf("%s: C[%d,%d] = %v, plain sum %v", name, i, j, got, plain)
							}
						}
					}
				}
			}
		}
	}
}

// TestTransposeRows: the gathering transpose gives transpose's result on
// whole groups of rows, a tail of rows past them, fewer rows than a group
// and row ranges that start past 0, for 1 to 20 columns (and 256), in
// both precisions, and writes nothing outside the rows.
func TestTransposeRows(t *testing.T) {
	t.Run("float64", func(t *testing.T) { testTransposeRows[float64](t) })
	t.Run("float32", func(t *testing.T) { testTransposeRows[float32](t) })
}

func testTransposeRows[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, rows := range []int{1, 7, 8, 15, 16, 17, 40, 256, 263} {
		for _, cols := range []int{1, 2, 3, 5, 8, 10, 13, 16, 17, 20, 256} {
			b := randVecT[T](r, rows*cols)
			for _, span := range [][2]int{{0, rows}, {rows / 3, rows}, {0, rows / 2}, {rows / 4, rows - rows/4}} {
				lo, hi := span[0], span[1]
				want, got := make([]T, rows*cols), make([]T, rows*cols+1)
				got[rows*cols] = 42
				transpose(want, b, rows, cols, lo, hi)
				transposeRows(got, b, rows, cols, lo, hi)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%d×%d rows [%d,%d): element %d is %v, want %v", rows, cols, lo, hi, i, got[i], want[i])
					}
				}
				if got[rows*cols] != 42 {
					t.Fatalf("%d×%d: wrote past the end", rows, cols)
				}
			}
		}
	}
}

// TestTNHeadMatchesReference: a head's weight gradient by gemmTNHead gives
// every element the tiles' bits (the sum over the batch in order by fused
// multiply-adds from zero), on 1 to 7 outputs, fan-ins that leave a block
// narrower than a tile, row ranges that start and end anywhere, batches
// long enough for the wide tiles and past kChunk, and accumulation.
func TestTNHeadMatchesReference(t *testing.T) {
	if nw, _ := tileCols[float64](); nw == 0 {
		t.Skip("no register tiles on this machine")
	}
	t.Run("float64", func(t *testing.T) { testTNHead[float64](t) })
	t.Run("float32", func(t *testing.T) { testTNHead[float32](t) })
}

func testTNHead[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, m := range []int{5, 128, 300} {
		for _, k := range []int{32, 57, 256} {
			for n := 1; n <= 7; n++ {
				if !tnHead[T](m, k, n) {
					t.Fatalf("m %d k %d n %d: not a head product", m, k, n)
				}
				for _, span := range [][2]int{{0, k}, {3, k - 5}, {k / 2, k}} {
					for _, accumulate := range []bool{false, true} {
						a, b := randVecT[T](r, m*k), randVecT[T](r, m*n)
						c := randVecT[T](r, k*n)
						before := append([]T(nil), c...)
						lo, hi := span[0], span[1]
						gemmTNRows(c, a, b, m, k, n, lo, hi, accumulate)
						for p := range k {
							for j := range n {
								got := c[p*n+j]
								if p < lo || p >= hi {
									if got != before[p*n+j] {
										t.Fatalf("m %d k %d n %d: row %d outside [%d,%d) changed", m, k, n, p, lo, hi)
									}
									continue
								}
								var want T
								for i := range m {
									want = fmaT(a[i*k+p], b[i*n+j], want)
								}
								if accumulate {
									want += before[p*n+j]
								}
								if got != want {
									t.Fatalf("m %d k %d n %d [%d,%d) acc=%v: C[%d,%d] = %v, want %v", m, k, n, lo, hi, accumulate, p, j, got, want)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestNarrowKernelsAllocateNothing: the dot tiles, the gathering transpose
// and a head's weight gradient allocate nothing (they run in every step).
func TestNarrowKernelsAllocateNothing(t *testing.T) {
	if dotLanes[float64]() == 0 {
		t.Skip("no AVX-512 dot tiles on this machine")
	}
	r := rand.New(rand.NewPCG(13, 14))
	m, k := 64, 256
	x, w, dz := randVecT[float32](r, m*k), randVecT[float32](r, k*3), randVecT[float32](r, m*3)
	wt, out, dw := make([]float32, dotBT(k, 3)), make([]float32, m*3), make([]float32, k*3)
	if a := testing.AllocsPerRun(20, func() {
		transposeRows(wt, w, k, 3, 0, k)
		gemmNNDotRows(out, x, wt, k, 3, 0, m, false)
		gemmTNRows(dw, x, dz, m, k, 3, 0, k, false)
	}); a != 0 {
		t.Errorf("the narrow kernels allocate %v times", a)
	}
}
