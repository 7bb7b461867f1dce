package datasets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
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
			fmt.Fprintf(&b, " (%q)", e.Name)
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
// CRLF line ends, infers the task from the target column, one-hot encodes
// text features and applies the missing-value policy. Every error names
// the file, and the line and column where there is one.
func Load(r io.Reader, o CSVOptions) (*Table, error) {
	file := o.Name
	if file == "" {
		file = defaultCSVSource
	}
	fail := func(line, col int, name, format string, a ...any) error {
		return &CSVError{File: file, Line: line, Column: col, Name: name, Msg: fmt.Sprintf(format, a...)}
	}
	cr, err := newCSVReader(r, file, o.MaxBytes)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	var lines []int
	for {
		rec, line, err := readRecord(cr, file)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) > MaxCSVColumns {
			return nil, fail(line, 0, "", "%d columns is more than the limit of %d", len(rec), MaxCSVColumns)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line of a one-column file
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	if len(rows) == 0 {
		return nil, fail(0, 0, "", "the file has no rows")
	}
	width := len(rows[0])
	for i, rec := range rows {
		if len(rec) != width {
			return nil, fail(lines[i], min(len(rec), width)+1, "", "expected %d fields, got %d (a ragged row)", width, len(rec))
		}
	}
	if width < 2 {
		return nil, fail(lines[0], 0, "", "need at least 2 columns (features and a target), found 1; is the delimiter one of , ; or tab?")
	}
	header := hasHeader(rows, o.Header)
	var names []string
	if header {
		names = make([]string, width)
		for j, n := range rows[0] {
			names[j] = strings.TrimSpace(n)
			if names[j] == "" {
				names[j] = fmt.Sprintf("col%d", j)
			}
		}
		rows, lines = rows[1:], lines[1:]
	} else {
		names = make([]string, width)
		for j := range names {
			names[j] = fmt.Sprintf("col%d", j)
		}
	}
	if len(rows) == 0 {
		return nil, fail(0, 0, "", "the file has a header but no data rows")
	}
	target, err := resolveColumn(o.Target, names, width)
	if err != nil {
		return nil, fail(0, 0, "", "target: %v", err)
	}
	if o.Target == "" {
		target = width - 1
	}
	ignored := make([]bool, width)
	for _, ig := range o.Ignore {
		j, err := resolveColumn(ig, names, width)
		if err != nil {
			return nil, fail(0, 0, "", "ignore: %v", err)
		}
		if j == target {
			return nil, fail(0, 0, "", "ignore: %q is the target column", ig)
		}
		ignored[j] = true
	}

	// The target decides which rows survive: a row without a target is an
	// error under the error policy and is dropped otherwise.
	keep := make([]bool, len(rows))
	nTarget := 0
	for i, rec := range rows {
		if isMissing(rec[target]) {
			if o.Missing == MissingError {
				return nil, fail(lines[i], target+1, names[target], "missing target value (use --missing drop-rows to drop such rows)")
			}
			continue
		}
		keep[i] = true
		nTarget++
	}
	if nTarget == 0 {
		return nil, fail(0, target+1, names[target], "every value of the target column is missing")
	}

	// Column types: a column is numeric when at least half of its present
	// cells are numbers; then any other cell is an error (a typo in a
	// numeric column). Otherwise it is text.
	numeric := make([]bool, width)
	for j := 0; j < width; j++ {
		num, txt := 0, 0
		for i, rec := range rows {
			if !keep[i] || isMissing(rec[j]) {
				continue
			}
			if _, ok := parseNumber(rec[j]); ok {
				num++
			} else {
				txt++
			}
		}
		numeric[j] = num > 0 && num >= txt
	}
	// Missing feature cells.
	for j := 0; j < width; j++ {
		if ignored[j] || j == target {
			continue
		}
		for i, rec := range rows {
			if !keep[i] || !isMissing(rec[j]) {
				continue
			}
			switch o.Missing {
			case MissingError:
				return nil, fail(lines[i], j+1, names[j], "missing value %q (use --missing drop-rows or impute)", rec[j])
			case MissingDropRows:
				keep[i] = false
			}
		}
	}
	for j := 0; j < width; j++ {
		if ignored[j] || !numeric[j] {
			continue
		}
		for i, rec := range rows {
			if !keep[i] || isMissing(rec[j]) {
				continue
			}
			if _, ok := parseNumber(rec[j]); !ok {
				return nil, fail(lines[i], j+1, names[j], "expected a number, got %q", rec[j])
			}
		}
	}
	n := 0
	for _, k := range keep {
		if k {
			n++
		}
	}
	if n == 0 {
		return nil, fail(0, 0, "", "no rows left after dropping rows with missing values")
	}

	t := &Table{N: n, missing: o.Missing}
	t.Meta = Meta{Name: baseName(file), Kind: "csv", Source: file, License: "the user's own data"}
	// Target and task.
	task, classNames, err := inferTarget(rows, keep, target, numeric[target], o.Task)
	if err != nil {
		return nil, fail(0, target+1, names[target], "%v", err)
	}
	t.Meta.Task = task
	t.Meta.ClassNames = classNames
	classIndex := make(map[string]int, len(classNames))
	for i, c := range classNames {
		classIndex[c] = i
	}
	t.Y = make([]float64, 0, n)
	for i, rec := range rows {
		if !keep[i] {
			continue
		}
		cell := strings.TrimSpace(rec[target])
		if task.IsClassification() {
			t.Y = append(t.Y, float64(classIndex[classKey(cell, numeric[target])]))
		} else {
			v, _ := parseNumber(cell)
			t.Y = append(t.Y, v)
		}
	}
	// Features: numeric columns as they are, text columns one-hot.
	maxCat := o.MaxCategories
	if maxCat <= 0 {
		maxCat = MaxCategories
	}
	type colPlan struct {
		j    int
		cats []string
	}
	var plan []colPlan
	for j := 0; j < width; j++ {
		if ignored[j] || j == target {
			continue
		}
		if numeric[j] {
			plan = append(plan, colPlan{j: j})
			t.Meta.FeatureNames = append(t.Meta.FeatureNames, names[j])
			continue
		}
		seen := map[string]bool{}
		for i, rec := range rows {
			if keep[i] && !isMissing(rec[j]) {
				seen[strings.TrimSpace(rec[j])] = true
			}
		}
		if len(seen) == 0 {
			return nil, fail(0, j+1, names[j], "every value of this column is missing (drop it with --ignore %q)", names[j])
		}
		if len(seen) > maxCat {
			return nil, fail(0, j+1, names[j], "text column has %d distinct values, more than the cap of %d (an ID? drop it with --ignore %q)", len(seen), maxCat, names[j])
		}
		cats := make([]string, 0, len(seen))
		for c := range seen {
			cats = append(cats, c)
		}
		sort.Strings(cats)
		t.catGroups = append(t.catGroups, catGroup{start: len(t.Meta.FeatureNames), n: len(cats)})
		for _, c := range cats {
			t.Meta.FeatureNames = append(t.Meta.FeatureNames, names[j]+"="+c)
		}
		plan = append(plan, colPlan{j: j, cats: cats})
	}
	t.D = len(t.Meta.FeatureNames)
	if t.D == 0 {
		return nil, fail(0, 0, "", "no feature columns left besides the target")
	}
	t.X = make([]float64, 0, n*t.D)
	for i, rec := range rows {
		if !keep[i] {
			continue
		}
		for _, p := range plan {
			cell := strings.TrimSpace(rec[p.j])
			if p.cats == nil {
				v := math.NaN()
				if !isMissing(cell) {
					v, _ = parseNumber(cell)
				}
				t.X = append(t.X, v)
				continue
			}
			for _, c := range p.cats {
				switch {
				case isMissing(cell):
					t.X = append(t.X, math.NaN())
				case c == cell:
					t.X = append(t.X, 1)
				default:
					t.X = append(t.X, 0)
				}
			}
		}
	}
	t.finishMeta()
	t.Meta.Description = fmt.Sprintf("CSV file, target %q", names[target])
	return t, nil
}

// newCSVReader reads at most maxBytes (0 = MaxCSVBytes) of r, drops a
// UTF-8 BOM, and returns a reader with the delimiter detected. An empty
// input or one past the limit is an error naming file.
func newCSVReader(r io.Reader, file string, maxBytes int64) (*csv.Reader, error) {
	if maxBytes <= 0 {
		maxBytes = MaxCSVBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, &CSVError{File: file, Msg: fmt.Sprintf("read: %v", err)}
	}
	if int64(len(data)) > maxBytes {
		return nil, &CSVError{File: file, Msg: fmt.Sprintf("the file is larger than the limit of %d bytes", maxBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &CSVError{File: file, Msg: "the file is empty"}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = detectDelimiter(data)
	cr.FieldsPerRecord = -1
	return cr, nil
}

// readRecord reads one record and its line; a parse error names the line
// and column. It returns io.EOF at the end.
func readRecord(cr *csv.Reader, file string) ([]string, int, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, 0, &CSVError{File: file, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
		}
		return nil, 0, &CSVError{File: file, Msg: err.Error()}
	}
	line, _ := cr.FieldPos(0)
	return rec, line, nil
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
// when every cell of the first row is text.
func hasHeader(rows [][]string, mode string) bool {
	switch mode {
	case "yes":
		return true
	case "no":
		return false
	}
	first := rows[0]
	allText := true
	for j, c := range first {
		_, num := parseNumber(c)
		if num {
			allText = false
		}
		if !num && !isMissing(c) && len(rows) > 1 {
			if _, ok := parseNumber(rows[1][j]); ok {
				return true
			}
		}
	}
	return allText && len(rows) > 1
}

func resolveColumn(s string, names []string, width int) (int, error) {
	if s == "" {
		return width - 1, nil
	}
	for j, n := range names {
		if n == s {
			return j, nil
		}
	}
	if j, err := strconv.Atoi(s); err == nil {
		if j < 0 || j >= width {
			return 0, fmt.Errorf("column index %d is out of range [0, %d]", j, width-1)
		}
		return j, nil
	}
	return 0, fmt.Errorf("no column named %q (columns: %s)", s, strings.Join(names, ", "))
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

// inferTarget decides the task and the class names: a text target, or
// integers with few distinct values, mean classification; anything else
// regression. force overrides the inference.
func inferTarget(rows [][]string, keep []bool, target int, numeric bool, force *Task) (Task, []string, error) {
	distinct := map[string]bool{}
	allInt := numeric
	for i, rec := range rows {
		if !keep[i] {
			continue
		}
		cell := strings.TrimSpace(rec[target])
		if numeric {
			v, ok := parseNumber(cell)
			if !ok {
				return 0, nil, fmt.Errorf("expected a number in the target column, got %q", cell)
			}
			if v != math.Trunc(v) {
				allInt = false
			}
		}
		distinct[classKey(cell, numeric)] = true
	}
	var task Task
	switch {
	case force != nil:
		task = *force
	case !numeric:
		task = Multiclass
	case allInt && len(distinct) <= maxIntClasses:
		task = Multiclass
	default:
		task = Regression
	}
	if task == Regression {
		if !numeric {
			return 0, nil, fmt.Errorf("regression needs a numeric target, but the column holds text")
		}
		return task, nil, nil
	}
	names := make([]string, 0, len(distinct))
	for c := range distinct {
		names = append(names, c)
	}
	if numeric {
		sort.Slice(names, func(a, b int) bool {
			va, _ := parseNumber(names[a])
			vb, _ := parseNumber(names[b])
			return va < vb
		})
	} else {
		sort.Strings(names)
	}
	if len(names) < 2 {
		return 0, nil, fmt.Errorf("the target has a single class (%q): there is nothing to classify", names[0])
	}
	if len(names) > 1000 {
		return 0, nil, fmt.Errorf("the target has %d classes, more than the limit of 1000 (use --task regression?)", len(names))
	}
	if len(names) == 2 {
		task = Binary
	} else if task == Binary {
		return 0, nil, fmt.Errorf("--task binary needs 2 classes, the target has %d", len(names))
	}
	return task, names, nil
}
