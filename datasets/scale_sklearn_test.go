package datasets

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestScalersMatchSklearn checks FitScaler and Transform against
// scikit-learn's StandardScaler (population standard deviation, ddof 0)
// and MinMaxScaler on the cases of scripts/metricref.py
// (testdata/scale_sklearn.json): one to forty rows, scales from 1e-3 to
// 1e3, offsets up to a few hundred, constant columns (mapped to 0 by
// both) and a near-constant one (1e8 and 1e8+1e-7: a spread within the
// rounding of the mean, which both leave unscaled; see meanStd).
func TestScalersMatchSklearn(t *testing.T) {
	b, err := os.ReadFile("testdata/scale_sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Name             string
			N, D             int
			X                []float64
			Standard, MinMax []float64
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 20 {
		t.Fatalf("only %d cases", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		s := Split{X: c.X, N: c.N, D: c.D}
		for _, k := range []struct {
			kind Scaling
			want []float64
		}{{ScaleStandard, c.Standard}, {ScaleMinMax, c.MinMax}} {
			sc := FitScaler(k.kind, &s)
			got := make([]float64, len(c.X))
			sc.Transform(got, c.X)
			for i, w := range k.want {
				// 1e-9, plus the rounding of x − mean at x's magnitude:
				// a near-constant column is left unscaled, and Go's
				// corrected mean is nearer the true one than sklearn's.
				if math.Abs(got[i]-w) > 1e-9+4*0x1p-52*math.Abs(c.X[i]) {
					t.Errorf("%s %s: cell %d (row %d column %d) = %.17g, sklearn %.17g", c.Name, k.kind, i, i/c.D, i%c.D, got[i], w)
				}
			}
		}
	}
}

// TestTargetScalerNearConstant: a regression target whose spread is
// within the rounding of its mean keeps factor 1, like a feature column
// (before meanStd its factor was about 2e7).
func TestTargetScalerNearConstant(t *testing.T) {
	ts := FitTargetScaler("standard", []float64{1e8, 1e8 + 1e-7, 1e8})
	if ts.Factor != 1 || math.Abs(ts.Offset-1e8) > 1e-6 {
		t.Errorf("near-constant target: factor %v offset %v, want 1 and 1e8", ts.Factor, ts.Offset)
	}
	ts = FitTargetScaler("standard", []float64{1, 2, 3, 4})
	if want := 1 / math.Sqrt(1.25); math.Abs(ts.Factor-want) > 1e-15 || ts.Offset != 2.5 {
		t.Errorf("target 1…4: factor %v offset %v, want %v and 2.5", ts.Factor, ts.Offset, want)
	}
}

// TestStratifiedSplitProperty draws class counts and split ratios and
// checks that the splits cover every row once and hold each class within
// one row of its share (n_c × ratio), as splitIndices promises.
func TestStratifiedSplitProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		k := 2 + r.IntN(5)
		var y []float64
		counts := make([]int, k)
		for c := range k {
			counts[c] = r.IntN(60)
			if trial%10 == 0 && c == 0 {
				counts[c] = 1 // a class with a single row
			}
			for range counts[c] {
				y = append(y, float64(c))
			}
		}
		if len(y) < SmallSetRows {
			continue
		}
		r.Shuffle(len(y), func(i, j int) { y[i], y[j] = y[j], y[i] })
		a, b := r.Float64(), r.Float64()*0.5
		if trial%7 == 0 {
			b = 0
		}
		ratios := [3]float64{a * (1 - b), b, (1 - a) * (1 - b)}
		names := make([]string, k)
		tab := &Table{Meta: Meta{Task: Multiclass, ClassNames: names}, Y: y, N: len(y), X: make([]float64, len(y))}
		tr, va, te, rule := splitIndices(tab, ratios, uint64(trial))
		noVal := strings.Contains(rule, "no validation rows")
		seen := make([]int, len(y))
		for si, idx := range [][]int{tr, va, te} {
			if si == 1 && noVal {
				continue
			}
			per := make([]int, k)
			for _, i := range idx {
				seen[i]++
				per[int(y[i])]++
			}
			for c := range k {
				if ideal := float64(counts[c]) * ratios[si]; math.Abs(float64(per[c])-ideal) > 1 {
					t.Fatalf("trial %d (%s) split %d class %d: %d rows, ideal %.2f of %d", trial, rule, si, c, per[c], ideal, counts[c])
				}
			}
		}
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("trial %d: row %d is in %d splits", trial, i, n)
			}
		}
	}
}
