package sessions

import (
	"context"
	"fmt"
	"io"

	"workbench/datasets"
	"workbench/trainer"
)

// SavedModel is a stored run's model with the preprocessing it was trained
// with: a trained MLP, a compressed one or an ensemble. Predict is safe for
// concurrent use.
type SavedModel struct {
	Run   *Run
	Model trainer.Predictor
	// Snapshot is the float MLP of a trained or pruned run; nil for an
	// int8 model or an ensemble.
	Snapshot *trainer.Snapshot
}

// LoadModel loads run id's model and preprocessing.
func LoadModel(ctx context.Context, s Store, id string) (*SavedModel, error) {
	r, err := s.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	w, err := s.Weights(ctx, id)
	if err != nil {
		if r.Spec.CV > 0 {
			return nil, fmt.Errorf("run %s is a %d-fold cross-validation: it estimates how well the spec does and keeps no model; train it without --cv to predict", id, r.Spec.CV)
		}
		return nil, fmt.Errorf("run %s has no saved model (status %s)", id, r.Status)
	}
	p, err := trainer.LoadPredictor(w)
	if err != nil {
		return nil, fmt.Errorf("run %s: %v", id, err)
	}
	if in, _ := p.Shape(); len(r.Features) != in {
		return nil, fmt.Errorf("run %s: %d feature names for %d model inputs", id, len(r.Features), in)
	}
	m := &SavedModel{Run: r, Model: p}
	m.Snapshot, _ = p.(*trainer.Snapshot)
	return m, nil
}

// Predict scales n rows of raw features with the saved scaler and returns
// the model's outputs: probabilities (n, or n×classes) or values. An
// ensemble's run has no scaler of its own: each member applies its own.
func (m *SavedModel) Predict(raw []float64, n int) []float64 {
	x := make([]float64, len(raw))
	m.Run.Scaler.Transform(x, raw)
	return m.Model.Predict(x, n)
}

// Prediction is one row's result.
type Prediction struct {
	Label string    // the predicted class name, or the value
	Value float64   // the class index, or the value
	Probs []float64 // class probabilities (classification)
}

// PredictCSV reads a CSV whose header names the model's features and
// predicts every row that the run's saved Imputer does not refuse (see
// datasets.EncodeCSV); enc says which rows it imputed or refused, and with
// datasets.SkipBadRows which it skipped as unreadable.
func (m *SavedModel) PredictCSV(r io.Reader, name string, opts ...datasets.EncodeOption) (*datasets.Encoded, []Prediction, error) {
	enc, err := datasets.EncodeCSV(r, name, m.Run.Features, m.Run.Spec.Data.Crosses, m.Run.Scaler.Impute, opts...)
	if err != nil {
		return nil, nil, err
	}
	out := m.Predict(enc.X, enc.N)
	_, k := m.Model.Shape()
	thr := m.Model.DecisionThreshold()
	preds := make([]Prediction, enc.N)
	task, _ := datasets.ParseTask(m.Run.Task)
	for i := range preds {
		switch task {
		case datasets.Regression:
			preds[i] = Prediction{Value: out[i], Label: fmt.Sprintf("%g", out[i])}
		case datasets.Binary:
			p := out[i]
			c := 0
			if p >= thr {
				c = 1
			}
			preds[i] = Prediction{Value: float64(c), Probs: []float64{1 - p, p}}
		default:
			row := out[i*k : (i+1)*k]
			c := 0
			for j, v := range row {
				if v > row[c] {
					c = j
				}
			}
			preds[i] = Prediction{Value: float64(c), Probs: append([]float64(nil), row...)}
		}
		if task.IsClassification() {
			c := int(preds[i].Value)
			preds[i].Label = fmt.Sprint(c)
			if c < len(m.Run.Classes) {
				preds[i].Label = m.Run.Classes[c]
			}
		}
	}
	return enc, preds, nil
}
