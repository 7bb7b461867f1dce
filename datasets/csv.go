package datasets

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CSV limits. They are documented in the README: a larger file is an error
// that names the limit, never a crash.
const (
	MaxCSVBytes      = 256 << 20
	MaxCSVColumns    = 10_000
	MaxCategories    = 64
	maxIntClasses    = 20 // integer targets with at most this many values are classes
	headerAuto       = ""
	defaultCSVSource = "<stdin>"
)

// CSVOptions controls Load.
type CSVOptions struct {
	// Name is the file name used in error messages and as the dataset name.
	Name string
	// Target is the target column: a header name or a 0-based index.
	// Empty means the last column.
	Target string
	// Task overrides the inferred task when set.
	Task *Task
	// Ignore lists columns (names or 0-based indexes) to drop, such as IDs.
	Ignore []string
	// Missing is the policy for missing cells: "", "NA", "NaN" or "?".
	Missing MissingPolicy
	// Header is "" to detect, "yes" or "no".
	Header string
	// MaxCategories caps the distinct values of a text feature (0 = MaxCategories).
	MaxCategories int
	// MaxBytes caps the input size (0 = MaxCSVBytes).
	MaxBytes int64
}

// CSVError is a problem in a CSV file, located by line and column (both
// 1-based; 0 when not known).
type CSVError struct {
	File   string
	Line   int
	Column int
	Name   string // column name, if known
	Msg    string
}

func (e *CSVError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Column > 0 {
		if e.Line > 0 {
			b.WriteString(",")
		} else {
			b.WriteString(":")
		}
		fmt.Fprintf(&b, " column %d", e.Column)
		if e.Name != "" {
			fmt.Fprintf(&b, " (%s)", quoteCell(e.Name))
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func isMissing(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "NA", "NaN", "nan", "NAN", "?", "N/A", "na":
		return true
	}
	return false
}

func parseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Load reads a CSV table from r. It detects the delimiter (comma,
// semicolon or tab) and the header, handles quoted fields, a UTF-8 BOM and
// CRLF line ends, refuses UTF-16, infers the task from the target column,
// one-hot encodes text features and applies the missing-value policy.
// Every error names the file, and the line and column where there is one,
// and quotes at most 80 bytes of a cell.
//
// It streams: the file is read once into one float64 per cell (text cells
// as references to their column's distinct values), and a table without
// text features becomes X in place, so loading takes about 1 to 2 bytes
// of memory per byte of a numeric file.
func Load(r io.Reader, o CSVOptions) (*Table, error) {
	l := &loader{o: o, file: o.Name}
	if l.file == "" {
		l.file = defaultCSVSource
	}
	if err := l.read(r); err != nil {
		return nil, err
	}
	if err := l.checkCells(); err != nil {
		return nil, err
	}
	return l.build()
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// detectDelimiter picks the most frequent of , ; and tab on the first line,
// counting only characters outside quotes.
func detectDelimiter(data []byte) rune {
	best, bestN := ',', 0
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	for _, d := range []rune{',', ';', '\t'} {
		n, inQ := 0, false
		for _, c := range string(line) {
			if c == '"' {
				inQ = !inQ
			} else if c == d && !inQ {
				n++
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// hasHeader decides whether the first row names the columns: it does when
// some column holds text in the first row but a number in the second, or
// when every cell of the first row is text. second is nil for a file of
// one row.
func hasHeader(first, second []string, mode string) bool {
	switch mode {
	case "yes":
		return true
	case "no":
		return false
	}
	allText := true
	for j, c := range first {
		_, num := parseNumber(c)
		if num {
			allText = false
		}
		if !num && !isMissing(c) && second != nil {
			if _, ok := parseNumber(second[j]); ok {
				return true
			}
		}
	}
	return allText && second != nil
}

func resolveColumn(s string, names []string, width int) (int, error) {
	if s == "" {
		return width - 1, nil
	}
	found := -1
	for j, n := range names {
		if n != s {
			continue
		}
		if found >= 0 { // the first was taken in silence
			return 0, fmt.Errorf("two columns are named %s, %d and %d: give the 0-based index", quoteCell(s), found, j)
		}
		found = j
	}
	if found >= 0 {
		return found, nil
	}
	if j, err := strconv.Atoi(s); err == nil {
		if j < 0 || j >= width {
			return 0, fmt.Errorf("column index %d is out of range [0, %d]", j, width-1)
		}
		return j, nil
	}
	quoted := make([]string, 0, min(len(names), 20))
	for _, n := range names[:min(len(names), 20)] {
		if len(n) > maxQuoted {
			n = n[:maxQuoted] + "…"
		}
		quoted = append(quoted, n)
	}
	if len(names) > 20 {
		quoted = append(quoted, fmt.Sprintf("… %d in all", len(names)))
	}
	return 0, fmt.Errorf("no column named %s (columns: %s)", quoteCell(s), strings.Join(quoted, ", "))
}

// classKey normalizes a class cell: integers are compared as numbers, so
// "1" and "1.0" are the same class.
func classKey(cell string, numeric bool) string {
	if numeric {
		if v, ok := parseNumber(cell); ok {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return cell
}
