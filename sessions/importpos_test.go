package sessions

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// lineCol is offset's line and byte column in b, from 1.
func lineCol(b []byte, off int) (int, int) {
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	return line, off - bytes.LastIndexByte(b[:off], '\n')
}

// nth is the offset of the n-th (from 1) occurrence of sub in b.
func nth(t *testing.T, b []byte, sub string, n int) int {
	t.Helper()
	off := -1
	for i := 0; i < n; i++ {
		j := bytes.Index(b[off+1:], []byte(sub))
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", sub, n)
		}
		off += 1 + j
	}
	return off
}

func TestImportErrorsNameLineColumnRunAndKey(t *testing.T) {
	full := exportOf(t, 2)
	// The second run's ID, and where it starts: its "{" after the first
	// run's "}".
	id2 := string(full[nth(t, full, `"id": "`, 2)+7:])
	id2 = id2[:strings.IndexByte(id2, '"')]
	status2 := nth(t, full, `"status": "`, 2)

	cases := []struct {
		name   string
		edit   func() ([]byte, int) // the file, and the offset of the fault
		run    int
		id     string
		key    string
		detail string
	}{
		{"a missing comma", func() ([]byte, int) {
			b := bytes.Clone(full)
			end := status2 + bytes.IndexByte(b[status2:], '\n')
			b = append(b[:end-1:end-1], b[end:]...) // drop the line's comma
			next := end - 1 + 1
			for b[next] == ' ' {
				next++
			}
			return b, next
		}, 2, "", "", `run 2: invalid character '"' after object key:value pair (the runs before it are imported; fix the file and import again to resume)`},
		{"a string where a number belongs", func() ([]byte, int) {
			at := nth(t, full, `"epochs_total": `, 2) + len(`"epochs_total": `)
			end := at + bytes.IndexAny(full[at:], ",\n")
			return append(append(bytes.Clone(full[:at]), `"many"`...), full[end:]...), at
		}, 2, id2, "epochs_total", "run 2 (" + id2 + `): epochs_total: a string where a whole number belongs (the runs before it are imported; fix the file and import again to resume)`},
		{"a nested field of the wrong type", func() ([]byte, int) {
			at := nth(t, full, `"spec": {`, 2)
			at = at + bytes.Index(full[at:], []byte(`"epochs": `)) + len(`"epochs": `)
			end := at + bytes.IndexAny(full[at:], ",\n")
			return append(append(bytes.Clone(full[:at]), `[1]`...), full[end:]...), at
		}, 2, id2, "spec.epochs", "run 2 (" + id2 + `): spec.epochs: an array where a whole number belongs (the runs before it are imported; fix the file and import again to resume)`},
		{"a file cut short", func() ([]byte, int) {
			cut := status2 + len(`"status": "d`) // inside a string
			return bytes.Clone(full[:cut]), cut
		}, 2, "", "", "run 2: the file ends too soon (the runs before it are imported; fix the file and import again to resume)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, off := c.edit()
			wantLine, wantCol := lineCol(b, off)
			st, err := ImportFrom(context.Background(), tempStore(t), bytes.NewReader(b), nil)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an *ImportError", err, err)
			}
			if ie.Line != wantLine || ie.Col != wantCol || ie.Run != c.run || ie.ID != c.id || ie.Key != c.key {
				t.Errorf("at %d:%d run %d id %q key %q, want %d:%d run %d id %q key %q",
					ie.Line, ie.Col, ie.Run, ie.ID, ie.Key, wantLine, wantCol, c.run, c.id, c.key)
			}
			if ie.Detail() != c.detail {
				t.Errorf("detail %q\nwant   %q", ie.Detail(), c.detail)
			}
			if st.Imported != 1 {
				t.Errorf("imported %d, want the first run", st.Imported)
			}
		})
	}

	// A run that is invalid is refused at its place, and the import goes
	// on.
	if !bytes.HasPrefix(full[status2:], []byte(`"status": "done"`)) {
		t.Fatal("the second run is not done")
	}
	b := append(append(bytes.Clone(full[:status2]), `"status": "dne"`...), full[status2+len(`"status": "done"`):]...)
	st, err := ImportFrom(context.Background(), tempStore(t), bytes.NewReader(b), nil)
	if err != nil || st.Imported != 1 || st.Refused != 1 {
		t.Fatalf("imported %d, refused %d, err %v; want 1 and 1", st.Imported, st.Refused, err)
	}
	var ie *ImportError
	if !errors.As(st.Errors[0], &ie) || !errors.Is(st.Errors[0], ErrInvalid) {
		t.Fatalf("refusal %v, want an *ImportError wrapping ErrInvalid", st.Errors[0])
	}
	start := nth(t, b, "\n  {", 2) + 3
	if l, c := lineCol(b, start); ie.Line != l || ie.Col != c || ie.Run != 2 {
		t.Errorf("refusal at %d:%d of run %d, want %d:%d of run 2", ie.Line, ie.Col, ie.Run, l, c)
	}
	if want := "run 2 (" + id2 + `): status: "dne" is not a run status (invalid run)`; ie.Detail() != want {
		t.Errorf("refusal %q, want %q", ie.Detail(), want)
	}

	// The frame of the file is placed too.
	_, err = ImportFrom(context.Background(), tempStore(t), strings.NewReader("{\"format\": \"workbench-runs\",\n \"version\": 1 \"runs\": []}"), nil)
	if err == nil || err.Error() != `import: line 2, column 15: not a workbench export: invalid character '"' after object key:value pair` {
		t.Errorf("header error %v", err)
	}
}

// TestImportOfAHeaderCutShort: a file cut short in its header ends too
// soon, and an empty one is empty; they read 'format "" is not
// "workbench-runs"', 'export version 0 is not supported' and "EOF".
func TestImportOfAHeaderCutShort(t *testing.T) {
	for in, want := range map[string]string{
		"{":                                      "import: line 1, column 2: not a workbench export: the file ends too soon",
		"{\n  \"format\": \"workbench-runs\"":    "import: line 2, column 29: not a workbench export: the file ends too soon",
		`{"format":"workbench-runs","version":1`: "import: line 1, column 39: not a workbench export: the file ends too soon",
		"":                                       "import: line 1, column 1: not a workbench export: the file is empty",
		" \n":                                    "import: line 1, column 1: not a workbench export: the file is empty",
	} {
		_, err := ImportFrom(context.Background(), tempStore(t), strings.NewReader(in), nil)
		if err == nil || err.Error() != want {
			t.Errorf("%q: %v\nwant %s", in, err, want)
		}
	}
	st, err := ImportFrom(context.Background(), tempStore(t), strings.NewReader(`{"format":"workbench-runs","version":1,"runs":[]}`+"\n"), nil)
	if err != nil || st.Imported != 0 {
		t.Errorf("a whole file of no runs: %+v, %v", st, err)
	}
}
