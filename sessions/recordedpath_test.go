package sessions

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"workbench/datasets"
)

// TestRunRecordsItsCSVByAbsolutePath: a run trained on a CSV named
// relative to the working directory records the file's absolute path, so
// that a rerun from another directory reads the same file.
func TestRunRecordsItsCSVByAbsolutePath(t *testing.T) {
	s := tempStore(t)
	dir := t.TempDir()
	t.Chdir(dir)
	csv := "x1,x2,y\n1,2,0\n3,4,1\n5,6,1\n7,8,0\n2,1,0\n4,3,1\n6,5,1\n8,7,0\n"
	if err := os.WriteFile("seed.csv", []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := fastSpec(3)
	spec.Data = datasets.Spec{Path: "seed.csv", Split: datasets.DefaultSplit, Seed: 1}
	live, err := Start(context.Background(), s, spec, StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	<-live.Recorder.Done()
	r, err := s.GetRun(context.Background(), live.Handle.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The directory as the process sees it (t.TempDir may sit under a link).
	wd, _ := os.Getwd()
	if want := filepath.Join(wd, "seed.csv"); r.Spec.Data.Path != want {
		t.Fatalf("recorded path %q, want %q", r.Spec.Data.Path, want)
	}
	if r.Dataset != "seed.csv" {
		t.Fatalf("dataset label %q, want the file's name", r.Dataset)
	}
	// From another directory the recorded spec still builds.
	t.Chdir(t.TempDir())
	if _, err := datasets.Build(r.Spec.Data); err != nil {
		t.Fatalf("building the recorded data from elsewhere: %v", err)
	}
	for _, p := range []string{"", "-", "/abs/x.csv"} {
		if got := recordedPath(p); got != p {
			t.Errorf("recordedPath(%q) = %q", p, got)
		}
	}
}
