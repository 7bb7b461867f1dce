package datasets

import (
	"strings"
	"testing"
)

// The seed example is four fixed points, whatever the seed: its source
// says so rather than "generated from the seed".
func TestSeedExampleSourceSaysItIsFixed(t *testing.T) {
	tb, err := Generate("seed-example", 4, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tb.Meta.Source, "generated") || !strings.Contains(tb.Meta.Source, "fixed") {
		t.Errorf("source %q", tb.Meta.Source)
	}
	if c, _ := Generate("circle", 500, 0, 7); c.Meta.Source != "generated from the seed" {
		t.Errorf("circle's source %q", c.Meta.Source)
	}
}
