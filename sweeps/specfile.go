package sweeps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"workbench/trainer"
)

// ParseSpecFile decodes a sweep file, JSON or TOML (by its first
// non-space character: '{' means JSON). Its errors name the key at fault
// in the file's own terms (min/max, trials), never the decoder's.
func ParseSpecFile(b []byte) (Spec, error) {
	var s Spec
	doc, err := decodeDoc(b)
	if err != nil {
		return s, err
	}
	if err := checkDoc(doc); err != nil {
		return s, err
	}
	jb, err := json.Marshal(doc)
	if err != nil {
		return s, err
	}
	// The base is decoded by trainer.DecodeSpec, so that a base giving
	// only some fields gets the defaults for the rest.
	type plain Spec
	var d struct {
		plain
		Base json.RawMessage `json:"base"`
	}
	dec := json.NewDecoder(strings.NewReader(string(jb)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return s, fmt.Errorf("%s must be %s, got %s", keyOf(te.Field), kindName(te.Type), article(te.Value))
		}
		return s, err
	}
	s = Spec(d.plain)
	if s.Trials < 0 {
		return s, fmt.Errorf("trials = %d is not a valid trial count; want a positive number of random draws", s.Trials)
	}
	for _, r := range s.Random {
		if err := r.check(fileWords); err != nil {
			return s, fmt.Errorf("random field %q: %v", r.Field, err)
		}
	}
	base := d.Base
	if len(base) == 0 {
		base = []byte("{}")
	}
	if s.Base, err = trainer.DecodeSpec(base); err != nil {
		// It says "spec: …"; here the spec is the file's base.
		return s, fmt.Errorf("base: %s", strings.TrimPrefix(err.Error(), "spec: "))
	}
	return s, checkSpace(s)
}

// BaseGivesLoss reports whether a sweep file's base names its loss. A base
// that leaves it out lets the loss follow the data's task, as a --spec
// file does; b is assumed to parse (ParseSpecFile).
func BaseGivesLoss(b []byte) bool {
	doc, err := decodeDoc(b)
	if err != nil {
		return false
	}
	base, _ := doc["base"].(map[string]any)
	_, ok := base["loss"]
	return ok
}

// decodeDoc decodes a sweep file's text, JSON or TOML (by its first
// non-space character: '{' means JSON), into a document. A JSON syntax
// error says its line and column (TOML's say their line already).
func decodeDoc(b []byte) (map[string]any, error) {
	var doc map[string]any
	if !strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
		_, err := toml.Decode(string(b), &doc)
		return doc, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			line, col := lineCol(b, syn.Offset)
			return nil, fmt.Errorf("line %d, column %d: %v", line, col, syn)
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, _ := lineCol(b, int64(len(b)))
			return nil, fmt.Errorf("line %d: the file ends inside the JSON object (a missing } or ])", line)
		}
		return nil, err
	}
	// One object: text after it is a mistake (two objects, a stray brace).
	off := dec.InputOffset()
	rest := b[off:]
	if trimmed := strings.TrimLeft(string(rest), " \t\r\n"); trimmed != "" {
		line, col := lineCol(b, off+int64(len(rest)-len(trimmed))+1)
		return nil, fmt.Errorf("line %d, column %d: text after the JSON object's closing }", line, col)
	}
	return doc, nil
}

// lineCol returns the 1-based line and column of byte offset off in b.
func lineCol(b []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(b)))
	before := string(b[:off])
	return 1 + strings.Count(before, "\n"), int(off) - strings.LastIndexByte(before, '\n') - 1
}

// checkSpace checks what a sweep file says of its space on its own, in
// the file's terms: the sampler's and the pruner's names and settings,
// each axis's field, each grid value and choice against the base, and the
// settings TPE refuses. What needs the command line too (a trial budget
// that --trials may give, an empty space that --grid may fill) is left to
// Expand.
func checkSpace(s Spec) error {
	switch s.Sampler {
	case "", SamplerRandom, SamplerTPE:
	default:
		return fmt.Errorf("sampler = %q is not a sampler; want %q or %q", s.Sampler, SamplerRandom, SamplerTPE)
	}
	switch s.Pruner {
	case "", PrunerMedian, PrunerASHA:
	default:
		return fmt.Errorf("pruner = %q is not a pruner; want %q or %q", s.Pruner, PrunerMedian, PrunerASHA)
	}
	switch {
	case s.MinEpochs < 0:
		return fmt.Errorf("min_epochs = %d: want 1 or more epochs", s.MinEpochs)
	case s.Reduction < 0 || s.Reduction == 1:
		return fmt.Errorf("reduction = %d: want 2 or more", s.Reduction)
	case s.Seeds < 0:
		return fmt.Errorf("seeds = %d: want 2 or more seeds (0 or 1: once)", s.Seeds)
	case s.PruneWarmup < 0:
		return fmt.Errorf("prune_warmup = %d: want 0 or more epochs", s.PruneWarmup)
	case s.Sampler == SamplerTPE && len(s.Grid) > 0:
		return fmt.Errorf("sampler = %q takes no grid axes; write each as a random axis with kind = \"choice\"", s.Sampler)
	case s.Sampler == SamplerTPE && s.Seeds > 1:
		return fmt.Errorf("sampler = %q takes no seeds; run each seed as its own sweep", s.Sampler)
	}
	for i, p := range s.Grid {
		if err := checkAxis("grid", i, p.Field, p.Values, s.Base); err != nil {
			return err
		}
	}
	for i, d := range s.Random {
		if err := checkAxis("random", i, d.Field, d.values(), s.Base); err != nil {
			return err
		}
	}
	return nil
}

// values are the values of a random axis that can be checked before any
// is drawn: a choice's items and an int range's ends (a continuous
// range's ends need not be valid: uniform:0:1 of a rate that must be
// above 0 draws 0 with probability 0).
func (d Dist) values() []string {
	switch d.Kind {
	case "choice":
		return d.Items
	case "int":
		return []string{strconv.Itoa(int(math.Ceil(d.Min))), strconv.Itoa(int(math.Floor(d.Max)))}
	}
	return nil
}

// checkAxis checks the field of the i-th axis of a list and that each of
// its values sets the field of base.
func checkAxis(list string, i int, field string, values []string, base trainer.Spec) error {
	if field == "" {
		return fmt.Errorf("%s #%d: field is missing", list, i+1)
	}
	f, layer, err := trainer.LookupField(field)
	if err != nil {
		return fmt.Errorf("%s #%d: %v", list, i+1, err)
	}
	if list == "grid" && len(values) == 0 {
		return fmt.Errorf("grid field %q: values is empty; want at least one value", field)
	}
	for _, v := range values {
		// A value for a layer the base lacks, or one per layer, depends on
		// the number of layers, which --layers or a layers axis may change:
		// the trials check it.
		if f.PerLayer && (layer >= len(base.Model.Hidden) || strings.Contains(v, ",")) {
			continue
		}
		t := base.Clone()
		if err := t.Set(field, v); err != nil {
			return fmt.Errorf("%s field %q: value %q: %v", list, field, v, err)
		}
	}
	return nil
}

// keysOf lists the JSON names of a struct's fields.
func keysOf(v any) []string {
	var out []string
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

var (
	specKeys  = keysOf(Spec{})
	gridKeys  = keysOf(Param{})
	distKeys  = keysOf(Dist{})
	boundKeys = []string{"min", "max"}
)

// checkDoc checks a decoded sweep file's keys, the types of its random
// bounds and that every number is finite (the base's keys are left to
// trainer.DecodeSpec).
func checkDoc(doc map[string]any) error {
	if err := checkKeys("", doc, specKeys); err != nil {
		return err
	}
	for _, list := range []struct {
		key  string
		keys []string
	}{{"grid", gridKeys}, {"random", distKeys}} {
		v, ok := doc[list.key]
		if !ok {
			continue
		}
		items, ok := asList(v)
		if !ok {
			return fmt.Errorf("%s must be a list of tables, got %s", list.key, article(typeName(v)))
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				return fmt.Errorf("%s #%d must be a table, got %s", list.key, i+1, article(typeName(it)))
			}
			where := fmt.Sprintf("%s #%d", list.key, i+1)
			if f, ok := m["field"].(string); ok && f != "" {
				where = fmt.Sprintf("%s field %q", list.key, f)
			}
			if err := checkKeys(where+": ", m, list.keys); err != nil {
				return err
			}
			if list.key != "random" {
				continue
			}
			for _, k := range boundKeys {
				v, ok := m[k]
				if !ok {
					continue
				}
				switch x := v.(type) {
				case json.Number, int64:
				case float64:
					if math.IsNaN(x) || math.IsInf(x, 0) {
						return fmt.Errorf("%s: %s is %v; want a finite number", where, k, x)
					}
				default:
					return fmt.Errorf("%s: %s must be a number, got %s", where, k, article(typeName(v)))
				}
			}
		}
	}
	return checkFinite("", doc)
}

// checkKeys refuses a key not in known, suggesting the nearest.
func checkKeys(where string, m map[string]any, known []string) error {
	for k := range m {
		if i := sort.SearchStrings(known, k); i < len(known) && known[i] == k {
			continue
		}
		msg := fmt.Sprintf("%sunknown key %q", where, k)
		if s := nearest(k, known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += " (" + strings.Join(known, ", ") + ")"
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// nearest returns the name in known within a few edits of k, or "".
func nearest(k string, known []string) string {
	limit := min(max(len([]rune(k))/3, 2), 3) // 2 lets a swap of two letters (feild) through
	best, bestD := "", limit+1
	for _, c := range known {
		if d := trainer.EditDistance(strings.ToLower(k), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// checkFinite refuses NaN and ±Inf anywhere (TOML has them; JSON has not).
func checkFinite(path string, v any) error {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s is %v; want a finite number", path, x)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if err := checkFinite(p, x[k]); err != nil {
				return err
			}
		}
	default:
		if items, ok := asList(v); ok {
			for i, it := range items {
				if err := checkFinite(fmt.Sprintf("%s[%d]", path, i), it); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// asList returns v's items when v is a list (TOML decodes an array of
// tables as []map[string]any).
func asList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []map[string]any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// typeName names a decoded value's type for people.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64, int64:
		return "number"
	case map[string]any:
		return "table"
	case nil:
		return "null"
	}
	if _, ok := asList(v); ok {
		return "list"
	}
	return fmt.Sprintf("%T", v)
}

// keyOf turns a decoder's field path (plain.random.min) into the file's key.
func keyOf(field string) string {
	return strings.TrimPrefix(field, "plain.")
}

// kindName names a Go type as a sweep file's value.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "a whole number" // trials = 2.5 said "must be a number"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	}
	return "a table"
}

// article puts "a" or "an" before a JSON type name.
func article(name string) string {
	switch name {
	case "object":
		return "a table"
	case "array":
		return "a list"
	case "bool":
		return "a boolean"
	case "number", "string", "table", "list", "boolean":
		return "a " + name
	case "null":
		return "null"
	}
	if strings.HasPrefix(name, "number ") {
		return strings.TrimPrefix(name, "number ") // trials must be a whole number, got 2.5
	}
	return name
}
