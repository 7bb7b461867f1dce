package trainer

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"workbench/datasets"
	"workbench/numfmt"
)

// The enum lists, once each.
// maxUnits is the widest a layer may be, in a spec and in a loaded model.
const maxUnits = 65536

var (
	initNames      = []string{"xavier_uniform", "xavier_normal", "he_uniform", "he_normal"}
	optimizerNames = []string{"gd", "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"}
	scheduleNames  = []string{"constant", "step", "exponential", "cosine", "plateau"}
	lossNames      = []string{"bce", "ce", "mse", "huber"}
	crossNames     = []string{"x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}
)

// Steps that more than one field moves through.
var (
	lrSteps   = []string{"0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"}
	regSteps  = []string{"0", "0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1"}
	fracSteps = []string{"0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.4", "0.5", "0.6", "0.7", "0.75", "0.8", "0.85", "0.9", "1"}
	betaSteps = []string{"0", "0.5", "0.8", "0.9", "0.95", "0.99"}
	patSteps  = []string{"0", "3", "5", "10", "20", "50"}
	costSteps = []string{"0", "1", "2", "5", "10", "20"}
)

// oneOf returns a condition: the name that of picks is one of names.
func oneOf(of func(*Spec) string, names ...string) func(*Spec) bool {
	return func(s *Spec) bool { return slices.Contains(names, of(s)) }
}

func optimizerIs(names ...string) func(*Spec) bool {
	return oneOf(func(s *Spec) string { return s.Optimizer.Name }, names...)
}

func scheduleIs(names ...string) func(*Spec) bool {
	return oneOf(func(s *Spec) string { return s.Schedule.Name }, names...)
}

// maybeBinary reports whether the task may be binary: a binary built-in
// set, or a CSV, whose task is known once it loads.
func maybeBinary(s *Spec) bool {
	task, ok := builtinTask(s.Data.Name)
	return !ok || task == datasets.Binary
}

// maybeRegression and maybeClassification report whether the task may be
// regression or classification (a CSV's task is known once it loads).
func maybeRegression(s *Spec) bool {
	task, ok := builtinTask(s.Data.Name)
	return !ok || task == datasets.Regression
}

func maybeClassification(s *Spec) bool {
	task, ok := builtinTask(s.Data.Name)
	return !ok || task.IsClassification()
}

func isCSV(s *Spec) bool { return s.Data.Path != "" }

// isSynthetic reports whether the data is generated, with a size and noise
// (the seed example's four points are fixed).
func isSynthetic(s *Spec) bool {
	for _, i := range datasets.List() {
		if i.Name == s.Data.Name {
			return i.Kind == "synthetic" && i.Name != "seed-example"
		}
	}
	return false
}

// costMonitorStep offers val_cost to a spec with a cost matrix.
func costMonitorStep(s *Spec) []string {
	if s.Decision.HasCosts() {
		return []string{CostMonitor}
	}
	return nil
}

// costRuleStep offers a spec with a cost matrix a rule on val_cost, the
// expected cost per row: at most a tenth of the dearer mistake's cost (one
// such mistake in ten rows), so that it scales with the costs given.
func costRuleStep(s *Spec) []string {
	if !s.Decision.HasCosts() {
		return nil
	}
	fp, fn := s.Decision.Costs()
	return []string{CostMonitor + "<=" + numfmt.Short(max(fp, fn)/10)}
}

func checkMonitor(v string) error {
	_, err := ParseMonitor(v)
	return err
}

func checkRule(v string) error {
	_, err := ParseRule(v)
	return err
}

// fields is the registry, in the Setup form's order. Fields Setup does not
// show sit where the command line applies them: the optimizer before its
// learning rate, the schedule before its settings.
var fields = []Field{
	// Data.
	{Path: "data.name", Flag: "data", Label: "dataset", Section: "Data", Kind: KindEnum, NoSweep: true,
		Usage: "a built-in dataset `name` or a CSV file path (- for stdin)", Hint: "a built-in set or open CSV…",
		Values: datasets.Names(), get: getDataName, set: setDataName},
	{Path: "data.path", Label: "CSV path", Section: "Data", Kind: KindString, NoSweep: true, when: isCSV,
		Usage: "a CSV file `path`", Hint: "a file path", get: func(s *Spec) string { return s.Data.Path },
		set: func(s *Spec, v string) error {
			if v = strings.TrimSpace(v); v == "" {
				return fmt.Errorf("empty path")
			}
			if v != s.Data.Path {
				// Another file: what named the old one's columns and
				// classes goes (Setup kept its ignore list, and the new
				// file failed with 'no column named "id"').
				s.Data.Target, s.Data.Task, s.Data.Ignore, s.Data.Positive = "", "", nil, ""
			}
			s.Data.Path, s.Data.Name = v, ""
			return nil
		}},
	{Path: "data.target", Flag: "target", Label: "target column", Section: "Data", Kind: KindString, NoSweep: true, when: isCSV,
		Usage: "CSV target `column`: a name or a 0-based index (default: the last)", Hint: "name or 0-based index; empty = last",
		ref: func(s *Spec, _ int) any { return &s.Data.Target }},
	{Path: "data.task", Flag: "task", Label: "task", Section: "Data", Kind: KindEnum, NoSweep: true, Optional: true, when: isCSV, Empty: "auto",
		Usage: "override the inferred task: binary, multiclass or regression", Values: []string{"binary", "multiclass", "regression"},
		Hint: "auto (inferred from the target) binary multiclass regression", Steps: []string{"auto", "binary", "multiclass", "regression"},
		check: func(v string) error { _, err := datasets.ParseTask(v); return err },
		ref:   func(s *Spec, _ int) any { return &s.Data.Task }},
	{Path: "data.ignore", Flag: "ignore", Label: "ignored columns", Section: "Data", Kind: KindList, NoSweep: true, when: isCSV,
		Usage: "CSV `columns` to drop, comma-separated (IDs)", Hint: "enter picks columns from the header", ref: func(s *Spec, _ int) any { return &s.Data.Ignore }},
	{Path: "data.missing", Flag: "missing", Label: "missing values", Section: "Data", Kind: KindEnum, NoSweep: true, when: isCSV,
		Usage: "missing values: error, drop-rows or impute (default error)", Values: []string{"error", "drop-rows", "impute"}, Empty: "error",
		ref: func(s *Spec, _ int) any { return &s.Data.Missing }},
	{Path: "data.samples", Flag: "samples", Label: "samples", Section: "Data", Kind: KindInt, Min: 4, Max: 1_000_000, when: isSynthetic, dropUnused: true,
		Usage: "points in a synthetic dataset", ZeroMeans: strconv.Itoa(datasets.DefaultSamples), zero: is(strconv.Itoa(datasets.DefaultSamples)),
		Steps: []string{"50", "100", "200", "300", "500", "1000", "2000", "5000"},
		ref:   func(s *Spec, _ int) any { return &s.Data.Samples }},
	{Path: "data.noise", Flag: "noise", Label: "noise", Section: "Data", Kind: KindFloat, Max: 0.5, when: isSynthetic, dropUnused: true,
		Usage: "label noise of a synthetic dataset, 0 to 0.5",
		Steps: []string{"0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5"},
		ref:   func(s *Spec, _ int) any { return &s.Data.Noise }},
	{Path: "data.crosses", Flag: "crosses", Label: "feature crosses", Section: "Data", Kind: KindList, NoSweep: true, when: isSynthetic,
		Usage: "feature crosses for 2-D data: x1sq,x2sq,x1x2,sinx1,sinx2", Values: crossNames, Hint: strings.Join(crossNames, " "),
		Steps: []string{"", "x1sq,x2sq", "x1x2", "x1sq,x2sq,x1x2", "sinx1,sinx2", "x1sq,x2sq,x1x2,sinx1,sinx2"},
		ref:   func(s *Spec, _ int) any { return &s.Data.Crosses }},
	{Path: "data.scale", Flag: "scale", Label: "scaling", Section: "Data", Kind: KindEnum, Values: []string{"none", "minmax", "standard"}, Empty: "default",
		Usage: "input scaling: none, minmax or standard (default: the dataset's, none for most)", Hint: "default (the dataset's) none minmax standard",
		Steps: []string{"default", "none", "minmax", "standard"},
		check: func(v string) error { _, err := datasets.ParseScaling(v); return err },
		ref:   func(s *Spec, _ int) any { return &s.Data.Scale }},
	{Path: "data.split", Flag: "split", Label: "split", Section: "Data", Kind: KindList, Hidden: true, NoSweep: true,
		Usage: "train,validation,test `fractions` (default 0.5,0.25,0.25 on the generated sets, as the Playground splits, and 0.7,0.15,0.15 on the others and on CSVs)",
		ref:   func(s *Spec, _ int) any { return &s.Data.Split }},
	{Path: "data.split[0]", Label: "train fraction", Section: "Data", Kind: KindFloat, Max: 1, MinOpen: true, Steps: fracSteps[1:],
		Usage: "the training fraction; the test set takes the rest", ref: func(s *Spec, _ int) any { return &s.Data.Split[0] }},
	{Path: "data.split[1]", Label: "validation fraction", Section: "Data", Kind: KindFloat, Max: 1, Steps: fracSteps,
		Usage: "the validation fraction; the test set takes the rest", ref: func(s *Spec, _ int) any { return &s.Data.Split[1] }},
	// The split's own seed: runs that differ only in --seed share their
	// split, so Compare ranks them on one test set.
	{Path: "data.seed", Flag: "data-seed", Label: "data seed", Section: "Data", Kind: KindInt, Max: math.MaxUint64,
		Usage: "seed of the split, the CV folds and a synthetic set's points (default 1; --seed does not change it)", Hint: "0 … 2⁶⁴−1",
		ref: func(s *Spec, _ int) any { return &s.Data.Seed }},
	{Path: "data.aug_noise", Flag: "aug-noise", Label: "input noise σ", Section: "Data", Kind: KindFloat, Max: 10,
		Usage: "`sigma` of Gaussian noise added to training inputs each epoch", Steps: []string{"0", "0.01", "0.05", "0.1", "0.2", "0.5"},
		ref: func(s *Spec, _ int) any { return &s.Data.AugNoise }},
	{Path: "data.mixup", Flag: "mixup", Label: "mixup α", Section: "Data", Kind: KindFloat, Max: 10,
		Usage: "mixup `alpha` for training batches (0 = off)", Steps: []string{"0", "0.1", "0.2", "0.4", "1"},
		ref: func(s *Spec, _ int) any { return &s.Data.Mixup }},

	// Layers: model.hidden first, so its flag applies before the per-layer ones.
	{Path: "model.hidden", Flag: "layers", Label: "hidden layers", Section: "Layer", Kind: KindList, Hidden: true,
		Usage: "hidden layer `widths`, comma-separated, e.g. 16,16 (\"\" or none for no hidden layer)",
		get:   getLayers, set: setLayers},
	{Path: "model.hidden[].units", Label: "units", Section: "Layer", Kind: KindInt, Min: 1, Max: maxUnits, PerLayer: true,
		Usage: "units of a hidden layer", Steps: []string{"1", "2", "3", "4", "5", "6", "7", "8", "10", "12", "16", "24", "32", "48", "64", "96", "128", "192", "256", "384", "512", "1024"},
		ref: func(s *Spec, i int) any { return &s.Model.Hidden[i].Units }},
	{Path: "model.hidden[].activation", Flag: "act", Label: "activation", Section: "Layer", Kind: KindEnum, PerLayer: true, Values: ActivationNames,
		Usage: "hidden `activation`(s): relu, leaky_relu, elu, gelu, tanh, sigmoid or linear; one for all or one per layer",
		ref:   func(s *Spec, i int) any { return &s.Model.Hidden[i].Activation }},
	{Path: "model.hidden[].batch_norm", Flag: "bn", Label: "batch norm", Section: "Layer", Kind: KindBool, PerLayer: true,
		Usage: "batch normalization on every hidden layer", Steps: []string{"false", "true"},
		ref: func(s *Spec, i int) any { return &s.Model.Hidden[i].BatchNorm }},
	{Path: "model.hidden[].dropout", Flag: "dropout", Label: "dropout", Section: "Layer", Kind: KindFloat, Max: 1, MaxOpen: true, PerLayer: true,
		Usage: "dropout `rate`(s) of the hidden layers, one for all or one per layer", Steps: []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5"},
		ref: func(s *Spec, i int) any { return &s.Model.Hidden[i].Dropout }},
	{Path: "model.init", Flag: "init", Label: "initialization", Section: "Network", Kind: KindEnum, Values: initNames,
		Usage: "initialization: xavier_uniform, xavier_normal, he_uniform or he_normal", ref: func(s *Spec, _ int) any { return &s.Model.Init }},

	// Training.
	{Path: "loss", Flag: "loss", Label: "loss", Section: "Training", Kind: KindEnum, Values: lossNames,
		Usage: "loss: bce, ce, mse or huber (default: by task)", ref: func(s *Spec, _ int) any { return &s.Loss }},
	{Path: "optimizer.name", Flag: "opt", Label: "optimizer", Section: "Training", Kind: KindEnum, Values: optimizerNames,
		Usage: "optimizer: gd, sgd, momentum, nesterov, rmsprop, adam or adamw", ref: func(s *Spec, _ int) any { return &s.Optimizer.Name }},
	{Path: "optimizer.lr", Flag: "lr", Label: "learning rate", Section: "Training", Kind: KindLogFloat, Max: 10, MinOpen: true, Steps: lrSteps,
		Usage: "learning `rate` (default 0.001 with --opt adam, adamw or rmsprop)", ref: func(s *Spec, _ int) any { return &s.Optimizer.LR }},
	{Path: "optimizer.momentum", Flag: "momentum", Label: "momentum", Section: "Training", Kind: KindFloat, Max: 0.9999,
		when: optimizerIs("sgd", "momentum", "nesterov"), ZeroMeans: "0.9 for momentum and nesterov, none for sgd",
		zero: func(s *Spec) string {
			if s.Optimizer.Name == "sgd" {
				return ""
			}
			return "0.9"
		},
		Usage: "momentum for sgd, momentum or nesterov (default 0.9 for the latter two)", Steps: []string{"0", "0.5", "0.9", "0.95", "0.99"},
		ref: func(s *Spec, _ int) any { return &s.Optimizer.Momentum }},
	{Path: "optimizer.rho", Flag: "rho", Label: "rho", Section: "Training", Kind: KindFloat, Max: 0.9999, when: optimizerIs("rmsprop"), ZeroMeans: "0.9", zero: is("0.9"),
		Usage: "rmsprop's decay of the squared-gradient average (default 0.9)", Steps: betaSteps,
		ref: func(s *Spec, _ int) any { return &s.Optimizer.Rho }},
	{Path: "optimizer.beta1", Flag: "beta1", Label: "beta1", Section: "Training", Kind: KindFloat, Max: 0.9999, when: optimizerIs("adam", "adamw"), ZeroMeans: "0.9", zero: is("0.9"),
		Usage: "adam's decay of the gradient average β₁ (default 0.9)", Steps: betaSteps,
		ref: func(s *Spec, _ int) any { return &s.Optimizer.Beta1 }},
	{Path: "optimizer.beta2", Flag: "beta2", Label: "beta2", Section: "Training", Kind: KindFloat, Max: 0.999999, when: optimizerIs("adam", "adamw"), ZeroMeans: "0.999", zero: is("0.999"),
		Usage: "adam's decay of the squared-gradient average β₂ (default 0.999)", Steps: []string{"0", "0.9", "0.99", "0.999", "0.9999"},
		ref: func(s *Spec, _ int) any { return &s.Optimizer.Beta2 }},
	{Path: "optimizer.eps", Flag: "eps", Label: "epsilon", Section: "Training", Kind: KindLogFloat, Max: 1, when: optimizerIs("rmsprop", "adam", "adamw"), ZeroMeans: "1e-8", zero: is("1e-08"),
		Usage: "ε that rmsprop and adam add to the root of the squared-gradient average (default 1e-8)", Steps: []string{"0", "1e-10", "1e-08", "1e-07", "1e-06", "0.0001", "0.01", "0.1", "1"},
		ref: func(s *Spec, _ int) any { return &s.Optimizer.Eps }},
	{Path: "optimizer.weight_decay", Flag: "weight-decay", Label: "weight decay", Section: "Training", Kind: KindFloat, Max: 1, when: optimizerIs("adamw"), ZeroMeans: "0.01", zero: is("0.01"),
		Usage: "decoupled weight decay for adamw (default 0.01)", Steps: regSteps,
		ref: func(s *Spec, _ int) any { return &s.Optimizer.WeightDecay }},
	{Path: "schedule.name", Flag: "schedule", Label: "lr schedule", Section: "Training", Kind: KindEnum, Values: scheduleNames,
		Usage: "learning-rate schedule: constant, step, exponential, cosine or plateau", ref: func(s *Spec, _ int) any { return &s.Schedule.Name }},
	{Path: "schedule.step_size", Flag: "step-size", Label: "  decay every (epochs)", Section: "Training", Kind: KindInt, Min: 1, Max: 1_000_000, when: scheduleIs("step"),
		Usage: "step schedule: `epochs` between decays (default 10)", Steps: []string{"1", "5", "10", "20", "50", "100"},
		ref: func(s *Spec, _ int) any { return &s.Schedule.StepSize }},
	{Path: "schedule.gamma", Flag: "gamma", Label: "  decay factor", Section: "Training", Kind: KindFloat, Max: 1, MinOpen: true, when: scheduleIs("step", "exponential"),
		Usage: "step and exponential schedules: decay factor (default 0.5 and 0.97)", Steps: []string{"0.1", "0.5", "0.9", "0.95", "0.97", "0.99"},
		ref: func(s *Spec, _ int) any { return &s.Schedule.Gamma }},
	{Path: "schedule.patience", Flag: "lr-patience", Label: "  plateau patience", Section: "Training", Kind: KindInt, Min: 1, Max: 1_000_000, when: scheduleIs("plateau"),
		Usage: "plateau schedule: `epochs` without improvement before a decay (default 5)", Steps: patSteps[1:],
		ref: func(s *Spec, _ int) any { return &s.Schedule.Patience }},
	{Path: "schedule.factor", Flag: "factor", Label: "  plateau factor", Section: "Training", Kind: KindFloat, Max: 1, MinOpen: true, MaxOpen: true, when: scheduleIs("plateau"),
		Usage: "plateau schedule: decay factor (default 0.5)", Steps: []string{"0.1", "0.2", "0.5", "0.8"},
		ref: func(s *Spec, _ int) any { return &s.Schedule.Factor }},
	{Path: "schedule.monitor", Label: "  plateau monitor", Section: "Training", Kind: KindString, Hidden: true, when: scheduleIs("plateau"), Empty: "val_loss",
		Usage: "plateau schedule: the `metric` it watches (default val_loss)", check: checkMonitor,
		ref: func(s *Spec, _ int) any { return &s.Schedule.Monitor }},
	{Path: "schedule.min_lr", Flag: "min-lr", Label: "  minimum lr", Section: "Training", Kind: KindFloat, Max: 10, when: scheduleIs("cosine", "plateau"),
		Usage: "cosine and plateau schedules: the floor", Steps: append([]string{"0"}, lrSteps[:5]...),
		ref: func(s *Spec, _ int) any { return &s.Schedule.MinLR }},
	{Path: "batch_size", Flag: "batch", Label: "batch size (0 = full)", Section: "Training", Kind: KindInt, Max: 1 << 20,
		Usage: "batch `size`; 0 is the whole training set (gd)", Steps: []string{"0", "1", "2", "4", "8", "10", "16", "32", "64", "128", "256", "512", "1024"},
		ref: func(s *Spec, _ int) any { return &s.BatchSize }},
	{Path: "epochs", Flag: "epochs", Label: "epochs", Section: "Training", Kind: KindInt, Min: 1, Max: MaxEpochs, ZeroText: "∞", ZeroMeans: "no limit",
		Usage: "maximum `epochs` (0 = no limit: train until stopped)",
		Steps: []string{"1", "5", "10", "20", "50", "100", "200", "300", "500", "1000", "2000", "5000", "10000", "∞"},
		ref:   func(s *Spec, _ int) any { return &s.Epochs }},
	{Path: "l1", Flag: "l1", Label: "L1", Section: "Training", Kind: KindFloat, Max: 10, Usage: "L1 penalty", Steps: regSteps,
		ref: func(s *Spec, _ int) any { return &s.L1 }},
	{Path: "l2", Flag: "l2", Label: "L2", Section: "Training", Kind: KindFloat, Max: 10, Usage: "L2 penalty", Steps: regSteps,
		ref: func(s *Spec, _ int) any { return &s.L2 }},
	{Path: "clip_norm", Flag: "clip", Label: "gradient clip", Section: "Training", Kind: KindFloat, Max: 1e6,
		Usage: "clip the gradient's global norm to this (0 = off)", Steps: []string{"0", "0.5", "1", "5", "10"},
		ref: func(s *Spec, _ int) any { return &s.ClipNorm }},
	{Path: "optimizer.clip_value", Flag: "clip-value", Label: "value clip", Section: "Training", Kind: KindFloat, Max: 1e6,
		Usage: "clip each gradient element to ±`v` before the update (0 = off)", Steps: []string{"0", "0.1", "0.5", "1", "5"},
		ref: func(s *Spec, _ int) any { return &s.Optimizer.ClipValue }},

	{Path: "precision", Flag: "precision", Label: "precision", Section: "Training", Kind: KindEnum, Values: PrecisionNames, Empty: Float64,
		Usage: "arithmetic of the network: float64 or float32 (also f64, f32)", Steps: PrecisionNames,
		set: func(s *Spec, v string) error {
			if v == "" {
				v = Float64
			}
			p, err := ParsePrecision(v)
			if err != nil {
				return fmt.Errorf("unknown value %q (want float64 or float32, or f64 or f32)", v)
			}
			if p == Float64 {
				p = ""
			}
			s.Precision = p
			return nil
		},
		ref: func(s *Spec, _ int) any { return &s.Precision }},

	// Stopping.
	{Path: "early_stop.patience", Flag: "patience", Label: "early stop patience", Section: "Stopping", Kind: KindInt, Max: 1_000_000,
		Usage: "early stopping: `epochs` without improvement (0 = off)", Steps: patSteps,
		ref: func(s *Spec, _ int) any { return &s.EarlyStop.Patience }},
	{Path: "early_stop.monitor", Flag: "monitor", Label: "early stop monitor", Section: "Stopping", Kind: KindString, Empty: "val_loss",
		Usage: "early stopping `metric`, which also picks the kept epoch (default val_loss; val_cost, the expected cost per row, needs --cost-fn or --cost-fp)",
		Hint:  "val_loss, val_accuracy, …; val_cost with costs", check: checkMonitor,
		Steps:     []string{"val_loss", "val_accuracy", "val_auc", "val_f1", "val_r2", "train_loss"},
		moreSteps: costMonitorStep,
		ref:       func(s *Spec, _ int) any { return &s.EarlyStop.Monitor }},
	{Path: "early_stop.min_delta", Flag: "min-delta", Label: "early stop min delta", Section: "Stopping", Kind: KindFloat, Max: 1e9, Hidden: true,
		Usage: "early stopping: the smallest change that counts as an improvement",
		ref:   func(s *Spec, _ int) any { return &s.EarlyStop.MinDelta }},
	{Path: "target", Flag: "until", Label: "stop when", Section: "Stopping", Kind: KindString, NoSweep: true, check: checkRule,
		Usage: "stop once a `rule` holds, e.g. val_accuracy>=0.99 or, with costs, val_cost<=0.4", Hint: "e.g. val_accuracy>=0.99; empty = off",
		Steps:     []string{"", "val_accuracy>=0.9", "val_accuracy>=0.95", "val_accuracy>=0.99", "val_loss<=0.1", "val_r2>=0.9"},
		moreSteps: costRuleStep,
		ref:       func(s *Spec, _ int) any { return &s.Target }},
	{Path: "seed", Flag: "seed", Label: "seed", Section: "Stopping", Kind: KindInt, Max: math.MaxUint64,
		Usage: "random seed", Hint: "0 … 2⁶⁴−1",
		ref: func(s *Spec, _ int) any { return &s.Seed }},

	// Decision: a binary task's rule.
	{Path: "data.positive", Flag: "positive", Label: "positive class", Section: "Decision", Kind: KindString, NoSweep: true, when: maybeBinary, Empty: "default",
		Usage: "binary tasks: the positive `class`, whose probability, recall and precision are reported (credit: bad)",
		Hint:  "binary: enter types a class name, e.g. bad", Steps: []string{"default"},
		ref: func(s *Spec, _ int) any { return &s.Data.Positive }},
	{Path: "decision.threshold", Flag: "threshold", Label: "threshold", Section: "Decision", Kind: KindFloat, Max: 1, MaxOpen: true, when: maybeBinary,
		ZeroMeans: "0.5, or tuned on validation from the costs", zero: func(s *Spec) string {
			if s.Decision.CostFP > 0 || s.Decision.CostFN > 0 {
				return "tuned"
			}
			return "0.5"
		}, Steps: []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"},
		Usage: "binary tasks: predict positive at this probability or more (default 0.5, or tuned from the costs)",
		ref:   func(s *Spec, _ int) any { return &s.Decision.Threshold }},
	{Path: "decision.cost_fp", Flag: "cost-fp", Label: "cost false positive", Section: "Decision", Kind: KindFloat, Max: 1e9, when: maybeBinary,
		Usage: "binary tasks: the cost of a false positive; with --cost-fn, tunes the threshold on validation (default 0: no costs; 1 when --cost-fn is set)", Steps: costSteps,
		ref: func(s *Spec, _ int) any { return &s.Decision.CostFP }},
	{Path: "decision.cost_fn", Flag: "cost-fn", Label: "cost false negative", Section: "Decision", Kind: KindFloat, Max: 1e9, when: maybeBinary,
		Usage: "binary tasks: the cost of a false negative (--cost-fp 1 --cost-fn 5 is German credit's convention) (default 0: no costs; 1 when --cost-fp is set)", Steps: costSteps,
		ref: func(s *Spec, _ int) any { return &s.Decision.CostFN }},

	// Evaluation (evalspec.go): target scaling, class weights, cross-validation, calibration.
	{Path: "scale_target", Flag: "scale-target", Label: "target scaling", Section: "Evaluation", Kind: KindEnum, Values: scaleTargetNames, Empty: "none",
		when:  maybeRegression,
		Usage: "regression target scaling, fitted on the training split: none, standard or minmax (default standard for regression; metrics and predictions stay in the target's units)",
		set:   setScaleTarget, ref: func(s *Spec, _ int) any { return &s.ScaleTarget }},
	{Path: "class_weight", Flag: "class-weight", Label: "class weights", Section: "Evaluation", Kind: KindString, Empty: "none", when: maybeClassification,
		Usage: "loss weights by class: none, balanced (n/(k·n_c)) or `CLASS=W,…` by name or index", Hint: "none, balanced or CLASS=W,…",
		Steps: []string{"none", "balanced"}, check: func(v string) error { _, err := parseClassWeight(v); return err },
		ref: func(s *Spec, _ int) any { return &s.ClassWeight }},
	{Path: "cv", Flag: "cv", Label: "cross-validation folds", Section: "Evaluation", Kind: KindInt, Min: 2, Max: MaxFolds, ZeroMeans: "off",
		Usage: "k-fold cross-validation: train K models on stratified folds and report each metric as mean ± std (0 = off)",
		Steps: []string{"0", "3", "5", "10"}, ref: func(s *Spec, _ int) any { return &s.CV }},
	{Path: "cv_all", Flag: "cv-all", Label: "folds use test rows", Section: "Evaluation", Kind: KindBool, when: func(s *Spec) bool { return s.CV > 0 },
		Usage: "with --cv: put the test split in the folds too (no held-out test)", Steps: []string{"false", "true"},
		ref: func(s *Spec, _ int) any { return &s.CVAll }},
	{Path: "calibrate", Flag: "calibrate", Label: "calibration", Section: "Evaluation", Kind: KindEnum, Values: calibrateNames, Empty: "none",
		when:  maybeClassification,
		Usage: "probability calibration fitted on validation: none or temperature", ref: func(s *Spec, _ int) any { return &s.Calibrate }},

	// Run: not in the form.
	{Path: "name", Flag: "name", Label: "name", Section: "Run", Kind: KindString, Hidden: true, NoSweep: true,
		Usage: "a name for the run", ref: func(s *Spec, _ int) any { return &s.Name }},
	{Path: "tags", Flag: "tag", Label: "tags", Section: "Run", Kind: KindList, Hidden: true, NoSweep: true,
		Usage: "comma-separated `tags` for the run", ref: func(s *Spec, _ int) any { return &s.Tags }},
}

func init() {
	d := DefaultSpec()
	for i := range fields {
		f := &fields[i]
		// The default is the value itself: an empty one stays empty rather
		// than its Empty word, so help shows no default for it. A per-layer
		// default is one value when every layer has it, else one per layer
		// (units 4,2), as Get writes it.
		empty := f.Empty
		f.Empty = ""
		f.Default, _ = d.get(f, -1)
		f.Empty = empty
	}
}

// Fields returns the registry: one row per field of Spec, in the Setup
// form's order. The slice is a copy; the rows share their lists, which
// must not be changed.
func Fields() []Field { return append([]Field(nil), fields...) }

func getDataName(s *Spec) string { return s.Data.Name }

// setDataName chooses a built-in dataset, or a CSV file by its path: an
// existing file, a text with a path separator or an extension, or - for
// stdin. Anything else is a mistyped name.
func setDataName(s *Spec, v string) error {
	v = strings.TrimSpace(v)
	if datasets.Known(v) {
		s.Data.Name, s.Data.Path, s.Data.Target, s.Data.Task, s.Data.Ignore = v, "", "", "", nil
		return nil
	}
	if _, err := os.Stat(v); err == nil || v == "-" || strings.ContainsAny(v, `/\.`) {
		d := s.Data
		s.Data = datasets.Spec{Path: v, Split: d.Split, Seed: d.Seed, Scale: d.Scale}
		return nil
	}
	return fmt.Errorf("unknown dataset %q: not a built-in set nor a file (did you mean %s?)", v, closest(v, datasets.Names()))
}

func getLayers(s *Spec) string {
	w := make([]string, len(s.Model.Hidden))
	for i, l := range s.Model.Hidden {
		w[i] = strconv.Itoa(l.Units)
	}
	return strings.Join(w, ",")
}

// setLayers sets the hidden layers' widths; a new layer copies the last
// one's settings (relu when there was none).
func setLayers(s *Spec, v string) error {
	v = strings.TrimSpace(v)
	var hidden []LayerSpec
	tmpl := LayerSpec{Activation: "relu"}
	if n := len(s.Model.Hidden); n > 0 {
		tmpl = s.Model.Hidden[n-1]
	}
	if v != "" && v != "none" {
		for i, w := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(w))
			if err != nil || n < 1 || n > maxUnits {
				return fmt.Errorf("want widths from 1 to %d such as 16,16, got %q", maxUnits, v)
			}
			l := tmpl
			if i < len(s.Model.Hidden) {
				l = s.Model.Hidden[i]
			}
			l.Units = n
			hidden = append(hidden, l)
		}
	}
	s.Model.Hidden = hidden
	return nil
}
