package sweeps

import "testing"

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
		`{"trials":"3"}`: `trials must be a number, got a string`,
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
