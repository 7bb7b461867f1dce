package trainer

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"workbench/datasets"
)

// LookupField returns the registry row a name addresses: a path
// (optimizer.lr, model.hidden[].units) or a flag (lr, bn, aug-noise). The
// one name that is both, target, is the path: the stopping rule. A per-layer
// path may index one layer, model.hidden[2].units; layer is then 2, and -1
// for every layer or a field that is not per layer. An unknown name gives
// an error that suggests the closest one.
func LookupField(name string) (f *Field, layer int, err error) {
	i, layer, err := lookup(name)
	if err != nil {
		return nil, -1, err
	}
	row := fields[i] // a copy: the registry stays as it is
	return &row, layer, nil
}

// lookup returns the index of the row a name addresses, and the layer.
func lookup(name string) (row, layer int, err error) {
	name = strings.TrimSpace(name)
	layer = -1
	key := name
	if strings.HasPrefix(name, "model.hidden[") {
		if i := strings.Index(name, "]"); i > len("model.hidden[") {
			n, err := strconv.Atoi(name[len("model.hidden["):i])
			if err != nil || n < 0 {
				return -1, -1, fmt.Errorf("%s: the layer index must be a whole number ≥ 0", name)
			}
			layer, key = n, "model.hidden[]"+name[i+1:]
		}
	}
	// Paths first: target is the path of the stopping rule (flag until)
	// and the flag of data.target, which a front end that holds the row
	// reaches by its path.
	for i := range fields {
		if fields[i].Path == key && (layer < 0 || fields[i].PerLayer) {
			return i, layer, nil
		}
	}
	for i := range fields {
		if fields[i].Flag != "" && fields[i].Flag == key && layer < 0 {
			return i, layer, nil
		}
	}
	return -1, -1, fmt.Errorf("unknown field %q (did you mean %s?)", name, suggest(name))
}

// suggest names the field closest to name, by its flag and its path.
func suggest(name string) string {
	best, bestD := "", math.MaxInt
	for i := range fields {
		f := &fields[i]
		tail := f.Path[strings.LastIndexAny(f.Path, ".]")+1:]
		head, _, _ := strings.Cut(f.Path, ".")
		for _, c := range []string{f.Flag, f.Path, tail, head} {
			if c == "" {
				continue
			}
			if d := EditDistance(name, c); d < bestD {
				bestD, best = d, f.Name()
				if f.Flag != "" {
					best = f.Flag + " (" + f.Path + ")"
				}
			}
		}
	}
	return best
}

// closest returns the candidate nearest to name.
func closest(name string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		if d := EditDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b, by runes: what
// the front ends use to suggest the name nearest to a mistyped one.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Transposed reports whether a and b differ by one swap of adjacent
// letters ("lr" and "rl"): a typo the front ends take as nearer than any
// other one edit.
func Transposed(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	return i+1 < len(ra) && ra[i] == rb[i+1] && ra[i+1] == rb[i] && string(ra[i+2:]) == string(rb[i+2:])
}

// Get returns a field's value as text, by flag or path. A per-layer field
// without an index gives one value when every layer agrees and one per
// layer, comma-separated, when they differ.
func (s *Spec) Get(name string) (string, error) {
	f, layer, err := LookupField(name)
	if err != nil {
		return "", err
	}
	return s.get(f, layer)
}

// get is Get of a looked-up field.
func (s *Spec) get(f *Field, layer int) (string, error) {
	if !f.PerLayer {
		return f.getValue(s, -1), nil
	}
	if layer >= 0 {
		if layer >= len(s.Model.Hidden) {
			return "", s.noLayer(f, layer)
		}
		return f.getValue(s, layer), nil
	}
	vals := make([]string, len(s.Model.Hidden))
	same := true
	for i := range s.Model.Hidden {
		vals[i] = f.getValue(s, i)
		same = same && vals[i] == vals[0]
	}
	if same && len(vals) > 0 {
		return vals[0], nil
	}
	return strings.Join(vals, ","), nil
}

func (s *Spec) noLayer(f *Field, layer int) error {
	return &FieldError{Field: layerPath(f, layer), Reason: fmt.Sprintf("there are %d hidden layers", len(s.Model.Hidden))}
}

func layerPath(f *Field, layer int) string {
	if layer < 0 {
		return f.Path
	}
	return strings.Replace(f.Path, "[]", "["+strconv.Itoa(layer)+"]", 1)
}

// Set parses text into a field, by flag or path, and applies the rules
// that link fields, so that every front end changes a spec the same way:
//   - choosing gd sets the batch size to 0 (the whole training set);
//   - changing the optimizer moves the learning rate to the new
//     optimizer's default (DefaultLR) when it was the old one's default;
//   - changing the schedule takes the new schedule's defaults
//     (DefaultSchedule);
//   - choosing a built-in dataset of another task takes that task's loss
//     (DefaultLossFor) and target scaling (DefaultScaleTarget), and a loss
//     that does not fit the task is replaced;
//   - setting the train or validation fraction gives the rest to test;
//   - leaving the Playground's synthetic sets for a real dataset (or a
//     CSV) swaps the Playground's 50% training split for the usual
//     70/15/15, and coming back restores it.
//
// A per-layer field without an index takes one value for every layer or
// one per layer, comma-separated. An invalid text changes nothing and
// returns a *FieldError naming the field.
func (s *Spec) Set(name, text string) error {
	f, layer, err := LookupField(name)
	if err != nil {
		return err
	}
	old := s.copy()
	if err := s.set(f, layer, text); err != nil {
		*s = old
		return err
	}
	if err := s.link(f, &old); err != nil {
		*s = old
		return &FieldError{Field: f.Path, Reason: err.Error()}
	}
	return nil
}

// SetAll sets several fields, named by flag or path, in the registry's
// order rather than the map's, so that linked rules run first: the
// dataset before the loss, the optimizer before its learning rate, the
// schedule before its settings. The first
// invalid field stops it and is returned; fields set before it stay set.
func (s *Spec) SetAll(values map[string]string) error {
	type named struct {
		name string
		row  int
	}
	order := make([]named, 0, len(values))
	for name := range values {
		row, _, err := lookup(name)
		if err != nil {
			return err
		}
		order = append(order, named{name, row})
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].row != order[j].row {
			return order[i].row < order[j].row
		}
		return order[i].name < order[j].name
	})
	for _, n := range order {
		if err := s.Set(n.name, values[n.name]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Spec) set(f *Field, layer int, text string) error {
	if !f.PerLayer {
		if err := f.setValue(s, -1, text); err != nil {
			return &FieldError{Field: f.Path, Reason: err.Error()}
		}
		return nil
	}
	if layer >= 0 {
		if layer >= len(s.Model.Hidden) {
			return s.noLayer(f, layer)
		}
		if err := f.setValue(s, layer, text); err != nil {
			return &FieldError{Field: layerPath(f, layer), Reason: err.Error()}
		}
		return nil
	}
	vals := strings.Split(text, ",")
	n := len(s.Model.Hidden)
	if len(vals) != 1 && len(vals) != n {
		return &FieldError{Field: f.Path, Reason: fmt.Sprintf("want one value or one per hidden layer (%d), got %q", n, text)}
	}
	for i := 0; i < n; i++ {
		v := vals[0]
		if len(vals) > 1 {
			v = vals[i]
		}
		if err := f.setValue(s, i, v); err != nil {
			return &FieldError{Field: layerPath(f, i), Reason: err.Error()}
		}
	}
	return nil
}

// copy returns a copy of s that shares no slice with it.
func (s *Spec) copy() Spec {
	c := *s
	if s.Model.Hidden != nil {
		c.Model.Hidden = append(make([]LayerSpec, 0, len(s.Model.Hidden)), s.Model.Hidden...)
	}
	return c // Set replaces the other slices whole, never edits them
}

// link applies the rules that tie other fields to f's new value.
func (s *Spec) link(f *Field, old *Spec) error {
	switch f.Path {
	case "optimizer.name":
		o := s.Optimizer.Name
		if o == old.Optimizer.Name {
			return nil
		}
		if o == "gd" {
			s.BatchSize = 0
		}
		if s.Optimizer.LR == DefaultLR(old.Optimizer.Name) {
			s.Optimizer.LR = DefaultLR(o)
		}
	case "schedule.name":
		if s.Schedule.Name != old.Schedule.Name {
			s.Schedule = DefaultSchedule(s.Schedule.Name)
		}
	case "data.name":
		switch gen := generated(s.Data.Name); {
		case !gen && s.Data.Split == PlaygroundSplit:
			s.Data.Split = datasets.DefaultSplit
		case gen && !generated(old.Data.Name) && s.Data.Split == datasets.DefaultSplit:
			s.Data.Split = PlaygroundSplit
		}
		task, ok := builtinTask(s.Data.Name)
		if !ok {
			return nil
		}
		if oldTask, had := builtinTask(old.Data.Name); !had || oldTask != task {
			s.Loss = DefaultLossFor(task)
			s.ScaleTarget = DefaultScaleTarget(task)
		}
		s.FitLoss(task)
	case "data.split[0]", "data.split[1]":
		sp := &s.Data.Split
		rest := math.Round((1-sp[0]-sp[1])*1e12) / 1e12
		if rest < 0 {
			return fmt.Errorf("train %s and validation %s add up to more than 1", ftoa(sp[0]), ftoa(sp[1]))
		}
		sp[2] = rest
	}
	return nil
}

// generated reports whether name is one of the generated sets.
func generated(name string) bool {
	for _, i := range datasets.List() {
		if i.Name == name {
			return i.Kind == "synthetic"
		}
	}
	return false
}

// builtinTask returns a built-in dataset's task.
func builtinTask(name string) (datasets.Task, bool) {
	for _, i := range datasets.List() {
		if i.Name == name {
			return i.Task, true
		}
	}
	return 0, false
}

// FitLoss replaces a loss that the task cannot use with the task's usual
// one; a loss that fits is kept. It also fits the target scaling: none for
// a class, and for a regression target that has no scaling chosen the
// default (DefaultScaleTarget), as the command line gives a new run, so a
// CSV's regression run in Setup trains as it would from train.
func (s *Spec) FitLoss(task datasets.Task) {
	if err := s.checkLoss(task); err != nil {
		s.Loss = DefaultLossFor(task)
	}
	switch {
	case task.IsClassification() && s.ScaleTarget != "none":
		s.ScaleTarget = "" // a class is not scaled
	case task == datasets.Regression && s.ScaleTarget == "":
		s.ScaleTarget = DefaultScaleTarget(task)
	}
}

// DefaultLR returns an optimizer's usual learning rate: Playground's 0.03
// for gradient descent and its momentum variants, 0.001 for the adaptive
// ones (rmsprop, adam, adamw).
func DefaultLR(optimizer string) float64 {
	switch optimizer {
	case "rmsprop", "adam", "adamw":
		return 0.001
	}
	return 0.03
}
