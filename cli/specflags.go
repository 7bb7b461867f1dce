package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"workbench/trainer"
)

// specFlags are the flags that describe a run: --spec and one flag per row
// of the trainer's field registry (trainer.NewFlagValues), so the command
// line, the Setup form and sweeps name, check and link fields the same
// way. Only flags given on the command line change the base spec (a --spec
// file or the default); a flag's default, shown by --help, is the default
// spec's value.
type specFlags struct {
	fs *pflag.FlagSet

	specFile string
	values   trainer.FlagValues

	// base, when set, is the spec the flags apply to instead of the
	// --spec file or the default (a sweep file's base); baseLoss says
	// whether it chose its loss.
	base     *trainer.Spec
	baseLoss bool

	// strict refuses a run flag the spec would ignore (--beta1 with sgd,
	// --target with a built-in set): train and lr-find run the spec as it
	// is, where a sweep's axes may change what applies.
	strict bool
}

func addSpecFlags(fs *pflag.FlagSet) *specFlags {
	f := &specFlags{fs: fs, values: trainer.NewFlagValues()}
	fs.StringVar(&f.specFile, "spec", "", "read the run spec from a JSON `file` (flags override it; fields it leaves out take the defaults)")
	for _, v := range f.values {
		fs.Var(v, v.Field.Flag, v.Field.Usage)
		fl := fs.Lookup(v.Field.Flag)
		switch {
		case v.Field.Kind == trainer.KindBool:
			fl.NoOptDefVal = "true" // --bn alone turns it on
		case v.Field.Path == "loss":
			fl.DefValue = "" // the loss follows the task
		}
	}
	return f
}

func (f *specFlags) set(name string) bool { return f.fs.Changed(name) }

// anySet reports whether any run flag, or --spec, was given.
func (f *specFlags) anySet() bool {
	if f.set("spec") {
		return true
	}
	for _, v := range f.values {
		if f.set(v.Field.Flag) {
			return true
		}
	}
	return false
}

// text is what a run flag holds: the text given, or its default.
func (f *specFlags) text(name string) string { return f.values.Lookup(name).String() }

// resolve builds the spec: the --spec file or the default, with every flag
// given on the command line applied on top, in the registry's order (see
// trainer.FlagValues.Apply). It reports whether the loss was chosen (by
// the file or --loss) or should follow the task.
func (f *specFlags) resolve() (trainer.Spec, bool, error) {
	s := trainer.DefaultSpec()
	lossChosen := false
	if f.base != nil {
		s, lossChosen = f.base.Clone(), f.baseLoss
	} else if f.specFile != "" {
		b, err := os.ReadFile(f.specFile)
		if err != nil {
			return s, false, err
		}
		if s, err = trainer.ParseSpec(b); err != nil {
			return s, false, fileError{fmt.Sprintf("%s: %v", f.specFile, err)}
		}
		// A file that leaves the loss out lets it follow the task.
		var given map[string]json.RawMessage
		json.Unmarshal(b, &given)
		_, lossChosen = given["loss"]
	}
	// Names the command line suggests a fix for.
	if f.set("data") {
		if err := checkDataName(f.text("data")); err != nil {
			return s, false, err
		}
	}
	known := metricNames("val_", "train_")
	if f.set("monitor") {
		if err := checkMetric("--monitor", f.text("monitor"), known); err != nil {
			return s, false, err
		}
	}
	if m := ruleMetric(f.text("until")); m != "" && f.set("until") {
		if err := checkMetric("--until", m, known); err != nil {
			return s, false, err
		}
	}
	if err := f.values.Apply(&s); err != nil {
		return s, false, usageError{err.Error()}
	}
	if f.strict {
		if err := f.values.CheckApplies(&s); err != nil {
			return s, false, usageError{err.Error()}
		}
	}
	s.DropUnused() // the default's 500 samples on --data iris
	if f.set("loss") {
		lossChosen = true
	}
	return s, lossChosen, nil
}
