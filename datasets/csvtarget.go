package datasets

import (
	"fmt"
	"math"
	"sort"
)

// inferTarget decides the task and the class names: a text target, or
// integers with few distinct values, mean classification; anything else
// regression. CSVOptions.Task overrides the inference.
func (l *loader) inferTarget() (Task, []string, error) {
	tg := l.target
	numeric := l.numeric[tg]
	distinct := map[string]bool{}
	allInt := numeric
	for i := 0; i < l.n; i++ {
		if !l.keep[i] {
			continue
		}
		if v := l.cell(i, tg); numeric && v != math.Trunc(v) {
			allInt = false
		}
		distinct[l.key(i, tg)] = true
	}
	var task Task
	switch {
	case l.o.Task != nil:
		task = *l.o.Task
	case !numeric:
		task = Multiclass
	case allInt && len(distinct) <= maxIntClasses:
		task = Multiclass
	default:
		task = Regression
	}
	if task == Regression {
		if !numeric {
			return 0, nil, fmt.Errorf("regression needs a numeric target, but the column holds text")
		}
		return task, nil, nil
	}
	names := make([]string, 0, len(distinct))
	for c := range distinct {
		names = append(names, c)
	}
	if numeric {
		sort.Slice(names, func(a, b int) bool {
			va, _ := parseNumber(names[a])
			vb, _ := parseNumber(names[b])
			return va < vb
		})
	} else {
		sort.Strings(names)
	}
	if len(names) < 2 {
		return 0, nil, fmt.Errorf("the target has a single class (%s): there is nothing to classify", quoteCell(names[0]))
	}
	if len(names) > 1000 {
		return 0, nil, fmt.Errorf("the target has %d classes, more than the limit of 1000 (use --task regression?)", len(names))
	}
	if len(names) == 2 {
		task = Binary
	} else if task == Binary {
		return 0, nil, fmt.Errorf("--task binary needs 2 classes, the target has %d", len(names))
	}
	return task, names, nil
}

// clipName shortens a column name for a description.
func clipName(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	return s[:maxQuoted] + "…"
}
