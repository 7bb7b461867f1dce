package sweeps

import (
	"testing"
	"time"

	"workbench/trainer"
)

// TestExpandChecksSweepFileAxes: a sweep file's random axes skip
// ParseDist, so ParseSpecFile checks them (in min/max terms); an unknown
// kind once panicked in rand.IntN, and an int range past an int's bounds
// drew from nonsense.
func TestExpandChecksSweepFileAxes(t *testing.T) {
	for file, want := range map[string]string{
		`{"random":[{"field":"lr","kind":"poisson","min":0,"max":1}],"trials":2}`:          `random field "lr": unknown distribution "poisson" (uniform, log, int or choice)`,
		`{"random":[{"field":"act","kind":"choice"}],"trials":2}`:                          `random field "act": choice needs items`,
		`{"random":[{"field":"lr","kind":"log","min":-1,"max":1}],"trials":2}`:             `random field "lr": log needs 0 < min < max, got min -1, max 1`,
		`{"random":[{"field":"epochs","kind":"int","min":5,"max":1}],"trials":2}`:          `random field "epochs": int needs min < max, got min 5, max 1`,
		`{"random":[{"field":"epochs","kind":"int","min":-1e300,"max":1e300}],"trials":2}`: `random field "epochs": int needs a whole number between min and max, within ±2^53, got min -1e+300, max 1e+300`,
		`{"random":[{"field":"epochs","kind":"int","min":1.2,"max":1.8}],"trials":2}`:      `random field "epochs": int needs a whole number between min and max, within ±2^53, got min 1.2, max 1.8`,
	} {
		if _, err := ParseSpecFile([]byte(file)); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", file, err, want)
		}
	}
}

// TestExpandRefusesAHugeSpaceBeforeBuildingIt: five axes of ten values
// once built 10^5 assignments, and a budget of 10^12 random trials ran
// out of memory, before the 10,000-trial limit was checked.
func TestExpandRefusesAHugeSpaceBeforeBuildingIt(t *testing.T) {
	ten := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
	var grid []Param
	for _, f := range []string{"lr", "l2", "l1", "seed", "epochs"} {
		grid = append(grid, Param{Field: f, Values: ten})
	}
	lr := []Dist{{Field: "lr", Kind: "uniform", Min: 0.001, Max: 0.1}}
	for _, c := range []struct {
		s    Spec
		want string
	}{
		{Spec{Base: trainer.DefaultSpec(), Grid: grid}, "sweep: 100000 trials is more than the limit of 10000"},
		{Spec{Base: trainer.DefaultSpec(), Random: lr, Trials: 1e12}, "sweep: 1000000000000 trials is more than the limit of 10000"},
		{Spec{Base: trainer.DefaultSpec(), Grid: grid[:1], Seeds: 1 << 62}, "sweep: 4.61e+19 trials is more than the limit of 10000"},
	} {
		start := time.Now()
		if _, err := Expand(c.s); err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %s", err, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("the refusal took %v", d)
		}
	}
}

// TestParseDistNamesTheBadRange: infinite bounds and int ranges without a
// whole number are refused with the flag.
func TestParseDistNamesTheBadRange(t *testing.T) {
	for flag, want := range map[string]string{
		"lr=uniform:-inf:inf": `--random "lr=uniform:-inf:inf": LO is -Inf; want a finite number`,
		"batch=int:0.2:0.8":   `--random "batch=int:0.2:0.8": int needs a whole number between LO and HI, within ±2^53, got 0.2:0.8`,
		"units=int:64:4":      `--random "units=int:64:4": int needs LO < HI, got 64:4`,
		"lr=choice:":          `--random "lr=choice:": choice needs items`,
		"lr=beta:1:2":         `--random "lr=beta:1:2": unknown distribution "beta" (uniform, log, int or choice)`,
		"lr=uniform:1":        `--random "lr=uniform:1": want FIELD=uniform:LO:HI, two numbers`,
	} {
		if _, err := ParseDist(flag); err == nil || err.Error() != want {
			t.Errorf("ParseDist(%q):\n got %v\nwant %s", flag, err, want)
		}
	}
	if d, err := ParseDist("units=int:0.5:3.5"); err != nil || d.Min != 0.5 {
		t.Fatalf("%+v %v", d, err)
	}
}
