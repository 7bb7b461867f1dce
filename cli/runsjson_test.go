package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"workbench/sessions"
)

// TestRunsJSONStreamsTheSameBytes checks the streamed JSON list against
// writeJSON of the whole slice.
func TestRunsJSONStreamsTheSameBytes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	trainRun(t, db)
	trainRun(t, db, "--name", "<b>&second</b>")
	s, err := sessions.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, q := range []sessions.Query{{}, {Text: "no such run"}} {
		runs, _ := s.ListRuns(ctx, q)
		if runs == nil {
			runs = []*sessions.Run{}
		}
		var want, got bytes.Buffer
		writeJSON(&want, runs, true)
		if err := writeRunsJSON(&got, func(fn func(*sessions.Run) error) error { return s.EachRun(ctx, q, fn) }); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("streamed JSON differs:\n%s\n---\n%s", got.String(), want.String())
		}
	}
}
