package sweeps

import (
	"strings"
	"testing"
)

// TestParseSpecFileNamesTheKey: errors in a sweep file name its key in the
// file's terms, never the JSON decoder's or Go's (a QA pass found TOML
// files reported "json: unsupported value: NaN").
func TestParseSpecFileNamesTheKey(t *testing.T) {
	lr := "[[random]]\nfield = \"lr\"\nkind = \"uniform\"\n"
	for file, want := range map[string]string{
		lr + "min = nan\nmax = 1\n":                                    `random field "lr": min is NaN; want a finite number`,
		lr + "min = 0\nmax = inf\n":                                    `random field "lr": max is +Inf; want a finite number`,
		"trials = 2\n[[random]]\nfeild = \"lr\"\nkind = \"uniform\"\n": `random #1: unknown key "feild" (did you mean "field"?)`,
		"trails = 2\n":                      `unknown key "trails" (did you mean "trials"?)`,
		"seeds = 2\n[base]\nepochs = nan\n": `base.epochs is NaN; want a finite number`,
		`{"random":[{"field":"lr","kind":"uniform","min":"NaN","max":1}]}`: `random field "lr": min must be a number, got a string`,
		`{"trials":"3"}`:                  `trials must be a whole number, got a string`,
		`{"trials":2.5}`:                  `trials must be a whole number, got 2.5`,
		"[base]\nepochs = 2\nlrr = 0.1\n": `base: unknown field "lrr" (did you mean "l1"?)`,
		`{"random":[{"field":"units","kind":"int","min":64,"max":4}]}`:             `random field "units": int needs min < max, got min 64, max 4`,
		`{"random":[{"field":"lr","kind":"log","min":-1,"max":1}]}`:                `random field "lr": log needs 0 < min < max, got min -1, max 1`,
		`{"random":[{"field":"units","kind":"int","min":1.2,"max":1.8}]}`:          `random field "units": int needs a whole number between min and max, within ±2^53, got min 1.2, max 1.8`,
		`{"random":[{"field":"lr","kind":"uniform","min":0,"max":1}],"trials":-3}`: `trials = -3 is not a valid trial count; want a positive number of random draws`,
	} {
		if _, err := ParseSpecFile([]byte(file)); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", file, err, want)
		}
	}
}

// TestExpandNamesABadTrialCount: a negative --trials is not a missing one.
func TestExpandNamesABadTrialCount(t *testing.T) {
	s := Spec{Base: base(3), Random: []Dist{{Field: "lr", Kind: "uniform", Min: 0, Max: 1}}, Trials: -3}
	want := "sweep: -3 is not a valid trial count; want a positive number of random draws"
	if _, err := Expand(s); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	s.Trials = 0
	want = "sweep: random search needs a trial budget (--trials N)"
	if _, err := Expand(s); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestParseSpecFileChecksTheSpace: a sweep file's sampler, pruner, axes
// and values are checked when it is read and named by their keys (they
// were checked only after the command line's flags merged, and reported
// in the flags' terms with cobra's usage hint); a JSON syntax error says
// its line and column.
func TestParseSpecFileChecksTheSpace(t *testing.T) {
	grid := `"grid":[{"field":"lr","values":[0.01]}]`
	for file, want := range map[string]string{
		`{"sampler":"bogus",` + grid + `}`:               `sampler = "bogus" is not a sampler; want "random" or "tpe"`,
		`{"pruner":"x",` + grid + `}`:                    `pruner = "x" is not a pruner; want "median" or "asha"`,
		`{"pruner":"asha","min_epochs":-1,` + grid + `}`: `min_epochs = -1: want 1 or more epochs`,
		`{"pruner":"asha","reduction":1,` + grid + `}`:   `reduction = 1: want 2 or more`,
		`{"seeds":-2}`: `seeds = -2: want 2 or more seeds (0 or 1: once)`,
		`{"grid":[{"field":"lrr","values":[0.01]}]}`:                                                             `grid #1: unknown field "lrr" (did you mean lr (optimizer.lr)?)`,
		`{"grid":[{"values":[0.01]}]}`:                                                                           `grid #1: field is missing`,
		`{"grid":[{"field":"lr","values":[]}]}`:                                                                  `grid field "lr": values is empty; want at least one value`,
		`{"grid":[{"field":"lr","values":["abc"]}]}`:                                                             `grid field "lr": value "abc": optimizer.lr: not a number`,
		`{"trials":2,"random":[{"field":"lrx","kind":"log","min":0.001,"max":0.1}]}`:                             `random #1: unknown field "lrx" (did you mean lr (optimizer.lr)?)`,
		`{"trials":2,"random":[{"field":"opt","kind":"choice","items":["adam","adamm"]}]}`:                       `random field "opt": value "adamm": optimizer.name: unknown value "adamm" (want gd, sgd, momentum, nesterov, rmsprop, adam, adamw)`,
		`{"sampler":"tpe","trials":3,"random":[{"field":"lr","kind":"log","min":0.001,"max":0.1}],` + grid + `}`: `sampler = "tpe" takes no grid axes; write each as a random axis with kind = "choice"`,
		"{\"base\":{\"epochs\":2},\n\"grid\":[{\"field\":\"lr\",\"values\":[0.1]}],}":                            `line 2, column 40: invalid character '}' looking for beginning of object key string`,
		"{\"base\":{\"epochs\":2},\n" + grid:                                                                     `line 2: the file ends inside the JSON object (a missing } or ])`,
		"{" + grid + "}\n}":                                                                                      `line 2, column 1: text after the JSON object's closing }`,
	} {
		if _, err := ParseSpecFile([]byte(file)); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", file, err, want)
		}
	}
	// A value for one layer depends on the layers the flags or a layers
	// axis give, so it is left to Expand.
	ok := `{"grid":[{"field":"layers","values":["8","8,8,8"]},{"field":"model.hidden[2].units","values":[3]}]}`
	if _, err := ParseSpecFile([]byte(ok)); err != nil {
		t.Errorf("%s: %v", ok, err)
	}
}

// TestExpandRefusesAFieldSweptTwice: a field on two axes (or a seed axis
// beside seeds) is refused, naming both; the random axis silently won and
// the grid's value never trained.
func TestExpandRefusesAFieldSweptTwice(t *testing.T) {
	for _, c := range []struct {
		s    Spec
		want string
	}{
		{Spec{Base: base(2), Grid: []Param{{Field: "lr", Values: []string{"0.1"}}}, Random: []Dist{{Field: "optimizer.lr", Kind: "log", Min: 0.01, Max: 0.1}}, Trials: 2},
			"sweep: optimizer.lr is swept twice (by a grid axis and by a random axis): give it one axis"},
		{Spec{Base: base(2), Grid: []Param{{Field: "lr", Values: []string{"0.1"}}, {Field: "lr", Values: []string{"0.2"}}}},
			"sweep: lr is swept twice (by a grid axis and by a grid axis): give it one axis"},
		{Spec{Base: base(2), Grid: []Param{{Field: "seed", Values: []string{"1", "2"}}}, Seeds: 3},
			"sweep: seed is swept twice (by seeds and by a grid axis): give it one axis"},
	} {
		if _, err := Expand(c.s); err == nil || err.Error() != c.want {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
}

// TestExpandRefusesTrialsWithoutEnd: a sweep whose trials train without
// an epoch limit and without a rule that stops them is refused (in the
// app its first trials held the workers for good and the rest never ran);
// a patience or a stopping rule ends them.
func TestExpandRefusesTrialsWithoutEnd(t *testing.T) {
	s := Spec{Base: base(0), Grid: []Param{{Field: "lr", Values: []string{"0.1", "0.2"}}}}
	if _, err := Expand(s); err == nil || !strings.Contains(err.Error(), "no epoch limit") {
		t.Errorf("epochs 0: %v", err)
	}
	s.Base.Target = "val_accuracy>=0.9"
	if _, err := Expand(s); err != nil {
		t.Errorf("epochs 0 with a stopping rule: %v", err)
	}
	s.Base.Target, s.Base.EarlyStop.Patience = "", 5
	if _, err := Expand(s); err != nil {
		t.Errorf("epochs 0 with patience: %v", err)
	}
}

// TestExpandChecksEveryChoiceAndIntEnd: a random axis's choices and an int
// range's ends are checked, not only the values drawn (choice:relu,relux
// passed when the draws missed relux; int:0:4 of units passed).
func TestExpandChecksEveryChoiceAndIntEnd(t *testing.T) {
	for _, c := range []struct {
		d    Dist
		want string
	}{
		{Dist{Field: "act", Kind: "choice", Items: []string{"relu", "relux"}}, `sweep: random field "act": value "relux": model.hidden[0].activation: unknown value "relux"`},
		{Dist{Field: "model.hidden[0].units", Kind: "int", Min: 0, Max: 4}, `sweep: random field "model.hidden[0].units": value "0": model.hidden[0].units: 0 is out of range`},
	} {
		s := Spec{Base: base(2), Random: []Dist{c.d}, Trials: 1, Seed: 1}
		if _, err := Expand(s); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v:\n got %v\nwant %s…", c.d, err, c.want)
		}
	}
}
