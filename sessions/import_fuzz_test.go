package sessions

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzImportFrom feeds arbitrary bytes to the streaming importer that
// `runs import` uses: it must never panic, an error must say import, and
// whatever it imports must export again.
func FuzzImportFrom(f *testing.F) {
	for _, s := range []string{
		`{"format":"workbench-runs","version":1,"runs":[]}`,
		`{"format":"workbench-runs","version":1,"runs":[{"id":"a","status":"done","spec":{"epochs":1},"history":[{"epoch":1,"train":{"loss":"NaN"},"val":{}}],"weights":"AAEC"}]}`,
		`{"runs":[{"id":"b","status":"running","spec":{"epochs":2},"metrics":{"x":"+Inf"}}],"version":1,"format":"workbench-runs"}`,
		`{"format":"workbench-runs","version":1,"runs":[{"id":"a"},{"id":"a","spec":{"epoch":1}}]}`,
		`{"format":"workbench-runs","version":99,"runs":[]}`,
		`{"format":"workbench-runs","version":1,"runs":[{"id":"c","status":"done"`,
		`{"format":"other"}`, `[`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := tempStore(t)
		st, err := ImportFrom(context.Background(), s, bytes.NewReader(b), nil)
		if err != nil && !strings.HasPrefix(err.Error(), "import: ") {
			t.Fatalf("an error that does not say import: %v", err)
		}
		if st.Refused > 0 && st.Err() == nil {
			t.Fatalf("%d runs refused without an error", st.Refused)
		}
		var out bytes.Buffer
		if err := ExportJSON(context.Background(), s, nil, &out); err != nil {
			t.Fatalf("export after import: %v", err)
		}
	})
}
