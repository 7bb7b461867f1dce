package trainer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"workbench/datasets"
)

// DecodeSpec decodes a JSON spec, rejecting unknown fields, without
// validating it. Fields the document leaves out take DefaultSpec's values,
// so {"data":{"name":"xor"},"epochs":3} is a whole spec. A data object
// that is given starts from the default split only (not the default
// dataset's name or size) and the default data seed; a given seed leaves
// the data seed alone, as Set does. A complete spec decodes to itself.
func DecodeSpec(b []byte) (Spec, error) {
	var given struct {
		Data *struct{} `json:"data"`
	}
	json.Unmarshal(b, &given) // only looks for keys; Decode below reports errors
	s := DefaultSpec()
	if given.Data != nil {
		s.Data = datasets.Spec{Split: datasets.DefaultSplit, Seed: s.Data.Seed}
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("spec: %v", specError(b, err))
	}
	// One object: text after it (a second object, a stray brace) was
	// ignored in silence.
	off := dec.InputOffset()
	if rest := strings.TrimLeft(string(b[off:]), " \t\r\n"); rest != "" {
		line, col := lineCol(b, int64(len(b)-len(rest))+1)
		return s, fmt.Errorf("spec: line %d, column %d: text after the JSON object's closing }", line, col)
	}
	return s, nil
}

// specError rewords a JSON decoding error in the spec's own terms: where a
// syntax error is (line and column), which field has the wrong type and
// what it wants, and the path of an unknown field with the nearest known
// name; encoding/json names Go types and gives neither.
func specError(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(b, syn.Offset)
		return fmt.Errorf("line %d, column %d: %v", line, col, syn)
	case errors.Is(err, io.ErrUnexpectedEOF): // a file cut short said only "unexpected EOF"
		line, _ := lineCol(b, int64(len(b)))
		return fmt.Errorf("line %d: the file ends inside the JSON object (a missing } or ])", line)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("%s must be %s, got %s", typ.Field, kindWords(typ.Type), valueWords(typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		var doc any
		if json.Unmarshal(b, &doc) == nil {
			if path, key, known, ok := unknownKey(doc, reflect.TypeFor[Spec](), ""); ok {
				// A flag's name: {"lr": 0.1} was met with "did you mean
				// "l1"?", the nearest spelling.
				for i := range fields {
					if f := &fields[i]; f.Flag == key && f.Path != path+key {
						return fmt.Errorf("unknown field %q (--%s is %s in a spec)", path+key, key, f.Path)
					}
				}
				return fmt.Errorf("unknown field %q (did you mean %q?)", path+key, closest(key, known))
			}
		}
	}
	return err
}

// lineCol returns the 1-based line and column of byte offset off in b.
func lineCol(b []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(b)))
	before := b[:off]
	line = 1 + strings.Count(string(before), "\n")
	return line, int(off) - strings.LastIndexByte(string(before), '\n') - 1
}

// kindWords names what a value of type t is written as in JSON.
func kindWords(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

// valueWords names the JSON value encoding/json found.
func valueWords(v string) string {
	switch {
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "bool":
		return "true or false"
	case v == "string":
		return "a string"
	case strings.HasPrefix(v, "number"):
		return "a number (" + strings.TrimPrefix(strings.TrimPrefix(v, "number"), " ") + ")"
	}
	return v
}

// unknownKey walks the decoded document v beside the Go type t and returns
// the first key (in sorted order) that t has no field for: its parent
// path ("optimizer."), the key, and the keys that would have been known.
func unknownKey(v any, t reflect.Type, path string) (parent, key string, known []string, ok bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, isObj := v.(map[string]any)
		if !isObj {
			return "", "", nil, false
		}
		fields := jsonFields(t)
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		slices.Sort(names)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ft, found := fields[k]
			if !found {
				// encoding/json matches keys case-insensitively too.
				for n, t2 := range fields {
					if strings.EqualFold(n, k) {
						ft, found = t2, true
					}
				}
			}
			if !found {
				return path, k, names, true
			}
			if p, k2, kn, ok := unknownKey(obj[k], ft, path+k+"."); ok {
				return p, k2, kn, true
			}
		}
	case reflect.Slice, reflect.Array:
		if list, isList := v.([]any); isList {
			for i, e := range list {
				if p, k, kn, ok := unknownKey(e, t.Elem(), fmt.Sprintf("%s[%d].", strings.TrimSuffix(path, "."), i)); ok {
					return p, k, kn, true
				}
			}
		}
	}
	return "", "", nil, false
}

// jsonFields maps the JSON names of t's fields (embedded structs' fields
// promoted, as encoding/json does) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for n, t2 := range jsonFields(ft) {
					m[n] = t2
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}
