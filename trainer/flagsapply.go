package trainer

import (
	"fmt"
	"strings"

	"workbench/datasets"
)

// CheckApplies refuses a flag that was given but that s ignores: --beta1
// with sgd, --gamma with the constant schedule, --target with a built-in
// dataset, --samples with one that is not generated. Such a flag was
// dropped without a word, and the run trained on something else than the
// command line said. The error names the flag, the setting it needs and
// the one s has. Flags whose conflict Spec.Validate names (a decision rule
// on a task that is not binary, --cv-all without --cv…) are left to it.
func (fv FlagValues) CheckApplies(s *Spec) error {
	for _, v := range fv {
		if !v.given || v.Field.Applies(s) {
			continue
		}
		if why := v.Field.whyNot(s); why != "" {
			return fmt.Errorf("--%s is for %s%s", v.Field.Flag, why, v.Field.Flag)
		}
	}
	return nil
}

// whyNot says, for a field that does not apply to s, the setting it is for
// and the one s has, ending with the fix up to the flag's name: "--opt
// adam or adamw, and this run's optimizer is sgd: choose it with --opt or
// drop --". It returns "" when no optimizer, schedule or kind of data
// would make the field apply.
func (f *Field) whyNot(s *Spec) string {
	if f.Path == "data.crosses" {
		return "" // any 2-D data takes them; Setup offers them on the generated sets
	}
	if names := f.appliesWith(optimizerNames, func(c *Spec, v string) { c.Optimizer.Name = v }, s); len(names) > 0 {
		return fmt.Sprintf("--opt %s, and this run's optimizer is %s: choose one with --opt or drop --", orList(names), s.Optimizer.Name)
	}
	if names := f.appliesWith(scheduleNames, func(c *Spec, v string) { c.Schedule.Name = v }, s); len(names) > 0 {
		return fmt.Sprintf("--schedule %s, and this run's schedule is %s: choose one with --schedule or drop --", orList(names), s.Schedule.Name)
	}
	data := s.Data.Name
	if s.Data.Path != "" {
		data = s.Data.Path
	}
	withCSV := len(f.appliesWith([]string{"data.csv"}, func(c *Spec, v string) { c.Data = datasets.Spec{Path: v} }, s)) > 0
	builtins := f.appliesWith(datasets.Names(), func(c *Spec, v string) { c.Data = datasets.Spec{Name: v} }, s)
	switch {
	case withCSV && len(builtins) == 0:
		return fmt.Sprintf("a CSV file (--data FILE.csv), and %s is a built-in dataset: drop --", data)
	case !withCSV && len(builtins) > 0 && s.Data.Path != "":
		return fmt.Sprintf("the generated datasets (%s), and %s is a CSV file: drop --", orList(builtins), data)
	case !withCSV && len(builtins) > 0:
		return fmt.Sprintf("the generated datasets (%s), and %s is not one: drop --", orList(builtins), data)
	}
	return ""
}

// appliesWith returns the values among names with which the field would
// apply to s, each set on a copy of s by set.
func (f *Field) appliesWith(names []string, set func(*Spec, string), s *Spec) []string {
	var out []string
	for _, v := range names {
		c := *s
		set(&c, v)
		if f.Applies(&c) {
			out = append(out, v)
		}
	}
	return out
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
