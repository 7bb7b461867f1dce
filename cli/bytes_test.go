package cli

import "testing"

// TestParseBytesRefusesNaNAndFractions: "NaN" once passed both bounds and
// became -2^63 bytes, and "0.5" rounded to 0, the default limit.
func TestParseBytesRefusesNaNAndFractions(t *testing.T) {
	for _, s := range []string{"NaN", "nan", "0.5", "0.9b", "1e-300kib", "inf"} {
		n, err := parseBytes(s)
		if want := `"` + s + `" is not a memory size such as 512MiB or 8GiB`; err == nil || err.Error() != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %q", s, n, err, want)
		}
	}
	for s, want := range map[string]int64{"1b": 1, "0.5k": 512, "2GB": 2e9, "": 0, "off": -1} {
		if n, err := parseBytes(s); err != nil || n != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", s, n, err, want)
		}
	}
}
