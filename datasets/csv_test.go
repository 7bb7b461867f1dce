package datasets

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func load(t *testing.T, src string, o CSVOptions) *Table {
	t.Helper()
	if o.Name == "" {
		o.Name = "test.csv"
	}
	tab, err := Load(strings.NewReader(src), o)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestCSVReadsDialects(t *testing.T) {
	want := []float64{1, 2, 3, 4}
	for name, src := range map[string]string{
		"comma":     "a,b,y\n1,2,0\n3,4,1\n",
		"semicolon": "a;b;y\n1;2;0\n3;4;1\n",
		"tab":       "a\tb\ty\n1\t2\t0\n3\t4\t1\n",
		"crlf":      "a,b,y\r\n1,2,0\r\n3,4,1\r\n",
		"bom":       "\xef\xbb\xbfa,b,y\n1,2,0\n3,4,1\n",
		"quoted":    "\"a\",\"b, with comma\",y\n\"1\",2,0\n3,\"4\",1\n",
		"trailing":  "a,b,y\n1,2,0\n3,4,1\n\n",
		"noheader":  "1,2,0\n3,4,1\n",
	} {
		tab := load(t, src, CSVOptions{})
		if !reflect.DeepEqual(tab.X, want) || !reflect.DeepEqual(tab.Y, []float64{0, 1}) || tab.Meta.Task != Binary {
			t.Errorf("%s: X %v Y %v task %v", name, tab.X, tab.Y, tab.Meta.Task)
		}
		if name == "quoted" && tab.Meta.FeatureNames[1] != "b, with comma" {
			t.Errorf("quoted header: %v", tab.Meta.FeatureNames)
		}
		if name == "noheader" && tab.Meta.FeatureNames[0] != "col0" {
			t.Errorf("noheader names: %v", tab.Meta.FeatureNames)
		}
	}
}

func TestCSVTargetTaskAndEncoding(t *testing.T) {
	src := "id,color,size,label,price\n" +
		"1,red,1.5,cat,10\n2,blue,2.5,dog,20.5\n3,red,3.5,bird,30\n4,green,4.5,dog,41\n"
	tab := load(t, src, CSVOptions{Target: "label", Ignore: []string{"id"}})
	if tab.Meta.Task != Multiclass || !reflect.DeepEqual(tab.Meta.ClassNames, []string{"bird", "cat", "dog"}) {
		t.Fatalf("task %v classes %v", tab.Meta.Task, tab.Meta.ClassNames)
	}
	if !reflect.DeepEqual(tab.Meta.FeatureNames, []string{"color=blue", "color=green", "color=red", "size", "price"}) {
		t.Fatalf("features %v", tab.Meta.FeatureNames)
	}
	if !reflect.DeepEqual(tab.X[:5], []float64{0, 0, 1, 1.5, 10}) || !reflect.DeepEqual(tab.Y, []float64{1, 2, 0, 2}) {
		t.Fatalf("row 0 %v, Y %v", tab.X[:5], tab.Y)
	}
	// A float target is regression; by index; and --task overrides.
	tab = load(t, src, CSVOptions{Target: "4", Ignore: []string{"id", "label"}})
	if tab.Meta.Task != Regression || tab.Y[1] != 20.5 {
		t.Fatalf("price: task %v Y %v", tab.Meta.Task, tab.Y)
	}
	tab = load(t, src, CSVOptions{Target: "0", Ignore: []string{"label"}})
	if tab.Meta.Task != Multiclass {
		t.Fatalf("few integers should be classes, got %v", tab.Meta.Task)
	}
	reg := Regression
	tab = load(t, src, CSVOptions{Target: "id", Ignore: []string{"label"}, Task: &reg})
	if tab.Meta.Task != Regression {
		t.Fatalf("--task regression ignored")
	}
}

func TestCSVMissingPolicies(t *testing.T) {
	src := "a,b,c,y\n1,x,5,0\nNA,y,6,1\n3,?,7,0\n4,x,,1\n5,y,9,1\n"
	if _, err := Load(strings.NewReader(src), CSVOptions{Name: "m.csv"}); err == nil || err.Error() != `m.csv: line 3, column 1 ("a"): missing value "NA" (use --missing drop-rows or impute)` {
		t.Fatalf("error policy: %v", err)
	}
	tab := load(t, src, CSVOptions{Missing: MissingDropRows})
	if tab.N != 2 || !reflect.DeepEqual(tab.Y, []float64{0, 1}) {
		t.Fatalf("drop-rows kept %d rows: %v", tab.N, tab.Y)
	}
	tab = load(t, src, CSVOptions{Missing: MissingImpute})
	p, err := Prepare(tab, Spec{Name: "x", Split: DefaultSplit})
	if err != nil {
		t.Fatal(err)
	}
	// Fewer than SmallSetRows: train is all rows. a's mean of 1,3,4,5 is
	// 3.25; b's mode is x (tie broken by order); c's mean is 6.75.
	if p.Train.X[1*4+0] != 3.25 || p.Train.X[3*4+3] != 6.75 || p.Train.X[2*4+1] != 1 {
		t.Fatalf("imputed rows: %v", p.Train.X)
	}
	for _, v := range p.Train.X {
		if math.IsNaN(v) {
			t.Fatal("NaN left after imputation")
		}
	}
}

func TestCSVErrorsNameLineAndColumn(t *testing.T) {
	big := "a,b\n" + strings.Repeat("1,2\n", 10)
	wide := strings.Repeat("1,", MaxCSVColumns) + "1\n"
	ids := "id,y\n"
	for i := 0; i < 100; i++ {
		ids += fmt.Sprintf("u%d,%d\n", i, i%2)
	}
	cases := []struct {
		name, src string
		o         CSVOptions
		want      string
	}{
		{"ragged", "a,b,y\n1,2,0\n3,4\n", CSVOptions{}, "f.csv: line 3, column 3: expected 3 fields, got 2 (a ragged row)"},
		{"ragged long", "a,b,y\n1,2,0\n3,4,1,9\n", CSVOptions{}, "f.csv: line 3, column 4: expected 3 fields, got 4 (a ragged row)"},
		{"non-numeric", "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,oops,1\n", CSVOptions{}, `f.csv: line 5, column 2 ("b"): expected a number, got "oops"`},
		{"empty", "", CSVOptions{}, "f.csv: the file is empty"},
		{"blank", "\n\n  \n", CSVOptions{}, "f.csv: the file is empty"},
		{"header only", "a,b,y\n", CSVOptions{Header: "yes"}, "f.csv: the file has a header but no data rows"},
		{"single class", "a,y\n1,1\n2,1\n3,1\n", CSVOptions{}, `f.csv: column 2 ("y"): the target has a single class ("1"): there is nothing to classify`},
		{"target all missing", "a,y\n1,NA\n2,\n", CSVOptions{Missing: MissingDropRows}, `f.csv: column 2 ("y"): every value of the target column is missing`},
		{"target missing", "a,y\n1,0\n2,?\n", CSVOptions{}, `f.csv: line 3, column 2 ("y"): missing target value (use --missing drop-rows to drop such rows)`},
		{"too many columns", wide, CSVOptions{}, fmt.Sprintf("f.csv: line 1: %d columns is more than the limit of %d", MaxCSVColumns+1, MaxCSVColumns)},
		{"too large", big, CSVOptions{MaxBytes: 20}, "f.csv: the file is larger than the limit of 20 bytes"},
		{"bare quote", "a,y\n1,0\n2\"x,1\n", CSVOptions{}, `f.csv: line 3: character 2: a quote in a field that is not quoted: quote the whole field and write "" for the quote, or remove it`},
		// A quote left open was reported where the file ended, in
		// encoding/csv's words, and its column counted bytes.
		{"quote left open", "a,y\n1,0\n2,\"3\n4,1\n5,0\n", CSVOptions{}, `f.csv: line 3: a quoted field opens on this line and is still open at line 5 (lines 3–5 read as one field): close its quote, or write "" for a quote inside quotes`},
		{"text after a closing quote", "a,y\n1,0\n\"2\"x,1\n", CSVOptions{}, `f.csv: line 3: character 3: a quote is not closed, or a quoted field goes on after its closing quote: close it, and write "" for a quote inside quotes`},
		{"too many categories", ids, CSVOptions{}, `f.csv: column 1 ("id"): text column has 100 distinct values, more than the cap of 64 (an ID? drop it with --ignore "id")`},
		{"unknown target", "a,y\n1,0\n", CSVOptions{Target: "z"}, `f.csv: target: no column named "z" (columns: a, y)`},
		// A name two columns share took the first in silence.
		{"ambiguous target", "a,a,y\n1,2,0\n3,4,1\n", CSVOptions{Target: "a"}, `f.csv: target: two columns are named "a", 0 and 1: give the 0-based index`},
		{"ambiguous ignore", "a,a,y\n1,2,0\n3,4,1\n", CSVOptions{Ignore: []string{"a"}}, `f.csv: ignore: two columns are named "a", 0 and 1: give the 0-based index`},
		{"one column", "y\n1\n0\n", CSVOptions{}, "f.csv: line 1: need at least 2 columns (features and a target), found 1; is the delimiter one of , ; or tab?"},
	}
	for _, c := range cases {
		c.o.Name = "f.csv"
		_, err := Load(strings.NewReader(c.src), c.o)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}
