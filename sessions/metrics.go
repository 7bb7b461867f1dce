package sessions

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"workbench/trainer"
)

// Metrics maps metric names to values. Its JSON keeps non-finite values
// explicit ("NaN", "+Inf", "-Inf" as strings) because JSON has no NaN and
// SQLite would store one as NULL.
type Metrics map[string]float64

// MarshalJSON writes keys in sorted order and non-finite values as strings.
func (m Metrics) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendKey(b, k)
		b = append(b, ':')
		b = appendFloat(b, m[k])
	}
	return append(b, '}'), nil
}

// appendKey appends k as a JSON string, as json.Marshal writes it: by
// hand for a plain name (letters, digits, _ . - and spaces), which every
// metric has.
func appendKey(b []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == ' ') {
			kb, _ := json.Marshal(k)
			return append(b, kb...)
		}
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"')
}

func appendFloat(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Inf"`...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// text is m's JSON (MarshalJSON) as a string, without encoding/json's
// second pass over a marshaler's output.
func (m Metrics) text() string {
	b, _ := m.MarshalJSON()
	return string(b)
}

// UnmarshalJSON reads numbers and the strings MarshalJSON writes.
func (m *Metrics) UnmarshalJSON(b []byte) error {
	// What MarshalJSON writes, indented or not, is read by hand: an import
	// reads two of these an epoch.
	if out, ok := parseFlatMetrics(string(b), nil); ok {
		*m = out
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Metrics, len(raw))
	for k, r := range raw {
		v, err := parseFloatJSON(r)
		if err != nil {
			return fmt.Errorf("metric %q: %v", k, err)
		}
		out[k] = v
	}
	*m = out
	return nil
}

func parseFloatJSON(r json.RawMessage) (float64, error) {
	var s string
	if err := json.Unmarshal(r, &s); err == nil {
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "+Inf", "Inf":
			return math.Inf(1), nil
		case "-Inf":
			return math.Inf(-1), nil
		}
		return 0, fmt.Errorf("bad number %q", s)
	}
	var v float64
	if err := json.Unmarshal(r, &v); err != nil {
		return 0, err
	}
	return v, nil
}

// lowerIsBetter reports the direction of a metric key such as
// best_val_loss or val_accuracy.
func lowerIsBetter(key string) bool {
	if strings.HasSuffix(key, "_std") {
		return true // a spread over folds: smaller is steadier
	}
	for _, p := range []string{"best_", "last_", "test_", "cv_"} {
		if len(key) > len(p) && key[:len(p)] == p {
			key = key[len(p):]
			break
		}
	}
	if key == "val_loss" || key == "train_loss" {
		return true
	}
	return trainer.LowerIsBetter(key)
}

type evaluationJSON struct {
	Metrics   Metrics            `json:"metrics"`
	Confusion [][]int            `json:"confusion,omitempty"`
	ROC       []trainer.ROCPoint `json:"roc,omitempty"`
	Pairs     [][2]float64       `json:"pairs,omitempty"`
	// The evaluation fields (see trainer/metrics_extra.go and cv.go).
	PR          []trainer.PRPoint        `json:"pr,omitempty"`
	Reliability []trainer.ReliabilityBin `json:"reliability,omitempty"`
	Calibration *trainer.Calibration     `json:"calibration,omitempty"`
	Std         Metrics                  `json:"std,omitempty"`
	Folds       []Metrics                `json:"folds,omitempty"`
	FoldEpochs  []int                    `json:"fold_epochs,omitempty"`
}

func toEvalJSON(e trainer.Evaluation) evaluationJSON {
	j := evaluationJSON{Metrics: Metrics(e.Metrics), Confusion: e.Confusion, ROC: e.ROC, Pairs: finitePairs(e.Pairs),
		PR: e.PR, Reliability: e.Reliability, Calibration: e.Calibration, Std: Metrics(e.Std), FoldEpochs: e.FoldEpochs}
	for _, f := range e.Folds {
		j.Folds = append(j.Folds, Metrics(f))
	}
	return j
}

func finitePairs(p [][2]float64) [][2]float64 {
	out := p[:0:0]
	for _, v := range p {
		if !math.IsNaN(v[0]+v[1]) && !math.IsInf(v[0]+v[1], 0) {
			out = append(out, v)
		}
	}
	return out
}

func (j evaluationJSON) eval() trainer.Evaluation {
	e := trainer.Evaluation{Metrics: j.Metrics, Confusion: j.Confusion, ROC: j.ROC, Pairs: j.Pairs,
		PR: j.PR, Reliability: j.Reliability, Calibration: j.Calibration, Std: j.Std, FoldEpochs: j.FoldEpochs}
	for _, f := range j.Folds {
		e.Folds = append(e.Folds, f)
	}
	return e
}

// MarshalJSON keeps non-finite metrics explicit.
func (e Evaluations) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Val  evaluationJSON `json:"val"`
		Test evaluationJSON `json:"test"`
	}{toEvalJSON(e.Val), toEvalJSON(e.Test)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Evaluations) UnmarshalJSON(b []byte) error {
	var v struct {
		Val  evaluationJSON `json:"val"`
		Test evaluationJSON `json:"test"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Val, e.Test = v.Val.eval(), v.Test.eval()
	return nil
}

// FoldEpochs folds epochs, in order, into a run's summary metrics m and
// returns the best_… entries it changed (for the filter index). Every
// backend calls it, so "best" means one thing everywhere: the values at the
// best epoch of the monitored metric (the weights early stopping keeps),
// whose number it returns (0 when no epoch in eps was a new best). An epoch
// not marked Best counts as best only when m has no best yet, for callers
// that do not know the monitor (imports, tests). last_… are the newest
// epoch's values.
func FoldEpochs(m Metrics, eps []Epoch) (changed Metrics, bestEpoch int) {
	changed = Metrics{}
	for _, e := range eps {
		_, haveBest := m["best_val_loss"]
		if !haveBest {
			_, haveBest = m["best_train_loss"]
		}
		best := e.Best || !haveBest
		for prefix, src := range map[string]Metrics{"train_": e.Train, "val_": e.Val} {
			for k, v := range src {
				m["last_"+prefix+k] = v
				if best {
					m["best_"+prefix+k] = v
					changed["best_"+prefix+k] = v
				}
			}
		}
		if best {
			bestEpoch = e.Epoch
		}
	}
	return changed, bestEpoch
}
