package cli

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

// specFlags are the flags that describe a run. Only flags given on the
// command line change the base spec (a --spec file or the default); a
// flag's default, shown by --help, is the default spec's value.
type specFlags struct {
	fs *pflag.FlagSet

	specFile string
	// data
	data, target, task, ignore, missing, scale, split, crosses string
	samples                                                    int
	noise, augNoise, mixup                                     float64
	dataSeed                                                   uint64
	// model
	layers, act, dropout, init string
	bn                         bool
	// training
	loss, opt, schedule, monitor, until, name, tags  string
	lr, momentum, weightDecay, gamma, minLR, factor  float64
	l1, l2, clip, minDelta                           float64
	batch, epochs, stepSize, patience, schedPatience int
	seed                                             uint64

	// extra, when set, applies a command's own spec flags last.
	extra func(*trainer.Spec)
}

func addSpecFlags(fs *pflag.FlagSet) *specFlags {
	f := &specFlags{fs: fs}
	d := trainer.DefaultSpec()
	fs.StringVar(&f.specFile, "spec", "", "read the run spec from a JSON `file` (flags override it; fields it leaves out take the defaults)")
	fs.StringVar(&f.data, "data", d.Data.Name, "a built-in dataset `name` or a CSV file path (- for stdin)")
	fs.StringVar(&f.target, "target", "", "CSV target `column`: a name or a 0-based index (default: the last)")
	fs.StringVar(&f.task, "task", "", "override the inferred task: binary, multiclass or regression")
	fs.StringVar(&f.ignore, "ignore", "", "CSV `columns` to drop, comma-separated (IDs)")
	fs.StringVar(&f.missing, "missing", "error", "missing values: error, drop-rows or impute")
	fs.StringVar(&f.scale, "scale", "none", "input scaling: none, minmax or standard")
	fs.StringVar(&f.split, "split", joinFloats(d.Data.Split[:]), "train,validation,test `fractions`")
	fs.StringVar(&f.crosses, "crosses", "", "feature crosses for 2-D data: x1sq,x2sq,x1x2,sinx1,sinx2")
	fs.IntVar(&f.samples, "samples", datasets.DefaultSamples, "points in a synthetic dataset")
	fs.Float64Var(&f.noise, "noise", 0, "label noise of a synthetic dataset, 0 to 0.5")
	fs.Float64Var(&f.augNoise, "aug-noise", 0, "`sigma` of Gaussian noise added to training inputs each epoch")
	fs.Float64Var(&f.mixup, "mixup", 0, "mixup `alpha` for training batches (0 = off)")
	fs.Uint64Var(&f.dataSeed, "data-seed", 0, "seed of the data generation and split (default: --seed)")
	fs.StringVar(&f.layers, "layers", layerWidths(d.Model.Hidden), "hidden layer `widths`, comma-separated, e.g. 16,16 (\"\" or none for no hidden layer)")
	fs.StringVar(&f.act, "act", d.Model.Hidden[0].Activation, "hidden `activation`(s): relu, leaky_relu, elu, gelu, tanh, sigmoid or linear; one for all or one per layer")
	fs.BoolVar(&f.bn, "bn", false, "batch normalization on every hidden layer")
	fs.StringVar(&f.dropout, "dropout", "0", "dropout `rate`(s) of the hidden layers, one for all or one per layer")
	fs.StringVar(&f.init, "init", d.Model.Init, "initialization: xavier_uniform, xavier_normal, he_uniform or he_normal")
	fs.StringVar(&f.loss, "loss", "", "loss: bce, ce, mse or huber (default: by task)")
	fs.StringVar(&f.opt, "opt", d.Optimizer.Name, "optimizer: gd, sgd, momentum, nesterov, rmsprop, adam or adamw")
	fs.Float64Var(&f.lr, "lr", d.Optimizer.LR, "learning `rate` (default 0.001 with --opt adam, adamw or rmsprop)")
	fs.Float64Var(&f.momentum, "momentum", 0, "momentum for sgd, momentum or nesterov (default 0.9 for the latter two)")
	fs.Float64Var(&f.weightDecay, "weight-decay", 0, "decoupled weight decay for adamw (default 0.01)")
	fs.StringVar(&f.schedule, "schedule", d.Schedule.Name, "learning-rate schedule: constant, step, exponential, cosine or plateau")
	fs.IntVar(&f.stepSize, "step-size", 0, "step schedule: `epochs` between decays (default 10)")
	fs.Float64Var(&f.gamma, "gamma", 0, "step and exponential schedules: decay factor (default 0.5 and 0.97)")
	fs.Float64Var(&f.minLR, "min-lr", 0, "cosine and plateau schedules: the floor")
	fs.Float64Var(&f.factor, "factor", 0, "plateau schedule: decay factor (default 0.5)")
	fs.IntVar(&f.schedPatience, "lr-patience", 0, "plateau schedule: `epochs` without improvement before a decay (default 5)")
	fs.IntVar(&f.batch, "batch", d.BatchSize, "batch `size`; 0 is the whole training set (gd)")
	fs.IntVar(&f.epochs, "epochs", d.Epochs, "maximum `epochs` (0 = no limit: train until stopped)")
	fs.Float64Var(&f.l1, "l1", 0, "L1 penalty")
	fs.Float64Var(&f.l2, "l2", 0, "L2 penalty")
	fs.Float64Var(&f.clip, "clip", 0, "clip the gradient's global norm to this (0 = off)")
	fs.IntVar(&f.patience, "patience", 0, "early stopping: `epochs` without improvement (0 = off)")
	fs.StringVar(&f.monitor, "monitor", "val_loss", "early stopping `metric`")
	fs.Float64Var(&f.minDelta, "min-delta", 0, "early stopping: the smallest change that counts as an improvement")
	fs.StringVar(&f.until, "until", "", "stop once a `rule` holds, e.g. val_accuracy>=0.99")
	fs.Uint64Var(&f.seed, "seed", d.Seed, "random seed")
	fs.StringVar(&f.name, "name", "", "a name for the run")
	fs.StringVar(&f.tags, "tag", "", "comma-separated `tags` for the run")
	return f
}

// layerWidths writes hidden layer widths as --layers takes them.
func layerWidths(hidden []trainer.LayerSpec) string {
	w := make([]string, len(hidden))
	for i, l := range hidden {
		w[i] = strconv.Itoa(l.Units)
	}
	return strings.Join(w, ",")
}

// joinFloats writes fractions as --split takes them.
func joinFloats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = numfmt.Short(x)
	}
	return strings.Join(s, ",")
}

func (f *specFlags) set(name string) bool { return f.fs.Changed(name) }

// resolve builds the spec: the --spec file or the default, with every flag
// given on the command line applied on top. It reports whether the loss
// was chosen (by the file or --loss) or should follow the task.
func (f *specFlags) resolve() (trainer.Spec, bool, error) {
	s := trainer.DefaultSpec()
	lossChosen := false
	if f.specFile != "" {
		b, err := os.ReadFile(f.specFile)
		if err != nil {
			return s, false, err
		}
		if s, err = trainer.ParseSpec(b); err != nil {
			return s, false, usagef("%s: %v", f.specFile, err)
		}
		// A file that leaves the loss out lets it follow the task.
		var given map[string]json.RawMessage
		json.Unmarshal(b, &given)
		_, lossChosen = given["loss"]
	}
	if f.set("data") {
		if err := checkDataName(f.data); err != nil {
			return s, false, err
		}
		ds := datasets.Spec{Split: s.Data.Split, Seed: s.Data.Seed, Scale: s.Data.Scale}
		if datasets.Known(f.data) {
			ds.Name = f.data
		} else {
			ds.Path = f.data
		}
		if ds.Name != "" && (ds.Name == "spiral" || ds.Name == s.Data.Name) {
			ds.Samples = s.Data.Samples
		}
		s.Data = ds
		if !f.set("loss") && f.specFile == "" {
			lossChosen = false
		}
	}
	d := &s.Data
	if f.set("target") {
		d.Target = f.target
	}
	if f.set("task") {
		d.Task = f.task
	}
	if f.set("ignore") {
		d.Ignore = splitList(f.ignore)
	}
	if f.set("missing") {
		d.Missing = f.missing
	}
	if f.set("scale") {
		d.Scale = f.scale
	}
	if f.set("split") {
		v, err := parseFloats(f.split)
		if err != nil || len(v) != 3 {
			return s, false, usagef("--split wants three fractions such as 0.7,0.15,0.15, got %q", f.split)
		}
		d.Split = [3]float64{v[0], v[1], v[2]}
	}
	if f.set("crosses") {
		d.Crosses = splitList(f.crosses)
	}
	if f.set("samples") {
		d.Samples = f.samples
	}
	if f.set("noise") {
		d.Noise = f.noise
	}
	if f.set("aug-noise") {
		d.AugNoise = f.augNoise
	}
	if f.set("mixup") {
		d.Mixup = f.mixup
	}
	if f.set("seed") {
		s.Seed = f.seed
		d.Seed = f.seed
	}
	if f.set("data-seed") {
		d.Seed = f.dataSeed
	}
	if f.set("layers") {
		s.Model.Hidden = nil
		if l := strings.TrimSpace(f.layers); l != "" && l != "none" {
			for _, w := range strings.Split(l, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(w))
				if err != nil {
					return s, false, usagef("--layers wants widths such as 16,16, got %q", f.layers)
				}
				s.Model.Hidden = append(s.Model.Hidden, trainer.LayerSpec{Units: n, Activation: "relu"})
			}
			if !f.set("act") {
				// Keep the base spec's activation when the depth changes.
				act := trainer.DefaultSpec().Model.Hidden[0].Activation
				for i := range s.Model.Hidden {
					s.Model.Hidden[i].Activation = act
				}
			}
		}
	}
	if err := perLayer(f, "act", f.act, s.Model.Hidden, func(l *trainer.LayerSpec, v string) error {
		l.Activation = v
		return nil
	}); err != nil {
		return s, false, err
	}
	if err := perLayer(f, "dropout", f.dropout, s.Model.Hidden, func(l *trainer.LayerSpec, v string) error {
		p, err := strconv.ParseFloat(v, 64)
		l.Dropout = p
		return err
	}); err != nil {
		return s, false, err
	}
	if f.set("bn") {
		for i := range s.Model.Hidden {
			s.Model.Hidden[i].BatchNorm = f.bn
		}
	}
	if f.set("init") {
		s.Model.Init = f.init
	}
	if f.set("loss") {
		s.Loss, lossChosen = f.loss, true
	}
	o := &s.Optimizer
	if f.set("opt") {
		*o = trainer.OptimizerSpec{Name: f.opt, LR: o.LR}
		if f.opt == "gd" && !f.set("batch") {
			s.BatchSize = 0
		}
		if f.opt == "adam" || f.opt == "adamw" || f.opt == "rmsprop" {
			if !f.set("lr") && f.specFile == "" {
				o.LR = 1e-3
			}
		}
	}
	if f.set("lr") {
		o.LR = f.lr
	}
	if f.set("momentum") {
		o.Momentum = f.momentum
	}
	if f.set("weight-decay") {
		o.WeightDecay = f.weightDecay
	}
	sc := &s.Schedule
	if f.set("schedule") {
		*sc = trainer.DefaultSchedule(f.schedule)
	}
	if f.set("step-size") {
		sc.StepSize = f.stepSize
	}
	if f.set("gamma") {
		sc.Gamma = f.gamma
	}
	if f.set("min-lr") {
		sc.MinLR = f.minLR
	}
	if f.set("factor") {
		sc.Factor = f.factor
	}
	if f.set("lr-patience") {
		sc.Patience = f.schedPatience
	}
	if f.set("batch") {
		s.BatchSize = f.batch
	}
	if f.set("epochs") {
		s.Epochs = f.epochs
	}
	if f.set("l1") {
		s.L1 = f.l1
	}
	if f.set("l2") {
		s.L2 = f.l2
	}
	if f.set("clip") {
		s.ClipNorm = f.clip
	}
	if f.set("patience") {
		s.EarlyStop.Patience = f.patience
	}
	if f.set("monitor") {
		s.EarlyStop.Monitor = f.monitor
	}
	if f.set("min-delta") {
		s.EarlyStop.MinDelta = f.minDelta
	}
	if f.set("until") {
		s.Target = f.until
	}
	if f.set("name") {
		s.Name = f.name
	}
	if f.set("tag") {
		s.Tags = splitList(f.tags)
	}
	if f.extra != nil {
		f.extra(&s)
	}
	return s, lossChosen, nil
}

// perLayer applies a flag that takes one value for all hidden layers or
// one per layer.
func perLayer(f *specFlags, name, raw string, hidden []trainer.LayerSpec, apply func(*trainer.LayerSpec, string) error) error {
	if !f.set(name) {
		return nil
	}
	vals := splitList(raw)
	if len(vals) != 1 && len(vals) != len(hidden) {
		return usagef("--%s wants one value or one per hidden layer (%d), got %q", name, len(hidden), raw)
	}
	for i := range hidden {
		v := vals[0]
		if len(vals) > 1 {
			v = vals[i]
		}
		if err := apply(&hidden[i], v); err != nil {
			return usagef("--%s: bad value %q", name, v)
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, p := range splitList(s) {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
