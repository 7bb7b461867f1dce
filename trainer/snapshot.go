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
//	  "version": 1,                // 1: float64 weights; 2: adds "precision"
//	  "precision": "float32",      // version 2 only: the run's precision
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
// (multiclass) or identity (regression). Values are finite numbers in the
// run's precision, written in Go's shortest round-tripping form for that
// precision, so a save and load is exact. Float64 weights are written as
// version 1, which builds before float32 also read; float32 weights as
// version 2. This build reads both.
const (
	WeightsFormat  = "workbench-mlp"
	WeightsVersion = 2
)

// Snapshot is a trained model's weights, detached from training. Predict
// is safe for concurrent use.
//
// Weights are held as float64 in either precision; a float32 snapshot's
// values are all exact float32s, and Predict computes in float32.
type Snapshot struct {
	Task    datasets.Task `json:"task"`
	Inputs  int           `json:"inputs"`
	Outputs int           `json:"outputs"`
	// Precision is the run's precision; empty means float64.
	Precision string         `json:"precision,omitempty"`
	Layers    []LayerWeights `json:"layers"`
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
	if s.Precision != Float32 {
		v1 := *s
		v1.Precision = ""
		return json.Marshal(snapshotFile{Format: WeightsFormat, Version: 1, Snapshot: &v1})
	}
	// Float32 values in float32's shortest form: 0.1, not 0.10000000149011612.
	f := snapshotFile32{Format: WeightsFormat, Version: 2, Task: s.Task, Inputs: s.Inputs, Outputs: s.Outputs, Precision: Float32, Threshold: s.Threshold}
	for _, l := range s.Layers {
		f.Layers = append(f.Layers, layerWeights32{In: l.In, Out: l.Out, Activation: l.Activation, BatchNorm: l.BatchNorm, Dropout: l.Dropout,
			W: to32(l.W), B: to32(l.B), Gamma: to32(l.Gamma), Beta: to32(l.Beta), RunMean: to32(l.RunMean), RunVar: to32(l.RunVar)})
	}
	return json.Marshal(f)
}

// snapshotFile32 and layerWeights32 are the version 2 file of a float32
// snapshot: the same fields as Snapshot and LayerWeights, in float32.
type snapshotFile32 struct {
	Format    string           `json:"format"`
	Version   int              `json:"version"`
	Task      datasets.Task    `json:"task"`
	Inputs    int              `json:"inputs"`
	Outputs   int              `json:"outputs"`
	Precision string           `json:"precision"`
	Layers    []layerWeights32 `json:"layers"`
	Threshold float64          `json:"threshold,omitempty"`
}

type layerWeights32 struct {
	In         int       `json:"in"`
	Out        int       `json:"out"`
	Activation string    `json:"activation"`
	BatchNorm  bool      `json:"batch_norm"`
	Dropout    float64   `json:"dropout"`
	W          []float32 `json:"w"`
	B          []float32 `json:"b,omitempty"`
	Gamma      []float32 `json:"gamma,omitempty"`
	Beta       []float32 `json:"beta,omitempty"`
	RunMean    []float32 `json:"running_mean,omitempty"`
	RunVar     []float32 `json:"running_var,omitempty"`
}

func to32(x []float64) []float32 {
	if x == nil {
		return nil
	}
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
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
	if f.Version < 1 || f.Version > WeightsVersion {
		return nil, fmt.Errorf("weights: version %d is not supported (this build reads versions 1 to %d)", f.Version, WeightsVersion)
	}
	s := f.Snapshot
	switch {
	case f.Version == 1 && s.Precision != "":
		return nil, fmt.Errorf("weights: version 1 has no precision field")
	case f.Version == 2:
		if _, err := ParsePrecision(s.Precision); err != nil || s.Precision == "f32" || s.Precision == "f64" {
			return nil, fmt.Errorf("weights: precision %q is not float64 or float32", s.Precision)
		}
	}
	if s.Precision == Float64 {
		s.Precision = ""
	}
	if s.Precision == Float32 {
		// The decimal form is float32's shortest; read as float64 it is
		// another number, which rounds back to the saved float32.
		for i := range s.Layers {
			l := &s.Layers[i]
			for _, vs := range [][]float64{l.W, l.B, l.Gamma, l.Beta, l.RunMean, l.RunVar} {
				for j, v := range vs {
					vs[j] = float64(float32(v))
				}
			}
		}
	}
	if len(s.Layers) == 0 {
		return nil, fmt.Errorf("weights: no layers")
	}
	in := s.Inputs
	for i, l := range s.Layers {
		if err := checkLayerShape(i, in, l.In, l.Out, len(l.W)); err != nil {
			return nil, err
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

// checkLayerShape returns an error unless layer i takes in inputs (the
// previous layer's width) and its in×out weights number w. The product is
// never formed: 2^62 inputs × 4 units wraps to 0, which would pass as an
// empty weight list and allocate 2^62 values later. As every weight is in
// the file, a shape that passes is bounded by the file's size.
func checkLayerShape(i, in, lin, lout, w int) error {
	switch {
	case lin != in:
		return fmt.Errorf("weights: layer %d has %d inputs, want %d (the width before it)", i, lin, in)
	case lin < 1 || lout < 1:
		return fmt.Errorf("weights: layer %d has %d inputs and %d units; want at least 1 of each", i, lin, lout)
	case lout > maxUnits:
		// Prediction works in blocks of rows as wide as the widest layer.
		return fmt.Errorf("weights: layer %d has %d units; a layer has at most %d", i, lout, maxUnits)
	case w%lout != 0 || w/lout != lin:
		return fmt.Errorf("weights: layer %d has %d weights, want %d inputs × %d units", i, w, lin, lout)
	}
	return nil
}

// model builds an inference model in the snapshot's precision, holding a
// copy of its weights.
func (s *Snapshot) model(maxBatch int) engine {
	if s.Precision == Float32 {
		return snapshotModel[float32](s, maxBatch)
	}
	return snapshotModel[float64](s, maxBatch)
}

func snapshotModel[T float](s *Snapshot, maxBatch int) *network[T] {
	m := &network[T]{Task: s.Task, Inputs: s.Inputs, Outputs: s.Outputs, Head: headFor(s.Task)}
	for _, lw := range s.Layers {
		act, err := ParseActivation(lw.Activation)
		if err != nil {
			panic("trainer: snapshot has an unchecked activation")
		}
		l := newLayerT[T](lw.In, lw.Out, act, lw.BatchNorm, lw.Dropout, maxBatch)
		copyFrom64(l.W, lw.W)
		copyFrom64(l.B, lw.B)
		copyFrom64(l.Gamma, lw.Gamma)
		copyFrom64(l.Beta, lw.Beta)
		copyFrom64(l.RunMean, lw.RunMean)
		copyFrom64(l.RunVar, lw.RunVar)
		m.Layers = append(m.Layers, l)
	}
	m.collectParams()
	m.boundary(maxBatch)
	return m
}

// copyFrom64 copies src into dst, converting to T.
func copyFrom64[T float](dst []T, src []float64) {
	for i := range min(len(dst), len(src)) {
		dst[i] = T(src[i])
	}
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
		logits := m.forward64(x[lo*s.Inputs:(lo+c)*s.Inputs], c, false, nil)
		m.head().Apply(out[lo*s.Outputs:(lo+c)*s.Outputs], logits, c, s.Outputs)
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
