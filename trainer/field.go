package trainer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"workbench/numfmt"
)

// Kind is how a field's value is written and checked.
type Kind int

// The kinds of field.
const (
	KindInt      Kind = iota // a whole number in [Min, Max]
	KindFloat                // a number in [Min, Max]
	KindLogFloat             // a positive number best stepped on a log scale
	KindBool                 // true or false (on, off)
	KindEnum                 // one of Values
	KindString               // free text, checked by the field
	KindList                 // comma-separated values
)

var kindNames = [...]string{"int", "float", "log-float", "bool", "enum", "string", "list"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Field is one row of the spec-field registry: everything the command line,
// the Setup form, sweeps and Validate need to know about one field of Spec.
// Fields are immutable values; the registry is safe for concurrent reads.
type Field struct {
	// Path is the JSON path, such as optimizer.lr. A per-layer field's path
	// holds "[]" (model.hidden[].units): with an index it addresses one
	// hidden layer, without one every layer.
	Path string
	// Flag is the command-line flag, without dashes, or "" when the field
	// has none. A sweep names a field by its flag or its path.
	Flag    string
	Label   string // the Setup form's label
	Section string // the Setup form's section: Data, Layer, Network, Training, Stopping, Run
	Usage   string // the flag's help; a `quoted` word names its value
	Kind    Kind
	// Min and Max bound numbers; MinOpen and MaxOpen exclude the ends.
	Min, Max         float64
	MinOpen, MaxOpen bool
	// Steps are the values ←/→ move through in Setup, lowest first.
	Steps []string
	// Values are an enum's choices, or a list's allowed items.
	Values   []string
	PerLayer bool
	// Default is the value in DefaultSpec, as Get writes it, except that an
	// empty value stays "" rather than its Empty word.
	Default string
	// ZeroMeans says what 0 stands for (e.g. "0.9"); it makes 0 valid
	// whatever the range.
	ZeroMeans string
	// ZeroText is a word Set reads as 0 and Setup shows for 0 (epochs' ∞).
	ZeroText string
	// Empty is what an empty text stands for and how Get shows it (scale's
	// none); "" means empty is not a choice of an enum.
	Empty string
	// Optional lets an enum be empty: data.task is then inferred.
	Optional bool
	// Hint replaces the range or choices Setup shows beside the value.
	Hint string
	// NoSweep marks fields Setup does not offer for sweeping: the data's
	// source and shape, and free text.
	NoSweep bool
	// Hidden fields are not in the Setup form.
	Hidden bool

	// when reports whether the field applies to a spec (β₁ only for
	// adam and adamw); nil means always. Setup shows only fields that
	// apply, and Validate lets a field that does not apply stay 0.
	when func(*Spec) bool
	// ref points at the value: *int, *float64, *uint64, *bool, *string,
	// *[]string or *[3]float64. layer is the hidden layer of a per-layer
	// field.
	ref func(s *Spec, layer int) any
	// check vets a string or a list item beyond Values.
	check func(string) error
	// zero returns what a value of 0 stands for in s, for fields where 0
	// means a default ("0.9"), or "" when 0 means itself in s.
	zero func(s *Spec) string
	// get and set replace the generic ones for fields with their own text.
	get func(s *Spec) string
	set func(s *Spec, text string) error
	// moreSteps returns steps that apply only to some specs, after Steps:
	// early stopping's val_cost when the spec has a cost matrix.
	moreSteps func(s *Spec) []string
	// dropUnused marks a field whose value means nothing where it does not
	// apply (a synthetic set's size on iris): DropUnused clears it.
	dropUnused bool
}

// StepsFor returns the values ←/→ move through in Setup for s: Steps, and
// those that apply to s alone (val_cost for a spec with a cost matrix).
func (f *Field) StepsFor(s *Spec) []string {
	if f.moreSteps == nil {
		return f.Steps
	}
	return append(append([]string(nil), f.Steps...), f.moreSteps(s)...)
}

// Applies reports whether the field matters for s: β₁ only for adam and
// adamw, the step size only for the step schedule.
func (f *Field) Applies(s *Spec) bool { return f.when == nil || f.when(s) }

// DropUnused clears the settings that mean nothing for s's data, such as
// a synthetic set's size and noise when s trains on a real dataset or a
// CSV, so that a printed or saved spec does not carry them: the default
// spec's 500 samples stayed in every spec switched to iris. Loading a spec
// that holds them is still valid (Validate lets them be); crosses stay,
// as they apply to any 2-D data.
func (s *Spec) DropUnused() {
	for i := range fields {
		f := &fields[i]
		if !f.dropUnused || f.Applies(s) {
			continue
		}
		switch p := f.ref(s, 0).(type) {
		case *int:
			*p = 0
		case *float64:
			*p = 0
		default:
			panic("trainer: field " + f.Path + " cannot be dropped")
		}
	}
}

// Shown reports whether the Setup form shows the field for s.
func (f *Field) Shown(s *Spec) bool { return !f.Hidden && f.Applies(s) }

// Effective returns the value a field holding 0 really has in s: adam's
// β₁ of 0 is 0.9, a synthetic set of 0 samples has 500. It returns ""
// when the field holds a value of its own, or when 0 means itself.
func (f *Field) Effective(s *Spec, layer int) string {
	if f.zero == nil || f.ref == nil || f.getValue(s, layer) != "0" {
		return ""
	}
	return f.zero(s)
}

// is returns a zero function of a fixed default.
func is(v string) func(*Spec) string { return func(*Spec) string { return v } }

// Name is how the field is best addressed: its flag, or its path.
func (f *Field) Name() string {
	if f.Flag != "" {
		return f.Flag
	}
	return f.Path
}

// RangeHint writes the field's range or choices for people, such as
// "0 … 0.5" or "> 0 … 10", with what 0 means.
func (f *Field) RangeHint() string {
	h := f.Hint
	if h == "" {
		switch f.Kind {
		case KindInt, KindFloat, KindLogFloat:
			lo, hi := f.format(f.Min), f.format(f.Max)
			if f.MinOpen {
				lo = "> " + lo
			}
			if f.MaxOpen {
				hi = "< " + hi
			}
			h = lo + " … " + hi
		case KindBool:
			h = "on off"
		default:
			h = strings.Join(f.Values, " ")
		}
	}
	switch {
	case f.ZeroText != "":
		h += "; " + f.ZeroText + " = " + f.ZeroMeans
	case f.ZeroMeans != "":
		h += "; 0 means " + f.ZeroMeans
	}
	return h
}

// format prints a bound of the field's range for people: 100,000,000
// rather than 100000000, 1,000,000 rather than 1e+06.
func (f *Field) format(v float64) string {
	return numfmt.Grouped(v)
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// FieldError is an invalid value of one field. Reason says why without the
// field's name, for a form that shows it beside the field.
type FieldError struct {
	Field  string // the path, with the layer's index for a per-layer field
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Reason returns a FieldError's reason, or err's text.
func Reason(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return err.Error()
}

// inRange checks a number against the field's range; 0 passes when the
// field says what 0 means.
func (f *Field) inRange(v float64) error {
	if v == 0 && (f.ZeroMeans != "" || f.ZeroText != "") {
		return nil
	}
	loOK := v > f.Min || (!f.MinOpen && v == f.Min)
	hiOK := v < f.Max || (!f.MaxOpen && v == f.Max)
	if loOK && hiOK && !math.IsNaN(v) {
		return nil
	}
	lb, rb := "[", "]"
	if f.MinOpen {
		lb = "("
	}
	if f.MaxOpen {
		rb = ")"
	}
	zero := ""
	if f.ZeroMeans != "" {
		zero = "; 0 means " + f.ZeroMeans // valid too, though outside the range
	}
	return fmt.Errorf("%s is out of range %s%s, %s%s%s", ftoa(v), lb, f.format(f.Min), f.format(f.Max), rb, zero)
}

// choose checks an enum value or a list item.
func (f *Field) choose(v string) error {
	if f.check != nil {
		return f.check(v)
	}
	if len(f.Values) == 0 {
		return nil
	}
	for _, c := range f.Values {
		if c == v {
			return nil
		}
	}
	if f.Kind == KindList {
		return fmt.Errorf("unknown item %q (want %s)", v, strings.Join(f.Values, ", "))
	}
	return fmt.Errorf("unknown value %q (want %s)", v, strings.Join(f.Values, ", "))
}

// getValue writes the value at ptr as text.
func (f *Field) getValue(s *Spec, layer int) string {
	if f.get != nil {
		return f.get(s)
	}
	switch p := f.ref(s, layer).(type) {
	case *int:
		return strconv.Itoa(*p)
	case *float64:
		return ftoa(*p)
	case *uint64:
		return strconv.FormatUint(*p, 10)
	case *bool:
		return strconv.FormatBool(*p)
	case *string:
		if *p == "" {
			return f.Empty
		}
		return *p
	case *[]string:
		return strings.Join(*p, ",")
	case *[3]float64:
		return ftoa(p[0]) + "," + ftoa(p[1]) + "," + ftoa(p[2])
	}
	panic("trainer: field " + f.Path + " has no value")
}

// setValue parses text into the value, checking it; it sets nothing when
// the text is invalid.
func (f *Field) setValue(s *Spec, layer int, text string) error {
	if f.set != nil {
		return f.set(s, text)
	}
	text = strings.TrimSpace(text)
	if f.ZeroText != "" && (text == f.ZeroText || text == "inf") {
		text = "0"
	}
	switch p := f.ref(s, layer).(type) {
	case *int:
		v, err := strconv.Atoi(text)
		if err != nil {
			return errors.New("not a whole number")
		}
		if err := f.inRange(float64(v)); err != nil {
			return err
		}
		*p = v
	case *float64:
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(v) {
			return errors.New("not a number")
		}
		if err := f.inRange(v); err != nil {
			return err
		}
		*p = v
	case *uint64:
		v, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			return errors.New("not a whole number ≥ 0")
		}
		*p = v
	case *bool:
		switch text {
		case "true", "on", "1", "yes":
			*p = true
		case "false", "off", "0", "no":
			*p = false
		default:
			return errors.New("on or off (true or false)")
		}
	case *string:
		if text == "" || text == f.Empty {
			if f.Empty == "" && f.Kind == KindEnum && !f.Optional {
				return fmt.Errorf("empty (want %s)", strings.Join(f.Values, ", "))
			}
			*p = "" // the Empty word stands for the empty value
			return nil
		}
		if f.Kind == KindEnum || f.check != nil {
			if err := f.choose(text); err != nil {
				return err
			}
		}
		*p = text
	case *[]string:
		items := splitList(text)
		for _, it := range items {
			if err := f.choose(it); err != nil {
				return err
			}
		}
		*p = items
	case *[3]float64:
		var v [3]float64
		items := splitList(text)
		if len(items) != 3 {
			return fmt.Errorf("want three fractions such as 0.7,0.15,0.15, got %q", text)
		}
		for i, it := range items {
			x, err := strconv.ParseFloat(it, 64)
			if err != nil {
				return fmt.Errorf("%q is not a number", it)
			}
			v[i] = x
		}
		*p = v
	default:
		panic("trainer: field " + f.Path + " has no value")
	}
	return nil
}

// validate checks the value a spec holds, as Set would have.
func (f *Field) validate(s *Spec, layer int) error {
	if f.ref == nil {
		return nil
	}
	switch p := f.ref(s, layer).(type) {
	case *int:
		if *p == 0 && !f.Applies(s) {
			return nil
		}
		return f.inRange(float64(*p))
	case *float64:
		if *p == 0 && !f.Applies(s) {
			return nil
		}
		return f.inRange(*p)
	case *string:
		if *p == "" || *p == f.Empty {
			if f.Empty == "" && f.Kind == KindEnum && !f.Optional && f.Applies(s) {
				return fmt.Errorf("empty (want %s)", strings.Join(f.Values, ", "))
			}
			return nil
		}
		if f.Kind == KindEnum || f.check != nil {
			return f.choose(*p)
		}
	case *[]string:
		for _, it := range *p {
			if err := f.choose(it); err != nil {
				return err
			}
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
