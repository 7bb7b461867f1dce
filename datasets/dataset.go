package datasets

import (
	"fmt"
	"strings"
)

// Task is the kind of prediction a dataset asks for.
type Task int

// The tasks a dataset can have.
const (
	Binary Task = iota
	Multiclass
	Regression
)

var taskNames = [...]string{"binary", "multiclass", "regression"}

// String returns the task's name.
func (t Task) String() string {
	if t < 0 || int(t) >= len(taskNames) {
		return fmt.Sprintf("Task(%d)", int(t))
	}
	return taskNames[t]
}

// ParseTask parses a task name ("binary", "multiclass" or "regression").
func ParseTask(s string) (Task, error) {
	for i, n := range taskNames {
		if strings.EqualFold(s, n) {
			return Task(i), nil
		}
	}
	return 0, fmt.Errorf("unknown task %q (want binary, multiclass or regression)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (t Task) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *Task) UnmarshalText(b []byte) error {
	v, err := ParseTask(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// IsClassification reports whether the task predicts a class.
func (t Task) IsClassification() bool { return t == Binary || t == Multiclass }

// Split is one part of a dataset: N rows of D features and N targets.
type Split struct {
	X []float64 // N×D, row-major
	Y []float64 // N targets
	N int
	D int
}

// Row returns row i of X. The slice aliases X.
func (s *Split) Row(i int) []float64 { return s.X[i*s.D : (i+1)*s.D] }

// Table is a whole dataset before splitting and scaling.
type Table struct {
	Meta Meta
	X    []float64 // N×D, row-major
	Y    []float64
	N    int
	D    int
	// catGroups are the one-hot column runs of categorical features.
	catGroups []catGroup
	// missing is the policy the table was loaded with; predictions follow it.
	missing MissingPolicy
}

// Meta describes a dataset for the UI and the CLI.
type Meta struct {
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Task         Task     `json:"task"`
	Kind         string   `json:"kind"` // "synthetic", "embedded" or "csv"
	FeatureNames []string `json:"feature_names"`
	ClassNames   []string `json:"class_names,omitempty"`
	Rows         int      `json:"rows"`
	Features     int      `json:"features"`
	ClassCounts  []int    `json:"class_counts,omitempty"`
	Source       string   `json:"source,omitempty"`
	Citation     string   `json:"citation,omitempty"`
	License      string   `json:"license,omitempty"`
	// DefaultScale is the scaling used when a spec leaves data.scale empty
	// ("" means none).
	DefaultScale string `json:"default_scale,omitempty"`
	// Image is the image shape (height, width) for image datasets, else zero.
	ImageH int `json:"image_h,omitempty"`
	ImageW int `json:"image_w,omitempty"`
}

// Classes returns the number of classes, or 0 for regression.
func (m *Meta) Classes() int {
	if !m.Task.IsClassification() {
		return 0
	}
	return len(m.ClassNames)
}

// countClasses returns the count of each class index in y.
func countClasses(y []float64, k int) []int {
	c := make([]int, k)
	for _, v := range y {
		if i := int(v); i >= 0 && i < k {
			c[i]++
		}
	}
	return c
}

// finishMeta fills the shape fields of t.Meta from its matrices.
func (t *Table) finishMeta() {
	t.Meta.Rows = t.N
	t.Meta.Features = t.D
	if t.Meta.Task.IsClassification() {
		t.Meta.ClassCounts = countClasses(t.Y, len(t.Meta.ClassNames))
	}
}
