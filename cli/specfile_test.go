package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecFileErrorsNameTheField: a bad --spec file's error names the
// file and the spec's field with the nearest known name, exits 2, and
// carries no usage hint (the flags were fine).
func TestSpecFileErrorsNameTheField(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "run.json")
	if err := os.WriteFile(f, []byte(`{"data":{"name":"xor"},"optimizer":{"lrr":0.1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := cli(t, filepath.Join(dir, "w.db"), "", "train", "--spec", f, "--no-save")
	want := "workbench train: " + f + `: spec: unknown field "optimizer.lrr" (did you mean "lr"?)`
	if code != 2 || strings.TrimSpace(errs) != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and:\n%s", code, errs, want)
	}
}
