package datasets

import (
	"fmt"
	"io"
	"strings"
)

// Encoded is a CSV read against a trained model's feature list, ready for
// its scaler and prediction.
type Encoded struct {
	X      []float64 // N×D raw (unscaled) features, in the model's order
	N, D   int
	Header []string
	Rows   [][]string // the original cells, for writing them back out
}

// EncodeCSV reads a CSV with a header and encodes its rows into the
// features a model was trained on. A feature "col=value" is the one-hot
// indicator of text column col (an unseen value gives all zeros); any other
// feature is the numeric column of that name. crosses are the feature
// crosses the model's data spec added after its two base features. Errors
// name the file, line and column.
func EncodeCSV(r io.Reader, name string, features, crosses []string) (*Encoded, error) {
	fail := func(line, col int, colName, format string, a ...any) error {
		return &CSVError{File: name, Line: line, Column: col, Name: colName, Msg: fmt.Sprintf(format, a...)}
	}
	cr, err := newCSVReader(r, name, MaxCSVBytes)
	if err != nil {
		return nil, err
	}
	base := features[:len(features)-len(crosses)]
	e := &Encoded{}
	type source struct {
		col   int
		value string // "" for numeric
	}
	var srcs []source
	for {
		rec, line, err := readRecord(cr, name)
		if err == io.EOF {
			break
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
			for _, f := range base {
				if j, ok := idx[f]; ok {
					srcs = append(srcs, source{col: j})
					continue
				}
				if k := strings.Index(f, "="); k > 0 {
					if j, ok := idx[f[:k]]; ok {
						srcs = append(srcs, source{col: j, value: f[k+1:]})
						continue
					}
				}
				return nil, fail(1, 0, "", "no column for the model's feature %q (the header has: %s)", f, strings.Join(rec, ", "))
			}
			continue
		}
		if len(rec) != len(e.Header) {
			return nil, fail(line, min(len(rec), len(e.Header))+1, "", "expected %d fields, got %d (a ragged row)", len(e.Header), len(rec))
		}
		row := make([]float64, 0, len(features))
		for _, s := range srcs {
			cell := strings.TrimSpace(rec[s.col])
			if isMissing(cell) {
				return nil, fail(line, s.col+1, e.Header[s.col], "missing value %q: prediction needs every feature", rec[s.col])
			}
			if s.value != "" {
				v := 0.0
				if cell == s.value {
					v = 1
				}
				row = append(row, v)
				continue
			}
			v, ok := parseNumber(cell)
			if !ok {
				return nil, fail(line, s.col+1, e.Header[s.col], "expected a number, got %q", rec[s.col])
			}
			row = append(row, v)
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
		e.N++
	}
	if e.Header == nil || e.N == 0 {
		return nil, fail(0, 0, "", "no data rows (prediction needs a header and at least one row)")
	}
	e.D = len(features)
	return e, nil
}
