package sessions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestBatchedImportKeepsEachRunAtomic: an export of more runs than one
// batch holds, with a run repeated identically, a run repeated with other
// content and an invalid run among them, imports every good run once,
// skips the identical repeat, refuses the other two by name, and imports
// the same way into a store that already holds part of it.
func TestBatchedImportKeepsEachRunAtomic(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		var one Export
		if err := json.Unmarshal(exportOf(t, 1), &one); err != nil {
			t.Fatal(err)
		}
		base := one.Runs[0]
		n := importBatchRuns + 10
		ex := Export{Format: one.Format, Version: one.Version}
		for i := 0; i < n; i++ {
			r := *base
			r.ID, r.Name = fmt.Sprintf("run-%03d", i), fmt.Sprintf("copy %d", i)
			ex.Runs = append(ex.Runs, &r)
		}
		same, other, invalid := *ex.Runs[3], *ex.Runs[5], *ex.Runs[7]
		other.Name = "someone else's"
		invalid.ID = "bad-shape"
		invalid.Scaler.Offset = invalid.Scaler.Offset[:1]
		ex.Runs = append(ex.Runs, &same, &other, &invalid)
		file, err := json.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		s := be.open(t)
		// Part of it first, one run at a time.
		for _, r := range ex.Runs[:10] {
			if err := s.ImportRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		st, err := ImportFrom(ctx, s, bytes.NewReader(file), nil)
		if err != nil || st.Imported != n-10 || st.Skipped != 11 || st.Refused != 2 {
			t.Fatalf("import: %+v, %v", st, err)
		}
		msg := st.Err().Error()
		if !errors.Is(st.Err(), ErrConflict) || !errors.Is(st.Err(), ErrInvalid) || !strings.Contains(msg, other.ID) || !strings.Contains(msg, "bad-shape") {
			t.Fatalf("refusals: %v", msg)
		}
		runs, err := s.ListSummaries(ctx, Query{})
		if err != nil || len(runs) != n {
			t.Fatalf("%d runs, %v", len(runs), err)
		}
		for _, r := range runs {
			if r.Name != "copy "+strings.TrimLeft(strings.TrimPrefix(r.ID, "run-"), "0") && !(r.ID == "run-000" && r.Name == "copy 0") {
				t.Errorf("run %s is named %q", r.ID, r.Name)
			}
		}
		st, err = ImportFrom(ctx, s, bytes.NewReader(file), nil)
		if err != nil || st.Imported != 0 || st.Skipped != n+1 || st.Refused != 2 {
			t.Fatalf("again: %+v, %v", st, err)
		}
	})
}
