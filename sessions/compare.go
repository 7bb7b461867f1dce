package sessions

import (
	"context"
	"math"
	"sort"
	"strings"
)

// Comparison lines up N runs: histories by epoch, the hyperparameters that
// differ, and a metric table with the best value of each row marked.
type Comparison struct {
	Runs []*Run `json:"runs"`
	// Histories[i] is run i's history; Epochs is the longest length, so
	// the histories align by epoch number.
	Histories [][]Epoch   `json:"histories"`
	Epochs    int         `json:"epochs"`
	Diff      []DiffRow   `json:"diff"`
	Metrics   []MetricRow `json:"metrics"`
}

// DiffRow is one spec field whose value differs between runs.
type DiffRow struct {
	Field  string   `json:"field"`
	Values []string `json:"values"`
}

// MetricRow is one summary metric across runs. Best is the index of the
// best run (-1 when no run has the metric); Have[i] is false where run i
// lacks it.
type MetricRow struct {
	Key    string    `json:"key"`
	Values []float64 `json:"values"`
	Have   []bool    `json:"have"`
	Best   int       `json:"best"`
}

// Compare loads and lines up the runs ids.
func Compare(ctx context.Context, s Store, ids []string) (*Comparison, error) {
	c := &Comparison{}
	for _, id := range ids {
		r, err := s.GetRun(ctx, id)
		if err != nil {
			return nil, err
		}
		h, err := s.History(ctx, id)
		if err != nil {
			return nil, err
		}
		c.Runs = append(c.Runs, r)
		c.Histories = append(c.Histories, h)
		c.Epochs = max(c.Epochs, len(h))
	}
	c.Diff = DiffSpecs(c.Runs)
	c.Metrics = MetricTable(c.Runs)
	return c, nil
}

// DiffSpecs returns the spec fields whose values differ between runs,
// sorted by field. The name and tags label a run rather than configure it
// and are left out.
func DiffSpecs(runs []*Run) []DiffRow {
	flats := make([]map[string]string, len(runs))
	keys := map[string]bool{}
	for i, r := range runs {
		flats[i] = FlatSpec(r)
		for k := range flats[i] {
			keys[k] = true
		}
	}
	var out []DiffRow
	for _, k := range sortedKeys(keys) {
		if k == "name" || k == "tags" || strings.HasPrefix(k, "tags[") {
			continue
		}
		row := DiffRow{Field: k}
		same := true
		for i := range runs {
			v, ok := flats[i][k]
			if !ok {
				v = "—"
			}
			row.Values = append(row.Values, v)
			if v != row.Values[0] {
				same = false
			}
		}
		if !same {
			out = append(out, row)
		}
	}
	return out
}

// MetricTable returns the best_val_*, best_train_* and test_* metrics of
// runs, with the best run of each row marked.
func MetricTable(runs []*Run) []MetricRow {
	keys := map[string]bool{}
	for _, r := range runs {
		for k := range r.Metrics {
			if len(k) > 5 && (k[:5] == "best_" || k[:5] == "test_") {
				keys[k] = true
			}
		}
	}
	ks := sortedKeys(keys)
	sort.SliceStable(ks, func(i, j int) bool { return ks[i][:4] < ks[j][:4] }) // best_ before test_
	var out []MetricRow
	for _, k := range ks {
		row := MetricRow{Key: k, Best: -1}
		lower := lowerIsBetter(k)
		for i, r := range runs {
			v, ok := r.Metrics[k]
			ok = ok && !math.IsNaN(v)
			row.Values = append(row.Values, v)
			row.Have = append(row.Have, ok)
			if !ok {
				continue
			}
			if row.Best < 0 || (lower && v < row.Values[row.Best]) || (!lower && v > row.Values[row.Best]) {
				row.Best = i
			}
		}
		out = append(out, row)
	}
	return out
}
