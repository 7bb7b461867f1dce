package numfmt

import "testing"

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{{0, "run", "0 runs"}, {1, "run", "1 run"}, {2, "trial", "2 trials"}, {-1, "run", "-1 runs"}, {1, "trial", "1 trial"}} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
