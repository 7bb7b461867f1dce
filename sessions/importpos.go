package sessions

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// ImportError is a problem at a place in an export file: a JSON syntax
// error, a field of the wrong type, a run that is invalid, or a file that
// ends too soon. Line and Col (1-based, the column in bytes) are 0 when
// the place is unknown.
type ImportError struct {
	Line, Col int
	Run       int    // the run's index in the file's "runs", from 1; 0 outside them
	ID        string // the run's ID, when it was read
	Key       string // the JSON field that has the wrong type, as a path: "spec.data.seed"
	Err       error
}

func (e *ImportError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("import: line %d, column %d: %s", e.Line, e.Col, e.Detail())
	}
	return "import: " + e.Detail()
}

// Detail is the message without the place: "run 2 (ID): status: a number
// where a string belongs".
func (e *ImportError) Detail() string {
	msg := e.Err.Error()
	if e.Run == 0 {
		return msg
	}
	head := fmt.Sprintf("run %d", e.Run)
	if e.ID != "" {
		head += " (" + clip(e.ID) + ")"
		// ValidateRun names the run itself.
		msg = strings.TrimPrefix(msg, "run "+e.ID+": ")
	}
	return head + ": " + msg
}

func (e *ImportError) Unwrap() error { return e.Err }

// posReader passes an export through to a json.Decoder and keeps the bytes
// from the start of the value being decoded onwards, so that an error's
// byte offset becomes a line and a column. It holds one run and the
// decoder's read-ahead: memory stays bounded whatever the file's size.
// Not safe for concurrent use.
type posReader struct {
	r         io.Reader
	base      int64 // the file offset of buf[0]
	line, col int   // of buf[0]
	buf       []byte
}

func newPosReader(r io.Reader) *posReader { return &posReader{r: r, line: 1, col: 1} }

func (p *posReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.buf = append(p.buf, b[:n]...)
	return n, err
}

// mark forgets the bytes before offset off, which the decoder is done with.
func (p *posReader) mark(off int64) {
	k := int(min(max(off-p.base, 0), int64(len(p.buf))))
	p.line, p.col = advance(p.buf[:k], p.line, p.col)
	p.buf = append(p.buf[:0], p.buf[k:]...)
	p.base += int64(k)
}

// pos returns the line and column of file offset off, which must not be
// before the last mark.
func (p *posReader) pos(off int64) (line, col int) {
	k := int(min(max(off-p.base, 0), int64(len(p.buf))))
	return advance(p.buf[:k], p.line, p.col)
}

func advance(b []byte, line, col int) (int, int) {
	for _, c := range b {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// decodeAt decodes the next value of dec into v and returns any error as
// an *ImportError that says where: dec reads p, and nothing before the
// decoder's position is needed again.
func decodeAt(dec *json.Decoder, p *posReader, v any) error {
	start := dec.InputOffset()
	p.mark(start)
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	ie := &ImportError{Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF):
		// The decoder's offsets count only what its Decode calls scanned:
		// scan the value again from its start to find the place.
		at, msg := p.syntaxAt(start)
		ie.Line, ie.Col = p.pos(at)
		ie.Err = errors.New(msg)
	case errors.As(err, &te):
		// The offset is within the value, which starts after its comma.
		at := p.valueStart(start) + te.Offset
		ie.Line, ie.Col = p.pos(p.tokenStart(at))
		ie.Key = jsonPath(te.Field)
		ie.Err = fmt.Errorf("%s: %s where %s belongs", ie.Key, describeJSON(te.Value), describeType(te.Type))
		if ie.Key == "" {
			ie.Err = fmt.Errorf("%s where %s belongs", describeJSON(te.Value), describeType(te.Type))
		}
	default:
		// A field's own decoder refused it (a time, a metric): the place
		// is the value's start.
		ie.Line, ie.Col = p.pos(p.firstToken(start))
	}
	return ie
}

// placeOf returns where err, from dec reading p, happened, for errors of
// the export's frame (its keys and brackets), which the decoder's Token
// reports at its own position.
func (p *posReader) placeOf(dec *json.Decoder, err error) (line, col int) {
	var se *json.SyntaxError
	var ie *ImportError
	switch {
	case errors.As(err, &ie):
		return ie.Line, ie.Col
	case errors.As(err, &se) && se.Offset >= p.base:
		return p.pos(se.Offset)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return p.pos(p.base + int64(len(bytesTrimRight(p.buf))))
	}
	return p.pos(dec.InputOffset())
}

// syntaxAt finds the first syntax error in the value at file offset start
// and returns its offset and message; the message of an end of file says
// the file is cut short.
func (p *posReader) syntaxAt(start int64) (int64, string) {
	from := p.valueStart(start)
	b := p.buf[int(from-p.base):]
	var raw json.RawMessage
	err := json.Unmarshal(b, &raw)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return p.base + int64(len(p.buf)), "the file ends too soon"
	}
	if se.Offset >= int64(len(b)) {
		return from + int64(len(bytesTrimRight(b))), "the file ends too soon"
	}
	return from + se.Offset - 1, se.Error()
}

// bytesTrimRight is b without trailing white space.
func bytesTrimRight(b []byte) []byte {
	for len(b) > 0 && strings.IndexByte(" \t\r\n", b[len(b)-1]) >= 0 {
		b = b[:len(b)-1]
	}
	return b
}

// valueStart is where the decoder's buffer for the value at start begins:
// past the comma or colon that separates it from what comes before, if
// any.
func (p *posReader) valueStart(start int64) int64 {
	i := int(start - p.base)
	for i < len(p.buf) && strings.IndexByte(" \t\r\n", p.buf[i]) >= 0 {
		i++
	}
	if i < len(p.buf) && (p.buf[i] == ',' || p.buf[i] == ':') {
		return p.base + int64(i) + 1
	}
	return start
}

// firstToken is the offset of the first byte of the value at start, past
// white space and a comma or colon before it.
func (p *posReader) firstToken(start int64) int64 {
	i := int(p.valueStart(start) - p.base)
	for i < len(p.buf) && strings.IndexByte(" \t\r\n", p.buf[i]) >= 0 {
		i++
	}
	return p.base + int64(i)
}

// tokenStart moves offset at, which json's type errors put just past a
// scalar or just inside an object or array, back to the token's first
// byte.
func (p *posReader) tokenStart(at int64) int64 {
	i := int(at-p.base) - 1
	if i < 0 || i >= len(p.buf) {
		return at
	}
	switch c := p.buf[i]; {
	case c == '{' || c == '[':
		return p.base + int64(i)
	case c == '"':
		for j := i - 1; j >= 0; j-- {
			if p.buf[j] != '"' {
				continue
			}
			esc := 0
			for k := j - 1; k >= 0 && p.buf[k] == '\\'; k-- {
				esc++
			}
			if esc%2 == 0 {
				return p.base + int64(j)
			}
		}
	default:
		j := i
		for j > 0 && strings.IndexByte("0123456789+-.eEtruefalsn", p.buf[j-1]) >= 0 {
			j--
		}
		return p.base + int64(j)
	}
	return at
}

// jsonPath is a type error's field path with the Go names of embedded
// structs left out: "Run.status" is the key "status".
func jsonPath(field string) string {
	var keep []string
	for _, f := range strings.Split(field, ".") {
		if f != "" && !(f[0] >= 'A' && f[0] <= 'Z') {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, ".")
}

// describeJSON names a JSON value's kind as a type error reports it
// ("number", "string", "number 1e999").
func describeJSON(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array", "object":
		return "an " + v
	}
	return "a " + v
}

// describeType says what a Go type holds, in JSON's words.
func describeType(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number ≥ 0"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}
