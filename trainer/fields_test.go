package trainer

import (
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"

	"workbench/datasets"
)

func TestFieldsAreWellFormed(t *testing.T) {
	d := DefaultSpec()
	seen := map[string]string{}
	for _, f := range Fields() {
		for _, n := range []string{f.Flag, f.Path} {
			// The one clash: the path target is the stopping rule; the flag
			// target is the CSV's target column, at path data.target.
			if p, ok := seen[n]; n != "" && ok && p != f.Path && n != "target" {
				t.Errorf("%s: name %q is also %s's", f.Path, n, p)
			}
			seen[n] = f.Path
		}
		if f.Label == "" || f.Section == "" || f.Usage == "" {
			t.Errorf("%s: label %q, section %q, usage %q", f.Path, f.Label, f.Section, f.Usage)
		}
		if f.PerLayer != strings.Contains(f.Path, "[]") {
			t.Errorf("%s: per-layer %v", f.Path, f.PerLayer)
		}
		got, err := d.Get(f.Path)
		want := f.Default
		if want == "" {
			want = f.Empty
		}
		if err != nil || got != want {
			t.Errorf("%s: Get on the default spec = %q, %v; Default %q", f.Path, got, err, f.Default)
		}
		if f.Flag != "" {
			if byFlag, _ := d.Get(f.Flag); byFlag != got {
				t.Errorf("%s: by flag %q, by path %q", f.Path, byFlag, got)
			}
		}
		// Every step of a number is in range (epochs' ∞ is 0).
		if f.Kind == KindInt || f.Kind == KindFloat || f.Kind == KindLogFloat {
			for _, st := range f.Steps {
				s := DefaultSpec()
				if strings.HasPrefix(f.Path, "data.split[") {
					s.Data.Split = [3]float64{}
				}
				if err := s.Set(f.Path, st); err != nil && !strings.Contains(err.Error(), "layer") {
					t.Errorf("%s: step %q: %v", f.Path, st, err)
				}
			}
		}
	}
}

func TestLookupSuggestsTheClosestName(t *testing.T) {
	cases := map[string]string{
		"aug_noise":    "aug-noise (data.aug_noise)",
		"weight_decay": "weight-decay (optimizer.weight_decay)",
		"lerning_rate": "",
		"batch_norm":   "bn (model.hidden[].batch_norm)",
		"optimizer":    "opt (optimizer.name)",
	}
	for name, want := range cases {
		_, _, err := LookupField(name)
		if err == nil || !strings.Contains(err.Error(), "unknown field") {
			t.Fatalf("%s: %v", name, err)
		}
		if want != "" && !strings.Contains(err.Error(), "did you mean "+want+"?") {
			t.Errorf("%s: %v, want a suggestion of %s", name, err, want)
		}
	}
	for _, name := range []string{"bn", "aug-noise", "min-lr", "lr-patience", "weight-decay", "model.hidden[3].units", "model.hidden[].units", "optimizer.weight_decay"} {
		if _, _, err := LookupField(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if f, _, _ := LookupField("target"); f.Path != "target" {
		t.Errorf("target is %s, want the stopping rule", f.Path)
	}
	if f, _, _ := LookupField("until"); f.Path != "target" {
		t.Errorf("until is %s", f.Path)
	}
	if _, _, err := LookupField("model.hidden[0].bogus"); err == nil {
		t.Error("model.hidden[0].bogus found")
	}
	if _, _, err := LookupField("optimizer.lr[0]"); err == nil {
		t.Error("an index on a field that is not per layer was accepted")
	}
}

func TestSetPerLayer(t *testing.T) {
	s := DefaultSpec()
	if err := s.Set("act", "relu,gelu"); err != nil {
		t.Fatal(err)
	}
	if s.Model.Hidden[0].Activation != "relu" || s.Model.Hidden[1].Activation != "gelu" {
		t.Fatalf("act relu,gelu gave %+v", s.Model.Hidden)
	}
	if v, _ := s.Get("act"); v != "relu,gelu" {
		t.Errorf("Get(act) = %q", v)
	}
	if err := s.Set("model.hidden[1].dropout", "0.3"); err != nil || s.Model.Hidden[1].Dropout != 0.3 || s.Model.Hidden[0].Dropout != 0 {
		t.Fatalf("one layer's dropout: %v %+v", err, s.Model.Hidden)
	}
	if err := s.Set("bn", "true"); err != nil || !s.Model.Hidden[0].BatchNorm || !s.Model.Hidden[1].BatchNorm {
		t.Fatalf("bn: %v %+v", err, s.Model.Hidden)
	}
	before := s.copy()
	err := s.Set("act", "relu,tanh,elu")
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "model.hidden[].activation" || !reflect.DeepEqual(s, before) {
		t.Errorf("three activations for two layers: %v, spec changed %v", err, !reflect.DeepEqual(s, before))
	}
	err = s.Set("model.hidden[5].units", "3")
	if !errors.As(err, &fe) || fe.Field != "model.hidden[5].units" || !strings.Contains(err.Error(), "2 hidden layers") {
		t.Errorf("layer 5 of 2: %v", err)
	}
	// A failed value leaves every layer as it was.
	err = s.Set("dropout", "0.1,2")
	if err == nil || !strings.HasPrefix(err.Error(), "model.hidden[1].dropout:") || s.Model.Hidden[0].Dropout != 0 {
		t.Errorf("dropout 0.1,2: %v, layer 0 %v", err, s.Model.Hidden[0].Dropout)
	}
	// Widths: existing layers keep their settings, new ones copy the last.
	if err := s.Set("layers", "8,16,32"); err != nil {
		t.Fatal(err)
	}
	h := s.Model.Hidden
	if len(h) != 3 || h[0].Units != 8 || h[0].Activation != "relu" || h[2].Activation != "gelu" || !h[2].BatchNorm || h[2].Dropout != 0.3 {
		t.Errorf("layers 8,16,32 gave %+v", h)
	}
	if err := s.Set("layers", "none"); err != nil || len(s.Model.Hidden) != 0 {
		t.Errorf("layers none: %v %+v", err, s.Model.Hidden)
	}
	if v, err := s.Get("act"); err != nil || v != "" {
		t.Errorf("act without layers: %q %v", v, err)
	}
}

func TestLinkedRules(t *testing.T) {
	set := func(s *Spec, kv ...string) {
		t.Helper()
		for i := 0; i < len(kv); i += 2 {
			if err := s.Set(kv[i], kv[i+1]); err != nil {
				t.Fatalf("%s=%s: %v", kv[i], kv[i+1], err)
			}
		}
	}
	t.Run("gd sets batch 0", func(t *testing.T) {
		s := DefaultSpec()
		set(&s, "opt", "gd")
		if s.BatchSize != 0 || s.Validate() != nil {
			t.Errorf("batch %d, %v", s.BatchSize, s.Validate())
		}
	})
	t.Run("each optimizer's default learning rate", func(t *testing.T) {
		s := DefaultSpec()
		set(&s, "opt", "adam")
		if s.Optimizer.LR != 0.001 {
			t.Errorf("sgd → adam at sgd's 0.03 gave lr %v, want 0.001", s.Optimizer.LR)
		}
		set(&s, "opt", "adamw")
		if s.Optimizer.LR != 0.001 {
			t.Errorf("adam → adamw gave lr %v", s.Optimizer.LR)
		}
		set(&s, "optimizer.name", "momentum")
		if s.Optimizer.LR != 0.03 {
			t.Errorf("adamw → momentum at adamw's 0.001 gave lr %v, want 0.03", s.Optimizer.LR)
		}
		set(&s, "lr", "0.2", "opt", "rmsprop")
		if s.Optimizer.LR != 0.2 {
			t.Errorf("a chosen lr changed with the optimizer: %v", s.Optimizer.LR)
		}
		// In one go, the registry's order puts the optimizer first.
		s = DefaultSpec()
		if err := s.SetAll(map[string]string{"lr": "0.05", "opt": "adam"}); err != nil || s.Optimizer.LR != 0.05 {
			t.Errorf("SetAll lr and opt: %v, lr %v", err, s.Optimizer.LR)
		}
	})
	t.Run("the seed leaves the split alone", func(t *testing.T) {
		// Runs that differ only in their seed share a split, so Compare
		// ranks them on one test set.
		s := DefaultSpec()
		set(&s, "seed", "42")
		if s.Seed != 42 || s.Data.Seed != 1 {
			t.Errorf("seed %d, data seed %d", s.Seed, s.Data.Seed)
		}
		s = DefaultSpec()
		if err := s.SetAll(map[string]string{"data-seed": "7", "seed": "42"}); err != nil || s.Data.Seed != 7 || s.Seed != 42 {
			t.Errorf("SetAll seed and data-seed: %v, seed %d data %d", err, s.Seed, s.Data.Seed)
		}
	})
	t.Run("schedule defaults", func(t *testing.T) {
		s := DefaultSpec()
		set(&s, "schedule", "plateau")
		if !reflect.DeepEqual(s.Schedule, DefaultSchedule("plateau")) || s.Validate() != nil {
			t.Errorf("plateau: %+v", s.Schedule)
		}
		set(&s, "factor", "0.2", "schedule", "plateau")
		if s.Schedule.Factor != 0.2 {
			t.Errorf("the same schedule again reset its settings: %+v", s.Schedule)
		}
		set(&s, "schedule", "step")
		if s.Schedule.StepSize != 10 || s.Schedule.Gamma != 0.5 || s.Schedule.Factor != 0 {
			t.Errorf("step: %+v", s.Schedule)
		}
	})
	t.Run("the loss follows the task", func(t *testing.T) {
		s := DefaultSpec()
		set(&s, "data", "iris")
		if s.Loss != "ce" || s.Validate() != nil {
			t.Errorf("iris: loss %q", s.Loss)
		}
		set(&s, "loss", "mse", "data", "digits")
		if s.Loss != "mse" {
			t.Errorf("multiclass to multiclass changed a fitting loss to %q", s.Loss)
		}
		set(&s, "data", "moons")
		if s.Loss != "bce" {
			t.Errorf("moons: loss %q", s.Loss)
		}
		set(&s, "data", "sub/file.csv")
		if s.Data.Path != "sub/file.csv" || s.Data.Name != "" || s.Loss != "bce" {
			t.Errorf("a CSV path: %+v loss %q", s.Data, s.Loss)
		}
		s.FitLoss(datasets.Regression)
		if s.Loss != "mse" || s.ScaleTarget != "standard" {
			t.Errorf("FitLoss(regression) left loss %q, scale_target %q", s.Loss, s.ScaleTarget)
		}
		s.ScaleTarget = "none"
		if s.FitLoss(datasets.Regression); s.ScaleTarget != "none" {
			t.Errorf("FitLoss(regression) replaced a chosen none with %q", s.ScaleTarget)
		}
		err := s.Set("data", "spirall")
		if err == nil || !strings.Contains(err.Error(), "spiral") {
			t.Errorf("a typo: %v", err)
		}
	})
	t.Run("split fractions give the rest to test", func(t *testing.T) {
		s := DefaultSpec()
		s.Data.Split = datasets.DefaultSplit
		set(&s, "data.split[0]", "0.8")
		if s.Data.Split != [3]float64{0.8, 0.15, 0.05} || s.Validate() != nil {
			t.Errorf("train 0.8: %v", s.Data.Split)
		}
		err := s.Set("data.split[1]", "0.3")
		if err == nil || !strings.HasPrefix(err.Error(), "data.split[1]:") || s.Data.Split[1] != 0.15 {
			t.Errorf("0.8 + 0.3: %v, split %v", err, s.Data.Split)
		}
	})
}

func TestSetNamesTheFieldAndKeepsTheSpec(t *testing.T) {
	cases := map[string]string{
		"lr": "20", "optimizer.lr": "0", "epochs": "-1", "bn": "maybe", "dropout": "1", "opt": "lbfgs",
		"monitor": "accuracy", "until": "val_acc=1", "crosses": "x3", "split": "0.5,0.5", "layers": "8,x", "seed": "-1",
	}
	for name, text := range cases {
		s := DefaultSpec()
		err := s.Set(name, text)
		var fe *FieldError
		f, _, _ := LookupField(name)
		want := f.Path
		if f.PerLayer {
			want = "model.hidden["
		}
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, want) {
			t.Errorf("%s=%s: %v", name, text, err)
		}
		if !reflect.DeepEqual(s, DefaultSpec()) {
			t.Errorf("%s=%s changed the spec", name, text)
		}
	}
	s := DefaultSpec()
	if err := s.Set("epochs", "∞"); err != nil || s.Epochs != 0 || s.Validate() != nil {
		t.Errorf("epochs ∞: %v, %d", err, s.Epochs)
	}
}

func TestParseMetricAndRule(t *testing.T) {
	if m, err := ParseMetric("val_auc", datasets.Binary); err != nil || m != (Monitor{"val", "auc"}) || m.String() != "val_auc" {
		t.Errorf("val_auc: %+v %v", m, err)
	}
	if _, err := ParseMetric("val_r2", datasets.Binary); err == nil || !strings.Contains(err.Error(), "not computed for binary") {
		t.Errorf("val_r2 on binary: %v", err)
	}
	if _, err := ParseMonitor("accuracy"); err == nil {
		t.Error("a metric without a split was accepted")
	}
	// A mistyped metric is named whole, with the one it most likely meant
	// (Setup said only `unknown metric "acc"`).
	for rule, want := range map[string]string{
		"val_acc>=0.9":  `unknown metric "val_acc" (did you mean val_accuracy?)`,
		"val_los<0.1":   `unknown metric "val_los" (did you mean val_loss?)`,
		"train_acc>0.5": `unknown metric "train_acc" (did you mean train_accuracy?)`,
		"train_f1x>0.5": `unknown metric "train_f1x" (did you mean train_loss?)`,
	} {
		if _, err := ParseRule(rule); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", rule, err, want)
		}
	}
	r, err := ParseRule("val_accuracy>=0.97")
	if err != nil || r.Metric != "val_accuracy" || r.Op != ">=" || r.Value != 0.97 || !r.Met(0.97) || r.Met(0.96) {
		t.Errorf("rule: %+v %v", r, err)
	}
}

func TestFlagValuesApplyInRegistryOrder(t *testing.T) {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	flags := NewFlagValues()
	for _, v := range flags {
		fs.Var(v, v.Field.Flag, v.Field.Usage)
	}
	if err := fs.Parse([]string{"-lr", "0.05", "-opt", "adam", "-bn", "-data-seed", "9", "-seed", "4", "-aug-noise", "0.1", "-act", "relu,gelu"}); err != nil {
		t.Fatal(err)
	}
	s := DefaultSpec()
	if err := flags.Apply(&s); err != nil {
		t.Fatal(err)
	}
	h := s.Model.Hidden
	if s.Optimizer.Name != "adam" || s.Optimizer.LR != 0.05 || !h[0].BatchNorm || !h[1].BatchNorm || s.Seed != 4 || s.Data.Seed != 9 ||
		s.Data.AugNoise != 0.1 || h[0].Activation != "relu" || h[1].Activation != "gelu" {
		t.Errorf("spec %+v", s)
	}
	if v := flags.Lookup("lr"); v.Type() != "float64" || v.String() != "0.05" || flags.Lookup("seed").Type() != "uint64" {
		t.Errorf("lr %s %q, seed %s", v.Type(), v.String(), flags.Lookup("seed").Type())
	}
	if d := flags.Lookup("epochs"); d.Given() || d.String() != "100" {
		t.Errorf("epochs default %q", d.String())
	}
	bad := NewFlagValues()
	bad.Lookup("lr").Set("20")
	s = DefaultSpec()
	if err := bad.Apply(&s); err == nil || err.Error() != "--lr: optimizer.lr: 20 is out of range (0, 10]" {
		t.Errorf("--lr 20: %v", err)
	}
}

// A field's range prints for people, and an out-of-range value is told
// that 0 is valid too when 0 means something (epochs' no limit).
func TestRangeErrorsReadForPeople(t *testing.T) {
	s := DefaultSpec()
	err := s.Set("epochs", "-1")
	if err == nil || !strings.Contains(err.Error(), "-1 is out of range [1, 100,000,000]; 0 means no limit") {
		t.Errorf("epochs -1: %v", err)
	}
	f, _, err := LookupField("epochs")
	if err != nil || f.RangeHint() != "1 … 100,000,000; ∞ = no limit" {
		t.Errorf("epochs hint %q", f.RangeHint())
	}
}

// TestAnotherCSVPathDropsTheOldFilesColumns: Setup's CSV path set to
// another file drops the old file's target, task, ignored columns and
// positive class (the new file failed to load with 'ignore: no column
// named "id"'); the policy for missing cells, the split and the scaling
// stay, and setting the same path again keeps everything.
func TestAnotherCSVPathDropsTheOldFilesColumns(t *testing.T) {
	s := DefaultSpec()
	s.Data = datasets.Spec{Path: "loans.csv", Target: "approved", Task: "binary", Ignore: []string{"id"}, Positive: "yes",
		Missing: "impute", Scale: "standard", Split: datasets.DefaultSplit, Seed: 3}
	if err := s.Set("data.path", "loans.csv"); err != nil || len(s.Data.Ignore) != 1 || s.Data.Target != "approved" {
		t.Fatalf("the same path: %v, %+v", err, s.Data)
	}
	if err := s.Set("data.path", "users.csv"); err != nil {
		t.Fatal(err)
	}
	want := datasets.Spec{Path: "users.csv", Missing: "impute", Scale: "standard", Split: datasets.DefaultSplit, Seed: 3}
	if !reflect.DeepEqual(s.Data, want) {
		t.Fatalf("another path: %+v, want %+v", s.Data, want)
	}
}

// TestDropUnused: a real dataset's or a CSV's spec loses a synthetic set's
// size and noise; a synthetic set's keeps them; crosses stay (any 2-D
// data takes them); and a spec that still holds them is valid.
func TestDropUnused(t *testing.T) {
	for _, c := range []struct {
		name, path string
		keep       bool
	}{{"circle", "", true}, {"spiral", "", true}, {"iris", "", false}, {"credit", "", false}, {"", "my.csv", false}} {
		s := DefaultSpec()
		s.Data.Name, s.Data.Path, s.Data.Noise, s.Data.Crosses = c.name, c.path, 0.2, []string{"x1sq"}
		s.DropUnused()
		if got := s.Data.Samples == 500 && s.Data.Noise == 0.2; got != c.keep {
			t.Errorf("%s%s: samples %d, noise %g after DropUnused", c.name, c.path, s.Data.Samples, s.Data.Noise)
		}
		if len(s.Data.Crosses) != 1 {
			t.Errorf("%s%s: crosses dropped", c.name, c.path)
		}
	}
	old, err := ParseSpec([]byte(`{"data":{"name":"iris","samples":500,"noise":0.1,"split":[0.7,0.15,0.15],"seed":1}}`))
	if err != nil {
		t.Fatalf("an old spec with samples on iris: %v", err)
	}
	if err := old.Validate(); err != nil {
		t.Errorf("an old spec with samples on iris is invalid: %v", err)
	}
}
