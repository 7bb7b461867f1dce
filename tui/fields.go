package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"workbench/trainer"
)

// field is one editable line of the Setup form: a row of the trainer's
// field registry, for one hidden layer when it is per layer.
type field struct {
	key     string // the spec path, with the layer's index: unique, stable
	section string
	label   string
	hint    string // the valid range or choices
	// get renders the current value; set parses a typed value; steps are
	// the values ←/→ move through (nil for free text).
	get   func(*trainer.Spec) string
	set   func(*trainer.Spec, string) error
	steps []string
	layer int    // the hidden layer it edits, or -1
	sweep string // the sweep field that sets it, or "" when it cannot be swept
	// sweepHint is the sweep input's placeholder: examples of its kind.
	sweepHint string
}

const openCSV = "open CSV…"

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// buildFields returns the form for spec: the registry's rows that apply to
// it, in its order, with one group of the per-layer rows per hidden layer.
func buildFields(spec *trainer.Spec) []field {
	var fs []field
	rows := trainer.Fields()
	for i := 0; i < len(rows); i++ {
		if !rows[i].PerLayer {
			if rows[i].Shown(spec) {
				fs = append(fs, formField(&rows[i], -1, spec))
			}
			continue
		}
		j := i
		for j < len(rows) && rows[j].PerLayer {
			j++
		}
		for l := range spec.Model.Hidden {
			for k := i; k < j; k++ {
				if rows[k].Shown(spec) {
					fs = append(fs, formField(&rows[k], l, spec))
				}
			}
		}
		i = j - 1
	}
	return fs
}

// sweepHint gives examples of sweep values for a row of its kind: numbers
// for a number, its own choices for a choice.
func sweepHint(r *trainer.Field) string {
	var h string
	switch r.Kind {
	case trainer.KindInt:
		h = "values, e.g. 8,16,32, or int:4:128 for TPE"
	case trainer.KindFloat:
		h = "values, e.g. 0,0.1,0.2, or uniform:0:0.5 for TPE"
	case trainer.KindBool:
		h = "values: off,on"
	case trainer.KindEnum:
		if len(r.Values) >= 2 {
			two := r.Values[0] + "," + r.Values[1]
			h = "values, e.g. " + two + ", or choice:" + two + " for TPE"
		} else {
			h = "values, comma-separated"
		}
	case trainer.KindLogFloat:
		h = "values, e.g. 0.001,0.01,0.1, or log:1e-4:0.1 for TPE"
	default:
		h = "values, comma-separated; ; between values with commas"
	}
	return h + " (empty: no sweep)"
}

// formField makes the form's line for a registry row in spec; booleans
// read on and off, and a zero with a word of its own (epochs' ∞) shows the
// word. Its steps are the row's for spec (val_cost with a cost matrix).
func formField(r *trainer.Field, layer int, spec *trainer.Spec) field {
	f := field{key: r.Path, section: r.Section, label: r.Label, hint: r.RangeHint(), steps: r.StepsFor(spec), layer: layer}
	if layer >= 0 {
		f.key = strings.Replace(r.Path, "[]", fmt.Sprintf("[%d]", layer), 1)
		f.section = fmt.Sprintf("%s %d", r.Section, layer+1)
	}
	if !r.NoSweep {
		f.sweep = f.key
		f.sweepHint = sweepHint(r)
	}
	switch {
	case r.Kind == trainer.KindBool:
		f.steps = []string{"off", "on"}
	case r.Path == "data.name":
		f.steps = append(append([]string(nil), r.Values...), openCSV)
	case len(f.steps) == 0 && r.Kind == trainer.KindEnum:
		f.steps = r.Values
	}
	key, kind, zero := f.key, r.Kind, r.ZeroText
	row := *r
	f.get = func(s *trainer.Spec) string {
		if key == "data.name" && s.Data.Path != "" {
			return openCSV
		}
		v, _ := s.Get(key)
		switch {
		case kind == trainer.KindBool:
			return map[string]string{"true": "on", "false": "off"}[v]
		case zero != "" && v == "0":
			return zero
		}
		if e := row.Effective(s, max(layer, 0)); e != "" {
			return e // what 0 stands for: adam's β₁ of 0 is 0.9
		}
		return v
	}
	f.set = func(s *trainer.Spec, v string) error {
		if key == "data.name" && v == openCSV {
			return nil // the path prompt takes over
		}
		if err := s.Set(key, v); err != nil {
			return errors.New(trainer.Reason(err))
		}
		return nil
	}
	return f
}

// step moves a field's value through its steps by dir (±1) and returns the
// new value, or ok=false when the field has no steps or is at an end.
func (f *field) step(cur string, dir int) (string, bool) {
	if len(f.steps) == 0 {
		if f.key == "seed" {
			n, _ := strconv.ParseUint(cur, 10, 64)
			if dir < 0 && n == 0 {
				return "", false
			}
			return strconv.FormatUint(uint64(int64(n)+int64(dir)), 10), true
		}
		return "", false
	}
	idx := -1
	for i, s := range f.steps {
		if s == cur {
			idx = i
			break
		}
	}
	if idx < 0 {
		// Between steps (a typed value): move to the nearest step in dir.
		cv, err := strconv.ParseFloat(cur, 64)
		if err != nil {
			return f.steps[0], true
		}
		if dir > 0 {
			for _, s := range f.steps {
				if v, _ := strconv.ParseFloat(s, 64); v > cv {
					return s, true
				}
			}
			return "", false
		}
		for i := len(f.steps) - 1; i >= 0; i-- {
			if v, _ := strconv.ParseFloat(f.steps[i], 64); v < cv {
				return f.steps[i], true
			}
		}
		return "", false
	}
	next := idx + dir
	if _, numeric := strconv.ParseFloat(f.steps[0], 64); numeric != nil {
		next = (next + len(f.steps)) % len(f.steps) // choices wrap around
	}
	if next < 0 || next >= len(f.steps) {
		return "", false
	}
	return f.steps[next], true
}
