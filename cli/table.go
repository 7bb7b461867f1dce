package cli

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// table lays out rows of cells as text/tabwriter does with minwidth 0,
// padding 2, padchar ' ' and no flags (each column as wide as its widest
// cell in runes, plus 2; a row's last cell unpadded), for tables of many
// rows: it keeps the cells' text in one buffer and their ends as int32s,
// where tabwriter keeps a struct of three ints per cell, and it writes
// through one buffered writer, where tabwriter makes a write call per cell
// and per pad. Every row must have the same number of cells. Not safe for
// concurrent use.
type table struct {
	text   []byte
	ends   []int32 // where each cell's text ends
	widths []int   // the widest cell of each column but the last
	cols   int
	start  int // where the cell being written starts
	n      int // cells in the row being written
}

// newTable returns a table of rows of cols cells.
func newTable(cols int) *table {
	return &table{cols: cols, widths: make([]int, cols-1)}
}

// add appends s to the cell being written.
func (t *table) add(s string) { t.text = append(t.text, s...) }

// endCell ends the cell being written, and with it the row when it is
// the row's last.
func (t *table) endCell() {
	if t.n < t.cols-1 {
		if w := utf8.RuneCount(t.text[t.start:]); w > t.widths[t.n] {
			t.widths[t.n] = w
		}
	}
	t.ends = append(t.ends, int32(len(t.text)))
	t.start = len(t.text)
	t.n = (t.n + 1) % t.cols
}

// cell writes a whole cell.
func (t *table) cell(s string) {
	t.add(s)
	t.endCell()
}

// rows returns how many rows the table has.
func (t *table) rows() int { return len(t.ends) / t.cols }

// writeTo writes the table to w.
func (t *table) writeTo(w io.Writer) error {
	const padding = 2
	bw := bufio.NewWriterSize(w, 64<<10)
	var spaces [256]byte
	for i := range spaces {
		spaces[i] = ' '
	}
	from := int32(0)
	for i, end := range t.ends {
		cell := t.text[from:end]
		from = end
		bw.Write(cell)
		c := i % t.cols
		if c == t.cols-1 {
			bw.WriteByte('\n')
			continue
		}
		for pad := t.widths[c] + padding - utf8.RuneCount(cell); pad > 0; {
			n := min(pad, len(spaces))
			bw.Write(spaces[:n])
			pad -= n
		}
	}
	return bw.Flush()
}
