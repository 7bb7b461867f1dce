package cli

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// FuzzParseBytes feeds arbitrary --max-memory values to parseBytes: it must
// never panic, and a size it accepts is -1 (off), 0 (the default, only
// for no text) or positive.
func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"512MiB", "8GiB", "2GB", "1048576", "off", "", "-1", "1e30", "0.5k", "0.5", "1e-300b", "NaN", "inf", "kib", " 3 m "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseBytes(s)
		if err != nil {
			if !strings.Contains(err.Error(), "memory size") {
				t.Fatalf("parseBytes(%q): %v", s, err)
			}
			return
		}
		if n < -1 || (n == 0 && strings.TrimSpace(s) != "") {
			t.Fatalf("parseBytes(%q) = %d", s, n)
		}
	})
}

// FuzzParseBenchLists feeds arbitrary --workers and --precision lists of
// `bench` to their parsers: neither may panic, and what they accept is in
// range.
func FuzzParseBenchLists(f *testing.F) {
	for _, s := range []string{"1,2", "0", "256", "257", "f64,f32", "float32", ",", "", "-1", "1,,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ws, err := parseWorkerList(s); err == nil {
			for _, w := range ws {
				if w < 0 || w > 256 {
					t.Fatalf("parseWorkerList(%q) = %v", s, ws)
				}
			}
		}
		if ps, err := parsePrecisionList(s); err == nil && len(ps) == 0 {
			t.Fatalf("parsePrecisionList(%q) accepted no precision", s)
		}
	})
}

// FuzzRunFlags gives one run flag (--layers, --split, --act, --until, …,
// by its index in the registry) an arbitrary text and resolves the spec as
// `train` does: it must never panic, and an error is a usage error that
// names the flag.
func FuzzRunFlags(f *testing.F) {
	fs := pflag.NewFlagSet("seed", pflag.ContinueOnError)
	flags := addSpecFlags(fs).values
	for i, v := range flags {
		for _, text := range map[string][]string{
			"layers": {"8,8", "16", "0", "", "4,", "1000000000"}, "split": {"0.8,0.1,0.1", "0.5,0.5", "1,0,0", "NaN,0,0", "0.9"},
			"act": {"relu", "tanh,relu"}, "until": {"val_accuracy>=0.97", "val_acc>=1", ">=", "val_loss<inf"},
			"data": {"iris", "my.csv", "irsi"}, "monitor": {"val_loss", "val_accurcy"}, "lr": {"0.01", "-1", "1e400"},
		}[v.Field.Flag] {
			f.Add(uint8(i), text)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		fs := pflag.NewFlagSet("train", pflag.ContinueOnError)
		sf := addSpecFlags(fs)
		v := sf.values[int(which)%len(sf.values)]
		if err := fs.Set(v.Field.Flag, text); err != nil {
			return
		}
		s, _, err := sf.resolve()
		if err != nil {
			if _, ok := err.(usageError); !ok {
				t.Fatalf("--%s %q: not a usage error: %v", v.Field.Flag, text, err)
			}
			if !strings.Contains(err.Error(), v.Field.Flag) && !strings.Contains(err.Error(), v.Field.Path) {
				t.Fatalf("--%s %q: the error does not name the flag: %v", v.Field.Flag, text, err)
			}
			return
		}
		_ = s.Validate()
	})
}
