package tui

import (
	"fmt"
	"strconv"
	"strings"

	"workbench/datasets"
	"workbench/trainer"
)

// field is one editable line of the Setup form.
type field struct {
	key     string // unique, stable id
	section string
	label   string
	hint    string // the valid range or choices
	// get renders the current value; set parses a typed value; steps are
	// the values ←/→ move through (nil for free text).
	get   func(*trainer.Spec) string
	set   func(*trainer.Spec, string) error
	steps []string
	layer int // the hidden layer it edits, or -1
}

const openCSV = "open CSV…"

var (
	lrSteps      = []string{"0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"}
	unitSteps    = []string{"1", "2", "3", "4", "5", "6", "7", "8", "10", "12", "16", "24", "32", "48", "64", "96", "128", "192", "256", "384", "512", "1024"}
	batchSteps   = []string{"0", "1", "2", "4", "8", "10", "16", "32", "64", "128", "256", "512", "1024"}
	epochSteps   = []string{"1", "5", "10", "20", "50", "100", "200", "300", "500", "1000", "2000", "5000", "10000"}
	regSteps     = []string{"0", "0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1"}
	dropSteps    = []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5"}
	noiseSteps   = []string{"0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5"}
	sampleSteps  = []string{"50", "100", "200", "300", "500", "1000", "2000", "5000"}
	fracSteps    = []string{"0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.4", "0.5", "0.6", "0.7", "0.75", "0.8", "0.85", "0.9", "1"}
	augSteps     = []string{"0", "0.01", "0.05", "0.1", "0.2", "0.5"}
	mixupSteps   = []string{"0", "0.1", "0.2", "0.4", "1"}
	clipSteps    = []string{"0", "0.5", "1", "5", "10"}
	momSteps     = []string{"0", "0.5", "0.9", "0.95", "0.99"}
	betaSteps    = []string{"0", "0.5", "0.8", "0.9", "0.95", "0.99"}
	beta2Steps   = []string{"0", "0.9", "0.99", "0.999", "0.9999"}
	gammaSteps   = []string{"0.1", "0.5", "0.9", "0.95", "0.97", "0.99"}
	patSteps     = []string{"0", "3", "5", "10", "20", "50"}
	crossSteps   = []string{"", "x1sq,x2sq", "x1x2", "x1sq,x2sq,x1x2", "sinx1,sinx2", "x1sq,x2sq,x1x2,sinx1,sinx2"}
	missingSteps = []string{"error", "drop-rows", "impute"}
	scaleSteps   = []string{"none", "minmax", "standard"}
	initSteps    = []string{"xavier_uniform", "xavier_normal", "he_uniform", "he_normal"}
	lossSteps    = []string{"bce", "ce", "mse", "huber"}
	optSteps     = []string{"gd", "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"}
	schedSteps   = []string{"constant", "step", "exponential", "cosine", "plateau"}
)

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func parseFloatIn(s string, lo, hi float64) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("not a number")
	}
	if !(v >= lo && v <= hi) {
		return 0, fmt.Errorf("out of range [%s, %s]", ftoa(lo), ftoa(hi))
	}
	return v, nil
}

func parseIntIn(s string, lo, hi int) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("not a whole number")
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("out of range [%d, %d]", lo, hi)
	}
	return v, nil
}

func floatField(key, section, label string, lo, hi float64, steps []string, ptr func(*trainer.Spec) *float64) field {
	return field{key: key, section: section, label: label, hint: fmt.Sprintf("%s … %s", ftoa(lo), ftoa(hi)), steps: steps, layer: -1,
		get: func(s *trainer.Spec) string { return ftoa(*ptr(s)) },
		set: func(s *trainer.Spec, v string) error {
			f, err := parseFloatIn(v, lo, hi)
			if err == nil {
				*ptr(s) = f
			}
			return err
		}}
}

func intField(key, section, label string, lo, hi int, steps []string, ptr func(*trainer.Spec) *int) field {
	return field{key: key, section: section, label: label, hint: fmt.Sprintf("%d … %d", lo, hi), steps: steps, layer: -1,
		get: func(s *trainer.Spec) string { return strconv.Itoa(*ptr(s)) },
		set: func(s *trainer.Spec, v string) error {
			n, err := parseIntIn(v, lo, hi)
			if err == nil {
				*ptr(s) = n
			}
			return err
		}}
}

func enumField(key, section, label string, options []string, ptr func(*trainer.Spec) *string) field {
	return field{key: key, section: section, label: label, hint: strings.Join(options, " "), steps: options, layer: -1,
		get: func(s *trainer.Spec) string {
			if *ptr(s) == "" {
				return options[0] // "" means the first choice: none, error
			}
			return *ptr(s)
		},
		set: func(s *trainer.Spec, v string) error {
			for _, o := range options {
				if o == v {
					*ptr(s) = v
					return nil
				}
			}
			return fmt.Errorf("one of %s", strings.Join(options, ", "))
		}}
}

// buildFields returns the form for spec: data, network and training
// sections, with one group of fields per hidden layer.
func buildFields(spec *trainer.Spec) []field {
	var fs []field
	names := append(datasets.Names(), openCSV)
	fs = append(fs, field{key: "data.name", section: "Data", label: "dataset", hint: "a built-in set or open CSV…", steps: names, layer: -1,
		get: func(s *trainer.Spec) string {
			if s.Data.Path != "" {
				return openCSV
			}
			return s.Data.Name
		},
		set: func(s *trainer.Spec, v string) error {
			if v == openCSV {
				return nil // the path prompt takes over
			}
			if !datasets.Known(v) {
				// A typed path opens that CSV, as "open CSV…" would.
				if strings.ContainsAny(v, `/\`) || strings.HasSuffix(strings.ToLower(v), ".csv") {
					s.Data = datasets.Spec{Path: strings.TrimSpace(v), Split: s.Data.Split, Seed: s.Data.Seed, Scale: s.Data.Scale}
					return nil
				}
				return fmt.Errorf("unknown dataset (a built-in name, or a path to a CSV file)")
			}
			s.Data.Name, s.Data.Path, s.Data.Target, s.Data.Task, s.Data.Ignore = v, "", "", "", nil
			return nil
		}})
	if spec.Data.Path != "" {
		fs = append(fs,
			field{key: "data.path", section: "Data", label: "CSV path", hint: "a file path", layer: -1,
				get: func(s *trainer.Spec) string { return s.Data.Path },
				set: func(s *trainer.Spec, v string) error {
					if strings.TrimSpace(v) == "" {
						return fmt.Errorf("empty path")
					}
					s.Data.Path, s.Data.Name = strings.TrimSpace(v), ""
					return nil
				}},
			field{key: "data.target", section: "Data", label: "target column", hint: "name or 0-based index; empty = last", layer: -1,
				get: func(s *trainer.Spec) string { return s.Data.Target },
				set: func(s *trainer.Spec, v string) error { s.Data.Target = strings.TrimSpace(v); return nil }},
			enumField("data.missing", "Data", "missing values", missingSteps, func(s *trainer.Spec) *string { return &s.Data.Missing }),
		)
	}
	if _, synthetic := syntheticNames[spec.Data.Name]; synthetic && spec.Data.Name != "seed-example" {
		fs = append(fs,
			intField("data.samples", "Data", "samples", 10, 100000, sampleSteps, func(s *trainer.Spec) *int { return &s.Data.Samples }),
			floatField("data.noise", "Data", "noise", 0, 0.5, noiseSteps, func(s *trainer.Spec) *float64 { return &s.Data.Noise }),
			field{key: "data.crosses", section: "Data", label: "feature crosses", hint: "x1sq x2sq x1x2 sinx1 sinx2", steps: crossSteps, layer: -1,
				get: func(s *trainer.Spec) string { return strings.Join(s.Data.Crosses, ",") },
				set: func(s *trainer.Spec, v string) error {
					var cs []string
					for _, c := range strings.Split(v, ",") {
						if c = strings.TrimSpace(c); c != "" {
							cs = append(cs, c)
						}
					}
					d := s.Data
					d.Crosses = cs
					if err := d.Validate(); err != nil {
						return fmt.Errorf("unknown cross")
					}
					s.Data.Crosses = cs
					return nil
				}})
	}
	fs = append(fs,
		enumField("data.scale", "Data", "scaling", scaleSteps, func(s *trainer.Spec) *string { return &s.Data.Scale }),
		floatField("data.split.train", "Data", "train fraction", 0.05, 1, fracSteps, func(s *trainer.Spec) *float64 { return &s.Data.Split[0] }),
		floatField("data.split.val", "Data", "validation fraction", 0, 0.9, fracSteps, func(s *trainer.Spec) *float64 { return &s.Data.Split[1] }),
		floatField("data.aug_noise", "Data", "input noise σ", 0, 10, augSteps, func(s *trainer.Spec) *float64 { return &s.Data.AugNoise }),
		floatField("data.mixup", "Data", "mixup α", 0, 10, mixupSteps, func(s *trainer.Spec) *float64 { return &s.Data.Mixup }),
	)
	for i := range spec.Model.Hidden {
		i := i
		sec := fmt.Sprintf("Layer %d", i+1)
		lf := func(f field) field { f.layer = i; return f }
		fs = append(fs,
			lf(intField(fmt.Sprintf("model.hidden[%d].units", i), sec, "units", 1, 65536, unitSteps, func(s *trainer.Spec) *int { return &s.Model.Hidden[i].Units })),
			lf(enumField(fmt.Sprintf("model.hidden[%d].activation", i), sec, "activation", trainer.ActivationNames, func(s *trainer.Spec) *string { return &s.Model.Hidden[i].Activation })),
			lf(field{key: fmt.Sprintf("model.hidden[%d].batch_norm", i), section: sec, label: "batch norm", hint: "on off", steps: []string{"off", "on"},
				get: func(s *trainer.Spec) string {
					return map[bool]string{true: "on", false: "off"}[s.Model.Hidden[i].BatchNorm]
				},
				set: func(s *trainer.Spec, v string) error {
					if v != "on" && v != "off" {
						return fmt.Errorf("on or off")
					}
					s.Model.Hidden[i].BatchNorm = v == "on"
					return nil
				}}),
			lf(floatField(fmt.Sprintf("model.hidden[%d].dropout", i), sec, "dropout", 0, 0.95, dropSteps, func(s *trainer.Spec) *float64 { return &s.Model.Hidden[i].Dropout })),
		)
	}
	fs = append(fs,
		enumField("model.init", "Network", "initialization", initSteps, func(s *trainer.Spec) *string { return &s.Model.Init }),
		enumField("loss", "Training", "loss", lossSteps, func(s *trainer.Spec) *string { return &s.Loss }),
		field{key: "optimizer.name", section: "Training", label: "optimizer", hint: strings.Join(optSteps, " "), steps: optSteps, layer: -1,
			get: func(s *trainer.Spec) string { return s.Optimizer.Name },
			set: func(s *trainer.Spec, v string) error {
				for _, o := range optSteps {
					if o == v {
						s.Optimizer.Name = v
						if v == "gd" {
							s.BatchSize = 0
						}
						return nil
					}
				}
				return fmt.Errorf("one of %s", strings.Join(optSteps, ", "))
			}},
		floatField("optimizer.lr", "Training", "learning rate", 1e-5, 10, lrSteps, func(s *trainer.Spec) *float64 { return &s.Optimizer.LR }),
	)
	switch spec.Optimizer.Name {
	case "sgd", "momentum", "nesterov":
		fs = append(fs, floatField("optimizer.momentum", "Training", "momentum", 0, 0.9999, momSteps, func(s *trainer.Spec) *float64 { return &s.Optimizer.Momentum }))
	case "rmsprop":
		fs = append(fs, floatField("optimizer.rho", "Training", "rho", 0, 0.9999, betaSteps, func(s *trainer.Spec) *float64 { return &s.Optimizer.Rho }))
	case "adam", "adamw":
		fs = append(fs,
			floatField("optimizer.beta1", "Training", "beta1", 0, 0.9999, betaSteps, func(s *trainer.Spec) *float64 { return &s.Optimizer.Beta1 }),
			floatField("optimizer.beta2", "Training", "beta2", 0, 0.999999, beta2Steps, func(s *trainer.Spec) *float64 { return &s.Optimizer.Beta2 }))
		if spec.Optimizer.Name == "adamw" {
			fs = append(fs, floatField("optimizer.weight_decay", "Training", "weight decay", 0, 1, regSteps, func(s *trainer.Spec) *float64 { return &s.Optimizer.WeightDecay }))
		}
	}
	fs = append(fs,
		field{key: "schedule.name", section: "Training", label: "lr schedule", hint: strings.Join(schedSteps, " "), steps: schedSteps, layer: -1,
			get: func(s *trainer.Spec) string { return s.Schedule.Name },
			set: func(s *trainer.Spec, v string) error {
				for _, n := range schedSteps {
					if n == v {
						s.Schedule = trainer.DefaultSchedule(v)
						return nil
					}
				}
				return fmt.Errorf("one of %s", strings.Join(schedSteps, ", "))
			}},
	)
	switch spec.Schedule.Name {
	case "step":
		fs = append(fs,
			intField("schedule.step_size", "Training", "  decay every (epochs)", 1, 1000000, []string{"1", "5", "10", "20", "50", "100"}, func(s *trainer.Spec) *int { return &s.Schedule.StepSize }),
			floatField("schedule.gamma", "Training", "  decay factor", 0.001, 1, gammaSteps, func(s *trainer.Spec) *float64 { return &s.Schedule.Gamma }))
	case "exponential":
		fs = append(fs, floatField("schedule.gamma", "Training", "  decay per epoch", 0.001, 1, gammaSteps, func(s *trainer.Spec) *float64 { return &s.Schedule.Gamma }))
	case "plateau":
		fs = append(fs,
			intField("schedule.patience", "Training", "  plateau patience", 1, 100000, patSteps[1:], func(s *trainer.Spec) *int { return &s.Schedule.Patience }),
			floatField("schedule.factor", "Training", "  plateau factor", 0.01, 0.99, []string{"0.1", "0.2", "0.5", "0.8"}, func(s *trainer.Spec) *float64 { return &s.Schedule.Factor }))
	}
	switch spec.Schedule.Name {
	case "cosine", "plateau":
		fs = append(fs, floatField("schedule.min_lr", "Training", "  minimum lr", 0, 10, append([]string{"0"}, lrSteps[:5]...), func(s *trainer.Spec) *float64 { return &s.Schedule.MinLR }))
	}
	fs = append(fs,
		intField("batch_size", "Training", "batch size (0 = full)", 0, 1<<20, batchSteps, func(s *trainer.Spec) *int { return &s.BatchSize }),
		intField("epochs", "Training", "epochs", 1, 1000000, epochSteps, func(s *trainer.Spec) *int { return &s.Epochs }),
		floatField("l1", "Training", "L1", 0, 10, regSteps, func(s *trainer.Spec) *float64 { return &s.L1 }),
		floatField("l2", "Training", "L2", 0, 10, regSteps, func(s *trainer.Spec) *float64 { return &s.L2 }),
		floatField("clip_norm", "Training", "gradient clip", 0, 1e6, clipSteps, func(s *trainer.Spec) *float64 { return &s.ClipNorm }),
		intField("early_stop.patience", "Stopping", "early stop patience", 0, 100000, patSteps, func(s *trainer.Spec) *int { return &s.EarlyStop.Patience }),
		field{key: "early_stop.monitor", section: "Stopping", label: "early stop monitor", hint: "val_loss, val_accuracy, …", layer: -1,
			steps: []string{"val_loss", "val_accuracy", "val_auc", "val_f1", "val_r2", "train_loss"},
			get: func(s *trainer.Spec) string {
				if s.EarlyStop.Monitor == "" {
					return "val_loss"
				}
				return s.EarlyStop.Monitor
			},
			set: func(s *trainer.Spec, v string) error {
				t := *s
				t.EarlyStop = trainer.EarlyStopSpec{Patience: 1, Monitor: v}
				if err := t.Validate(); err != nil {
					return fmt.Errorf("not a metric")
				}
				s.EarlyStop.Monitor = v
				return nil
			}},
		field{key: "target", section: "Stopping", label: "stop when", hint: "e.g. val_accuracy>=0.99; empty = off", layer: -1,
			steps: []string{"", "val_accuracy>=0.9", "val_accuracy>=0.95", "val_accuracy>=0.99", "val_loss<=0.1", "val_r2>=0.9"},
			get:   func(s *trainer.Spec) string { return s.Target },
			set: func(s *trainer.Spec, v string) error {
				v = strings.TrimSpace(v)
				if v != "" {
					if _, err := trainer.ParseTarget(v); err != nil {
						return fmt.Errorf("a rule like val_accuracy>=0.99")
					}
				}
				s.Target = v
				return nil
			}},
		field{key: "seed", section: "Stopping", label: "seed", hint: "0 … 2⁶⁴−1", layer: -1,
			get: func(s *trainer.Spec) string { return strconv.FormatUint(s.Seed, 10) },
			set: func(s *trainer.Spec, v string) error {
				n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
				if err != nil {
					return fmt.Errorf("a whole number ≥ 0")
				}
				s.Seed, s.Data.Seed = n, n
				return nil
			}},
	)
	fs = append(fs, decisionFields()...)
	for i := range fs {
		if d, ok := zeroMeans[fs[i].key]; ok {
			fs[i].hint += "; 0 means " + d
		}
	}
	return fs
}

// zeroMeans says what a zero optimizer setting stands for.
var zeroMeans = map[string]string{
	"optimizer.momentum": "0.9 for momentum and nesterov, none for sgd", "optimizer.rho": "0.9",
	"optimizer.beta1": "0.9", "optimizer.beta2": "0.999", "optimizer.weight_decay": "0.01",
}

var syntheticNames = func() map[string]bool {
	m := map[string]bool{}
	for _, i := range datasets.List() {
		if i.Kind == "synthetic" {
			m[i.Name] = true
		}
	}
	return m
}()

// step moves a field's value through its steps by dir (±1) and returns the
// new value, or ok=false when the field has no steps or is at an end.
func (f *field) step(cur string, dir int) (string, bool) {
	if len(f.steps) == 0 {
		if f.key == "seed" {
			n, _ := strconv.ParseUint(cur, 10, 64)
			if dir < 0 && n == 0 {
				return "", false
			}
			return strconv.FormatUint(uint64(int64(n)+int64(dir)), 10), true
		}
		return "", false
	}
	idx := -1
	for i, s := range f.steps {
		if s == cur {
			idx = i
			break
		}
	}
	if idx < 0 {
		// Between steps (a typed value): move to the nearest step in dir.
		cv, err := strconv.ParseFloat(cur, 64)
		if err != nil {
			return f.steps[0], true
		}
		if dir > 0 {
			for _, s := range f.steps {
				if v, _ := strconv.ParseFloat(s, 64); v > cv {
					return s, true
				}
			}
			return "", false
		}
		for i := len(f.steps) - 1; i >= 0; i-- {
			if v, _ := strconv.ParseFloat(f.steps[i], 64); v < cv {
				return f.steps[i], true
			}
		}
		return "", false
	}
	next := idx + dir
	if _, numeric := strconv.ParseFloat(f.steps[0], 64); numeric != nil {
		next = (next + len(f.steps)) % len(f.steps) // choices wrap around
	}
	if next < 0 || next >= len(f.steps) {
		return "", false
	}
	return f.steps[next], true
}
