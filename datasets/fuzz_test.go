package datasets

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the CSV loader: it must never panic,
// and whatever it accepts must be a consistent table. The seed corpus lives
// in testdata/fuzz/FuzzLoad and runs as a normal test.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"a,b,y\n1,2,0\n3,4,1\n",
		"a;b;y\r\n1;2;x\r\n3;4;z\r\n",
		"\xef\xbb\xbf\"q,1\",y\n\"1\",0\n2,1\n",
		"a,b\n1,NA\n?,2\n",
		"x\ty\n1\t\n",
		"\"unterminated\n1,2",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		o := CSVOptions{Name: "fuzz.csv", Missing: MissingPolicy(mode % 3), MaxCategories: 8}
		if mode&4 != 0 {
			o.Target = "0"
		}
		tab, err := Load(bytes.NewReader(data), o)
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || ce.File != "fuzz.csv" {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if tab.N == 0 || tab.D == 0 || len(tab.X) != tab.N*tab.D || len(tab.Y) != tab.N || len(tab.Meta.FeatureNames) != tab.D {
			t.Fatalf("inconsistent table %d×%d, %d X, %d Y", tab.N, tab.D, len(tab.X), len(tab.Y))
		}
		k := tab.Meta.Classes()
		for _, y := range tab.Y {
			if math.IsNaN(y) || (k > 0 && (y < 0 || int(y) >= k)) {
				t.Fatalf("bad target %v with %d classes", y, k)
			}
		}
		// Preparing what loaded must not panic either.
		_, _ = Prepare(tab, Spec{Split: DefaultSplit, Scale: "standard"})
	})
}
