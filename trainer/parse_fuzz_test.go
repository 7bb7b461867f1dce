package trainer

import (
	"math"
	"strings"
	"testing"

	"workbench/datasets"
)

// FuzzParseTarget feeds arbitrary text to the stopping-rule parser
// (--until, "target" in a spec) and the metric-name parsers it shares
// with early stopping, the plateau schedule and a sweep's objective. None
// may panic; an accepted rule must print as a rule that parses to itself.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		"val_accuracy>=0.97", "val_loss<0.1", "val_r2 > 0.8", "train_loss<=1e-3", "val_auc>", ">=1", "val_accuracy>=NaN",
		"val_accuracy>=inf", "val_loss<-Inf", "val_accuracy=0.9", "val_", "train_auc>0.5", "val_loss<0x1p-3", "val_f1_macro>=0.5",
	} {
		f.Add(s)
	}
	tasks := []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression}
	f.Fuzz(func(t *testing.T, s string) {
		for _, task := range tasks {
			if m, err := ParseMetric(s, task); err == nil && (m.Split == "" || m.Metric == "") {
				t.Fatalf("ParseMetric(%q) = %+v without an error", s, m)
			}
		}
		if m, err := ParseMonitor(s); err == nil && m.String() != s {
			t.Fatalf("ParseMonitor(%q) prints as %q", s, m)
		}
		r, err := ParseTarget(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseTarget(%q): an empty error", s)
			}
			return
		}
		if math.IsNaN(r.Value) || !strings.Contains(">= <= > <", r.Op) {
			t.Fatalf("ParseTarget(%q) = %+v", s, r)
		}
		back, err := ParseTarget(r.String())
		if err != nil || back != r {
			t.Fatalf("ParseTarget(%q) = %+v prints as %q, which parses to %+v, %v", s, r, r.String(), back, err)
		}
		_ = r.Met(0.5)
	})
}

// FuzzParseNames feeds arbitrary text to the parsers of named settings:
// activations (a spec's layers and a saved model's), precisions and
// class weights. None may panic, and an accepted name must parse again to
// the same thing.
func FuzzParseNames(f *testing.F) {
	for _, s := range []string{
		"relu", "leaky_relu", "gelu", "f32", "float64", "none", "balanced", "bad=2.5,good=1", "0=2,1=1", "=1", "a=", "a=0",
		"a=1e6", "a=1e7", "a=NaN", "a=Inf", " a = 2 , b = 3 ", "a=1,,b=2", "99999999999999999999=2", "-1=2",
	} {
		f.Add(s)
	}
	names := []string{"bad", "good", "a"}
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := ParseActivation(s); err == nil && a.Name() != s {
			t.Fatalf("ParseActivation(%q) is named %q", s, a.Name())
		}
		if p, err := ParsePrecision(s); err == nil {
			if again, err := ParsePrecision(p); err != nil || again != p {
				t.Fatalf("ParsePrecision(%q) = %q, which parses to %q, %v", s, p, again, err)
			}
		}
		cw, err := parseClassWeight(s)
		if err != nil {
			return
		}
		for _, v := range cw.vals {
			if !(v > 0 && v <= 1e6) {
				t.Fatalf("parseClassWeight(%q) accepted the weight %v", s, v)
			}
		}
		for k := 1; k <= 4; k++ {
			w, err := ClassWeights(s, names, []float64{0, 1, 1, 3, -1, 7}, k)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "class_weight: ") {
					t.Fatalf("ClassWeights(%q) error does not name the field: %v", s, err)
				}
				continue
			}
			if w != nil && len(w) != k {
				t.Fatalf("ClassWeights(%q, k=%d) gave %d weights", s, k, len(w))
			}
			for _, v := range w {
				if !(v > 0) || math.IsInf(v, 0) {
					t.Fatalf("ClassWeights(%q, k=%d) = %v", s, k, w)
				}
			}
		}
	})
}
