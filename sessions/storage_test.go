package sessions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"workbench/trainer"
)

func TestStorageFailureClassifies(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
		ok   bool
	}{
		{fmt.Errorf("write: %w", syscall.ENOSPC), "disk full", true},
		{fmt.Errorf("write: %w", syscall.EIO), "I/O error", true},
		{readOnlyError("x.db", "test"), "read-only store", true},
		{ErrNotFound, "", false},
		{context.Canceled, "", false},
		{nil, "", false},
	} {
		if got, ok := StorageFailure(c.err); got != c.want || ok != c.ok {
			t.Errorf("StorageFailure(%v) = %q, %v", c.err, got, ok)
		}
	}
}

// TestFullDiskIsClassified fills a small file system (WB_SMALL_FS, such as
// a 2 MiB tmpfs) with epochs until a write fails, and checks that the
// failure reads as "disk full" and that the history has no gap.
func TestFullDiskIsClassified(t *testing.T) {
	dir := os.Getenv("WB_SMALL_FS")
	if dir == "" {
		t.Skip("set WB_SMALL_FS to a small, empty file system (mount -t tmpfs -o size=2m tmpfs DIR)")
	}
	path := filepath.Join(dir, fmt.Sprintf("full-%d.db", time.Now().UnixNano()))
	defer os.Remove(path)
	defer os.Remove(path + "-wal")
	defer os.Remove(path + "-shm")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.CreateRun(ctx, &Run{ID: "fill", Status: trainer.StatusRunning, Spec: testSpec(1), Created: time.Now(), Metrics: Metrics{}}); err != nil {
		t.Fatal(err)
	}
	big := Metrics{}
	for i := 0; i < 200; i++ {
		big[fmt.Sprintf("m%03d", i)] = float64(i)
	}
	var werr error
	epoch := 0
	for epoch = 1; epoch < 1_000_000; epoch++ {
		if werr = s.AppendEpoch(ctx, "fill", Epoch{Epoch: epoch, Train: big, Val: big}); werr != nil {
			break
		}
	}
	if reason, ok := StorageFailure(werr); !ok || reason != "disk full" {
		t.Fatalf("after %d epochs: %v classified as %q", epoch, werr, reason)
	}
	hist, err := s.History(ctx, "fill")
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range hist {
		if e.Epoch != i+1 {
			t.Fatalf("a gap at %d", i)
		}
	}
	if len(hist) != epoch-1 {
		t.Fatalf("%d epochs stored, %d written", len(hist), epoch-1)
	}
}
