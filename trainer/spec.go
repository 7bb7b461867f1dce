package trainer

import (
	"encoding/json"
	"fmt"

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
	// Evaluation settings; see evalspec.go. Empty means off (none).
	ScaleTarget string       `json:"scale_target,omitempty"` // regression: none, standard or minmax
	ClassWeight string       `json:"class_weight,omitempty"` // none, balanced or CLASS=W,…
	CV          int          `json:"cv,omitempty"`           // k-fold cross-validation: 0 = off, else 2…20
	CVAll       bool         `json:"cv_all,omitempty"`       // folds over every row: no held-out test split
	Calibrate   string       `json:"calibrate,omitempty"`    // none or temperature
	Decision    DecisionSpec `json:"decision,omitzero"`
	Seed        uint64       `json:"seed"`
	Tags        []string     `json:"tags,omitempty"`
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
	// ClipValue clips each gradient element to [−ClipValue, ClipValue]
	// before the update (Keras's clipvalue); 0 turns it off.
	ClipValue float64 `json:"clip_value,omitempty"`
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
// turns it off. Monitor is a metric with its split, val_loss when empty;
// val_cost (CostMonitor) needs a cost matrix in Decision.
type EarlyStopSpec struct {
	Monitor  string  `json:"monitor,omitempty"`
	Patience int     `json:"patience,omitempty"`
	MinDelta float64 `json:"min_delta,omitempty"`
}

// Enabled reports whether early stopping is on.
func (e EarlyStopSpec) Enabled() bool { return e.Patience > 0 }

// PlaygroundSplit is TensorFlow Playground's 50% of training data; the
// other half, the Playground's test set, is shared equally between
// validation (which picks the kept epoch) and test.
var PlaygroundSplit = [3]float64{0.5, 0.25, 0.25}

// DefaultSpec returns TensorFlow Playground's default (src/state.ts): the
// circle, 500 points without noise, 50% of them for training, hidden
// layers of 4 and 2 tanh units, SGD at 0.03, batch 10. It reaches a test
// accuracy of 0.99 in 100 epochs.
func DefaultSpec() Spec {
	return Spec{
		Data: datasets.Spec{Name: "circle", Samples: 500, Split: PlaygroundSplit, Seed: 1},
		Model: ModelSpec{Init: "xavier_uniform", Hidden: []LayerSpec{
			{Units: 4, Activation: "tanh"}, {Units: 2, Activation: "tanh"},
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

// BestMonitor names the metric that picks a run's best epoch: early
// stopping's monitor when early stopping is on, else val_loss. The
// FinishedEvent's Monitor is this.
func (s *Spec) BestMonitor() string {
	if s.EarlyStop.Enabled() {
		return s.earlyMonitor()
	}
	return "val_loss"
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
	if err := s.checkLoss(task); err != nil {
		return err
	}
	check := func(field, name string) error {
		if name == "" {
			return nil
		}
		if _, err := ParseMetric(name, task); err != nil {
			return fmt.Errorf("%s: %v", field, err)
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
	if err := s.checkEvalTask(task); err != nil {
		return err
	}
	return s.Decision.checkTask(task)
}

// checkLoss returns an error when the loss does not fit the task.
func (s *Spec) checkLoss(task datasets.Task) error {
	switch {
	case s.Loss == "bce" && task != datasets.Binary:
		return fmt.Errorf("loss: bce is for binary tasks; %s needs %s", task, defaultLoss(task))
	case s.Loss == "ce" && task != datasets.Multiclass:
		return fmt.Errorf("loss: ce is for multiclass tasks; %s needs %s", task, defaultLoss(task))
	case s.Loss == "huber" && task != datasets.Regression:
		return fmt.Errorf("loss: huber is for regression; %s needs %s", task, defaultLoss(task))
	}
	return nil
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
