package numfmt

import (
	"math"
	"slices"
	"testing"
)

func TestValues(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want []string
	}{
		{[]float64{0.5, 0.25, 1}, []string{"0.5000", "0.2500", "1.0000"}},
		{[]float64{0.0003, 7.004e-05, 0.00031}, []string{"3.000e-04", "7.004e-05", "3.100e-04"}},
		{[]float64{2.2e29, 0.5, 0}, []string{"2.200e+29", "5.000e-01", "0.000e+00"}},
		{[]float64{math.NaN(), math.Inf(1), 0.5}, []string{"NaN", "+Inf", "0.5000"}},
		{[]float64{math.Inf(-1), 1e-9}, []string{"-Inf", "1.000e-09"}},
		{nil, []string{}},
	} {
		if got := Values(nil, tc.in...); !slices.Equal(got, tc.want) {
			t.Errorf("Values(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
