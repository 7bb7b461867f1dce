package trainer

import (
	"encoding/json"
	"reflect"
	"testing"

	"workbench/datasets"
)

func TestDecodeSpecFillsDefaults(t *testing.T) {
	s, err := ParseSpec([]byte(`{"data":{"name":"xor"},"epochs":3}`))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSpec()
	want.Data = datasets.Spec{Name: "xor", Split: datasets.DefaultSplit, Seed: 1}
	want.Epochs = 3
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got %+v\nwant %+v", s, want)
	}
	s, err = ParseSpec([]byte(`{"seed":7,"optimizer":{"name":"adam","lr":0.001}}`))
	if err != nil || s.Data.Name != "circle" || s.Data.Seed != 1 || s.Seed != 7 || s.Optimizer.LR != 0.001 || s.BatchSize != 10 {
		t.Fatalf("%+v %v", s, err)
	}
	if _, err := ParseSpec([]byte(`{"epoch":3}`)); err == nil {
		t.Fatal("an unknown field was accepted")
	}
}

func TestDecodeSpecRoundTripsCompleteSpecs(t *testing.T) {
	csv := DefaultSpec()
	csv.Data = datasets.Spec{Path: "x.csv", Split: [3]float64{0.8, 0.1, 0.1}, Seed: 3}
	csv.Model.Hidden = nil
	csv.BatchSize = 0
	wide := DefaultSpec()
	wide.Model.Hidden = []LayerSpec{{Units: 16, Activation: "relu", Dropout: 0.1}, {Units: 8, Activation: "relu"}, {Units: 4, Activation: "relu", BatchNorm: true}}
	wide.Optimizer = OptimizerSpec{Name: "adamw", LR: 1e-3, WeightDecay: 0.01}
	for _, s := range []Spec{DefaultSpec(), csv, wide} {
		b, _ := json.Marshal(s)
		got, err := DecodeSpec(b)
		if err != nil || !reflect.DeepEqual(got, s) {
			t.Errorf("%s:\n got %+v (%v)", b, got, err)
		}
	}
}

// TestDecodeSpecErrorsSpeakSpec: decoding errors name the spec's field
// path, what it wants and the nearest known name, and a syntax error's
// line and column, not encoding/json's Go types.
func TestDecodeSpecErrorsSpeakSpec(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"optimizer":{"lrr":0.1}}`, `spec: unknown field "optimizer.lrr" (did you mean "lr"?)`},
		{`{"epochz":3}`, `spec: unknown field "epochz" (did you mean "epochs"?)`},
		// A flag's name was met with the nearest spelling: "lr" with "l1".
		{`{"lr":0.1}`, `spec: unknown field "lr" (--lr is optimizer.lr in a spec)`},
		{`{"batch":32}`, `spec: unknown field "batch" (--batch is batch_size in a spec)`},
		{`{"model":{"hidden":[{"units":4},{"unitz":3}]}}`, `spec: unknown field "model.hidden[1].unitz" (did you mean "units"?)`},
		{`{"optimizer":{"lr":"x"}}`, `spec: optimizer.lr must be a number, got a string`},
		{`{"epochs":3.5}`, `spec: epochs must be a whole number, got a number (3.5)`},
		{`{"model":{"hidden":{"units":4}}}`, `spec: model.hidden must be a list, got an object`},
		{"{\"epochs\": 3,\n \"seed\": }", `spec: line 2, column 10: invalid character '}' looking for beginning of value`},
		// Cut short, it said only "unexpected EOF"; a second object was
		// ignored in silence.
		{"{\"data\":{\"name\":\"xor\"},\n\"epochs\":3", `spec: line 2: the file ends inside the JSON object (a missing } or ])`},
		{"{\"epochs\":3}\n{}", `spec: line 2, column 1: text after the JSON object's closing }`},
	} {
		_, err := DecodeSpec([]byte(c.in))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.in, err, c.want)
		}
	}
}
