package datasets

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzEncodeCSV feeds arbitrary bytes to the reader of `predict`'s CSV,
// against a model with a numeric, a categorical and (by mode) crossed
// features, refusing or imputing: it must never panic, errors must name
// the file, and what it encodes must be N whole rows of finite values
// where no cell was refused.
func FuzzEncodeCSV(f *testing.F) {
	for _, s := range []string{
		"age,city,y\n30,Rome,1\n,Paris,0\n41,Oslo,1\n",
		"city;age\r\nParis;1e3\r\nRome;NA\r\n",
		"\xef\xbb\xbfage,city\n\"3\",\"Rome\"\n",
		"age,city\n1,Rome,extra\n",
		"age\n1\n",
		"x1,x2\n0.5,-1\n2,3\n",
		"age,city\n",
		"",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(3))
		f.Add([]byte(s), uint8(4))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		features := []string{"age", "city=Paris", "city=Rome"}
		var crosses []string
		if mode&1 != 0 {
			features, crosses = []string{"x1", "x2", "x1x2", "x1sq"}, []string{"x1x2", "x1sq"}
		}
		im := &Imputer{Policy: RefusePolicy}
		if mode&2 != 0 {
			im = &Imputer{Policy: ImputePolicy, Fill: make([]float64, len(features))}
			im.Fill[0] = 7
		}
		var opts []EncodeOption
		if mode&4 != 0 {
			opts = append(opts, SkipBadRows())
		}
		e, err := EncodeCSV(bytes.NewReader(data), "in.csv", features, crosses, im, opts...)
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || ce.File != "in.csv" {
				t.Fatalf("an error without the file name: %v", err)
			}
			return
		}
		if e.N < 1 || e.D != len(features) || len(e.X) != e.N*e.D || len(e.Rows) != e.N || len(e.Lines) != e.N {
			t.Fatalf("inconsistent encoding: N %d D %d, %d values, %d rows, %d lines", e.N, e.D, len(e.X), len(e.Rows), len(e.Lines))
		}
		for _, v := range e.X {
			if math.IsNaN(v) {
				t.Fatalf("a NaN feature in %v", e.X)
			}
		}
		for i, b := range e.Skipped {
			if mode&4 == 0 || b.Line < 2 || b.File != "in.csv" || i > 0 && b.Line <= e.Skipped[i-1].Line {
				t.Fatalf("skipped row %d: %+v (mode %d)", i, b, mode)
			}
		}
	})
}

// FuzzColumns feeds arbitrary bytes, as a file, to Columns, which lists a
// CSV's columns for the Setup form and `datasets columns`: it must never
// panic, and each column it lists has a name and a known type.
func FuzzColumns(f *testing.F) {
	for _, s := range []string{
		"a,b,y\n1,2,0\n3,4,1\n", "a;b\r\nx;1\r\n", "\xef\xbb\xbfname\tage\nbob\t3\n", "1,2\n3,4\n", "a,b\n1\n2,3,4\n", "\"x\n", "\n\n", "",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "c.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cols, err := Columns(path)
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || ce.File != "c.csv" {
				t.Fatalf("an error without the file name: %v", err)
			}
			return
		}
		for _, c := range cols {
			if c.Name == "" || (c.Type != "number" && c.Type != "text" && c.Type != "empty") || c.Missing < 0 {
				t.Fatalf("column %+v", c)
			}
		}
	})
}

// FuzzParseNames feeds arbitrary text to the parsers of a data spec's
// named settings (task, scaling, missing-value policy) and to the data
// spec's validation with that text in each free-text field: none may
// panic, and an accepted name must print as a name that parses to itself.
func FuzzParseNames(f *testing.F) {
	for _, s := range []string{"binary", "Multiclass", "regression", "standard", "zscore", "minmax", "none", "", "impute", "drop", "x1sq", "x1x2,sinx1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if task, err := ParseTask(s); err == nil {
			if back, err := ParseTask(task.String()); err != nil || back != task {
				t.Fatalf("ParseTask(%q) = %v, which parses to %v, %v", s, task, back, err)
			}
		}
		if sc, err := ParseScaling(s); err == nil {
			if back, err := ParseScaling(sc.String()); err != nil || back != sc {
				t.Fatalf("ParseScaling(%q) = %v, which parses to %v, %v", s, sc, back, err)
			}
		}
		_, _ = parseMissing(s)
		for _, sp := range []Spec{
			{Name: "circle", Split: DefaultSplit, Crosses: []string{s}},
			{Name: "circle", Split: DefaultSplit, Scale: s},
			{Path: "x.csv", Split: DefaultSplit, Task: s, Missing: s, Target: s, Positive: s},
			{Name: s, Split: DefaultSplit},
		} {
			_ = sp.Validate()
			_ = sp.Label()
		}
	})
}
