package datasets

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestBuiltinsLoadWithDocumentedShapes(t *testing.T) {
	want := map[string]struct {
		n, d   int
		counts []int
	}{
		"iris":             {150, 4, []int{50, 50, 50}},
		"wine":             {178, 13, []int{59, 71, 48}},
		"breast-cancer":    {569, 30, []int{212, 357}},
		"digits":           {1797, 64, []int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}},
		"diabetes":         {442, 10, nil},
		"penguins":         {333, 10, []int{146, 68, 119}},
		"concrete":         {1030, 8, nil},
		"titanic":          {1309, 10, []int{809, 500}},
		"credit":           {4454, 26, []int{3200, 1254}},
		"auto-mpg":         {392, 9, nil},
		"fashion-mnist-3k": {3000, 784, []int{302, 308, 310, 298, 324, 285, 298, 293, 297, 285}},
		"seed-example":     {4, 2, []int{2, 2}},
		"spiral":           {500, 2, []int{250, 250}},
	}
	seen := 0
	for _, info := range List() {
		tab, err := Open(info.Name, 0, 0, 1)
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		if tab.Meta.Task != info.Task || tab.Meta.Description == "" || tab.Meta.License == "" {
			t.Errorf("%s: incomplete metadata %+v", info.Name, tab.Meta)
		}
		if len(tab.Meta.FeatureNames) != tab.D || len(tab.X) != tab.N*tab.D || len(tab.Y) != tab.N {
			t.Errorf("%s: inconsistent shapes", info.Name)
		}
		// The list gives the shape as numbers too, those 'datasets show
		// --json' gives (it had only the string "150×4").
		if info.Rows != tab.Meta.Rows || info.Features != tab.Meta.Features || info.Shape != fmt.Sprintf("%d×%d", info.Rows, info.Features) {
			t.Errorf("%s: listed %d×%d (%q), shown %d×%d", info.Name, info.Rows, info.Features, info.Shape, tab.Meta.Rows, tab.Meta.Features)
		}
		p, err := Build(Spec{Name: info.Name, Split: DefaultSplit})
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		for _, v := range p.Train.X {
			if math.IsNaN(v) {
				t.Errorf("%s: NaN in the features", info.Name)
				break
			}
		}
		w, ok := want[info.Name]
		if !ok {
			continue
		}
		seen++
		if tab.N != w.n || tab.D != w.d || !reflect.DeepEqual(tab.Meta.ClassCounts, w.counts) && w.counts != nil {
			t.Errorf("%s: %d×%d with %v, want %d×%d with %v", info.Name, tab.N, tab.D, tab.Meta.ClassCounts, w.n, w.d, w.counts)
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d datasets, want %d", seen, len(want))
	}
	if tab, _ := Open("seed-example", 0, 0, 0); !reflect.DeepEqual(tab.X, []float64{1, 2, 3, 4, 5, 6, 7, 8}) || !reflect.DeepEqual(tab.Y, []float64{0, 1, 1, 0}) {
		t.Errorf("seed example is %v %v", tab.X, tab.Y)
	}
}

// nnDisagreement is the fraction of points whose nearest neighbour has
// another label: a label-noise rate that needs no knowledge of the shape.
func nnDisagreement(t *Table) float64 {
	bad := 0
	for i := 0; i < t.N; i++ {
		best, bj := math.Inf(1), -1
		for j := 0; j < t.N; j++ {
			if i == j {
				continue
			}
			dx, dy := t.X[2*i]-t.X[2*j], t.X[2*i+1]-t.X[2*j+1]
			if d := dx*dx + dy*dy; d < best {
				best, bj = d, j
			}
		}
		if t.Y[bj] != t.Y[i] {
			bad++
		}
	}
	return float64(bad) / float64(t.N)
}

func TestSyntheticDeterministicAndNoisy(t *testing.T) {
	for _, name := range []string{"circle", "xor", "gauss", "spiral", "moons"} {
		a, _ := Generate(name, 400, 0.2, 7)
		b, _ := Generate(name, 400, 0.2, 7)
		c, _ := Generate(name, 400, 0.2, 8)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: same seed, different data", name)
		}
		if reflect.DeepEqual(a.X, c.X) {
			t.Errorf("%s: different seeds, same data", name)
		}
		clean, _ := Generate(name, 400, 0, 7)
		noisy, _ := Generate(name, 400, 0.5, 7)
		if lo, hi := nnDisagreement(clean), nnDisagreement(noisy); !(hi > lo+0.05) {
			t.Errorf("%s: label-noise rate %.3f at noise 0, %.3f at noise 0.5", name, lo, hi)
		}
	}
	if _, err := Generate("spiral", 100, 0.7, 1); err == nil {
		t.Error("noise 0.7 accepted")
	}
}

func TestScalingFitsOnTrainOnly(t *testing.T) {
	tab, _ := Generate("reg-plane", 100, 0, 3)
	s := Spec{Name: "reg-plane", Split: DefaultSplit, Seed: 3, Scale: "standard"}
	p, err := Prepare(tab, s)
	if err != nil {
		t.Fatal(err)
	}
	// Put an outlier in a test row: refitting must not see it.
	tab2, _ := Generate("reg-plane", 100, 0, 3)
	_, _, te, _ := splitIndices(tab2, DefaultSplit, 3)
	tab2.X[te[0]*2] = 1e6
	p2, err := Prepare(tab2, s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Scaler, p2.Scaler) {
		t.Fatalf("a test-split outlier changed the scaler: %+v vs %+v", p.Scaler, p2.Scaler)
	}
	mean, sd := 0.0, 0.0
	for i := 0; i < p.Train.N; i++ {
		mean += p.Train.X[i*2]
	}
	mean /= float64(p.Train.N)
	for i := 0; i < p.Train.N; i++ {
		sd += (p.Train.X[i*2] - mean) * (p.Train.X[i*2] - mean)
	}
	sd = math.Sqrt(sd / float64(p.Train.N))
	if math.Abs(mean) > 1e-12 || math.Abs(sd-1) > 1e-12 {
		t.Fatalf("scaled train column has mean %v, sd %v", mean, sd)
	}
	// Min-max maps the train split onto [0, 1].
	s.Scale = "minmax"
	p3, _ := Prepare(tab, s)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < p3.Train.N; i++ {
		lo, hi = math.Min(lo, p3.Train.X[i*2]), math.Max(hi, p3.Train.X[i*2])
	}
	if lo != 0 || math.Abs(hi-1) > 1e-12 {
		t.Fatalf("minmax train range [%v, %v]", lo, hi)
	}
	// The scaler serializes and reapplies to raw input.
	b, _ := json.Marshal(p.Scaler)
	var back Scaler
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, p.Scaler) {
		t.Fatalf("scaler round trip: %v", err)
	}
}

func TestStratifiedSplitKeepsRatios(t *testing.T) {
	for _, name := range []string{"iris", "breast-cancer", "digits", "titanic"} {
		tab, _ := Open(name, 0, 0, 0)
		ratios := [3]float64{0.6, 0.25, 0.15}
		tr, va, te, _ := splitIndices(tab, ratios, 5)
		if len(tr)+len(va)+len(te) != tab.N {
			t.Fatalf("%s: split lost rows", name)
		}
		k := tab.Meta.Classes()
		for si, idx := range [][]int{tr, va, te} {
			counts := make([]int, k)
			for _, i := range idx {
				counts[int(tab.Y[i])]++
			}
			for c := 0; c < k; c++ {
				ideal := float64(tab.Meta.ClassCounts[c]) * ratios[si]
				if math.Abs(float64(counts[c])-ideal) > 1 {
					t.Errorf("%s split %d class %d: %d rows, ideal %.1f", name, si, c, counts[c], ideal)
				}
			}
		}
	}
	// Small sets are not split.
	p, err := Build(Spec{Name: "seed-example", Split: DefaultSplit})
	if err != nil {
		t.Fatal(err)
	}
	if p.Train.N != 4 || p.Val.N != 4 || p.Test.N != 4 || !strings.Contains(p.SplitRule, "small set") {
		t.Fatalf("seed example split %d/%d/%d (%s)", p.Train.N, p.Val.N, p.Test.N, p.SplitRule)
	}
}

func TestSpecIsReproducibleAndHashed(t *testing.T) {
	s := Spec{Name: "moons", Samples: 300, Noise: 0.2, Split: DefaultSplit, Seed: 9, Scale: "standard", Crosses: []string{"x1sq", "sinx2"}}
	a, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Build(s)
	if a.Hash != b.Hash || !reflect.DeepEqual(a.Train, b.Train) {
		t.Fatal("the same spec built different matrices")
	}
	if a.Train.D != 4 || a.Meta.FeatureNames[2] != "x₁²" {
		t.Fatalf("crosses: %d features %v", a.Train.D, a.Meta.FeatureNames)
	}
	s.Seed = 10
	c, _ := Build(s)
	if c.Hash == a.Hash {
		t.Fatal("a different seed gave the same hash")
	}
	js, _ := json.Marshal(s)
	var back Spec
	if err := json.Unmarshal(js, &back); err != nil || !reflect.DeepEqual(back, s) {
		t.Fatalf("spec round trip: %v %+v", err, back)
	}
}

func TestAugmenter(t *testing.T) {
	s := Spec{AugNoise: 0.1, Mixup: 0.4, Seed: 3}
	a := NewAugmenter(s, 8, 2, 2)
	b := NewAugmenter(s, 8, 2, 2)
	x1 := make([]float64, 16)
	tg := []float64{1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1}
	x2, t2 := append([]float64(nil), x1...), append([]float64(nil), tg...)
	a.Apply(x1, tg, 8, 2, 2)
	b.Apply(x2, t2, 8, 2, 2)
	if !reflect.DeepEqual(x1, x2) || !reflect.DeepEqual(tg, t2) {
		t.Fatal("augmentation is not deterministic for its seed")
	}
	for i := 0; i < 8; i++ {
		if s := tg[2*i] + tg[2*i+1]; math.Abs(s-1) > 1e-12 {
			t.Fatalf("mixed targets of row %d sum to %v", i, s)
		}
	}
	x3 := make([]float64, 16)
	a.Apply(x3, append([]float64(nil), t2...), 8, 2, 2)
	if reflect.DeepEqual(x3, x1) {
		t.Fatal("a second call drew the same noise")
	}
	if NewAugmenter(Spec{}, 8, 2, 2) != nil {
		t.Fatal("no augmentation should give a nil augmenter")
	}
}

func TestCreditIsBinaryWithBadPositiveImputedAndStandardScaled(t *testing.T) {
	p, err := Build(Spec{Name: "credit", Split: DefaultSplit, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Task() != Binary || !reflect.DeepEqual(p.Meta.ClassNames, []string{"good", "bad"}) {
		t.Fatalf("task %s, classes %v; want binary with bad as class 1", p.Task(), p.Meta.ClassNames)
	}
	if !reflect.DeepEqual(p.Meta.ClassCounts, []int{3200, 1254}) || p.Meta.Rows != 4454 {
		t.Errorf("rows %d, counts %v; want 4454 rows, 3200 good and 1254 bad", p.Meta.Rows, p.Meta.ClassCounts)
	}
	if p.Scaler.Kind != "standard" {
		t.Errorf("scaler %q, want standard by default", p.Scaler.Kind)
	}
	for _, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		for _, v := range sp.X {
			if math.IsNaN(v) {
				t.Fatal("a missing value survived imputation")
			}
		}
	}
	groups := FeatureGroups(p.Meta.FeatureNames)
	var names []string
	for _, g := range groups {
		names = append(names, g.Name)
	}
	want := []string{"Seniority", "Home", "Time", "Age", "Marital", "Records", "Job", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("groups %v, want the 13 original columns %v", names, want)
	}
	none, err := Build(Spec{Name: "credit", Split: DefaultSplit, Seed: 1, Scale: "none"})
	if err != nil || none.Scaler.Kind != "none" {
		t.Errorf("an explicit scale none must win over the default: %v %v", none.Scaler.Kind, err)
	}
}

func TestPositiveClassSwapsLabelsWithoutMovingRows(t *testing.T) {
	a, err := Build(Spec{Name: "credit", Split: DefaultSplit, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(Spec{Name: "credit", Split: DefaultSplit, Seed: 3, Positive: "good"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.Meta.ClassNames, []string{"bad", "good"}) {
		t.Fatalf("classes %v", b.Meta.ClassNames)
	}
	if !reflect.DeepEqual(a.Test.X, b.Test.X) {
		t.Fatal("choosing the positive class moved rows between splits")
	}
	for i := range a.Test.Y {
		if a.Test.Y[i] != 1-b.Test.Y[i] {
			t.Fatal("labels not swapped")
		}
	}
	_, err = Build(Spec{Name: "credit", Split: DefaultSplit, Positive: "awful"})
	if err == nil || !strings.Contains(err.Error(), "data.positive") || !strings.Contains(err.Error(), "good, bad") {
		t.Errorf("unknown class: %v", err)
	}
	_, err = Build(Spec{Name: "iris", Split: DefaultSplit, Positive: "setosa"})
	if err == nil || !strings.Contains(err.Error(), "binary") {
		t.Errorf("multiclass: %v", err)
	}
}
