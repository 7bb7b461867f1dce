package sessions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

func TestReadOnlyOpenReadsAndRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	id := recordRun(t, s, testSpec(4))
	s.Close()
	before := readFile(t, path)
	if err := checkReadOnly(path, id); err != nil {
		t.Fatal(err)
	}
	if after := readFile(t, path); !bytes.Equal(before, after) {
		t.Fatal("a read-only open changed the file")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.db"), ReadOnly()); err == nil {
		t.Fatal("a read-only open of a missing file succeeded")
	}
}

// checkReadOnly lists and shows run id through a read-only open and checks
// that each kind of write says the store is read-only.
func checkReadOnly(path, id string) error {
	s, err := Open(path, ReadOnly())
	if err != nil {
		return fmt.Errorf("read-only open: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	runs, err := s.ListSummaries(ctx, Query{})
	if err != nil || len(runs) != 1 || runs[0].ID != id {
		return fmt.Errorf("list: %d runs, %v", len(runs), err)
	}
	if f, err := LoadFull(ctx, s, id); err != nil || len(f.History) == 0 || f.Weights == nil {
		return fmt.Errorf("show: %v", err)
	}
	name := "x"
	for what, err := range map[string]error{
		"rename": s.UpdateRun(ctx, id, Patch{Name: &name}),
		"delete": s.DeleteRuns(ctx, id),
		"create": s.CreateRun(ctx, &Run{ID: "new-run", Status: "done", Metrics: Metrics{}}),
	} {
		if !errors.Is(err, ErrReadOnly) {
			return fmt.Errorf("%s on a read-only store: %v", what, err)
		}
	}
	return nil
}

// TestReadOnlyFileAndDirectory needs a user whom permissions bind: as root
// it runs its checks in a child process as nobody.
func TestReadOnlyFileAndDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	top, err := os.MkdirTemp("", "wb-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.Walk(top, func(p string, _ os.FileInfo, _ error) error { os.Chmod(p, 0o700); return nil })
		os.RemoveAll(top)
	})
	os.Chmod(top, 0o755)
	bin := filepath.Join(top, "sessions.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	uid := os.Getuid()
	if uid == 0 {
		uid = 65534 // nobody
	}
	for _, c := range []struct {
		name              string
		fileMode, dirMode os.FileMode
	}{
		{"file 0400", 0o400, 0o700},
		{"directory 0500", 0o600, 0o500},
	} {
		dir := filepath.Join(top, fmt.Sprintf("d%o", c.dirMode))
		path := filepath.Join(dir, "w.db")
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		id := recordRun(t, s, testSpec(3))
		s.Close()
		os.Chown(dir, uid, -1)
		os.Chown(path, uid, -1)
		os.Chmod(path, c.fileMode)
		os.Chmod(dir, c.dirMode)
		cmd := exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), "WB_CHILD=readonly", "WB_DB="+path, "WB_ID="+id)
		if os.Getuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: 65534}}
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, out)
		}
	}
}

// childReadOnly runs as a user who cannot write WB_DB.
func childReadOnly() int {
	path, id := os.Getenv("WB_DB"), os.Getenv("WB_ID")
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
		if syscall.Access(filepath.Dir(path), 2) == nil {
			fmt.Fprintln(os.Stderr, "the store is writable: uid", strconv.Itoa(os.Getuid()))
			return 1
		}
	}
	if _, err := Open(path); !errors.Is(err, ErrReadOnly) {
		fmt.Fprintln(os.Stderr, "a read-write open:", err)
		return 1
	}
	if err := checkReadOnly(path, id); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
