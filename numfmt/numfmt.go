package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Width is the most characters Value or Short ever returns.
const Width = 12

// Value formats v with 4 decimals in the normal range (1e-4 ≤ |v| < 1e6),
// and with 4 significant digits in exponent form beyond it, so that a
// diverged loss of 2.2e29 prints as "2.239e+29" rather than 30 digits.
// Zero is "0.0000"; NaN is "NaN"; infinities are "+Inf" and "-Inf".
func Value(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-4 || a >= 1e6) {
		return strconv.FormatFloat(v, 'e', 3, 64)
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	if s == "-0.0000" {
		return "0.0000"
	}
	if len(s) > Width { // 999999.99995 rounds up to seven integer digits
		return strconv.FormatFloat(v, 'e', 3, 64)
	}
	return s
}

// Short formats v with at most 6 significant digits (5 in exponent form) and no trailing zeros:
// 1.2000000000000002 prints as "1.2", 0.001 as "0.001", 3e-05 as "3e-05".
// It is meant for settings (learning rates, ratios) rather than metrics.
func Short(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	if a < 1e-4 || a >= 1e9 {
		s := strconv.FormatFloat(v, 'e', 4, 64)
		mant, exp, _ := strings.Cut(s, "e")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		return mant + "e" + exp
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// Fixed formats v with the given decimals in the normal range and falls back
// to Value's exponent form beyond it, for columns that want fewer decimals
// (axis labels, percentages). decimals is clamped to 0..6.
func Fixed(v float64, decimals int) string {
	decimals = min(max(decimals, 0), 6)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Value(v)
	}
	a := math.Abs(v)
	if a >= 1e6 || (a != 0 && a < math.Pow(10, -float64(decimals)) && a < 1e-4) {
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.TrimLeft(s, "-0.") == "" && strings.HasPrefix(s, "-") {
		s = s[1:] // never print -0
	}
	if len(s) > Width {
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
	return s
}

// Grouped formats v as Short does, except that a value from 1,000 up to
// 1e12 in size prints as a whole number with its digits grouped by
// thousands ("90,000"), as people write data ranges.
func Grouped(v float64) string {
	a := math.Abs(v)
	if math.IsNaN(v) || a < 1000 || a >= 1e12 {
		return Short(v)
	}
	digits := strconv.FormatFloat(a, 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
