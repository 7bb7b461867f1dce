package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionAndFullBatchWording: version prints no double space when the
// build has no VCS revision, and runs show calls batch size 0 a full batch.
func TestVersionAndFullBatchWording(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out, _, code := cli(t, db, "", "version")
	if code != 0 || strings.Contains(out, "  ") || !strings.HasPrefix(out, "workbench ") {
		t.Errorf("version printed %q (exit %d)", out, code)
	}
	_, errs, code := cli(t, db, "", "train", "--data", "seed-example", "--layers", "4", "--batch", "0", "--epochs", "3", "--name", "fb")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	list, _, _ := cli(t, db, "", "runs", "list", "--json")
	_, rest, ok := strings.Cut(list, `"id": "`)
	id, _, _ := strings.Cut(rest, `"`)
	if !ok || id == "" {
		t.Fatalf("no run ID in %s", list)
	}
	out, errs, code = cli(t, db, "", "runs", "show", id)
	if code != 0 {
		t.Fatalf("runs show exit %d: %s", code, errs)
	}
	if !strings.Contains(out, ", full batch,") || strings.Contains(out, "batch 0") {
		t.Errorf("runs show of a full-batch run:\n%s", out)
	}
}
