package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func TestWriteNewAndRefuseExisting(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := WriteFile(p, []byte("one"), false); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("overwrite without force: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Fatalf("content %q", b)
	}
	os.Chmod(p, 0o600)
	if err := WriteFile(p, []byte("three"), true); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != "three" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("content %q, mode %v", b, fi.Mode().Perm())
	}
	assertNoTemp(t, dir, 1)
}

func TestFailureLeavesTheOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	os.WriteFile(p, []byte("precious"), 0o644)
	boom := errors.New("unknown run ID")
	err := Write(p, true, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "precious" {
		t.Fatalf("content %q", b)
	}
	// A new file is not created at all.
	q := filepath.Join(dir, "new.csv")
	Write(q, false, func(io.Writer) error { return boom })
	if _, err := os.Stat(q); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed write left %s", q)
	}
	assertNoTemp(t, dir, 1)
}

func TestSymlinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(victim, link)
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	if err := WriteFile(link, []byte("x"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("link without force: %v", err)
	}
	if err := WriteFile(dangling, []byte("x"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("dangling link without force: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Fatal("wrote through a dangling link")
	}
	if err := WriteFile(link, []byte("new"), true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatalf("the link's target became %q", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink != 0 {
		t.Fatal("the link is still a link")
	}
}

func TestRacingWritersOneWins(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "race")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = WriteFile(p, []byte{byte('a' + i)}, false)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if !errors.Is(err, ErrExists) {
			t.Fatal(err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers won", won)
	}
	assertNoTemp(t, dir, 1)
}

func assertNoTemp(t *testing.T, dir string, want int) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	if len(ents) != want {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v", names)
	}
}

// An error names the file asked for, never the temporary file beside it
// ("open /x/.fig.png.tmp-2649298169: no such file or directory").
func TestErrorsNameThePathNotTheTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nodir", "fig.png")
	err := WriteFile(missing, []byte("x"), false)
	if err == nil || err.Error() != missing+": no such file or directory" || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a missing folder: %v", err)
	}
	// A write that fails part way reaches the caller through fill: a
	// file closed under the writer stands in for a full disk.
	f, err := os.CreateTemp(dir, ".out.csv.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = namedWriter{f, "out.csv"}.Write([]byte("x"))
	if err == nil || strings.Contains(err.Error(), ".tmp-") || err.Error() != "out.csv: file already closed" {
		t.Fatalf("a failed write: %v", err)
	}
	err = named("out.csv", &os.LinkError{Op: "link", Old: "/x/.out.csv.tmp-1", New: "out.csv", Err: syscall.EIO})
	if err.Error() != "out.csv: input/output error" || !errors.Is(err, syscall.EIO) {
		t.Fatalf("a failed link: %v", err)
	}
}
