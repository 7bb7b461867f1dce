package trainer

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"workbench/datasets"
)

// EnsembleFormat and EnsembleVersion identify a saved ensemble: a JSON
// object {"format", "version", "method", "task", "inputs", "outputs",
// "members": [{"id", "weight", "scaler", "model"}]} where each member's
// model is itself a saved model (any format) and its scaler the member's
// own preprocessing.
const (
	EnsembleFormat  = "workbench-ensemble"
	EnsembleVersion = 1
)

// EnsembleMethods are the ways an ensemble combines its members.
var EnsembleMethods = []string{"mean", "vote", "weighted"}

// Ensemble combines trained models of one task and feature list. Its
// inputs are raw features: each member applies its own scaler. It is
// read-only after construction and safe for concurrent use.
type Ensemble struct {
	// Method is mean (average of probabilities or values), vote (majority
	// vote of the members' decisions; the median for regression) or
	// weighted (average weighted by Weight).
	Method  string
	Task    datasets.Task
	Inputs  int
	Outputs int
	Members []EnsembleMember
	// Threshold is a binary ensemble's decision threshold (0 means 0.5).
	Threshold float64
}

// EnsembleMember is one model of an ensemble.
type EnsembleMember struct {
	ID     string
	Weight float64 // normalized: the weights sum to 1
	Scaler datasets.Scaler
	Model  Predictor
}

// NewEnsemble checks that members fit together and normalizes their
// weights (non-positive weights count 0; all zero means equal weights).
// Methods other than weighted use equal weights.
func NewEnsemble(method string, task datasets.Task, members []EnsembleMember) (*Ensemble, error) {
	if err := CheckEnsembleMethod(method); err != nil {
		return nil, err
	}
	if len(members) < 2 {
		return nil, fmt.Errorf("ensemble: need at least 2 members, have %d", len(members))
	}
	in, out := members[0].Model.Shape()
	sum := 0.0
	for i, m := range members {
		mi, mo := m.Model.Shape()
		if mi != in || mo != out {
			return nil, fmt.Errorf("ensemble: member %s has %d inputs and %d outputs, the first has %d and %d", m.ID, mi, mo, in, out)
		}
		if len(m.Scaler.Offset) != 0 && len(m.Scaler.Offset) != in {
			return nil, fmt.Errorf("ensemble: member %s's scaler has %d features for %d inputs", m.ID, len(m.Scaler.Offset), in)
		}
		if len(m.Scaler.Factor) != len(m.Scaler.Offset) {
			return nil, fmt.Errorf("ensemble: member %s's scaler has %d offsets and %d factors", m.ID, len(m.Scaler.Offset), len(m.Scaler.Factor))
		}
		if method != "weighted" || !(m.Weight > 0) {
			members[i].Weight = 0
		}
		sum += members[i].Weight
	}
	for i := range members {
		if sum > 0 {
			members[i].Weight /= sum
		} else {
			members[i].Weight = 1 / float64(len(members))
		}
	}
	return &Ensemble{Method: method, Task: task, Inputs: in, Outputs: out, Members: members}, nil
}

// CheckEnsembleMethod returns an error unless m is one of EnsembleMethods.
func CheckEnsembleMethod(m string) error {
	for _, n := range EnsembleMethods {
		if m == n {
			return nil
		}
	}
	return fmt.Errorf("ensemble: unknown method %q (want %s)", m, strings.Join(EnsembleMethods, ", "))
}

// Shape returns the widths of the input and of the output.
func (e *Ensemble) Shape() (inputs, outputs int) { return e.Inputs, e.Outputs }

// DecisionThreshold is the probability (or share of votes) at or above
// which a binary ensemble predicts the positive class: 0.5 unless set.
func (e *Ensemble) DecisionThreshold() float64 {
	if e.Threshold == 0 {
		return 0.5
	}
	return e.Threshold
}

// Predict returns the combined outputs for n rows of raw features x.
func (e *Ensemble) Predict(x []float64, n int) []float64 {
	outs := make([][]float64, len(e.Members))
	weights := make([]float64, len(e.Members))
	thr := make([]float64, len(e.Members))
	xs := make([]float64, n*e.Inputs)
	for i, m := range e.Members {
		m.Scaler.Transform(xs, x[:n*e.Inputs])
		outs[i] = m.Model.Predict(xs, n)
		weights[i] = m.Weight
		thr[i] = m.Model.DecisionThreshold()
	}
	return Combine(e.Method, e.Task, e.Outputs, outs, weights, thr)
}

// Combine merges the members' outputs (each n×k) by method: the weighted
// mean of probabilities or values (mean, weighted), or the weighted share of
// votes for each class (vote: a binary member votes positive when its
// probability reaches its threshold; a multiclass member for its most
// probable class; for regression, vote is the median). weights sum to 1.
func Combine(method string, task datasets.Task, k int, outs [][]float64, weights, thresholds []float64) []float64 {
	if len(outs) == 0 {
		panic("trainer: Combine of no outputs")
	}
	res := make([]float64, len(outs[0]))
	n := len(res) / k
	switch {
	case method != "vote":
		for m, o := range outs {
			w := weights[m]
			for i, v := range o {
				res[i] += w * v
			}
		}
	case task == datasets.Regression:
		col := make([]float64, len(outs))
		for i := range res {
			for m, o := range outs {
				col[m] = o[i]
			}
			sort.Float64s(col)
			h := len(col) / 2
			res[i] = col[h]
			if len(col)%2 == 0 {
				res[i] = (col[h-1] + col[h]) / 2
			}
		}
	case task == datasets.Binary:
		for m, o := range outs {
			for i, v := range o {
				if v >= thresholds[m] {
					res[i] += weights[m]
				}
			}
		}
	default:
		for m, o := range outs {
			for i := 0; i < n; i++ {
				res[i*k+argmax(o[i*k:(i+1)*k])] += weights[m]
			}
		}
	}
	return res
}

type ensembleFile struct {
	Format  string           `json:"format"`
	Version int              `json:"version"`
	Method  string           `json:"method"`
	Task    datasets.Task    `json:"task"`
	Inputs  int              `json:"inputs"`
	Outputs int              `json:"outputs"`
	Members []ensembleMember `json:"members"`
	// Threshold is the binary decision threshold, when not 0.5.
	Threshold float64 `json:"threshold,omitempty"`
}

type ensembleMember struct {
	ID     string          `json:"id"`
	Weight float64         `json:"weight"`
	Scaler datasets.Scaler `json:"scaler"`
	Model  json.RawMessage `json:"model"`
}

// Marshal encodes the ensemble with every member's model, so that it
// predicts even after its member runs are deleted.
func (e *Ensemble) Marshal() ([]byte, error) {
	f := ensembleFile{Format: EnsembleFormat, Version: EnsembleVersion, Method: e.Method, Task: e.Task, Inputs: e.Inputs, Outputs: e.Outputs,
		Threshold: e.Threshold}
	for _, m := range e.Members {
		b, err := m.Model.Marshal()
		if err != nil {
			return nil, fmt.Errorf("ensemble member %s: %v", m.ID, err)
		}
		f.Members = append(f.Members, ensembleMember{ID: m.ID, Weight: m.Weight, Scaler: m.Scaler, Model: b})
	}
	return json.Marshal(f)
}

// UnmarshalEnsemble decodes and checks an ensemble saved by Marshal.
func UnmarshalEnsemble(b []byte) (*Ensemble, error) {
	var f ensembleFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("ensemble: %v", err)
	}
	if f.Format != EnsembleFormat || f.Version != EnsembleVersion {
		return nil, fmt.Errorf("ensemble: format %q version %d is not %q version %d", f.Format, f.Version, EnsembleFormat, EnsembleVersion)
	}
	var members []EnsembleMember
	for _, m := range f.Members {
		p, err := LoadPredictor(m.Model)
		if err != nil {
			return nil, fmt.Errorf("ensemble member %s: %v", m.ID, err)
		}
		members = append(members, EnsembleMember{ID: m.ID, Weight: m.Weight, Scaler: m.Scaler, Model: p})
	}
	e, err := NewEnsemble(f.Method, f.Task, members)
	if err != nil {
		return nil, err
	}
	if f.Method == "weighted" {
		// Keep the stored weights exactly: renormalizing may round.
		for i := range e.Members {
			e.Members[i].Weight = f.Members[i].Weight
		}
	}
	if !(f.Threshold >= 0 && f.Threshold < 1) {
		return nil, fmt.Errorf("ensemble: threshold %v is out of range [0, 1)", f.Threshold)
	}
	e.Threshold = f.Threshold
	if e.Inputs != f.Inputs || e.Outputs != f.Outputs {
		return nil, fmt.Errorf("ensemble: members have %d inputs and %d outputs, the file says %d and %d", e.Inputs, e.Outputs, f.Inputs, f.Outputs)
	}
	return e, nil
}
