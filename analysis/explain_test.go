package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/trainer"
)

// writeSynthetic writes a CSV of n rows whose label only one column
// decides: x1 > 0 when byColor is false, color == red when it is true.
func writeSynthetic(t *testing.T, n int, byColor bool) string {
	t.Helper()
	r := rand.New(rand.NewPCG(42, 1))
	var b strings.Builder
	b.WriteString("x1,x2,x3,color,label\n")
	colors := []string{"red", "green", "blue"}
	for i := 0; i < n; i++ {
		x1, x2, x3 := r.NormFloat64(), r.NormFloat64()*10+50, r.Float64()
		color := colors[r.IntN(3)]
		label := "no"
		if !byColor && x1 > 0 || byColor && color == "red" {
			label = "yes"
		}
		fmt.Fprintf(&b, "%.4f,%.4f,%.4f,%s,%s\n", x1, x2, x3, color, label)
	}
	path := filepath.Join(t.TempDir(), "synthetic.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func syntheticSpec(path string) trainer.Spec {
	s := trainer.DefaultSpec()
	s.Data = datasets.Spec{Path: path, Target: "label", Scale: "standard", Split: datasets.DefaultSplit, Seed: 1}
	s.Model.Hidden = []trainer.LayerSpec{{Units: 16, Activation: "relu"}}
	s.Optimizer = trainer.OptimizerSpec{Name: "adam", LR: 0.02}
	s.BatchSize = 32
	s.Epochs = 40
	return s
}

func TestPermutationImportanceFindsTheDecidingColumn(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	for _, byColor := range []bool{false, true} {
		decider := "x1"
		if byColor {
			decider = "color"
		}
		id := train(t, s, syntheticSpec(writeSynthetic(t, 800, byColor)))
		res, err := PermutationImportance(ctx, s, id, ExplainOptions{Repeats: 5, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, f := range res.Features {
			lines = append(lines, fmt.Sprintf("%s(%d) %.3f±%.3f", f.Feature, f.Columns, f.Mean, f.Std))
		}
		t.Logf("decided by %s: baseline %s %.3f; %s", decider, res.Metric, res.Baseline, strings.Join(lines, ", "))
		if len(res.Features) != 4 {
			t.Fatalf("%d features, want 4 original columns (color's one-hot group as one)", len(res.Features))
		}
		top := res.Features[0]
		if top.Feature != decider || top.Mean < 0.25 {
			t.Errorf("top feature %s with %.3f, want %s with a clear drop", top.Feature, top.Mean, decider)
		}
		for _, f := range res.Features[1:] {
			if math.Abs(f.Mean) > 0.03 || top.Mean < 5*math.Abs(f.Mean) {
				t.Errorf("%s: drop %.3f, want near 0 beside %s's %.3f", f.Feature, f.Mean, decider, top.Mean)
			}
		}
		for _, f := range res.Features {
			if f.Feature == "color" && f.Columns != 3 {
				t.Errorf("color spans %d columns, want its 3 one-hot columns together", f.Columns)
			}
		}
		if res.Baseline < 0.9 {
			t.Errorf("baseline accuracy %.3f: the model did not learn the rule", res.Baseline)
		}
	}
}

func TestAttributionOfOneRow(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	id := train(t, s, syntheticSpec(writeSynthetic(t, 800, false)))
	for _, method := range []string{MethodIntegratedGradients, MethodGradientInput} {
		res, err := Attribute(ctx, s, id, 3, method)
		if err != nil {
			t.Fatal(err)
		}
		if res.Features[0].Feature != "x1" {
			t.Errorf("%s: top feature %+v, want x1", method, res.Features[0])
		}
		if res.Output != "P(yes)" {
			t.Errorf("output %q", res.Output)
		}
		if method == MethodIntegratedGradients {
			sum := 0.0
			for _, f := range res.Features {
				sum += f.Effect
			}
			if math.Abs(sum-(res.Value-res.BaselineValue)) > 0.02 {
				t.Errorf("effects add up to %.4f, output − baseline = %.4f", sum, res.Value-res.BaselineValue)
			}
		}
		for _, f := range res.Features {
			if f.Feature == "color" && (!f.Categorical() || (f.Category != "red" && f.Category != "green" && f.Category != "blue")) {
				t.Errorf("color shown as %+v, want its category", f)
			}
		}
	}
	if _, err := Attribute(ctx, s, id, 10_000, ""); err == nil || !strings.Contains(err.Error(), "--row") {
		t.Errorf("row out of range: %v", err)
	}
}
