package trainer

import (
	"encoding/json"
	"fmt"
	"math"

	"workbench/datasets"
)

// WeightsFormat and WeightsVersion identify the saved-weights format.
//
// The format is a JSON object:
//
//	{
//	  "format": "workbench-mlp",   // always this string
//	  "version": 1,                // bumped on any incompatible change
//	  "task": "binary",            // binary, multiclass or regression
//	  "inputs": 2, "outputs": 1,   // widths of the input and output layers
//	  "layers": [                  // input to output; the last is the linear output layer
//	    {"in": 2, "out": 8, "activation": "tanh",
//	     "batch_norm": false, "dropout": 0,
//	     "w": [...],               // in×out, row-major: w[i*out+j] links input i to unit j
//	     "b": [...],               // out biases (absent under batch norm)
//	     "gamma": [...], "beta": [...], "running_mean": [...], "running_var": [...]}  // batch norm only
//	  ]
//	}
//
// The output head is implied by the task: sigmoid (binary), softmax
// (multiclass) or identity (regression). Values are finite float64s, written
// with Go's shortest round-tripping form, so a save and load is exact.
const (
	WeightsFormat  = "workbench-mlp"
	WeightsVersion = 1
)

// Snapshot is a trained model's weights, detached from training. Predict
// is safe for concurrent use.
type Snapshot struct {
	Task    datasets.Task  `json:"task"`
	Inputs  int            `json:"inputs"`
	Outputs int            `json:"outputs"`
	Layers  []LayerWeights `json:"layers"`
	// Threshold is a binary model's decision threshold (0 means 0.5).
	Threshold float64 `json:"threshold,omitempty"`
}

// DecisionThreshold returns the probability at or above which a binary
// model predicts the positive class.
func (s *Snapshot) DecisionThreshold() float64 {
	if s.Threshold == 0 {
		return 0.5
	}
	return s.Threshold
}

// LayerWeights is one layer of a Snapshot.
type LayerWeights struct {
	In         int       `json:"in"`
	Out        int       `json:"out"`
	Activation string    `json:"activation"`
	BatchNorm  bool      `json:"batch_norm"`
	Dropout    float64   `json:"dropout"`
	W          []float64 `json:"w"`
	B          []float64 `json:"b,omitempty"`
	Gamma      []float64 `json:"gamma,omitempty"`
	Beta       []float64 `json:"beta,omitempty"`
	RunMean    []float64 `json:"running_mean,omitempty"`
	RunVar     []float64 `json:"running_var,omitempty"`
}

type snapshotFile struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	*Snapshot
}

// Marshal encodes the snapshot in the versioned weights format.
func (s *Snapshot) Marshal() ([]byte, error) {
	for _, l := range s.Layers {
		for _, vs := range [][]float64{l.W, l.B, l.Gamma, l.Beta, l.RunMean, l.RunVar} {
			for _, v := range vs {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("weights: a non-finite value cannot be saved")
				}
			}
		}
	}
	return json.Marshal(snapshotFile{Format: WeightsFormat, Version: WeightsVersion, Snapshot: s})
}

// UnmarshalSnapshot decodes and checks weights saved by Marshal.
func UnmarshalSnapshot(b []byte) (*Snapshot, error) {
	f := snapshotFile{Snapshot: &Snapshot{}}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("weights: %v", err)
	}
	if f.Format != WeightsFormat {
		return nil, fmt.Errorf("weights: format %q is not %q", f.Format, WeightsFormat)
	}
	if f.Version != WeightsVersion {
		return nil, fmt.Errorf("weights: version %d is not supported (this build reads version %d)", f.Version, WeightsVersion)
	}
	s := f.Snapshot
	if len(s.Layers) == 0 {
		return nil, fmt.Errorf("weights: no layers")
	}
	in := s.Inputs
	for i, l := range s.Layers {
		if l.In != in || l.In < 1 || l.Out < 1 || len(l.W) != l.In*l.Out {
			return nil, fmt.Errorf("weights: layer %d has inconsistent shapes", i)
		}
		if _, err := ParseActivation(l.Activation); err != nil {
			return nil, fmt.Errorf("weights: layer %d: %v", i, err)
		}
		if l.BatchNorm {
			if len(l.Gamma) != l.Out || len(l.Beta) != l.Out || len(l.RunMean) != l.Out || len(l.RunVar) != l.Out {
				return nil, fmt.Errorf("weights: layer %d has inconsistent batch-norm shapes", i)
			}
		} else if len(l.B) != l.Out {
			return nil, fmt.Errorf("weights: layer %d has %d biases, want %d", i, len(l.B), l.Out)
		}
		in = l.Out
	}
	if in != s.Outputs {
		return nil, fmt.Errorf("weights: the last layer has %d units, want %d outputs", in, s.Outputs)
	}
	return s, nil
}

// model builds an inference model holding a copy of the snapshot's weights.
func (s *Snapshot) model(maxBatch int) *Model {
	m := &Model{Task: s.Task, Inputs: s.Inputs, Outputs: s.Outputs, Head: headFor(s.Task)}
	for _, lw := range s.Layers {
		act, err := ParseActivation(lw.Activation)
		if err != nil {
			panic("trainer: snapshot has an unchecked activation")
		}
		l := newLayer(lw.In, lw.Out, act, lw.BatchNorm, lw.Dropout, maxBatch)
		copy(l.W, lw.W)
		copy(l.B, lw.B)
		copy(l.Gamma, lw.Gamma)
		copy(l.Beta, lw.Beta)
		copy(l.RunMean, lw.RunMean)
		copy(l.RunVar, lw.RunVar)
		m.Layers = append(m.Layers, l)
	}
	m.collectParams()
	return m
}

// Predict returns the head's outputs for n rows of already-scaled inputs x:
// n probabilities for binary, n×classes probabilities for multiclass, n
// values for regression. It allocates its own buffers, so concurrent calls
// are safe.
func (s *Snapshot) Predict(x []float64, n int) []float64 {
	if len(x) < n*s.Inputs {
		panic("trainer: Predict input shorter than n rows")
	}
	const chunk = 1024
	m := s.model(min(n, chunk))
	out := make([]float64, n*s.Outputs)
	for lo := 0; lo < n; lo += chunk {
		c := min(chunk, n-lo)
		logits := m.Forward(x[lo*s.Inputs:(lo+c)*s.Inputs], c, false, nil)
		m.Head.Apply(out[lo*s.Outputs:(lo+c)*s.Outputs], logits, c, s.Outputs)
	}
	return out
}

// NumParams returns the number of trainable values.
func (s *Snapshot) NumParams() int {
	n := 0
	for _, l := range s.Layers {
		n += len(l.W) + len(l.B) + len(l.Gamma) + len(l.Beta)
	}
	return n
}
