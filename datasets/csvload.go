package datasets

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A loader's cells hold one float64 per cell: the number itself, or a NaN
// whose payload says "missing" (with which spelling) or "text value k of
// this column". parseNumber never returns NaN, so no number is mistaken
// for a box.
const (
	boxNaN     = 0x7ff8_0000_0000_0000
	boxText    = 1 << 50
	boxPayload = 1<<32 - 1
)

// missingSpellings are the cells isMissing accepts, trimmed.
var missingSpellings = []string{"", "NA", "NaN", "nan", "NAN", "?", "N/A", "na"}

func missingBox(cell string) float64 {
	s := strings.TrimSpace(cell)
	k := slices.Index(missingSpellings, s)
	return math.Float64frombits(boxNaN | uint64(max(k, 0)))
}

func textBox(id int) float64 { return math.Float64frombits(boxNaN | boxText | uint64(id)) }

// unbox tells a number (ok) from a missing cell and a text cell (id).
func unbox(v float64) (number, missing bool, id int) {
	if !math.IsNaN(v) {
		return true, false, 0
	}
	b := math.Float64bits(v)
	if b&boxText != 0 {
		return false, false, int(b & boxPayload)
	}
	return false, true, int(b & boxPayload)
}

// loader is one Load: the steps read, checkCells and build share it.
type loader struct {
	o     CSVOptions
	file  string
	width int
	names []string
	// target and ignored are known once the header is.
	target  int
	ignored []bool
	// cells is rows×width, row-major; lines and keep are per row.
	cells []float64
	lines []int32
	keep  []bool
	n     int
	// Per column: counts over rows with a target, the distinct text
	// values (texts[j][id]) and the first spelling of each number seen,
	// up to maxCat+1 of them (a text column's numbers are categories).
	nums, txts []int
	textID     []map[string]int
	texts      [][]string
	spelled    []map[float64]string
	numeric    []bool
	maxCat     int
}

func (l *loader) fail(line, col int, name, format string, a ...any) error {
	return &CSVError{File: l.file, Line: line, Column: col, Name: name, Msg: fmt.Sprintf(format, a...)}
}

// read parses the file into cells, row by row.
func (l *loader) read(r io.Reader) error {
	l.maxCat = l.o.MaxCategories
	if l.maxCat <= 0 {
		l.maxCat = MaxCategories
	}
	cr, err := newCSVReader(r, l.file, l.o.MaxBytes)
	if err != nil {
		return err
	}
	cr.ReuseRecord = true // what a row keeps is copied
	size := sizeHint(r)
	var first []string
	firstLine := 0
	started := false
	for {
		rec, line, err := readRecord(cr, l.file)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(rec) > MaxCSVColumns {
			return l.fail(line, 0, "", "%d columns is more than the limit of %d", len(rec), MaxCSVColumns)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line of a one-column file
		}
		if first == nil {
			first, firstLine, l.width = slices.Clone(rec), line, len(rec)
			for j := range first {
				first[j] = strings.Clone(first[j])
			}
			continue
		}
		if len(rec) != l.width {
			return l.fail(line, min(len(rec), l.width)+1, "", "expected %d fields, got %d (a ragged row)", l.width, len(rec))
		}
		if !started {
			started = true
			if err := l.start(first, rec, firstLine); err != nil {
				return err
			}
		}
		if l.n == 32 && size > 0 {
			// Room for the whole file at the rate so far, so the cells
			// grow once, not by doubling.
			per := float64(cr.InputOffset()) / float64(l.n+1)
			l.cells = slices.Grow(l.cells, int(float64(size)/per*1.02)*l.width-len(l.cells))
		}
		if err := l.addRow(rec, line); err != nil {
			return err
		}
	}
	if first == nil {
		return l.fail(0, 0, "", "the file is empty")
	}
	if !started {
		// One record: a header of text alone is a file with no data.
		if l.width >= 2 && (l.o.Header == "yes" || l.o.Header == "" && allText(first)) {
			return l.fail(0, 0, "", "the file has a header but no data rows")
		}
		if err := l.start(first, nil, firstLine); err != nil {
			return err
		}
	}
	if l.n == 0 {
		return l.fail(0, 0, "", "the file has a header but no data rows")
	}
	return nil
}

// start sets the columns from the first record (and the second, to tell
// a header): names, target, ignored columns. A first record that is data
// becomes the first row.
func (l *loader) start(first, second []string, firstLine int) error {
	w := l.width
	if w < 2 {
		return l.fail(firstLine, 0, "", "need at least 2 columns (features and a target), found 1; is the delimiter one of , ; or tab?")
	}
	header := hasHeader(first, second, l.o.Header)
	l.names = make([]string, w)
	for j := range l.names {
		l.names[j] = fmt.Sprintf("col%d", j)
		if header {
			if n := strings.TrimSpace(first[j]); n != "" {
				l.names[j] = n
			}
		}
	}
	// A column the options name that the file lacks is a wrong spec
	// (--target, --ignore), not a bad file.
	target, err := resolveColumn(l.o.Target, l.names, w)
	if err != nil {
		return &SpecError{l.fail(0, 0, "", "target: %v", err)}
	}
	l.target = target
	l.ignored = make([]bool, w)
	for _, ig := range l.o.Ignore {
		j, err := resolveColumn(ig, l.names, w)
		if err != nil {
			return &SpecError{l.fail(0, 0, "", "ignore: %v", err)}
		}
		if j == target {
			return &SpecError{l.fail(0, 0, "", "ignore: %s is the target column", quoteCell(ig))}
		}
		l.ignored[j] = true
	}
	l.nums, l.txts = make([]int, w), make([]int, w)
	l.textID, l.texts, l.spelled = make([]map[string]int, w), make([][]string, w), make([]map[float64]string, w)
	if !header {
		return l.addRow(first, firstLine)
	}
	return nil
}

// addRow stores one record's cells.
func (l *loader) addRow(rec []string, line int) error {
	present := !isMissing(rec[l.target])
	if !present && l.o.Missing == MissingError {
		return l.fail(line, l.target+1, l.names[l.target], "missing target value (use --missing drop-rows to drop such rows)")
	}
	l.keep = append(l.keep, present)
	l.lines = append(l.lines, int32(line))
	for j, cell := range rec {
		switch {
		case l.ignored[j] || isMissing(cell):
			l.cells = append(l.cells, missingBox(cell))
		default:
			if v, ok := parseNumber(cell); ok {
				l.cells = append(l.cells, v)
				if present {
					l.nums[j]++
				}
				if sp := l.spelled[j]; len(sp) <= l.maxCat {
					if sp == nil {
						sp = map[float64]string{}
						l.spelled[j] = sp
					}
					if _, ok := sp[v]; !ok {
						sp[v] = strings.Clone(strings.TrimSpace(cell))
					}
				}
				continue
			}
			l.cells = append(l.cells, textBox(l.intern(j, strings.TrimSpace(cell))))
			if present {
				l.txts[j]++
			}
		}
	}
	l.n++
	return nil
}

// allText reports whether no cell of rec is a number or missing.
func allText(rec []string) bool {
	for _, c := range rec {
		if _, num := parseNumber(c); num || isMissing(c) {
			return false
		}
	}
	return true
}

// intern returns the id of text value s in column j.
func (l *loader) intern(j int, s string) int {
	ids := l.textID[j]
	if ids == nil {
		ids = map[string]int{}
		l.textID[j] = ids
	}
	id, ok := ids[s]
	if !ok {
		s = strings.Clone(s) // not the record's whole line
		id = len(l.texts[j])
		ids[s] = id
		l.texts[j] = append(l.texts[j], s)
	}
	return id
}

func (l *loader) cell(i, j int) float64 { return l.cells[i*l.width+j] }

// checkCells decides each column's type (numeric when at least half of
// its present cells are numbers) and applies the missing-value policy,
// column by column: a missing feature is an error or drops its row, and
// text in a numeric column is an error (a typo).
func (l *loader) checkCells() error {
	rows := 0
	for _, k := range l.keep {
		if k {
			rows++
		}
	}
	if rows == 0 {
		return l.fail(0, l.target+1, l.names[l.target], "every value of the target column is missing")
	}
	l.numeric = make([]bool, l.width)
	for j := range l.numeric {
		l.numeric[j] = l.nums[j] > 0 && l.nums[j] >= l.txts[j]
	}
	for j := 0; j < l.width; j++ {
		if l.ignored[j] || j == l.target {
			continue
		}
		for i := 0; i < l.n; i++ {
			if !l.keep[i] {
				continue
			}
			if _, missing, k := unbox(l.cell(i, j)); missing {
				switch l.o.Missing {
				case MissingError:
					return l.fail(int(l.lines[i]), j+1, l.names[j], "missing value %s (use --missing drop-rows or impute)", quoteCell(missingSpellings[k]))
				case MissingDropRows:
					l.keep[i] = false
				}
			}
		}
	}
	for j := 0; j < l.width; j++ {
		if l.ignored[j] || !l.numeric[j] {
			continue
		}
		for i := 0; i < l.n; i++ {
			if number, missing, id := unbox(l.cell(i, j)); l.keep[i] && !number && !missing {
				return l.fail(int(l.lines[i]), j+1, l.names[j], "expected a number, got %s", quoteCell(l.texts[j][id]))
			}
		}
	}
	for _, k := range l.keep {
		if k {
			return nil
		}
	}
	return l.fail(0, 0, "", "no rows left after dropping rows with missing values")
}

// key is cell (i, j) as a class or category name: a number's first
// spelling in a text column, its canonical form in a numeric one.
func (l *loader) key(i, j int) string {
	number, _, id := unbox(l.cell(i, j))
	if !number {
		return l.texts[j][id]
	}
	v := l.cell(i, j)
	if !l.numeric[j] {
		if s, ok := l.spelled[j][v]; ok {
			return s
		}
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// build makes the table: the target and task, then the features, numeric
// columns as they are and text columns one-hot.
func (l *loader) build() (*Table, error) {
	tg := l.target
	task, classNames, err := l.inferTarget()
	if err != nil {
		ferr := l.fail(0, tg+1, l.names[tg], "%v", err)
		if l.o.Task != nil {
			ferr = &SpecError{ferr} // --task asks what the column cannot give
		}
		return nil, ferr
	}
	t := &Table{missing: l.o.Missing}
	t.Meta = Meta{Name: baseName(l.file), Kind: "csv", Source: l.file, License: "the user's own data", Task: task, ClassNames: classNames}
	classIndex := make(map[string]int, len(classNames))
	for i, c := range classNames {
		classIndex[c] = i
	}
	type colPlan struct {
		j    int
		cats []string
	}
	var plan []colPlan
	oneHot := false
	for j := 0; j < l.width; j++ {
		if l.ignored[j] || j == tg {
			continue
		}
		if l.numeric[j] {
			plan = append(plan, colPlan{j: j})
			t.Meta.FeatureNames = append(t.Meta.FeatureNames, l.names[j])
			continue
		}
		cats, err := l.categories(j)
		if err != nil {
			return nil, err
		}
		oneHot = true
		t.catGroups = append(t.catGroups, catGroup{start: len(t.Meta.FeatureNames), n: len(cats)})
		for _, c := range cats {
			t.Meta.FeatureNames = append(t.Meta.FeatureNames, l.names[j]+"="+c)
		}
		plan = append(plan, colPlan{j: j, cats: cats})
	}
	t.D = len(t.Meta.FeatureNames)
	if t.D == 0 {
		return nil, l.fail(0, 0, "", "no feature columns left besides the target")
	}
	for _, k := range l.keep {
		if k {
			t.N++
		}
	}
	t.Y = make([]float64, 0, t.N)
	// Without one-hot columns a row of X is no wider than a row of cells,
	// so X overwrites the cells as it goes: no second copy of the data.
	if oneHot {
		t.X = make([]float64, 0, t.N*t.D)
	} else {
		t.X = l.cells[:0]
	}
	row := make([]float64, l.width)
	for i := 0; i < l.n; i++ {
		if !l.keep[i] {
			continue
		}
		copy(row, l.cells[i*l.width:(i+1)*l.width])
		if task.IsClassification() {
			t.Y = append(t.Y, float64(classIndex[l.key(i, tg)]))
		} else {
			t.Y = append(t.Y, row[tg])
		}
		for _, p := range plan {
			v := row[p.j]
			number, missing, _ := unbox(v)
			if p.cats == nil {
				if !number {
					v = math.NaN()
				}
				t.X = append(t.X, v)
				continue
			}
			cell := ""
			if !missing {
				cell = l.key(i, p.j)
			}
			for _, c := range p.cats {
				switch {
				case missing:
					t.X = append(t.X, math.NaN())
				case c == cell:
					t.X = append(t.X, 1)
				default:
					t.X = append(t.X, 0)
				}
			}
		}
	}
	if !oneHot {
		t.X = t.X[:len(t.X):len(t.X)]
	}
	l.cells = nil
	t.finishMeta()
	t.Meta.Description = fmt.Sprintf("CSV file, target %q", clipName(l.names[tg]))
	return t, nil
}

// categories returns the sorted distinct values of text column j over
// the rows kept.
func (l *loader) categories(j int) ([]string, error) {
	seen := map[string]bool{}
	for i := 0; i < l.n; i++ {
		if _, missing, _ := unbox(l.cell(i, j)); l.keep[i] && !missing {
			seen[l.key(i, j)] = true
		}
	}
	if len(seen) == 0 {
		return nil, l.fail(0, j+1, l.names[j], "every value of this column is missing (drop it with --ignore %s)", quoteCell(l.names[j]))
	}
	if len(seen) > l.maxCat {
		return nil, l.fail(0, j+1, l.names[j], "text column has %d distinct values, more than the cap of %d (an ID? drop it with --ignore %s)", len(seen), l.maxCat, quoteCell(l.names[j]))
	}
	cats := make([]string, 0, len(seen))
	for c := range seen {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	return cats, nil
}
