package trainer

import "testing"

// TestEditDistanceAndTransposed checks the two measures the front ends
// suggest names by, on hand-computed cases.
func TestEditDistanceAndTransposed(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
		swap bool
	}{
		{"", "", 0, false},
		{"lr", "lr", 0, false},
		{"lr", "rl", 2, true},
		{"rsme", "rmse", 2, true},
		{"val_acc", "val_accuracy", 5, false},
		{"kitten", "sitting", 3, false},
		{"abc", "acb", 2, true},
		{"abcd", "badc", 3, false}, // two swaps
		{"σx", "xσ", 2, true},      // by runes, not bytes
		{"ab", "abc", 1, false},
	} {
		if d := EditDistance(c.a, c.b); d != c.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
		if s := Transposed(c.a, c.b); s != c.swap {
			t.Errorf("Transposed(%q, %q) = %v, want %v", c.a, c.b, s, c.swap)
		}
	}
}
