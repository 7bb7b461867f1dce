package numfmt

import (
	"math"
	"testing"
)

func TestValue(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0.0000"},
		{math.Copysign(0, -1), "0.0000"},
		{-0.00001, "-1.000e-05"},
		{0.5, "0.5000"},
		{0.12345, "0.1235"},
		{1e-4, "0.0001"},
		{9.99e-5, "9.990e-05"},
		{999999.99994, "999999.9999"},
		{1e6, "1.000e+06"},
		{2.2391942156130109e29, "2.239e+29"},
		{-1e300, "-1.000e+300"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
		{math.SmallestNonzeroFloat64, "4.941e-324"},
	} {
		if got := Value(c.in); got != c.want {
			t.Errorf("Value(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestShort(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{1.2000000000000002, "1.2"},
		{0.03, "0.03"},
		{1e-3, "0.001"},
		{3e-5, "3e-05"},
		{1.5e-7, "1.5e-07"},
		{0, "0"},
		{500, "500"},
		{123456789, "1.23457e+08"},
		{1e300, "1e+300"},
		{math.NaN(), "NaN"},
	} {
		if got := Short(c.in); got != c.want {
			t.Errorf("Short(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFixed(t *testing.T) {
	for _, c := range []struct {
		in   float64
		dec  int
		want string
	}{
		{0.5, 1, "0.5"},
		{-0.01, 1, "0.0"},
		{-0.04, 1, "0.0"},
		{-0.06, 1, "-0.1"},
		{2e7, 2, "2.00e+07"},
		{math.Inf(-1), 2, "-Inf"},
		{0.00001, 2, "1.00e-05"},
	} {
		if got := Fixed(c.in, c.dec); got != c.want {
			t.Errorf("Fixed(%v, %d) = %q, want %q", c.in, c.dec, got, c.want)
		}
	}
}

// TestWidthBounded checks that no value prints wider than Width.
func TestWidthBounded(t *testing.T) {
	vals := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300, -1e-300, -999999.99999, -123456.123456, math.MaxFloat64, -math.SmallestNonzeroFloat64}
	for _, v := range vals {
		for _, s := range []string{Value(v), Short(v), Fixed(v, 6)} {
			if len(s) > Width {
				t.Errorf("%v prints as %q, %d characters", v, s, len(s))
			}
		}
	}
}

func FuzzValueWidth(f *testing.F) {
	f.Add(1.0)
	f.Fuzz(func(t *testing.T, v float64) {
		for _, s := range []string{Value(v), Short(v), Fixed(v, 4)} {
			if len(s) > Width {
				t.Fatalf("%v prints as %q", v, s)
			}
		}
	})
}

func TestGrouped(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 70: "70", 18.5: "18.5", 90000: "90,000", -1234567.4: "-1,234,567", 999.5: "999.5", 1e12: "1e+12", 0.001: "0.001"} {
		if got := Grouped(v); got != want {
			t.Errorf("Grouped(%v) = %q, want %q", v, got, want)
		}
	}
}
