package cli

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"text/tabwriter"
)

// TestTableLaysOutAsTabwriter: the list's table prints byte for byte what
// text/tabwriter printed for it before, on random cells of any width,
// with multi-byte runes and empty cells.
func TestTableLaysOutAsTabwriter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"", "a", "digits", "é → ü", "20261129-044910-002710", "64 → 32 relu → 10 softmax", strings.Repeat("x", 300)}
	for trial := 0; trial < 50; trial++ {
		cols := 1 + rng.IntN(6)
		rows := rng.IntN(40)
		var want bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 2, 2, ' ', 0)
		tb := newTable(cols)
		for r := 0; r < rows; r++ {
			cells := make([]string, cols)
			for c := range cells {
				cells[c] = words[rng.IntN(len(words))]
				tb.cell(cells[c])
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		tw.Flush()
		var got bytes.Buffer
		if err := tb.writeTo(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("trial %d (%d×%d):\n got %q\nwant %q", trial, rows, cols, got.String(), want.String())
		}
		if tb.rows() != rows {
			t.Fatalf("rows %d, want %d", tb.rows(), rows)
		}
	}
}
