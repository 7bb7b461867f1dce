package trainer

import (
	"bytes"
	"encoding/json"
	"testing"

	"workbench/datasets"
)

// specSeeds are run specs as users write them: the README's partial spec,
// --print-spec output of the default and of edited specs, and broken ones.
func specSeeds(f *testing.F) []string {
	wide := DefaultSpec()
	wide.Data = datasets.Spec{Path: "my.csv", Target: "label", Ignore: []string{"id"}, Missing: "impute", Scale: "standard",
		Split: datasets.DefaultSplit, Seed: 3}
	wide.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu", Dropout: 0.1}, {Units: 8, Activation: "gelu", BatchNorm: true}}
	wide.Optimizer = OptimizerSpec{Name: "adamw", LR: 1e-3, WeightDecay: 0.01}
	wide.Schedule = DefaultSchedule("plateau")
	wide.EarlyStop = EarlyStopSpec{Monitor: "val_accuracy", Patience: 10}
	wide.Target = "val_accuracy>=0.97"
	wide.ClassWeight = "balanced"
	wide.Precision = Float32
	wide.Tags = []string{"a", "b"}
	var out []string
	for _, s := range []Spec{DefaultSpec(), wide} {
		b, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, string(b))
	}
	return append(out,
		`{"data":{"name":"xor"},"epochs":3}`,
		`{"seed":7,"optimizer":{"name":"adam","lr":0.001}}`,
		`{"data":{"name":"iris"},"target":"val_accuracy>=0.97","class_weight":"0=2,1=1"}`,
		`{"data":{"name":"housing"},"loss":"huber","scale_target":"standard","cv":5}`,
		`{"model":{"hidden":[{"units":1000000000,"activation":"relu"}]}}`,
		`{"epoch":3}`, `{"data":null}`, `[]`, `{"model":{"hidden":null}}`, `{"decision":{"cost_fp":1,"cost_fn":5}}`,
	)
}

// FuzzParseSpec feeds arbitrary bytes to the run-spec decoder: it must
// never panic; a spec that decodes must validate (or not) and render every
// field without panicking; and a valid spec must survive a save and load.
//
// The round trip compares the JSON of the two specs, not the structs:
// omitempty writes an empty list ("tags":[]) as nothing, which loads as a
// nil list, the same spec.
func FuzzParseSpec(f *testing.F) {
	for _, s := range specSeeds(f) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSpec(data)
		if err != nil {
			return
		}
		verr := s.Validate()
		for i := range fields {
			for l := -1; l < min(len(s.Model.Hidden), 3); l++ {
				if l < 0 || fields[i].PerLayer {
					_, _ = s.get(&fields[i], l)
				}
			}
		}
		for _, task := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
			_ = s.CheckTask(task)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("a decoded spec does not marshal: %v", err)
		}
		if verr != nil {
			return
		}
		if p, err := ParseSpec(data); err != nil {
			t.Fatalf("ParseSpec refuses a spec that DecodeSpec and Validate accept: %v", err)
		} else if c := p.Clone(); c.Validate() != nil {
			t.Fatalf("a clone of a valid spec is invalid: %v", c.Validate())
		}
		back, err := ParseSpec(b)
		if err != nil {
			t.Fatalf("a valid spec does not load after a save: %v\n%s", err, b)
		}
		b2, _ := json.Marshal(back)
		if !bytes.Equal(b, b2) {
			t.Fatalf("the spec changed in a save and load:\n%s\n%s", b, b2)
		}
	})
}

// FuzzSetField feeds arbitrary field names and texts to Spec.Set, which
// the command line's flags, sweep axes and the Setup form all call:
// it must never panic, an error must leave the spec as it was, and a
// value it accepts must read back with Get.
func FuzzSetField(f *testing.F) {
	for _, seed := range [][2]string{
		{"lr", "0.01"}, {"layers", "8,8"}, {"layers", "16"}, {"act", "relu"}, {"bn", "true"}, {"dropout", "0.2,0.1"},
		{"model.hidden[1].units", "32"}, {"model.hidden[9].units", "3"}, {"model.hidden[-1].units", "3"},
		{"model.hidden[].activation", "tanh"}, {"split", "0.8,0.1,0.1"}, {"data.split", "0.5,0.5"}, {"data", "iris"},
		{"opt", "gd"}, {"schedule", "plateau"}, {"target", "val_accuracy>=0.97"}, {"until", "val_loss<0.1"},
		{"class-weight", "bad=2.5,good=1"}, {"precision", "f32"}, {"epochs", "1e9"}, {"batch", "-1"},
		{"seed", "18446744073709551615"}, {"crosses", "x1sq,x1x2"}, {"tags", "a,b"}, {"cv", "5"},
		{"lrr", "1"}, {"", ""}, {"model.hidden[", "1"}, {"model.hidden[99999999999999999999].units", "1"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		s := DefaultSpec()
		before, _ := json.Marshal(s)
		fl, layer, err := LookupField(name)
		if err != nil {
			if fl != nil || layer != -1 {
				t.Fatalf("LookupField(%q) failed but returned a field", name)
			}
		}
		if err := s.Set(name, text); err != nil {
			if after, _ := json.Marshal(s); !bytes.Equal(before, after) {
				t.Fatalf("a failed Set(%q, %q) changed the spec: %v", name, text, err)
			}
			return
		}
		if _, err := s.Get(name); err != nil {
			t.Fatalf("Set(%q, %q) succeeded but Get fails: %v", name, text, err)
		}
		_ = s.Validate()
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("Set(%q, %q) made a spec that does not marshal: %v", name, text, err)
		}
	})
}
