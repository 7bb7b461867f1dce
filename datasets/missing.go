package datasets

import (
	"fmt"
	"math"
)

// MissingPolicy says what to do with missing cells ("", NA, NaN, ?).
type MissingPolicy int

// The missing-value policies.
const (
	MissingError MissingPolicy = iota // name the first missing cell
	MissingDropRows
	MissingImpute // train-split mean (numeric) or mode (categorical)
)

func parseMissing(s string) (MissingPolicy, error) {
	switch s {
	case "", "error":
		return MissingError, nil
	case "drop-rows", "drop":
		return MissingDropRows, nil
	case "impute":
		return MissingImpute, nil
	}
	return 0, fmt.Errorf("unknown missing-value policy %q (want error, drop-rows or impute)", s)
}

// catGroup is a run of one-hot columns that encode one categorical column.
type catGroup struct{ start, n int }

// Imputer is what a trained model does at prediction time with a missing
// cell or a category its training split never had. It is fitted on the
// training split by Prepare and saved with the run (inside its Scaler), so
// predict follows the policy the run was trained with. It is plain data.
type Imputer struct {
	// Policy is ImputePolicy (fill from Fill) or RefusePolicy (leave the
	// row out, naming its line).
	Policy string `json:"policy"`
	// Fill holds, per feature in raw (unscaled) units, the training
	// split's mean of a numeric feature, and for the one-hot columns of a
	// categorical feature the indicator of its most frequent category.
	Fill []float64 `json:"fill,omitempty"`
}

// The prediction-time policies of an Imputer.
const (
	ImputePolicy = "impute" // the run was trained with --missing impute
	RefusePolicy = "refuse" // the run was trained with --missing error or drop-rows
)

// Imputes reports whether im fills cells (rather than refusing rows).
func (im *Imputer) Imputes() bool {
	return im != nil && im.Policy == ImputePolicy && len(im.Fill) > 0
}

// fitFill returns, per feature of sp, the mean of its present cells, or for
// the columns of a one-hot group the indicator of the most frequent
// category. empty is the first numeric feature with no present cell, or -1.
func fitFill(sp *Split, groups []catGroup) (fill []float64, empty int) {
	d := sp.D
	inGroup := make([]bool, d)
	for _, g := range groups {
		for j := g.start; j < g.start+g.n; j++ {
			inGroup[j] = true
		}
	}
	fill, empty = make([]float64, d), -1
	for j := 0; j < d; j++ {
		if inGroup[j] {
			continue
		}
		sum, n := 0.0, 0
		for i := 0; i < sp.N; i++ {
			if v := sp.X[i*d+j]; !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n == 0 {
			if empty < 0 {
				empty = j
			}
			continue
		}
		fill[j] = sum / float64(n)
	}
	for _, g := range groups {
		counts := make([]int, g.n)
		for i := 0; i < sp.N; i++ {
			for c := 0; c < g.n; c++ {
				if sp.X[i*d+g.start+c] == 1 {
					counts[c]++
				}
			}
		}
		mode := 0
		for c := range counts {
			if counts[c] > counts[mode] {
				mode = c
			}
		}
		fill[g.start+mode] = 1
	}
	return fill, empty
}

// imputeMissing fills NaN cells of every split from the training split:
// the mean for numeric columns, the most frequent category for one-hot
// groups. Under the other policies no NaN is left by the loader. It returns
// the fill values, which predictions reuse, and notes which cells were
// missing (p.missing), so that cross-validation can refit the fill on each
// fold's training rows.
func imputeMissing(p *Prepared, groups []catGroup) ([]float64, error) {
	p.groups = groups
	fill, empty := fitFill(&p.Train, groups)
	has := false
	for i, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		for j, v := range sp.X {
			if math.IsNaN(v) {
				p.missing[i] = append(p.missing[i], j)
				has = true
			}
		}
	}
	if !has {
		return fill, nil
	}
	if empty >= 0 {
		return nil, fmt.Errorf("data: column %q has no values in the training split to impute from", p.Meta.FeatureNames[empty])
	}
	for _, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		fillMissing(sp, fill, groups)
	}
	return fill, nil
}

// fillMissing replaces the NaN cells of sp with fill: a numeric cell takes
// its column's value, a categorical feature its whole one-hot group's.
func fillMissing(sp *Split, fill []float64, groups []catGroup) {
	d := sp.D
	for i := 0; i < sp.N; i++ {
		row := sp.X[i*d : (i+1)*d]
		for j := range row {
			if math.IsNaN(row[j]) {
				row[j] = fill[j]
			}
		}
		for _, g := range groups {
			if math.IsNaN(row[g.start]) {
				copy(row[g.start:g.start+g.n], fill[g.start:g.start+g.n])
			}
		}
	}
}

// hasNaN reports whether sp holds a missing cell.
func hasNaN(sp *Split) bool {
	for _, v := range sp.X {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}
