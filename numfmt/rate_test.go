package numfmt

import "testing"

func TestRate(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {512.4, "512"}, {999.6, "1000"}, {48321, "48.3k"}, {1000, "1.00k"}, {123456, "123k"},
		{1254000, "1.25M"}, {25e6, "25.0M"}, {999e6, "999M"}, {3.2e9, "3.20e+09"},
	} {
		if got := Rate(c.v); got != c.want || len(got) > Width {
			t.Errorf("Rate(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
