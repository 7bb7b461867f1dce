package numfmt

import (
	"math"
	"strconv"
)

// Rate formats a throughput (rows or samples a second) for people, with
// three significant digits and a k or M suffix: 512, 48.3k, 1.25M. It
// never returns more than Width characters.
func Rate(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		return Value(v)
	case v >= 1e9:
		return strconv.FormatFloat(v, 'e', 2, 64)
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 3-digits(v/1e6), 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 3-digits(v/1e3), 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// digits counts the integer digits of 1 ≤ v < 1000.
func digits(v float64) int {
	switch {
	case v >= 100:
		return 3
	case v >= 10:
		return 2
	}
	return 1
}
