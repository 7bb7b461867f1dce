package trainer_test

import (
	"fmt"

	"workbench/trainer"
)

// Set takes a flag or a path and applies the rules that link fields.
func ExampleSpec_Set() {
	s := trainer.DefaultSpec()
	s.Set("opt", "adam") // adam's default rate replaces sgd's
	s.Set("seed", "7")   // the training seed; the data seed stays 1
	s.Set("model.hidden[1].units", "8")
	lr, _ := s.Get("optimizer.lr")
	units, _ := s.Get("layers")
	fmt.Println(lr, s.Data.Seed, units)
	fmt.Println(s.Set("aug_noise", "0.1"))
	fmt.Println(s.Set("dropout", "1"))
	// Output:
	// 0.001 1 4,8
	// unknown field "aug_noise" (did you mean aug-noise (data.aug_noise)?)
	// model.hidden[0].dropout: 1 is out of range [0, 1)
}

// Fields lists the registry, one row per field of Spec.
func ExampleFields() {
	for _, f := range trainer.Fields() {
		if f.Path == "optimizer.lr" || f.Path == "model.hidden[].batch_norm" {
			fmt.Printf("%s --%s %q %s %s default %s\n", f.Path, f.Flag, f.Label, f.Kind, f.RangeHint(), f.Default)
		}
	}
	// Output:
	// model.hidden[].batch_norm --bn "batch norm" bool on off default false
	// optimizer.lr --lr "learning rate" log-float > 0 … 10 default 0.03
}
