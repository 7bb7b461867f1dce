package sweeps

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"workbench/trainer"
)

// Spec is a sweep: a base run spec and a search space.
type Spec struct {
	Name string       `json:"name,omitempty"`
	Base trainer.Spec `json:"base"`
	// Grid is searched exhaustively (the cartesian product).
	Grid []Param `json:"grid,omitempty"`
	// Random is sampled Trials times (in addition to each grid point).
	Random []Dist `json:"random,omitempty"`
	Trials int    `json:"trials,omitempty"`
	// Seeds repeats every configuration over this many seeds (base seed,
	// base seed + 1, …) to show the variance. 0 or 1 means once.
	Seeds int `json:"seeds,omitempty"`
	// Objective is the metric trials are ranked by, at each trial's best
	// epoch, e.g. val_accuracy or, lowest first, val_cost (which needs a
	// cost matrix in every trial); empty means the task's key metric.
	Objective string `json:"objective,omitempty"`
	// Prune turns on median stopping after PruneWarmup epochs.
	Prune       bool `json:"prune,omitempty"`
	PruneWarmup int  `json:"prune_warmup,omitempty"`
	// Seed draws the random search.
	Seed uint64 `json:"seed,omitempty"`
	// Sampler draws the Random axes: "random" (the default) or "tpe".
	Sampler string `json:"sampler,omitempty"`
	// Pruner is "median" (what Prune alone means) or "asha": successive
	// halving with rungs at MinEpochs·Reduction^k epochs.
	Pruner    string `json:"pruner,omitempty"`
	MinEpochs int    `json:"min_epochs,omitempty"`
	Reduction int    `json:"reduction,omitempty"`
}

// Param is a grid axis: a spec field and its values.
type Param struct {
	Field  string   `json:"field"`
	Values []string `json:"values"`
}

// UnmarshalJSON accepts values as strings, numbers or booleans, so sweep
// files can write lr values as 0.001 rather than "0.001".
func (p *Param) UnmarshalJSON(b []byte) error {
	var raw struct {
		Field  string `json:"field"`
		Values []any  `json:"values"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	p.Field, p.Values = raw.Field, nil
	for _, v := range raw.Values {
		switch x := v.(type) {
		case string:
			p.Values = append(p.Values, x)
		case float64:
			p.Values = append(p.Values, strconv.FormatFloat(x, 'g', -1, 64))
		case bool:
			p.Values = append(p.Values, strconv.FormatBool(x))
		default:
			return fmt.Errorf("grid %q: value %v is not a string, number or boolean", raw.Field, v)
		}
	}
	return nil
}

// Dist is a random-search axis: uniform:LO:HI, log:LO:HI, int:LO:HI or
// choice:A,B,C.
type Dist struct {
	Field string   `json:"field"`
	Kind  string   `json:"kind"`
	Min   float64  `json:"min,omitempty"`
	Max   float64  `json:"max,omitempty"`
	Items []string `json:"items,omitempty"`
}

// Trial is one point of the space.
type Trial struct {
	Index  int               `json:"index"`
	Spec   trainer.Spec      `json:"spec"`
	Params map[string]string `json:"params"` // swept field → value
}

// CanonicalField returns the spec path a sweep field addresses: a field is
// named by its command-line flag (lr, bn, aug-noise) or its path
// (optimizer.lr, model.hidden[0].units), nothing else. An unknown name is
// returned as it is.
func CanonicalField(f string) string {
	if row, layer, err := trainer.LookupField(f); err == nil {
		if layer >= 0 {
			return f
		}
		return row.Path
	}
	return f
}

// CheckField returns an error, suggesting the closest name, when f names
// no spec field.
func CheckField(f string) error {
	if _, _, err := trainer.LookupField(f); err != nil {
		return fmt.Errorf("sweep: %v", err)
	}
	return nil
}

// ParseAxis parses a --grid flag: FIELD=V1,V2,… (values separated by ';'
// when any contains ',', as in layers=8;16,16).
func ParseAxis(s string) (Param, error) {
	field, vals, ok := strings.Cut(s, "=")
	if !ok || field == "" || vals == "" {
		return Param{}, fmt.Errorf("--grid %q: want FIELD=V1,V2,…", s)
	}
	sep := ","
	if strings.Contains(vals, ";") {
		sep = ";"
	}
	p := Param{Field: strings.TrimSpace(field)}
	for _, v := range strings.Split(vals, sep) {
		p.Values = append(p.Values, strings.TrimSpace(v))
	}
	return p, nil
}

// ParseDist parses a --random flag: FIELD=KIND:…
func ParseDist(s string) (Dist, error) {
	field, def, ok := strings.Cut(s, "=")
	if !ok {
		return Dist{}, fmt.Errorf("--random %q: want FIELD=uniform:LO:HI, log:LO:HI, int:LO:HI or choice:A,B", s)
	}
	kind, rest, _ := strings.Cut(def, ":")
	d := Dist{Field: strings.TrimSpace(field), Kind: kind}
	switch kind {
	case "uniform", "log", "int":
		lo, hi, ok := strings.Cut(rest, ":")
		a, err1 := strconv.ParseFloat(lo, 64)
		b, err2 := strconv.ParseFloat(hi, 64)
		if !ok || err1 != nil || err2 != nil {
			return Dist{}, fmt.Errorf("--random %q: want FIELD=%s:LO:HI, two numbers", s, kind)
		}
		d.Min, d.Max = a, b
	case "choice":
		if rest != "" {
			for _, c := range strings.Split(rest, ",") {
				d.Items = append(d.Items, strings.TrimSpace(c))
			}
		}
	}
	if err := d.check(flagWords); err != nil {
		return Dist{}, fmt.Errorf("--random %q: %v", s, err)
	}
	return d, nil
}

// maxIntAxis bounds an int axis: its draws are exact integers in float64
// and in an int, whatever the platform.
const maxIntAxis = 1 << 53

// boundWords name a range's bounds where they were written: LO:HI in a
// --random flag, min and max in a sweep file.
type boundWords struct{ lo, hi string }

var (
	flagWords = boundWords{"LO", "HI"}
	fileWords = boundWords{"min", "max"}
)

// got shows the bounds as they were written.
func (w boundWords) got(lo, hi float64) string {
	if w == flagWords {
		return fmt.Sprintf("%v:%v", lo, hi)
	}
	return fmt.Sprintf("%s %v, %s %v", w.lo, lo, w.hi, hi)
}

// check returns an error unless d can be drawn from: a known kind, finite
// bounds with LO < HI (LO > 0 for log; a whole number between them for
// int) or at least one choice. ParseDist, ParseSpecFile and Expand call
// it; w names the bounds in the errors.
func (d Dist) check(w boundWords) error {
	switch d.Kind {
	case "uniform", "log", "int":
		for _, b := range []struct {
			name string
			v    float64
		}{{w.lo, d.Min}, {w.hi, d.Max}} {
			if math.IsNaN(b.v) || math.IsInf(b.v, 0) {
				return fmt.Errorf("%s is %v; want a finite number", b.name, b.v)
			}
		}
		if d.Kind == "log" && !(0 < d.Min && d.Min < d.Max) {
			return fmt.Errorf("log needs 0 < %s < %s, got %s", w.lo, w.hi, w.got(d.Min, d.Max))
		}
		if !(d.Min < d.Max) {
			return fmt.Errorf("%s needs %s < %s, got %s", d.Kind, w.lo, w.hi, w.got(d.Min, d.Max))
		}
		if d.Kind == "int" && (math.Ceil(d.Min) > math.Floor(d.Max) || d.Min < -maxIntAxis || d.Max > maxIntAxis) {
			return fmt.Errorf("int needs a whole number between %s and %s, within ±2^53, got %s", w.lo, w.hi, w.got(d.Min, d.Max))
		}
	case "choice":
		if len(d.Items) == 0 {
			return fmt.Errorf("choice needs items")
		}
	default:
		return fmt.Errorf("unknown distribution %q (uniform, log, int or choice)", d.Kind)
	}
	return nil
}

func (d Dist) sample(r *rand.Rand) string {
	switch d.Kind {
	case "uniform":
		return ftoa(d.Min + r.Float64()*(d.Max-d.Min))
	case "log":
		return ftoa(math.Exp(math.Log(d.Min) + r.Float64()*(math.Log(d.Max)-math.Log(d.Min))))
	case "int":
		// The whole numbers in [Min, Max], as TPE's dimOf reads the range.
		lo, hi := int(math.Ceil(d.Min)), int(math.Floor(d.Max))
		return strconv.Itoa(lo + r.IntN(hi-lo+1))
	}
	return d.Items[r.IntN(len(d.Items))]
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// Expand returns the sweep's trials in a fixed order: every grid point,
// each with Trials random draws when Random is set (or the random draws
// alone without a grid), each repeated over Seeds seeds.
func Expand(s Spec) ([]Trial, error) {
	if len(s.Grid) == 0 && len(s.Random) == 0 && s.Seeds <= 1 {
		return nil, fmt.Errorf("sweep: the space is empty: give --grid, --random or --seeds")
	}
	if s.Trials < 0 {
		return nil, fmt.Errorf("sweep: %d is not a valid trial count; want a positive number of random draws", s.Trials)
	}
	if len(s.Random) > 0 && s.Trials == 0 {
		return nil, fmt.Errorf("sweep: random search needs a trial budget (--trials N)")
	}
	if err := checkAxesOnce(s); err != nil {
		return nil, err
	}
	// A trial with no end holds its worker for good: the sweep never
	// finished, and the trials after the first few never started.
	if b := s.Base; b.Epochs == 0 && !b.EarlyStop.Enabled() && b.Target == "" {
		return nil, fmt.Errorf("sweep: its trials have no epoch limit (epochs 0, ∞) and nothing else stops them, so it would never end: set the epochs, an early-stopping patience or a stopping rule")
	}
	if err := checkSampler(s); err != nil {
		return nil, err
	}
	if err := checkPruner(s); err != nil {
		return nil, err
	}
	for i, d := range s.Random {
		if err := d.check(flagWords); err != nil {
			return nil, fmt.Errorf("sweep: random field %q: %v", d.Field, err)
		}
		// Every item and both ends of an int range, not only the draws:
		// choice:relu,relux passed when the draws missed relux, and its
		// trials failed later.
		if _, _, err := trainer.LookupField(d.Field); err != nil {
			return nil, fmt.Errorf("sweep: %v", err) // "random #1" is a file's word
		}
		if err := checkAxis("random", i, d.Field, d.values(), s.Base); err != nil {
			return nil, fmt.Errorf("sweep: %v", err)
		}
	}
	if s.Sampler != SamplerTPE {
		// Before building the points: ten axes of ten values are 10^10
		// maps, and a trial budget of 10^12 as many.
		if n := spaceSize(s); n > maxTrials {
			return nil, fmt.Errorf("sweep: %s trials is more than the limit of %d", count(n), maxTrials)
		}
	}
	if s.Sampler == SamplerTPE {
		return expandTPE(s)
	}
	// Grid points as assignments.
	points := []map[string]string{{}}
	for _, p := range s.Grid {
		if len(p.Values) == 0 {
			return nil, fmt.Errorf("sweep: grid field %q has no values", p.Field)
		}
		var next []map[string]string
		for _, pt := range points {
			for _, v := range p.Values {
				c := copyMap(pt)
				c[p.Field] = v
				next = append(next, c)
			}
		}
		points = next
	}
	if len(s.Random) > 0 {
		r := rand.New(rand.NewPCG(s.Seed, 0x5ee9))
		var next []map[string]string
		for _, pt := range points {
			for i := 0; i < s.Trials; i++ {
				c := copyMap(pt)
				for _, d := range s.Random {
					c[d.Field] = d.sample(r)
				}
				next = append(next, c)
			}
		}
		points = next
	}
	seeds := max(s.Seeds, 1)
	var trials []Trial
	for _, pt := range points {
		for k := 0; k < seeds; k++ {
			spec, err := apply(s.Base, pt)
			if err != nil {
				return nil, err
			}
			params := copyMap(pt)
			if seeds > 1 {
				spec.Seed = s.Base.Seed + uint64(k)
				params["seed"] = strconv.FormatUint(spec.Seed, 10)
			}
			spec.Name = trialName(s.Name, len(trials), params)
			trials = append(trials, Trial{Index: len(trials), Spec: spec, Params: params})
		}
	}
	return trials, nil
}

// checkAxesOnce refuses a field swept by two axes (a grid and a random
// axis, or a seed axis beside Seeds): one would silently override the
// other, and the trials' names would say values they did not train with.
func checkAxesOnce(s Spec) error {
	seen := map[string]string{}
	if s.Seeds > 1 {
		seen[CanonicalField("seed")] = "seeds"
	}
	add := func(kind, field string) error {
		c := CanonicalField(field)
		if prev, ok := seen[c]; ok {
			return fmt.Errorf("sweep: %s is swept twice (by %s and by %s): give it one axis", field, prev, kind)
		}
		seen[c] = kind
		return nil
	}
	for _, p := range s.Grid {
		if err := add("a grid axis", p.Field); err != nil {
			return err
		}
	}
	for _, d := range s.Random {
		if err := add("a random axis", d.Field); err != nil {
			return err
		}
	}
	return nil
}

// maxTrials bounds the trials a sweep expands to.
const maxTrials = 10000

// spaceSize is the number of trials s expands to without TPE, in float64
// so that no product overflows.
func spaceSize(s Spec) float64 {
	n := 1.0
	for _, p := range s.Grid {
		n *= float64(len(p.Values))
	}
	if len(s.Random) > 0 {
		n *= float64(s.Trials)
	}
	return n * float64(max(s.Seeds, 1))
}

// count prints a number of trials: whole below 10^15, else as 1.2e+20.
func count(n float64) string {
	if n < 1e15 {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'g', 3, 64)
}

func copyMap(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func trialName(sweep string, i int, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+params[k])
	}
	name := fmt.Sprintf("#%d %s", i+1, strings.Join(parts, " "))
	if sweep != "" {
		name = sweep + " " + name
	}
	return name
}

// apply sets each field of base to its value with Spec.SetAll (in the
// registry's order, so the optimizer comes before its learning rate) and
// validates the result.
func apply(base trainer.Spec, assign map[string]string) (trainer.Spec, error) {
	s := base.Clone()
	if err := s.SetAll(assign); err != nil {
		return base, fmt.Errorf("sweep: %v", err)
	}
	if err := s.Validate(); err != nil {
		return base, fmt.Errorf("sweep: %v", err)
	}
	return s, nil
}

// ParamValue reads a swept field back from a spec, for reports; "" when
// the field is unknown.
func ParamValue(s trainer.Spec, field string) string {
	v, _ := s.Get(field)
	return v
}
