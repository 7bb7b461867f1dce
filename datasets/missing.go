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

// imputeMissing fills NaN cells of every split from the training split:
// the mean for numeric columns, the most frequent category for one-hot
// groups. Under the other policies no NaN is left by the loader.
func imputeMissing(p *Prepared, groups []catGroup) error {
	d := p.Train.D
	inGroup := make([]bool, d)
	for _, g := range groups {
		for j := g.start; j < g.start+g.n; j++ {
			inGroup[j] = true
		}
	}
	has := false
	for _, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		for _, v := range sp.X {
			if math.IsNaN(v) {
				has = true
				break
			}
		}
	}
	if !has {
		return nil
	}
	fill := make([]float64, d)
	for j := 0; j < d; j++ {
		if inGroup[j] {
			continue
		}
		sum, n := 0.0, 0
		for i := 0; i < p.Train.N; i++ {
			if v := p.Train.X[i*d+j]; !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("data: column %q has no values in the training split to impute from", p.Meta.FeatureNames[j])
		}
		fill[j] = sum / float64(n)
	}
	mode := make([]int, len(groups))
	for gi, g := range groups {
		counts := make([]int, g.n)
		for i := 0; i < p.Train.N; i++ {
			for c := 0; c < g.n; c++ {
				if p.Train.X[i*d+g.start+c] == 1 {
					counts[c]++
				}
			}
		}
		for c := range counts {
			if counts[c] > counts[mode[gi]] {
				mode[gi] = c
			}
		}
	}
	for _, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		for i := 0; i < sp.N; i++ {
			row := sp.X[i*d : (i+1)*d]
			for j := 0; j < d; j++ {
				if !inGroup[j] && math.IsNaN(row[j]) {
					row[j] = fill[j]
				}
			}
			for gi, g := range groups {
				if math.IsNaN(row[g.start]) {
					for c := 0; c < g.n; c++ {
						row[g.start+c] = 0
					}
					row[g.start+mode[gi]] = 1
				}
			}
		}
	}
	return nil
}
