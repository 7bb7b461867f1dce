package trainer

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Predictor is a saved model that predicts: a float MLP (*Snapshot), an
// int8-quantized one (*Quantized) or an ensemble (*Ensemble). Every
// implementation's Predict allocates its own buffers and is safe for
// concurrent use.
type Predictor interface {
	// Predict returns the head's outputs for n rows of inputs x: n
	// probabilities for binary, n×classes for multiclass, n values for
	// regression.
	Predict(x []float64, n int) []float64
	// Shape returns the widths of the input and of the output.
	Shape() (inputs, outputs int)
	// DecisionThreshold is the probability at or above which a binary
	// model predicts the positive class.
	DecisionThreshold() float64
	// Marshal encodes the model in its versioned format.
	Marshal() ([]byte, error)
}

var (
	_ Predictor = (*Snapshot)(nil)
	_ Predictor = (*Quantized)(nil)
	_ Predictor = (*Ensemble)(nil)
)

// Shape returns the widths of the input and of the output.
func (s *Snapshot) Shape() (inputs, outputs int) { return s.Inputs, s.Outputs }

// LoadPredictor decodes any saved model, choosing the decoder by its
// "format" field.
func LoadPredictor(b []byte) (Predictor, error) {
	format, ok := sniffFormat(b)
	if !ok {
		var head struct {
			Format string `json:"format"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return nil, fmt.Errorf("weights: %v", err)
		}
		format = head.Format
	}
	switch format {
	case WeightsFormat:
		return asPredictor(UnmarshalSnapshot(b))
	case QuantizedFormat:
		return asPredictor(UnmarshalQuantized(b))
	case EnsembleFormat:
		return asPredictor(UnmarshalEnsemble(b))
	}
	return nil, fmt.Errorf("weights: unknown format %q (want %s, %s or %s)", format, WeightsFormat, QuantizedFormat, EnsembleFormat)
}

// asPredictor returns a nil Predictor with an error, not a typed nil
// pointer, which would compare unequal to nil.
func asPredictor[P Predictor](p P, err error) (Predictor, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

// sniffFormat reads the "format" field when it comes first, as every
// saved model writes it, without reading the rest (json.Unmarshal into a
// one-field struct still scans every weight: 40% of validating an
// import). ok is false for anything else; the decoder then reads it whole.
func sniffFormat(b []byte) (format string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	if tok, err := dec.Token(); err != nil || tok != "format" {
		return "", false
	}
	if err := dec.Decode(&format); err != nil {
		return "", false
	}
	return format, true
}
