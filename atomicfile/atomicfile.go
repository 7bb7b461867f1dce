package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrExists is a target that exists when force is off.
var ErrExists = errors.New("file exists; not replaced")

// Write creates path with what fill writes, or, with force, replaces it.
// fill's writer is buffered; if fill fails, path is left as it was and
// its error is returned. A new file gets mode 0644; a replaced one keeps
// its mode.
func Write(path string, force bool, fill func(w io.Writer) error) error {
	if path == "" {
		return errors.New("atomicfile: no file name")
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Lstat(path); err == nil {
		switch {
		case !force:
			return fmt.Errorf("%s: %w", path, ErrExists)
		case fi.IsDir():
			return fmt.Errorf("%s: is a directory", path)
		case fi.Mode().IsRegular():
			mode = fi.Mode().Perm()
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return named(path, err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return named(path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(namedWriter{tmp, path}, 64<<10)
	if err := fill(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err // namedWriter's, naming path
	}
	if err := tmp.Chmod(mode); err != nil {
		return named(path, err)
	}
	if err := tmp.Sync(); err != nil {
		return named(path, err)
	}
	if err := tmp.Close(); err != nil {
		return named(path, err)
	}
	if err := place(tmp.Name(), path, force); err != nil {
		return err
	}
	done = true
	syncDir(dir)
	return nil
}

// WriteFile is Write of data.
func WriteFile(path string, data []byte, force bool) error {
	return Write(path, force, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// place moves tmp to path: rename replaces (a symbolic link at path is
// replaced, not followed); without force a hard link claims path only if
// it is still free.
func place(tmp, path string, force bool) error {
	if force {
		if err := os.Rename(tmp, path); err != nil {
			return named(path, err)
		}
		return nil
	}
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w", path, ErrExists)
	case errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EXDEV):
		// No hard links here (FAT, some network file systems): check, then
		// rename, with a small window in which another writer can win.
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		if err := os.Rename(tmp, path); err != nil {
			return named(path, err)
		}
		return nil
	}
	return named(path, err)
}

// named reports err as a failure to write path. The file system's error
// names the temporary file ("open /out/.fig.png.tmp-2649298169: no such
// file or directory"), a name the user never gave: keep its reason only.
func named(path string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// namedWriter names path, not the temporary file, in its write errors,
// which reach Write's caller through fill (a full disk).
type namedWriter struct {
	f    *os.File
	path string
}

func (w namedWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = named(w.path, err)
	}
	return n, err
}

// syncDir makes the rename durable; file systems that cannot sync a
// directory are fine without it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
