package datasets

import (
	"strings"
	"testing"
)

func TestPrepareSavesTrainingMeansAndModes(t *testing.T) {
	csv := "age,city,y\n20,Lyon,a\n40,Paris,b\nNA,Paris,a\n30,,b\n"
	for _, tc := range []struct {
		missing, policy string
	}{{"impute", ImputePolicy}, {"drop-rows", RefusePolicy}} {
		tab, err := Load(strings.NewReader(csv), CSVOptions{Missing: mustMissing(t, tc.missing)})
		if err != nil {
			t.Fatal(err)
		}
		p, err := Prepare(tab, Spec{Split: [3]float64{1, 0, 0}, Scale: "standard"})
		if err != nil {
			t.Fatal(err)
		}
		im := p.Scaler.Impute
		if im == nil || im.Policy != tc.policy {
			t.Fatalf("%s: imputer %+v, want policy %s", tc.missing, im, tc.policy)
		}
		// Features: age, city=Lyon, city=Paris. Impute: mean of 20, 40, 30;
		// drop-rows keeps 20,Lyon and 40,Paris.
		want := []float64{30, 0, 1}
		if tc.missing == "drop-rows" {
			want = []float64{30, 1, 0} // a tie keeps the first category
		}
		for j, v := range want {
			if im.Fill[j] != v {
				t.Errorf("%s: fill %v, want %v (raw units, before scaling)", tc.missing, im.Fill, want)
				break
			}
		}
	}
}

func mustMissing(t *testing.T, s string) MissingPolicy {
	m, err := parseMissing(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEncodeCSVFollowsThePolicy(t *testing.T) {
	features := []string{"age", "city=Lyon", "city=Paris"}
	in := "city,age\nParis,25\nRome,25\n,25\nLyon,NA\n  Lyon , 50\n"
	imp := &Imputer{Policy: ImputePolicy, Fill: []float64{30, 0, 1}}
	e, err := EncodeCSV(strings.NewReader(in), "new.csv", features, nil, imp)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{25, 0, 1, 25, 0, 1, 25, 0, 1, 30, 1, 0, 50, 1, 0}
	if e.N != 5 || len(e.Refused) != 0 || e.ImputedMissing != 2 || e.ImputedUnseen != 1 {
		t.Fatalf("N %d, refused %v, imputed missing %d, unseen %d; want 5, none, 2, 1", e.N, e.Refused, e.ImputedMissing, e.ImputedUnseen)
	}
	for i, v := range want {
		if e.X[i] != v {
			t.Fatalf("X = %v, want %v", e.X, want)
		}
	}
	if e.Lines[4] != 6 {
		t.Errorf("lines %v", e.Lines)
	}
	// Refusal: trained without impute, or a run saved before imputers.
	for _, im := range []*Imputer{{Policy: RefusePolicy, Fill: []float64{30, 0, 1}}, nil} {
		e, err = EncodeCSV(strings.NewReader(in), "new.csv", features, nil, im)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, r := range e.Refused {
			got += r.String() + "; "
		}
		if want := `line 3: "city" has "Rome", a value training never saw; line 4: "city" is missing; line 5: "age" is missing; `; got != want || e.N != 2 {
			t.Errorf("refused %q (N %d), want %q", got, e.N, want)
		}
		for i, v := range e.X {
			if i%3 != 0 && v != 0 && v != 1 {
				t.Errorf("X = %v", e.X)
			}
		}
		if e.X[1]+e.X[2] != 1 || e.X[4]+e.X[5] != 1 {
			t.Errorf("a row has no category set: %v", e.X)
		}
	}
	_, err = EncodeCSV(strings.NewReader("city,age\nRome,1\n"), "new.csv", features, nil, nil)
	if err == nil || !strings.Contains(err.Error(), `new.csv: line 2: every row was refused, the first because "city" has "Rome"`) {
		t.Errorf("all refused: %v", err)
	}
	_, err = EncodeCSV(strings.NewReader("city,age\nLyon,abc\n"), "new.csv", features, nil, imp)
	if err == nil || !strings.Contains(err.Error(), `line 2, column 2 ("age"): expected a number, got "abc"`) {
		t.Errorf("a bad number: %v", err)
	}
}

// TestEncodeCSVNamesAbsentColumns: a file without a one-hot column is
// told the column's name (city), not one of its features (city=Lyon),
// and every absent column is named once.
func TestEncodeCSVNamesAbsentColumns(t *testing.T) {
	features := []string{"age", "city=Lyon", "city=Paris", "income"}
	for _, c := range []struct{ csv, want string }{
		{"age,income\n20,100\n", `f.csv: line 1: no column for the model's feature "city" (the header has: age, income)`},
		{"city\nLyon\n", `f.csv: line 1: no columns for the model's features "age", "income" (the header has: city)`},
		{"x\n1\n", `f.csv: line 1: no columns for the model's features "age", "city", "income" (the header has: x)`},
	} {
		_, err := EncodeCSV(strings.NewReader(c.csv), "f.csv", features, nil, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.csv, err, c.want)
		}
	}
}
