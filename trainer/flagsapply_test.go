package trainer

import "testing"

// TestCheckAppliesNamesIgnoredFlags: a flag the spec would ignore is an
// error naming the setting it is for and the spec's own; flags that apply,
// and conflicts Validate names itself, pass. Each of the refused flags was
// dropped without a word.
func TestCheckAppliesNamesIgnoredFlags(t *testing.T) {
	cases := []struct {
		flags map[string]string
		want  string
	}{
		{map[string]string{"beta1": "0.5"}, "--beta1 is for --opt adam or adamw, and this run's optimizer is sgd: choose one with --opt or drop --beta1"},
		{map[string]string{"opt": "adam", "momentum": "0.5"}, "--momentum is for --opt sgd, momentum or nesterov, and this run's optimizer is adam: choose one with --opt or drop --momentum"},
		{map[string]string{"gamma": "0.3"}, "--gamma is for --schedule step or exponential, and this run's schedule is constant: choose one with --schedule or drop --gamma"},
		{map[string]string{"data": "iris", "target": "species"}, "--target is for a CSV file (--data FILE.csv), and iris is a built-in dataset: drop --target"},
		{map[string]string{"data": "titanic", "missing": "drop-rows"}, "--missing is for a CSV file (--data FILE.csv), and titanic is a built-in dataset: drop --missing"},
		{map[string]string{"data": "iris", "samples": "100"}, "--samples is for the generated datasets (circle, gauss, moons, reg-gauss, reg-plane, spiral or xor), and iris is not one: drop --samples"},
		{map[string]string{"data": "my.csv", "noise": "0.1"}, "--noise is for the generated datasets (circle, gauss, moons, reg-gauss, reg-plane, spiral or xor), and my.csv is a CSV file: drop --noise"},
		{map[string]string{"opt": "adam", "beta1": "0.5", "schedule": "step", "gamma": "0.3"}, ""},
		{map[string]string{"data": "my.csv", "target": "y", "missing": "impute"}, ""},
		{map[string]string{"data": "moons", "samples": "100", "noise": "0.1"}, ""},
		{map[string]string{"data": "seed-example", "crosses": "x1sq"}, ""}, // any 2-D data takes crosses
		{map[string]string{"data": "iris", "threshold": "0.3"}, ""},        // Validate names it
		{map[string]string{"cv-all": "true"}, ""}, // Validate names it
	}
	for _, c := range cases {
		fv := NewFlagValues()
		for name, v := range c.flags {
			fv.Lookup(name).Set(v)
		}
		s := DefaultSpec()
		if err := fv.Apply(&s); err != nil {
			t.Fatalf("%v: %v", c.flags, err)
		}
		err := fv.CheckApplies(&s)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%v:\n got %q\nwant %q", c.flags, got, c.want)
		}
	}
}
