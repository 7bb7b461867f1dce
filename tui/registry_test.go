package tui

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/sweeps"
	"workbench/trainer"
)

// Values for the rows whose valid and invalid texts cannot be read off
// their kind and steps; "" means no invalid text exists (free text).
var (
	goodText = map[string]string{
		"data.path": "other/x.csv", "data.target": "y", "data.ignore": "id", "data.crosses": "x1x2",
		"data.split": "0.6,0.2,0.2", "model.hidden": "8,8", "schedule.monitor": "val_accuracy",
		"early_stop.monitor": "val_accuracy", "target": "val_accuracy>=0.9", "name": "trial", "tags": "a,b",
		"seed": "7", "data.seed": "7", "early_stop.min_delta": "0.01", "data.positive": "bad",
	}
	badText = map[string]string{
		"data.path": "", "data.target": "", "data.ignore": "", "name": "", "tags": "", "data.positive": "",
		"data.crosses": "x9", "data.split": "1", "model.hidden": "0", "schedule.monitor": "bogus",
		"early_stop.monitor": "bogus", "target": "bogus", "data.name": "bogus",
	}
)

// bases are specs that make each row apply: Setup shows a row only then.
func bases() []trainer.Spec {
	mk := func(edit func(*trainer.Spec)) trainer.Spec { s := trainer.DefaultSpec(); edit(&s); return s }
	return []trainer.Spec{
		trainer.DefaultSpec(),
		mk(func(s *trainer.Spec) { s.Optimizer = trainer.OptimizerSpec{Name: "adamw", LR: 0.001} }),
		mk(func(s *trainer.Spec) { s.Optimizer = trainer.OptimizerSpec{Name: "rmsprop", LR: 0.001} }),
		mk(func(s *trainer.Spec) { s.Schedule = trainer.DefaultSchedule("step") }),
		mk(func(s *trainer.Spec) { s.Schedule = trainer.DefaultSchedule("plateau") }),
		mk(func(s *trainer.Spec) { s.CV = 5 }),
		mk(func(s *trainer.Spec) {
			s.Data = datasets.Spec{Path: "data/x.csv", Split: datasets.DefaultSplit, Seed: 1}
		}),
	}
}

// validText returns a text that sets row r to a new valid value in base.
func validText(t *testing.T, r trainer.Field, base trainer.Spec) string {
	if v, ok := goodText[r.Path]; ok {
		return v
	}
	cur, _ := base.Get(r.Path)
	cands := append(append([]string(nil), r.Steps...), r.Values...)
	if r.Kind == trainer.KindBool {
		cands = []string{"true"}
	}
	for _, c := range cands {
		s := base.Clone()
		if c != cur && s.Set(r.Path, c) == nil && s.Validate() == nil {
			return c
		}
	}
	t.Fatalf("%s: no valid value other than %q", r.Path, cur)
	return ""
}

func invalidText(r trainer.Field) string {
	if v, ok := badText[r.Path]; ok {
		return v
	}
	switch r.Kind {
	case trainer.KindInt, trainer.KindFloat, trainer.KindLogFloat:
		return "-1"
	case trainer.KindBool:
		return "maybe"
	}
	return "bogus"
}

// names are the ways a front end may address row r (layer 0 of a
// per-layer row by its index too). The flag target is not data.target's
// name: the path target, the stopping rule, wins.
func names(r trainer.Field) []string {
	n := []string{r.Path}
	if f, _, _ := trainer.LookupField(r.Flag); f != nil && f.Path == r.Path {
		n = append(n, r.Flag)
	}
	if r.PerLayer {
		n = append(n, strings.Replace(r.Path, "[]", "[0]", 1))
	}
	return n
}

// TestRegistryFrontEndsAgree walks every row of the field registry through
// every front end: Spec.Set and Get by flag and by path, a sweep over the
// field, the Setup form's line, and validation of a bad value. Each must
// change the spec the same way and name the field on a bad value.
func TestRegistryFrontEndsAgree(t *testing.T) {
	for _, r := range trainer.Fields() {
		t.Run(r.Path, func(t *testing.T) {
			var base trainer.Spec
			for _, b := range bases() {
				if r.Applies(&b) {
					base = b
					break
				}
			}
			v := validText(t, r, base)
			for _, name := range names(r) {
				want := base.Clone()
				if err := want.Set(name, v); err != nil {
					t.Fatalf("Set(%s, %q): %v", name, v, err)
				}
				got, err := want.Get(name)
				if err != nil || !sameText(got, v) {
					t.Errorf("Get(%s) = %q, %v after Set %q", name, got, err, v)
				}
				if name == r.Path && len(names(r)) > 1 && !r.PerLayer {
					byFlag, _ := want.Get(r.Flag)
					if byFlag != got {
						t.Errorf("Get by flag %q, by path %q", byFlag, got)
					}
				}
				// A sweep over the field sets it through the same Set.
				if r.Path != "name" {
					trials, err := sweeps.Expand(sweeps.Spec{Base: base, Grid: []sweeps.Param{{Field: name, Values: []string{v}}}})
					if err != nil {
						t.Fatalf("sweep %s=%s: %v", name, v, err)
					}
					ts := trials[0].Spec
					ts.Name = want.Name
					if !reflect.DeepEqual(ts, want) {
						t.Errorf("sweep %s=%s gave\n%+v\nSet gave\n%+v", name, v, ts, want)
					}
					if pv := sweeps.ParamValue(trials[0].Spec, name); pv != got {
						t.Errorf("sweep report of %s: %q, want %q", name, pv, got)
					}
				}
			}
			bad := invalidText(r)
			if bad != "" {
				s := base.Clone()
				err := s.Set(r.Path, bad)
				var fe *trainer.FieldError
				if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, strings.TrimSuffix(r.Path[:strings.Index(r.Path+"[", "[")], "[")) {
					t.Errorf("Set(%s, %q): %v", r.Path, bad, err)
				}
				if !reflect.DeepEqual(s, base) {
					t.Errorf("a bad value changed the spec")
				}
				if r.Path != "name" && r.Path != "tags" {
					_, err = sweeps.Expand(sweeps.Spec{Base: base, Grid: []sweeps.Param{{Field: names(r)[len(names(r))-1], Values: []string{bad}}}})
					if err == nil || !strings.Contains(err.Error(), r.Path[:strings.Index(r.Path+"[", "[")]) {
						t.Errorf("sweep of %q: %v", bad, err)
					}
				}
			}
			checkSetup(t, r, base, v, bad)
			checkValidate(t, r, base, bad)
		})
	}
}

// checkSetup edits the row's line in the Setup form.
func checkSetup(t *testing.T, r trainer.Field, base trainer.Spec, v, bad string) {
	t.Helper()
	key := strings.Replace(r.Path, "[]", "[0]", 1)
	var f *field
	fs := buildFields(&base)
	for i := range fs {
		if fs[i].key == key {
			f = &fs[i]
		}
	}
	if f == nil {
		if r.Shown(&base) {
			t.Fatalf("Setup does not show %s", key)
		}
		return
	}
	if r.Hidden {
		t.Fatalf("Setup shows hidden %s", key)
	}
	if f.label != r.Label || f.hint != r.RangeHint() {
		t.Errorf("Setup line %q %q, row %q %q", f.label, f.hint, r.Label, r.RangeHint())
	}
	if (f.sweep == "") != r.NoSweep {
		t.Errorf("Setup sweeps it: %q, row NoSweep %v", f.sweep, r.NoSweep)
	}
	want := base.Clone()
	want.Set(key, v)
	typed := v
	if r.Kind == trainer.KindBool {
		typed = map[string]string{"true": "on", "false": "off"}[v]
	}
	s := base.Clone()
	if err := f.set(&s, typed); err != nil || !reflect.DeepEqual(s, want) {
		t.Errorf("Setup typed %q: %v\n%+v\nSet gave\n%+v", typed, err, s, want)
	}
	if got := f.get(&s); got != typed && !sameText(got, v) {
		t.Errorf("Setup shows %q after typing %q", got, typed)
	}
	if bad != "" {
		s = base.Clone()
		if err := f.set(&s, bad); err == nil || !reflect.DeepEqual(s, base) {
			t.Errorf("Setup accepted %q: %v", bad, err)
		}
	}
}

// checkValidate writes the bad value into a JSON spec, as a spec file
// would hold it, and expects ParseSpec to name the field.
func checkValidate(t *testing.T, r trainer.Field, base trainer.Spec, bad string) {
	t.Helper()
	var raw any
	switch {
	case r.Kind == trainer.KindInt || r.Kind == trainer.KindFloat || r.Kind == trainer.KindLogFloat:
		if r.Path == "seed" || r.Path == "data.seed" {
			return // a uint64: JSON itself rejects -1
		}
		raw = -1.0
	case r.Kind == trainer.KindEnum || r.Kind == trainer.KindString:
		if bad == "" || r.Path == "data.path" {
			return
		}
		raw = bad
	case r.Path == "data.crosses":
		raw = []any{bad}
	default:
		return
	}
	key := strings.Replace(r.Path, "[]", "[0]", 1)
	b, _ := json.Marshal(base)
	var doc map[string]any
	json.Unmarshal(b, &doc)
	setJSONPath(t, doc, key, raw)
	b, _ = json.Marshal(doc)
	_, err := trainer.ParseSpec(b)
	if err == nil || !strings.HasPrefix(err.Error(), key+":") {
		t.Errorf("ParseSpec with %s = %v: %v", key, raw, err)
	}
}

// setJSONPath sets a.b[2].c in a decoded JSON document.
func setJSONPath(t *testing.T, doc map[string]any, path string, v any) {
	t.Helper()
	parts := strings.Split(strings.NewReplacer("[", ".", "]", "").Replace(path), ".")
	var cur any = doc
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
				return
			}
			if c[p] == nil {
				c[p] = map[string]any{}
			}
			cur = c[p]
		case []any:
			n, _ := strconv.Atoi(p)
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		default:
			t.Fatalf("%s: no such JSON path", path)
		}
	}
}

// sameText compares texts as numbers when both are numbers.
func sameText(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 == nil && err2 == nil {
		return x == y
	}
	return a == b
}

// Setup shows epochs 0 as ∞, the step after the largest limit, and an
// optimizer change moves the default learning rate as every front end does.
func TestSetupEpochsInfinityAndOptimizerRate(t *testing.T) {
	s := trainer.DefaultSpec()
	s.Epochs = 10000
	var epochs, opt *field
	fs := buildFields(&s)
	for i := range fs {
		switch fs[i].key {
		case "epochs":
			epochs = &fs[i]
		case "optimizer.name":
			opt = &fs[i]
		}
	}
	next, ok := epochs.step(epochs.get(&s), 1)
	if !ok || next != "∞" {
		t.Fatalf("→ from 10000 gave %q %v", next, ok)
	}
	if err := epochs.set(&s, next); err != nil || s.Epochs != 0 || epochs.get(&s) != "∞" {
		t.Fatalf("∞: %v, epochs %d shown %q", err, s.Epochs, epochs.get(&s))
	}
	if back, _ := epochs.step("∞", -1); back != "10000" {
		t.Errorf("← from ∞ gave %q", back)
	}
	if _, ok := epochs.step("∞", 1); ok {
		t.Error("→ went past ∞")
	}
	if err := opt.set(&s, "adam"); err != nil || s.Optimizer.LR != 0.001 {
		t.Errorf("adam in Setup: %v, lr %v (the CLI's --opt adam gives 0.001)", err, s.Optimizer.LR)
	}
}
