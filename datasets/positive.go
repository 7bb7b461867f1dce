package datasets

import (
	"fmt"
	"strings"
)

// The positive class of a binary task is index 1: the class whose
// probability the model outputs, and whose recall, precision and decision
// threshold the run reports.

// setPositive makes class name the positive class of a binary table,
// swapping the two classes when needed.
func (t *Table) setPositive(name string) error {
	return makePositive(&t.Meta, name, t.Y)
}

// applyPositive makes name the positive class of p. It runs after the
// split, so that choosing the positive class never changes which rows land
// in which split.
func applyPositive(p *Prepared, name string) error {
	if name == "" {
		return nil
	}
	return makePositive(&p.Meta, name, p.Train.Y, p.Val.Y, p.Test.Y)
}

// makePositive's errors are SpecErrors: the spec names a class the data
// does not have.
func makePositive(m *Meta, name string, ys ...[]float64) error {
	if m.Task != Binary || len(m.ClassNames) != 2 {
		return &SpecError{fmt.Errorf("data.positive: a positive class needs a binary task, %s is %s", m.Name, m.Task)}
	}
	switch name {
	case m.ClassNames[1]:
		return nil
	case m.ClassNames[0]:
	default:
		return &SpecError{fmt.Errorf("data.positive: no class %q in %s (the classes are %s)", name, m.Name, strings.Join(m.ClassNames, ", "))}
	}
	for _, y := range ys {
		for i, v := range y {
			y[i] = 1 - v
		}
	}
	m.ClassNames = []string{m.ClassNames[1], m.ClassNames[0]}
	if len(m.ClassCounts) == 2 {
		m.ClassCounts = []int{m.ClassCounts[1], m.ClassCounts[0]}
	}
	return nil
}
