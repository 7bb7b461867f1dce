package sweeps

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"workbench/trainer"
)

// ParseSpecFile decodes a sweep file, JSON or TOML (by its first
// non-space character: '{' means JSON). Its errors name the key at fault
// in the file's own terms (min/max, trials), never the decoder's.
func ParseSpecFile(b []byte) (Spec, error) {
	var s Spec
	text := strings.TrimSpace(string(b))
	var doc map[string]any
	if strings.HasPrefix(text, "{") {
		dec := json.NewDecoder(strings.NewReader(text))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return s, err
		}
	} else if _, err := toml.Decode(text, &doc); err != nil {
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
		return s, fmt.Errorf("base: %v", err)
	}
	return s, nil
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
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
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
		return "the number " + strings.TrimPrefix(name, "number ")
	}
	return name
}
