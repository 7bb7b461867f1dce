package datasets

import (
	"strings"
	"testing"
)

func TestRangeHint(t *testing.T) {
	csv := "id,age,income,city,label\n1,18,0,Lyon,no\n2,70,90000,Paris,yes\n3,44,45000,Nice,yes\n4,30,NA,Lyon,no\n"
	tab, err := Load(strings.NewReader(csv), CSVOptions{Name: "my.csv", Ignore: []string{"id"}, Missing: MissingImpute})
	if err != nil {
		t.Fatal(err)
	}
	want := "income spans 0–90,000 while age spans 18–70" // not city=Lyon, a 0/1 column
	if got := RangeHint(tab, ""); got != want {
		t.Errorf("RangeHint = %q, want %q", got, want)
	}
	for _, sc := range []string{"standard", "minmax"} {
		if got := RangeHint(tab, sc); got != "" {
			t.Errorf("scale %s: hint %q", sc, got)
		}
	}
	p, err := Prepare(tab, Spec{Split: [3]float64{1, 0, 0}, Missing: "impute"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.RangeHint(); got != want {
		t.Errorf("Prepared.RangeHint = %q, want %q", got, want)
	}
	p, _ = Prepare(tab, Spec{Split: [3]float64{1, 0, 0}, Scale: "standard"})
	if got := p.RangeHint(); got != "" {
		t.Errorf("scaled: %q", got)
	}
	// Comparable ranges, negative values and one-hot columns alone say nothing.
	for _, c := range []string{"a,b,y\n-3,50,0\n2,-40,1\n", "a,c,y\n1,x,0\n0,z,1\n"} {
		tab, err := Load(strings.NewReader(c), CSVOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := RangeHint(tab, "none"); got != "" {
			t.Errorf("%q: hint %q", c, got)
		}
	}
	tab, _ = Load(strings.NewReader("a,b,y\n-3,5000,0\n2,-4000,1\n"), CSVOptions{})
	if got := RangeHint(tab, ""); got != "b spans -4,000 to 5,000 while a spans -3 to 2" {
		t.Errorf("negative spans: %q", got)
	}
}
