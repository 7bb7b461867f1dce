package datasets

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Encoded is a CSV read against a trained model's feature list, ready for
// its scaler and prediction.
type Encoded struct {
	X      []float64 // N×D raw (unscaled) features, in the model's order
	N, D   int
	Header []string
	Rows   [][]string // the original cells of each encoded row, for writing them back out
	Lines  []int      // the file line of each encoded row

	// What the Imputer's rules did, counted in rows (a row with a missing
	// value and an unseen category counts under both).
	ImputedMissing int       // rows with a missing cell filled with the training mean or mode
	ImputedUnseen  int       // rows with a category training never saw, filled with its mode
	Refused        []Refusal // rows left out, in file order
	// Skipped are the rows left out under SkipBadRows, each with the
	// error that reading it would have been, in file order.
	Skipped []*CSVError
}

// EncodeOption changes how EncodeCSV treats the rows it reads.
type EncodeOption func(*encodeConfig)

type encodeConfig struct{ skipBad bool }

// SkipBadRows makes EncodeCSV leave out a row that it cannot read (a
// cell that is not a number where the model reads one, a row with the
// wrong number of fields, a stray quote) and list it in Encoded.Skipped,
// rather than fail on the first. The file's header must still be good,
// and at least one row.
func SkipBadRows() EncodeOption { return func(c *encodeConfig) { c.skipBad = true } }

// Why says why im refuses rows rather than imputing them.
func (im *Imputer) Why() string {
	if im == nil || len(im.Fill) == 0 {
		return "the run saved no training means and modes to impute from"
	}
	return "the run was trained without --missing impute"
}

// Refusal is a row that prediction left out, and why.
type Refusal struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// String reads like "line 7: "age" is missing".
func (r Refusal) String() string { return fmt.Sprintf("line %d: %s", r.Line, r.Reason) }

// EncodeCSV reads a CSV with a header and encodes its rows into the
// features a model was trained on. A feature "col=value" is the one-hot
// indicator of text column col; any other feature is the numeric column of
// that name. crosses are the feature crosses the model's data spec added
// after its two base features.
//
// A missing cell, or a text value that training never saw, follows im:
// under ImputePolicy it takes the training mean (numeric) or the training
// mode (categorical); otherwise, or when im is nil, the row is refused and
// listed in Refused with its line. No value is ever encoded as all zeros.
// Errors (a missing column, a non-number in a numeric column, a ragged
// row, no row left) name the file, line and column; with SkipBadRows a bad
// row is listed in Skipped instead.
func EncodeCSV(r io.Reader, name string, features, crosses []string, im *Imputer, opts ...EncodeOption) (*Encoded, error) {
	var cfg encodeConfig
	for _, o := range opts {
		o(&cfg)
	}
	fail := func(line, col int, colName, format string, a ...any) error {
		return &CSVError{File: name, Line: line, Column: col, Name: colName, Msg: fmt.Sprintf(format, a...)}
	}
	cr, err := newCSVReader(r, name, MaxCSVBytes)
	if err != nil {
		return nil, err
	}
	base := features[:len(features)-len(crosses)]
	imputes := im.Imputes() && len(im.Fill) == len(features)
	e := &Encoded{}
	// A source is one CSV column: numeric (one feature) or categorical (a
	// run of one-hot features, values[k] for feature start+k).
	type source struct {
		col, start int
		values     []string
	}
	var srcs []source
	for {
		rec, line, err := readRecord(cr, name)
		if err == io.EOF {
			break
		}
		var perr *CSVError
		if cfg.skipBad && e.Header != nil && errors.As(err, &perr) && perr.Line > 0 {
			e.Skipped = append(e.Skipped, perr) // a stray quote: the reader goes on after it
			continue
		}
		if err != nil {
			return nil, err
		}
		if e.Header == nil {
			e.Header = rec
			idx := map[string]int{}
			for j, h := range rec {
				idx[strings.TrimSpace(h)] = j
			}
			// A missing column is named as the file's header would name
			// it: city, not its one-hot feature city=Oslo.
			var absent []string
			for k, f := range base {
				if j, ok := idx[f]; ok {
					srcs = append(srcs, source{col: j, start: k})
					continue
				}
				col := f
				if c, v, ok := strings.Cut(f, "="); ok && c != "" {
					if j, ok := idx[c]; ok {
						if n := len(srcs); n > 0 && srcs[n-1].col == j && srcs[n-1].values != nil {
							srcs[n-1].values = append(srcs[n-1].values, v)
						} else {
							srcs = append(srcs, source{col: j, start: k, values: []string{v}})
						}
						continue
					}
					col = c
				}
				if !slices.Contains(absent, col) {
					absent = append(absent, col)
				}
			}
			if len(absent) > 0 {
				return nil, fail(1, 0, "", "%s (the header has: %s)", absentColumns(absent), strings.Join(rec, ", "))
			}
			continue
		}
		if len(rec) != len(e.Header) {
			err := fail(line, min(len(rec), len(e.Header))+1, "", "expected %d fields, got %d (a ragged row)", len(e.Header), len(rec))
			if cfg.skipBad {
				e.Skipped = append(e.Skipped, err.(*CSVError))
				continue
			}
			return nil, err
		}
		row := make([]float64, len(base))
		var refused *Refusal
		var bad *CSVError
		missing, unseen := false, false
		for _, s := range srcs {
			col := strings.TrimSpace(e.Header[s.col])
			cell := strings.TrimSpace(rec[s.col])
			problem := ""
			switch {
			case isMissing(cell):
				missing, problem = true, fmt.Sprintf("%q is missing", col)
			case s.values != nil:
				hit := -1
				for k, v := range s.values {
					if v == cell {
						hit = k
					}
				}
				if hit < 0 {
					unseen, problem = true, fmt.Sprintf("%q has %s, a value training never saw", col, quoteCell(cell))
					break
				}
				row[s.start+hit] = 1
			default:
				v, ok := parseNumber(cell)
				if !ok {
					err := fail(line, s.col+1, e.Header[s.col], "expected a number, got %s", quoteCell(rec[s.col]))
					if !cfg.skipBad {
						return nil, err
					}
					bad = err.(*CSVError)
				}
				row[s.start] = v
			}
			if bad != nil {
				break // the row is skipped: its first bad cell is named
			}
			if problem == "" {
				continue
			}
			if !imputes {
				if refused == nil {
					refused = &Refusal{Line: line, Column: col, Reason: problem}
				}
				continue
			}
			n := max(len(s.values), 1)
			copy(row[s.start:s.start+n], im.Fill[s.start:s.start+n])
		}
		if bad != nil {
			e.Skipped = append(e.Skipped, bad)
			continue
		}
		if refused != nil {
			e.Refused = append(e.Refused, *refused)
			continue
		}
		if missing {
			e.ImputedMissing++
		}
		if unseen {
			e.ImputedUnseen++
		}
		if len(crosses) > 0 {
			if len(base) != 2 {
				return nil, fail(0, 0, "", "crosses need 2 base features, the model has %d", len(base))
			}
			t := &Table{X: row, N: 1, D: 2, Meta: Meta{FeatureNames: base}}
			row = addCrosses(t, crosses).X
		}
		e.X = append(e.X, row...)
		e.Rows = append(e.Rows, rec)
		e.Lines = append(e.Lines, line)
		e.N++
	}
	if e.Header == nil || e.N+len(e.Refused)+len(e.Skipped) == 0 {
		return nil, fail(0, 0, "", "no data rows (prediction needs a header and at least one row)")
	}
	if e.N == 0 && len(e.Refused) == 0 {
		first := *e.Skipped[0]
		first.Msg = "every row is bad; the first: " + first.Msg
		return nil, &first
	}
	if e.N == 0 {
		return nil, fail(e.Refused[0].Line, 0, "", "every row was refused, the first because %s (%s)", e.Refused[0].Reason, im.Why())
	}
	e.D = len(features)
	return e, nil
}

// absentColumns says which columns the model reads that a file lacks.
func absentColumns(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = fmt.Sprintf("%q", c)
	}
	if len(q) == 1 {
		return "no column for the model's feature " + q[0]
	}
	return "no columns for the model's features " + strings.Join(q, ", ")
}
