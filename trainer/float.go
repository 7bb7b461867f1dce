package trainer

import "unsafe"

// float is the element type of a network: float64 (the default) or
// float32 (Spec.Precision "float32"). The engine is written once over it;
// the kernels pick their instructions by the element size, which is a
// constant in each instantiation, so the choice costs nothing at run time.
type float interface{ ~float32 | ~float64 }

// is32 reports whether T is float32.
func is32[T float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// as64 views a []T whose T is float64 as a []float64 (no copy).
func as64[T float](x []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// as32 views a []T whose T is float32 as a []float32 (no copy).
func as32[T float](x []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// fromF64 returns x as a []T: x itself when T is float64, else x
// converted into buf (which must be long enough).
func fromF64[T float](x []float64, buf []T) []T {
	if !is32[T]() {
		return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
	}
	buf = buf[:len(x)]
	for i, v := range x {
		buf[i] = T(v)
	}
	return buf
}

// toF64 returns x as a []float64: x itself when T is float64, else x
// converted into buf.
func toF64[T float](x []T, buf []float64) []float64 {
	if !is32[T]() {
		return as64(x)
	}
	buf = buf[:len(x)]
	for i, v := range x {
		buf[i] = float64(v)
	}
	return buf
}
