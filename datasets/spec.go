package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"workbench/numfmt"
)

// SpecError is a data spec that does not fit its data, such as crosses on
// a set that is not 2-D: the spec is wrong, not the file.
type SpecError struct{ Err error }

func (e *SpecError) Error() string { return e.Err.Error() }
func (e *SpecError) Unwrap() error { return e.Err }

// Spec says which data a run sees and how it is prepared. It serializes to
// JSON, and the same Spec always builds the same matrices.
type Spec struct {
	// Name is a built-in dataset (see List). Path is a CSV file. Exactly one is set.
	Name string `json:"name,omitempty"`
	Path string `json:"path,omitempty"`

	// Samples and Noise apply to synthetic sets only (0 means the default).
	Samples int     `json:"samples,omitempty"`
	Noise   float64 `json:"noise,omitempty"`

	// CSV options: see CSVOptions.
	Target  string   `json:"target,omitempty"`
	Task    string   `json:"task,omitempty"`
	Ignore  []string `json:"ignore,omitempty"`
	Missing string   `json:"missing,omitempty"`
	// Positive names the positive class of a binary task (index 1, whose
	// probability the model outputs); empty keeps the dataset's own.
	Positive string `json:"positive,omitempty"`

	// Crosses adds feature crosses to 2-D data: x1sq, x2sq, x1x2, sinx1, sinx2.
	Crosses []string `json:"crosses,omitempty"`
	// Scale is none, minmax or standard; it is fitted on the training split only.
	Scale string `json:"scale,omitempty"`
	// Split holds the train, validation and test fractions.
	Split [3]float64 `json:"split"`
	// AugNoise is the sigma of Gaussian noise added to training inputs each epoch.
	AugNoise float64 `json:"aug_noise,omitempty"`
	// Mixup is the alpha of mixup on training batches (0 = off).
	Mixup float64 `json:"mixup,omitempty"`
	Seed  uint64  `json:"seed"`
}

// DefaultSplit is the default train/validation/test split.
var DefaultSplit = [3]float64{0.7, 0.15, 0.15}

// DefaultSamples is the default size of a synthetic dataset.
const DefaultSamples = 500

// SmallSetRows is the size below which a dataset is not split: train,
// validation and test are all the rows (the seed example's rule).
const SmallSetRows = 20

var crossNames = map[string]string{
	"x1sq": "x₁²", "x2sq": "x₂²", "x1x2": "x₁x₂", "sinx1": "sin x₁", "sinx2": "sin x₂",
}

// Validate returns an error naming the first invalid field.
func (s *Spec) Validate() error {
	switch {
	case s.Name == "" && s.Path == "":
		return fmt.Errorf("data: set a dataset name or a CSV path")
	case s.Name != "" && s.Path != "":
		return fmt.Errorf("data: set a dataset name or a CSV path, not both")
	}
	if s.Name != "" && !Known(s.Name) {
		return fmt.Errorf("data.name: unknown dataset %q (see 'workbench datasets')", s.Name)
	}
	return s.validatePrep()
}

// validatePrep checks the fields that shape preparation, whatever the source.
func (s *Spec) validatePrep() error {
	if s.Samples != 0 && (s.Samples < 4 || s.Samples > 1_000_000) {
		return fmt.Errorf("data.samples: %d is out of range [4, 1000000]", s.Samples)
	}
	if !(s.Noise >= 0 && s.Noise <= 0.5) {
		return fmt.Errorf("data.noise: %v is out of range [0, 0.5]", s.Noise)
	}
	if s.Task != "" {
		if _, err := ParseTask(s.Task); err != nil {
			return fmt.Errorf("data.task: %v", err)
		}
	}
	if _, err := parseMissing(s.Missing); err != nil {
		return fmt.Errorf("data.missing: %v", err)
	}
	if _, err := ParseScaling(s.Scale); err != nil {
		return fmt.Errorf("data.scale: %v", err)
	}
	for _, c := range s.Crosses {
		if _, ok := crossNames[c]; !ok {
			return fmt.Errorf("data.crosses: unknown cross %q (want x1sq, x2sq, x1x2, sinx1 or sinx2)", c)
		}
	}
	sum := 0.0
	for i, f := range s.Split {
		if !(f >= 0 && f <= 1) {
			return fmt.Errorf("data.split[%d]: %v is out of range [0, 1]", i, f)
		}
		sum += f
	}
	if s.Split[0] <= 0 {
		return fmt.Errorf("data.split: the training fraction must be above 0")
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("data.split: fractions add up to %s, not 1", numfmt.Short(sum))
	}
	if !(s.AugNoise >= 0 && s.AugNoise <= 10) {
		return fmt.Errorf("data.aug_noise: %v is out of range [0, 10]", s.AugNoise)
	}
	if !(s.Mixup >= 0 && s.Mixup <= 10) {
		return fmt.Errorf("data.mixup: %v is out of range [0, 10]", s.Mixup)
	}
	return nil
}

// Label is a short human name for the data source: the dataset's name,
// or a CSV's file name without its directory.
func (s *Spec) Label() string {
	if s.Name != "" {
		return s.Name
	}
	if s.Path == "-" || s.Path == "" {
		return s.Path
	}
	return filepath.Base(s.Path)
}

// Prepared is a dataset split, scaled and ready to train on. It is
// read-only once built.
type Prepared struct {
	Spec   Spec
	Meta   Meta
	Train  Split
	Val    Split
	Test   Split
	Scaler Scaler
	// SplitRule says how the rows were split, for the UI.
	SplitRule string
	// Hash is a SHA-256 of the prepared matrices: a saved run can prove
	// which data it saw.
	Hash string

	// missing holds, for Train, Val and Test, the indexes into X of the
	// cells that were missing before imputation; groups are the one-hot
	// column runs. CVFolds refits the imputation on each fold from them.
	missing [3][]int
	groups  []catGroup
}

// Task returns the dataset's task.
func (p *Prepared) Task() Task { return p.Meta.Task }

// Classes returns the number of classes, or 0 for regression.
func (p *Prepared) Classes() int { return p.Meta.Classes() }

// Build loads (or generates) the data that s names and prepares it.
func Build(s Spec) (*Prepared, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var t *Table
	var err error
	switch {
	case s.Path != "":
		f, ferr := os.Open(s.Path)
		if ferr != nil {
			return nil, fmt.Errorf("data.path: %v", ferr)
		}
		defer f.Close()
		opts, oerr := s.csvOptions()
		if oerr != nil {
			return nil, oerr
		}
		opts.Name = s.Path
		t, err = Load(f, opts)
	default:
		t, err = Open(s.Name, s.Samples, s.Noise, s.Seed)
	}
	if err != nil {
		return nil, err
	}
	return Prepare(t, s)
}

// BuildReader is Build for a CSV file read from r, such as standard input;
// name labels it in error messages.
func BuildReader(r io.Reader, name string, s Spec) (*Prepared, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	opts, err := s.csvOptions()
	if err != nil {
		return nil, err
	}
	opts.Name = name
	t, err := Load(r, opts)
	if err != nil {
		return nil, err
	}
	return Prepare(t, s)
}

func (s *Spec) csvOptions() (CSVOptions, error) {
	o := CSVOptions{Target: s.Target, Ignore: s.Ignore}
	if s.Task != "" {
		t, err := ParseTask(s.Task)
		if err != nil {
			return o, err
		}
		o.Task = &t
	}
	m, err := parseMissing(s.Missing)
	if err != nil {
		return o, err
	}
	o.Missing = m
	return o, nil
}

// Prepare crosses, splits, imputes and scales t following s.
func Prepare(t *Table, s Spec) (*Prepared, error) {
	if err := s.validatePrep(); err != nil {
		return nil, &SpecError{err}
	}
	if t.N == 0 {
		return nil, fmt.Errorf("data: the dataset has no rows")
	}
	if len(s.Crosses) > 0 {
		if t.D != 2 {
			return nil, &SpecError{fmt.Errorf("data.crosses: crosses need 2-D data, %s has %d features", t.Meta.Name, t.D)}
		}
		t = addCrosses(t, s.Crosses)
	}
	p := &Prepared{Spec: s, Meta: t.Meta}
	p.Meta.Features = t.D
	k := t.Meta.Classes()
	tr, va, te, rule := splitIndices(t, s.Split, s.Seed)
	p.SplitRule = rule
	p.Train, p.Val, p.Test = gather(t, tr), gather(t, va), gather(t, te)
	fill, err := imputeMissing(p, t.catGroups)
	if err != nil {
		return nil, err
	}
	if err := applyPositive(p, s.Positive); err != nil {
		return nil, err
	}
	scale := s.Scale
	if scale == "" {
		scale = t.Meta.DefaultScale
	}
	kind, _ := ParseScaling(scale)
	p.Scaler = FitScaler(kind, &p.Train)
	p.Scaler.Impute = &Imputer{Policy: RefusePolicy, Fill: fill}
	if t.missing == MissingImpute {
		p.Scaler.Impute.Policy = ImputePolicy
	}
	for _, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		p.Scaler.Transform(sp.X, sp.X)
	}
	_ = k
	p.Hash = hashPrepared(p)
	return p, nil
}

func addCrosses(t *Table, crosses []string) *Table {
	d := 2 + len(crosses)
	out := &Table{Meta: t.Meta, N: t.N, D: d, Y: t.Y, X: make([]float64, t.N*d), missing: t.missing}
	out.Meta.FeatureNames = append([]string{t.Meta.FeatureNames[0], t.Meta.FeatureNames[1]}, make([]string, len(crosses))...)
	for j, c := range crosses {
		out.Meta.FeatureNames[2+j] = crossNames[c]
	}
	for i := 0; i < t.N; i++ {
		x1, x2 := t.X[2*i], t.X[2*i+1]
		row := out.X[i*d : (i+1)*d]
		row[0], row[1] = x1, x2
		for j, c := range crosses {
			var v float64
			switch c {
			case "x1sq":
				v = x1 * x1
			case "x2sq":
				v = x2 * x2
			case "x1x2":
				v = x1 * x2
			case "sinx1":
				v = math.Sin(x1)
			case "sinx2":
				v = math.Sin(x2)
			}
			row[2+j] = v
		}
	}
	out.Meta.Features = d
	return out
}

func hashPrepared(p *Prepared) string {
	h := sha256.New()
	var b [8]byte
	put := func(v float64) {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	h.Write([]byte(p.Meta.Name + "\x00" + p.Meta.Task.String() + "\x00" + strings.Join(p.Meta.FeatureNames, "\x00")))
	for _, sp := range []*Split{&p.Train, &p.Val, &p.Test} {
		binary.LittleEndian.PutUint64(b[:], uint64(sp.N))
		h.Write(b[:])
		for _, v := range sp.X {
			put(v)
		}
		for _, v := range sp.Y {
			put(v)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CrossRow appends the features of a 2-D point after crosses to dst: x1,
// x2, then each cross in order. It is what Prepare does to every row.
func CrossRow(dst []float64, x1, x2 float64, crosses []string) []float64 {
	t := &Table{X: []float64{x1, x2}, N: 1, D: 2, Meta: Meta{FeatureNames: []string{"x1", "x2"}}}
	if len(crosses) == 0 {
		return append(dst, x1, x2)
	}
	return append(dst, addCrosses(t, crosses).X...)
}
