package datasets

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestCVFoldsImputeFromTheirTrainingRows checks that cross-validation
// fills a missing cell from its fold's training rows, not from the
// original training split, which holds the fold's validation rows and
// misses the rows that were validation rows. The target is the row
// number, so each row knows its value of a: missing when the row number
// is a multiple of 5, else its square.
func TestCVFoldsImputeFromTheirTrainingRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,c,y\n")
	for i := range 60 {
		a := fmt.Sprint(i * i)
		if i%5 == 0 {
			a = "NA"
		}
		fmt.Fprintf(&b, "%s,%d,%d\n", a, i%7, i)
	}
	reg := Regression
	tab, err := Load(strings.NewReader(b.String()), CSVOptions{Name: "m.csv", Target: "y", Task: &reg, Missing: MissingImpute})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(tab, Spec{Path: "m.csv", Split: [3]float64{0.6, 0.2, 0.2}, Seed: 3, Scale: "none"})
	if err != nil {
		t.Fatal(err)
	}
	// fillOf is the mean of a over a split's rows where a is present.
	fillOf := func(s *Split) float64 {
		sum, n := 0.0, 0
		for i := 0; i < s.N; i++ {
			if r := int(s.Y[i]); r%5 != 0 {
				sum += float64(r * r)
				n++
			}
		}
		return sum / float64(n)
	}
	folds, err := p.CVFolds(4, false, 9)
	if err != nil {
		t.Fatal(err)
	}
	for k, f := range folds {
		want := fillOf(&f.Train)
		if math.Abs(want-fillOf(&p.Train)) < 1 {
			t.Fatalf("fold %d: its training rows' mean %v is the training split's: the test cannot tell them apart", k+1, want)
		}
		filled := 0
		for _, s := range []*Split{&f.Train, &f.Val, &f.Test} {
			for i := 0; i < s.N; i++ {
				r := int(s.Y[i])
				got, exact := s.X[i*s.D], float64(r*r)
				if r%5 == 0 {
					exact = want
					filled++
				}
				if math.Abs(got-exact) > 1e-9*math.Max(1, exact) {
					t.Fatalf("fold %d, row %d: a is %v, want %v (the fold's training mean is %v, the training split's %v)",
						k+1, r, got, exact, want, fillOf(&p.Train))
				}
			}
		}
		if filled == 0 {
			t.Fatalf("fold %d filled no cell", k+1)
		}
		if im := f.Scaler.Impute; im == nil || im.Policy != ImputePolicy || math.Abs(im.Fill[0]-want) > 1e-9*want {
			t.Errorf("fold %d saves the imputer %+v, want fill %v", k+1, im, want)
		}
	}
}

// TestCVFoldsKeepTheDatasetsDefaultScaling checks that a fold is scaled as
// the run is when the spec leaves the scaling to the dataset (credit's is
// standard): refitted on the fold's training rows, which then have mean 0
// and standard deviation 1 in every column.
func TestCVFoldsKeepTheDatasetsDefaultScaling(t *testing.T) {
	p, err := Build(Spec{Name: "credit", Split: DefaultSplit, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Scaler.Kind != "standard" {
		t.Fatalf("credit scales %q by default", p.Scaler.Kind)
	}
	folds, err := p.CVFolds(3, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k, f := range folds {
		tr := &f.Train
		for j := range tr.D {
			sum, ss := 0.0, 0.0
			for i := range tr.N {
				sum += tr.X[i*tr.D+j]
			}
			mean := sum / float64(tr.N)
			for i := range tr.N {
				d := tr.X[i*tr.D+j] - mean
				ss += d * d
			}
			sd := math.Sqrt(ss / float64(tr.N))
			if math.Abs(mean) > 1e-9 || (sd > 1e-12 && math.Abs(sd-1) > 1e-9) {
				t.Fatalf("fold %d, column %q: mean %v, sd %v on its training rows, want 0 and 1", k+1, p.Meta.FeatureNames[j], mean, sd)
			}
		}
	}
}
