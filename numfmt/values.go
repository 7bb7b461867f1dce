package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Values formats values read side by side (a metric's current, best and
// test values) alike: as Value does, except that when Value writes any
// of them in exponent form, every finite one is written so, with 4
// significant digits. Alone, 0.0003 beside 7.004e-05 read as a rounder
// value of another kind. The result reuses dst's storage.
func Values(dst []string, vs ...float64) []string {
	dst = dst[:0]
	exp := false
	for _, v := range vs {
		exp = exp || (!math.IsInf(v, 0) && strings.ContainsRune(Value(v), 'e'))
	}
	for _, v := range vs {
		if exp && !math.IsNaN(v) && !math.IsInf(v, 0) {
			dst = append(dst, strconv.FormatFloat(v, 'e', 3, 64))
			continue
		}
		dst = append(dst, Value(v))
	}
	return dst
}
