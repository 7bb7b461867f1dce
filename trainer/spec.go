package trainer

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"workbench/datasets"
)

// MaxEpochs bounds a run's epoch limit.
const MaxEpochs = 100_000_000

// Spec describes one run: data, model, loss, optimizer, schedule, batch
// size, epochs, regularization, stopping rules and seed. It round-trips
// through JSON unchanged.
type Spec struct {
	Name      string        `json:"name,omitempty"`
	Data      datasets.Spec `json:"data"`
	Model     ModelSpec     `json:"model"`
	Loss      string        `json:"loss"`
	Optimizer OptimizerSpec `json:"optimizer"`
	Schedule  ScheduleSpec  `json:"schedule"`
	BatchSize int           `json:"batch_size"` // 0 = the whole training set
	Epochs    int           `json:"epochs"`     // 0 = no limit: train until stopped
	L1        float64       `json:"l1,omitempty"`
	L2        float64       `json:"l2,omitempty"`
	ClipNorm  float64       `json:"clip_norm,omitempty"` // 0 = no clipping
	EarlyStop EarlyStopSpec `json:"early_stop"`
	Target    string        `json:"target,omitempty"` // e.g. "val_accuracy>=0.99"
	Decision  DecisionSpec  `json:"decision,omitzero"`
	Seed      uint64        `json:"seed"`
	Tags      []string      `json:"tags,omitempty"`
	// Precision is the arithmetic of the network: float64 (empty means
	// float64) or float32. See ParsePrecision.
	Precision string `json:"precision,omitempty"`
}

// ModelSpec describes the MLP: its hidden layers and initialization. The
// output layer follows the task and is not listed.
type ModelSpec struct {
	Hidden []LayerSpec `json:"hidden"`
	// Init is xavier_uniform, xavier_normal, he_uniform or he_normal.
	Init string `json:"init"`
}

// LayerSpec is one hidden layer.
type LayerSpec struct {
	Units      int     `json:"units"`
	Activation string  `json:"activation"`
	BatchNorm  bool    `json:"batch_norm,omitempty"`
	Dropout    float64 `json:"dropout,omitempty"`
}

// OptimizerSpec names an optimizer and its settings.
type OptimizerSpec struct {
	// Name is gd, sgd, momentum, nesterov, rmsprop, adam or adamw.
	Name        string  `json:"name"`
	LR          float64 `json:"lr"`
	Momentum    float64 `json:"momentum,omitempty"`
	Beta1       float64 `json:"beta1,omitempty"`
	Beta2       float64 `json:"beta2,omitempty"`
	Rho         float64 `json:"rho,omitempty"`
	Eps         float64 `json:"eps,omitempty"`
	WeightDecay float64 `json:"weight_decay,omitempty"`
}

// ScheduleSpec names a learning-rate schedule and its settings.
type ScheduleSpec struct {
	// Name is constant, step, exponential, cosine or plateau.
	Name     string  `json:"name"`
	StepSize int     `json:"step_size,omitempty"` // step: epochs between decays
	Gamma    float64 `json:"gamma,omitempty"`     // step, exponential: decay factor
	MinLR    float64 `json:"min_lr,omitempty"`    // cosine, plateau: floor
	Patience int     `json:"patience,omitempty"`  // plateau: epochs without improvement
	Factor   float64 `json:"factor,omitempty"`    // plateau: decay factor
	Monitor  string  `json:"monitor,omitempty"`   // plateau: metric, default val_loss
}

// DefaultSchedule returns a schedule with its usual settings: step halves
// the rate every 10 epochs, exponential decays it by 0.97 an epoch, plateau
// halves it after 5 epochs without improvement. Unknown names are returned
// as they are, for Validate to reject by name.
func DefaultSchedule(name string) ScheduleSpec {
	s := ScheduleSpec{Name: name}
	switch name {
	case "step":
		s.StepSize, s.Gamma = 10, 0.5
	case "exponential":
		s.Gamma = 0.97
	case "plateau":
		s.Patience, s.Factor = 5, 0.5
	}
	return s
}

// EarlyStopSpec stops training when Monitor has not improved by MinDelta
// for Patience epochs, and restores the best epoch's weights. Patience 0
// turns it off.
type EarlyStopSpec struct {
	Monitor  string  `json:"monitor,omitempty"`
	Patience int     `json:"patience,omitempty"`
	MinDelta float64 `json:"min_delta,omitempty"`
}

// Enabled reports whether early stopping is on.
func (e EarlyStopSpec) Enabled() bool { return e.Patience > 0 }

// DefaultSpec returns TensorFlow Playground's default: two spirals, two
// hidden layers of 4 tanh units, SGD at 0.03, batch 10.
func DefaultSpec() Spec {
	return Spec{
		Data: datasets.Spec{Name: "spiral", Samples: 500, Split: datasets.DefaultSplit, Seed: 1},
		Model: ModelSpec{Init: "xavier_uniform", Hidden: []LayerSpec{
			{Units: 4, Activation: "tanh"}, {Units: 4, Activation: "tanh"},
		}},
		Loss:      "bce",
		Optimizer: OptimizerSpec{Name: "sgd", LR: 0.03},
		Schedule:  ScheduleSpec{Name: "constant"},
		BatchSize: 10,
		Epochs:    100,
		Seed:      1,
	}
}

// Clone returns a deep copy of s.
func (s Spec) Clone() Spec {
	b, err := json.Marshal(s)
	if err != nil {
		panic("trainer: spec does not marshal: " + err.Error())
	}
	var c Spec
	if err := json.Unmarshal(b, &c); err != nil {
		panic("trainer: spec does not unmarshal: " + err.Error())
	}
	return c
}

// ParseSpec decodes a JSON spec with DecodeSpec and validates it.
func ParseSpec(b []byte) (Spec, error) {
	s, err := DecodeSpec(b)
	if err != nil {
		return s, err
	}
	return s, s.Validate()
}

var (
	initNames      = []string{"xavier_uniform", "xavier_normal", "he_uniform", "he_normal"}
	optimizerNames = []string{"gd", "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"}
	scheduleNames  = []string{"constant", "step", "exponential", "cosine", "plateau"}
	lossNames      = []string{"mse", "bce", "ce", "huber"}
)

func oneOf(field, v string, allowed []string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%s: unknown value %q (want %s)", field, v, strings.Join(allowed, ", "))
}

func inRange(field string, v, lo, hi float64) error {
	if !(v >= lo && v <= hi) {
		return fmt.Errorf("%s: %v is out of range [%v, %v]", field, v, lo, hi)
	}
	return nil
}

// Validate returns an error naming the first invalid field. It checks the
// spec on its own; CheckTask checks it against a dataset's task.
func (s *Spec) Validate() error {
	if err := s.Data.Validate(); err != nil {
		return err
	}
	if len(s.Model.Hidden) > 64 {
		return fmt.Errorf("model.hidden: %d layers is more than the limit of 64", len(s.Model.Hidden))
	}
	for i, l := range s.Model.Hidden {
		f := fmt.Sprintf("model.hidden[%d]", i)
		if l.Units < 1 || l.Units > 65536 {
			return fmt.Errorf("%s.units: %d is out of range [1, 65536]", f, l.Units)
		}
		if _, err := ParseActivation(l.Activation); err != nil {
			return fmt.Errorf("%s.activation: %v", f, err)
		}
		if !(l.Dropout >= 0 && l.Dropout < 1) {
			return fmt.Errorf("%s.dropout: %v is out of range [0, 1)", f, l.Dropout)
		}
	}
	if err := oneOf("model.init", s.Model.Init, initNames); err != nil {
		return err
	}
	if err := oneOf("loss", s.Loss, lossNames); err != nil {
		return err
	}
	if s.Precision != "" {
		if err := oneOf("precision", s.Precision, PrecisionNames); err != nil {
			return err
		}
	}
	o := s.Optimizer
	if err := oneOf("optimizer.name", o.Name, optimizerNames); err != nil {
		return err
	}
	if !(o.LR > 0 && o.LR <= 10) {
		return fmt.Errorf("optimizer.lr: %v is out of range (0, 10]", o.LR)
	}
	if err := inRange("optimizer.momentum", o.Momentum, 0, 0.9999); err != nil {
		return err
	}
	if err := inRange("optimizer.beta1", o.Beta1, 0, 0.9999); err != nil {
		return err
	}
	if err := inRange("optimizer.beta2", o.Beta2, 0, 0.999999); err != nil {
		return err
	}
	if err := inRange("optimizer.rho", o.Rho, 0, 0.9999); err != nil {
		return err
	}
	if err := inRange("optimizer.eps", o.Eps, 0, 1); err != nil {
		return err
	}
	if err := inRange("optimizer.weight_decay", o.WeightDecay, 0, 1); err != nil {
		return err
	}
	if o.Name == "gd" && s.BatchSize != 0 {
		return fmt.Errorf("batch_size: gd is full-batch gradient descent; set batch_size to 0 or use sgd")
	}
	sc := s.Schedule
	if err := oneOf("schedule.name", sc.Name, scheduleNames); err != nil {
		return err
	}
	switch sc.Name {
	case "step":
		if sc.StepSize < 1 {
			return fmt.Errorf("schedule.step_size: %d must be at least 1", sc.StepSize)
		}
		if !(sc.Gamma > 0 && sc.Gamma <= 1) {
			return fmt.Errorf("schedule.gamma: %v is out of range (0, 1]", sc.Gamma)
		}
	case "exponential":
		if !(sc.Gamma > 0 && sc.Gamma <= 1) {
			return fmt.Errorf("schedule.gamma: %v is out of range (0, 1]", sc.Gamma)
		}
	case "plateau":
		if sc.Patience < 1 {
			return fmt.Errorf("schedule.patience: %d must be at least 1", sc.Patience)
		}
		if !(sc.Factor > 0 && sc.Factor < 1) {
			return fmt.Errorf("schedule.factor: %v is out of range (0, 1)", sc.Factor)
		}
		if sc.Monitor != "" {
			if _, err := parseMonitor(sc.Monitor); err != nil {
				return fmt.Errorf("schedule.monitor: %v", err)
			}
		}
	}
	if sc.Name == "cosine" && s.Epochs == 0 {
		return fmt.Errorf("schedule.name: cosine anneals over the epoch limit, and epochs is 0 (no limit): set epochs or pick another schedule")
	}
	if err := inRange("schedule.min_lr", sc.MinLR, 0, 10); err != nil {
		return err
	}
	if s.BatchSize < 0 || s.BatchSize > 1<<20 {
		return fmt.Errorf("batch_size: %d is out of range [0, 1048576]", s.BatchSize)
	}
	if s.Epochs < 0 || s.Epochs > MaxEpochs {
		return fmt.Errorf("epochs: %d is out of range [0, %d] (0 trains until stopped)", s.Epochs, MaxEpochs)
	}
	if err := inRange("l1", s.L1, 0, 10); err != nil {
		return err
	}
	if err := inRange("l2", s.L2, 0, 10); err != nil {
		return err
	}
	if err := inRange("clip_norm", s.ClipNorm, 0, 1e6); err != nil {
		return err
	}
	if s.EarlyStop.Patience < 0 {
		return fmt.Errorf("early_stop.patience: %d must not be negative", s.EarlyStop.Patience)
	}
	if s.EarlyStop.Enabled() {
		if _, err := parseMonitor(s.earlyMonitor()); err != nil {
			return fmt.Errorf("early_stop.monitor: %v", err)
		}
		if err := inRange("early_stop.min_delta", s.EarlyStop.MinDelta, 0, 1e9); err != nil {
			return err
		}
	}
	if s.Target != "" {
		if _, err := ParseTarget(s.Target); err != nil {
			return fmt.Errorf("target: %v", err)
		}
	}
	return s.Decision.validate()
}

func (s *Spec) earlyMonitor() string {
	if s.EarlyStop.Monitor == "" {
		return "val_loss"
	}
	return s.EarlyStop.Monitor
}

// CheckTask returns an error when the spec does not fit a dataset's task,
// naming the field: a loss that the task cannot use, or a metric the task
// does not compute.
func (s *Spec) CheckTask(task datasets.Task) error {
	switch {
	case s.Loss == "bce" && task != datasets.Binary:
		return fmt.Errorf("loss: bce is for binary tasks; %s needs %s", task, defaultLoss(task))
	case s.Loss == "ce" && task != datasets.Multiclass:
		return fmt.Errorf("loss: ce is for multiclass tasks; %s needs %s", task, defaultLoss(task))
	case s.Loss == "huber" && task != datasets.Regression:
		return fmt.Errorf("loss: huber is for regression; %s needs %s", task, defaultLoss(task))
	}
	check := func(field, name string) error {
		if name == "" {
			return nil
		}
		m, err := parseMonitor(name)
		if err != nil {
			return fmt.Errorf("%s: %v", field, err)
		}
		if !metricForTask(m.metric, task) {
			return fmt.Errorf("%s: %s is not computed for %s tasks (try %s)", field, m.metric, task, strings.Join(MetricNames(task), ", "))
		}
		return nil
	}
	if s.EarlyStop.Enabled() {
		if err := check("early_stop.monitor", s.earlyMonitor()); err != nil {
			return err
		}
	}
	if s.Schedule.Name == "plateau" {
		if err := check("schedule.monitor", s.Schedule.Monitor); err != nil {
			return err
		}
	}
	if s.Target != "" {
		t, _ := ParseTarget(s.Target)
		if err := check("target", t.Metric); err != nil {
			return err
		}
	}
	return s.Decision.checkTask(task)
}

func defaultLoss(task datasets.Task) string {
	switch task {
	case datasets.Binary:
		return "bce (or mse)"
	case datasets.Multiclass:
		return "ce (or mse)"
	}
	return "mse or huber"
}

// DefaultLossFor returns the usual loss for a task.
func DefaultLossFor(task datasets.Task) string {
	switch task {
	case datasets.Binary:
		return "bce"
	case datasets.Multiclass:
		return "ce"
	}
	return "mse"
}

// Target is a stopping rule: stop once Metric Op Value holds.
type Target struct {
	Metric string  // e.g. val_accuracy
	Op     string  // >=, >, <= or <
	Value  float64 //
}

// ParseTarget parses a rule such as "val_accuracy>=0.99".
func ParseTarget(s string) (Target, error) {
	s = strings.ReplaceAll(s, " ", "")
	for _, op := range []string{">=", "<=", ">", "<"} {
		if i := strings.Index(s, op); i > 0 {
			v, err := strconv.ParseFloat(s[i+len(op):], 64)
			if err != nil || math.IsNaN(v) {
				return Target{}, fmt.Errorf("bad value in %q", s)
			}
			t := Target{Metric: s[:i], Op: op, Value: v}
			if _, err := parseMonitor(t.Metric); err != nil {
				return Target{}, err
			}
			return t, nil
		}
	}
	return Target{}, fmt.Errorf("%q is not a rule like val_accuracy>=0.99", s)
}

// Met reports whether v satisfies the target.
func (t Target) Met(v float64) bool {
	switch t.Op {
	case ">=":
		return v >= t.Value
	case ">":
		return v > t.Value
	case "<=":
		return v <= t.Value
	case "<":
		return v < t.Value
	}
	return false
}

func (t Target) String() string { return t.Metric + t.Op + strconv.FormatFloat(t.Value, 'g', -1, 64) }

// monitor is a metric on a split, such as val_loss.
type monitor struct {
	split  string // train, val
	metric string
}

func parseMonitor(s string) (monitor, error) {
	for _, p := range []string{"val", "train"} {
		if strings.HasPrefix(s, p+"_") {
			name := s[len(p)+1:]
			if !knownMetric(name) {
				return monitor{}, fmt.Errorf("unknown metric %q", name)
			}
			if p == "train" && name != "loss" && name != "accuracy" {
				return monitor{}, fmt.Errorf("only train_loss and train_accuracy are tracked on the training split")
			}
			return monitor{split: p, metric: name}, nil
		}
	}
	return monitor{}, fmt.Errorf("%q must start with val_ or train_ (e.g. val_loss, val_accuracy)", s)
}
