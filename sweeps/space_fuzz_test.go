package sweeps

import (
	"encoding/json"
	"strings"
	"testing"

	"workbench/trainer"
)

// sweepFileSeeds are sweep files as users write them (the README's TOML,
// JSON, the tests' TPE and ASHA files) and broken ones.
var sweepFileSeeds = []string{
	"objective = \"val_accuracy\"\nprune = true\n[base]\nepochs = 3\n[base.data]\nname = \"xor\"\n[[grid]]\nfield = \"lr\"\nvalues = [0.001, 0.01, 0.1]\n",
	"sampler = \"tpe\"\npruner = \"asha\"\nmin_epochs = 2\nreduction = 4\ntrials = 20\n[[random]]\nfield = \"lr\"\nkind = \"log\"\nmin = 0.0001\nmax = 0.1\n",
	`{"name":"s","grid":[{"field":"layers","values":["8","16,16"]},{"field":"bn","values":[true,false]}],"seeds":2}`,
	`{"random":[{"field":"model.hidden[0].units","kind":"int","min":4,"max":128},{"field":"act","kind":"choice","items":["relu","tanh"]}],"trials":3}`,
	`{"random":[{"field":"lr","kind":"int","min":-1e300,"max":1e300}],"trials":2}`,
	`{"random":[{"field":"lr","kind":"poisson","min":0,"max":1}],"trials":2}`,
	`{"random":[{"field":"act","kind":"choice"}],"trials":2}`,
	`{"random":[{"field":"lr","kind":"log","min":-1,"max":1}],"trials":2}`,
	`{"random":[{"field":"epochs","kind":"int","min":5,"max":1}],"trials":2}`,
	`{"random":[{"field":"lr","kind":"uniform","min":0.001,"max":0.1}],"trials":1000000000000}`,
	`{"grid":[{"field":"lr","values":[1,2,3,4,5,6,7,8,9,10]},{"field":"l2","values":[1,2,3,4,5,6,7,8,9,10]},` +
		`{"field":"l1","values":[1,2,3,4,5,6,7,8,9,10]},{"field":"seed","values":[1,2,3,4,5,6,7,8,9,10]},` +
		`{"field":"epochs","values":[1,2,3,4,5,6,7,8,9,10]}]}`,
	`{"seeds":9223372036854775807}`,
	`{"base":{"data":{"name":"iris"}},"grid":[{"field":"lr","values":[null]}]}`,
	"[base]\nbogus = 1\n", "{", "", "grid = 3\n",
}

// maxFuzzTrials bounds the spaces the fuzz targets expand: each trial
// clones and validates a spec, so larger ones only slow the fuzzer down.
// Expand must still refuse a space over maxTrials before building it.
const maxFuzzTrials = 64

// FuzzParseSpecFile feeds arbitrary bytes to the sweep-file parser and
// expands what it accepts, as `sweep --file` does: neither may panic or
// build a space larger than the limit, and every trial Expand returns is
// a valid run spec.
func FuzzParseSpecFile(f *testing.F) {
	for _, s := range sweepFileSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSpecFile(data)
		if err != nil {
			if m := err.Error(); strings.Contains(m, "Go struct") || strings.Contains(m, "unsupported value") {
				t.Fatalf("an error in the decoder's terms: %v", err)
			}
			return
		}
		n := spaceSize(s)
		switch {
		case s.Sampler == SamplerTPE:
			// Only the startup trials are expanded.
		case n > maxTrials:
			if _, err := Expand(s); err == nil {
				t.Fatalf("Expand accepted %v trials", n)
			}
			return
		case n > maxFuzzTrials:
			return // valid perhaps, but slow to expand here
		}
		checkExpand(t, s)
	})
}

// checkExpand expands s and checks every trial it returns.
func checkExpand(t *testing.T, s Spec) {
	t.Helper()
	trials, err := Expand(s)
	if err != nil {
		if !strings.HasPrefix(err.Error(), "sweep: ") {
			t.Fatalf("an Expand error that does not say sweep: %v", err)
		}
		return
	}
	if _, err := Budget(s); err != nil {
		t.Fatalf("Expand accepts the space, Budget refuses it: %v", err)
	}
	for _, tr := range trials {
		if err := tr.Spec.Validate(); err != nil {
			t.Fatalf("trial %d is invalid: %v", tr.Index, err)
		}
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatalf("the sweep does not save: %v", err)
	}
}

// FuzzParseAxis feeds arbitrary --grid flags to ParseAxis and expands one
// trial per value over the default spec: neither may panic.
func FuzzParseAxis(f *testing.F) {
	for _, s := range []string{"lr=1e-3,1e-2,1e-1", "layers=8;16,16", "bn=true,false", "model.hidden[0].units=4,8", "=1", "lr=", "lr", "x=1;;2", "act=relu,bogus"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseAxis(s)
		if err != nil {
			return
		}
		if p.Field == "" && !strings.HasPrefix(s, " ") && !strings.HasPrefix(s, "\t") {
			t.Fatalf("ParseAxis(%q) gave no field", s)
		}
		if len(p.Values) > maxFuzzTrials {
			return
		}
		checkExpand(t, Spec{Base: trainer.DefaultSpec(), Grid: []Param{p}})
	})
}

// FuzzParseDist feeds arbitrary --random flags to ParseDist and draws a
// few trials from what it accepts, with each sampler: none may panic.
func FuzzParseDist(f *testing.F) {
	for _, s := range []string{
		"l2=log:1e-6:1e-2", "lr=uniform:0:1", "model.hidden[0].units=int:4:128", "act=choice:relu,tanh", "dropout=uniform:0:0.6",
		"epochs=int:-9e18:9e18", "lr=log:0:1", "lr=int:1:1", "lr=uniform:1:NaN", "lr=choice:", "lr=choice:,", "lr=beta:1:2", "lr",
		"epochs=int:1e300:1e301",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			return
		}
		if d.Kind != "choice" && !(d.Min < d.Max) {
			t.Fatalf("ParseDist(%q) accepted the range %v:%v", s, d.Min, d.Max)
		}
		for _, sampler := range []string{"", SamplerTPE} {
			checkExpand(t, Spec{Base: trainer.DefaultSpec(), Random: []Dist{d}, Trials: 3, Seed: 1, Sampler: sampler})
		}
	})
}
