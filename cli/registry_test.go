package cli

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"workbench/trainer"
)

// TestRunFlagsAgreeWithTheRegistry walks every registry row with a flag
// through the command line: --flag TEXT must change the spec as Spec.Set
// does, and a bad TEXT must be a usage error that names the flag. (The
// Setup form and sweeps are walked by tui's TestRegistryFrontEndsAgree.)
func TestRunFlagsAgreeWithTheRegistry(t *testing.T) {
	texts := map[string][2]string{ // flag: a good text, a bad one
		"data": {"iris", "bogus"}, "target": {"y", ""}, "ignore": {"id", ""}, "crosses": {"x1x2", "x9"},
		"split": {"0.6,0.2,0.2", "1"}, "layers": {"8,8", "0"}, "monitor": {"val_accuracy", "val_bogus"},
		"until": {"val_accuracy>=0.9", "val_accuracy=1"}, "name": {"trial", ""}, "tag": {"a,b", ""},
		"positive": {"bad", ""}, "seed": {"7", "-1"}, "data-seed": {"7", "-1"}, "min-delta": {"0.01", "-1"}, "bn": {"true", "maybe"},
	}
	for _, f := range trainer.Fields() {
		if f.Flag == "" {
			continue
		}
		t.Run(f.Flag, func(t *testing.T) {
			tx, ok := texts[f.Flag]
			if !ok {
				tx[1] = "-1"
				if f.Kind == trainer.KindEnum {
					tx[1] = "bogus"
				}
				for _, c := range append(append([]string(nil), f.Steps...), f.Values...) {
					s := trainer.DefaultSpec()
					if c != f.Default && s.Set(f.Path, c) == nil {
						tx[0] = c
						break
					}
				}
			}
			want := trainer.DefaultSpec()
			if err := want.Set(f.Path, tx[0]); err != nil {
				t.Fatal(err)
			}
			want.DropUnused() // --data iris drops the default's 500 samples
			got, err := resolveArgs("--" + f.Flag + "=" + tx[0])
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("--%s %s: %v\n%+v\nSet gave\n%+v", f.Flag, tx[0], err, got, want)
			}
			if tx[1] == "" {
				return
			}
			if _, err := resolveArgs("--" + f.Flag + "=" + tx[1]); err == nil || !strings.Contains(err.Error(), f.Flag) {
				t.Errorf("--%s %s: %v", f.Flag, tx[1], err)
			}
		})
	}
	// The flags apply in the registry's order: the optimizer before --lr.
	s, err := resolveArgs("--lr", "0.05", "--opt", "adam")
	if err != nil || s.Optimizer.LR != 0.05 {
		t.Errorf("--lr 0.05 --opt adam: %v, lr %v", err, s.Optimizer.LR)
	}
	if s, _ := resolveArgs("--opt", "adam"); s.Optimizer.LR != 0.001 {
		t.Errorf("--opt adam: lr %v", s.Optimizer.LR)
	}
}

func resolveArgs(args ...string) (trainer.Spec, error) {
	fs := pflag.NewFlagSet("train", pflag.ContinueOnError)
	sf := addSpecFlags(fs)
	if err := fs.Parse(args); err != nil {
		return trainer.Spec{}, err
	}
	s, _, err := sf.resolve()
	return s, err
}
