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

// MetricRow is one summary metric across runs. Have[i] is false where
// run i lacks it. Only comparable runs are ranked against each other: runs
// of the same dataset and task and, for a loss, the same loss function (an
// MSE is not better or worse than a cross-entropy). Stars[i] marks run i as the best
// of its comparable group; Best is the best run of the first run's group
// (-1 when none has the metric).
type MetricRow struct {
	Key    string    `json:"key"`
	Values []float64 `json:"values"`
	Have   []bool    `json:"have"`
	Best   int       `json:"best"`
	Stars  []bool    `json:"stars"`
	// Std holds each run's spread over folds where HasStd says it has one,
	// and NotSignificant marks runs within one std of their group's best;
	// all are nil when no run is cross-validated (see compare_cv.go).
	Std            []float64 `json:"std,omitempty"`
	HasStd         []bool    `json:"has_std,omitempty"`
	NotSignificant []bool    `json:"not_significant,omitempty"`
}

// comparable returns the group a run's metric key is ranked in: the runs
// of one dataset and task (an accuracy on circle says nothing of one on a
// CSV file) and, for a loss, one loss function.
func comparableGroup(r *Run, key string) string {
	if strings.HasSuffix(key, "_loss") {
		return r.Dataset + "/" + r.Task + "/" + r.Spec.Loss
	}
	return r.Dataset + "/" + r.Task
}

// Groups counts the comparable groups of runs for metric key.
func Groups(runs []*Run, key string) int {
	seen := map[string]bool{}
	for _, r := range runs {
		seen[comparableGroup(r, key)] = true
	}
	return len(seen)
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
// and are left out, and so are settings that mean nothing for a run's
// data (trainer.Spec.DropUnused): an iris run saved with the default's 500
// samples does not differ from one saved without.
func DiffSpecs(runs []*Run) []DiffRow {
	flats := make([]map[string]string, len(runs))
	keys := map[string]bool{}
	for i, r := range runs {
		clean := *r
		clean.Spec = r.Spec.Clone()
		clean.Spec.DropUnused()
		flats[i] = FlatSpec(&clean)
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

// Shown is how a compared spec value reads for people: epochs 0, a run of
// no limit, reads ∞, as the app and runs list show it.
func (d DiffRow) Shown(i int) string {
	if d.Field == "epochs" && d.Values[i] == "0" {
		return "∞"
	}
	return d.Values[i]
}

// MetricTable returns the best_val_*, best_train_* and test_* metrics of
// runs, with the best run of each row marked.
func MetricTable(runs []*Run) []MetricRow {
	keys := map[string]bool{}
	for _, r := range runs {
		for k := range r.Metrics {
			if metricTableKey(k) {
				keys[k] = true
			}
		}
	}
	ks := sortedKeys(keys)
	order := func(k string) int { return strings.Index("best_cv_test_", k[:strings.Index(k, "_")+1]) }
	sort.SliceStable(ks, func(i, j int) bool { return order(ks[i]) < order(ks[j]) }) // best_, cv_, then test_
	var out []MetricRow
	for _, k := range ks {
		row := MetricRow{Key: k, Best: -1, Stars: make([]bool, len(runs))}
		lower := lowerIsBetter(k)
		best := map[string]int{} // group → index of its best run
		// A threshold is a setting the rule chose, neither better nor
		// worse when higher: it was starred as if it were a score.
		ranked := !strings.HasSuffix(k, "_threshold")
		for i, r := range runs {
			v, ok := r.Metrics[k]
			ok = ok && !math.IsNaN(v)
			row.Values = append(row.Values, v)
			row.Have = append(row.Have, ok)
			if !ok || !ranked {
				continue
			}
			g := comparableGroup(r, k)
			b, seen := best[g]
			if !seen || (lower && v < row.Values[b]) || (!lower && v > row.Values[b]) {
				best[g] = i
			}
		}
		// Every run that ties the best is starred: one star among equal
		// values would claim a difference that is not there.
		for i, r := range runs {
			if b, ok := best[comparableGroup(r, k)]; ok && row.Have[i] && row.Values[i] == row.Values[b] {
				row.Stars[i] = true
			}
		}
		if len(runs) > 0 {
			if b, ok := best[comparableGroup(runs[0], k)]; ok {
				row.Best = b
			} else if len(best) == 1 {
				for _, b := range best {
					row.Best = b
				}
			}
		}
		addSpread(&row, runs)
		out = append(out, row)
	}
	return out
}
