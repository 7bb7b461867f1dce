package trainer

import "fmt"

// FlagValue is one registry row's command-line flag. It satisfies both
// flag.Value and pflag.Value (String, Set, Type; IsBoolFlag for the
// standard library), so a CLI registers every run flag in one loop:
//
//	flags := trainer.NewFlagValues()
//	for _, v := range flags {
//		fs.Var(v, v.Field.Flag, v.Field.Usage)
//		// pflag only: a bool flag needs no value.
//		if v.Field.Kind == trainer.KindBool {
//			fs.Lookup(v.Field.Flag).NoOptDefVal = "true"
//		}
//	}
//	…parse…
//	err := flags.Apply(&spec)
//
// Set only records the text: Apply sets the fields on a base spec (a --spec
// file or the default) in the registry's order, whatever the order of the
// command line. A FlagValue is not safe for concurrent use.
type FlagValue struct {
	Field *Field
	text  string
	given bool
}

// String returns the text given, or the field's default (what --help shows).
func (v *FlagValue) String() string {
	if v == nil || v.Field == nil {
		return ""
	}
	if v.given {
		return v.text
	}
	return v.Field.Default
}

// Set records the flag's text; Apply checks it.
func (v *FlagValue) Set(text string) error {
	v.text, v.given = text, true
	return nil
}

// Type names the value for help: int, uint64, float64, bool or string.
func (v *FlagValue) Type() string {
	switch v.Field.Kind {
	case KindInt:
		if v.Field.Max > 1<<62 {
			return "uint64"
		}
		return "int"
	case KindFloat, KindLogFloat:
		return "float64"
	case KindBool:
		return "bool"
	}
	return "string"
}

// IsBoolFlag lets the standard library's flag package take -bn alone.
func (v *FlagValue) IsBoolFlag() bool { return v.Field.Kind == KindBool }

// Given reports whether the flag was on the command line.
func (v *FlagValue) Given() bool { return v.given }

// FlagValues are the run flags: one per registry row that has a flag, in
// the registry's order.
type FlagValues []*FlagValue

// NewFlagValues returns a fresh FlagValue for every row with a flag.
func NewFlagValues() FlagValues {
	var out FlagValues
	for i := range fields {
		if fields[i].Flag != "" {
			row := fields[i]
			out = append(out, &FlagValue{Field: &row})
		}
	}
	return out
}

// Lookup returns the flag's value holder, or nil.
func (fv FlagValues) Lookup(flag string) *FlagValue {
	for _, v := range fv {
		if v.Field.Flag == flag {
			return v
		}
	}
	return nil
}

// Apply sets every given flag on s with Spec.Set, in the registry's order,
// so the linked rules run as they would in Setup or a sweep: --opt adam
// moves the default learning rate before --lr sets one, --schedule takes
// its defaults before --gamma sets one. The first invalid flag stops it, with an
// error that names the flag and the field: "--lr: optimizer.lr: 20 is out
// of range (0, 10]".
func (fv FlagValues) Apply(s *Spec) error {
	for _, v := range fv {
		if !v.given {
			continue
		}
		if err := s.Set(v.Field.Path, v.text); err != nil {
			if v.Field.Path == v.Field.Flag {
				return fmt.Errorf("--%s: %s", v.Field.Flag, Reason(err)) // not --epochs: epochs: …
			}
			return fmt.Errorf("--%s: %v", v.Field.Flag, err)
		}
	}
	return nil
}
