package sessions

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"modernc.org/sqlite"
)

// Errors callers may test for.
var (
	ErrNotFound = errors.New("no such run")
	ErrExists   = errors.New("run already exists")
	ErrNewer    = errors.New("the database was written by a newer workbench")
	// ErrForeign is a SQLite file that is not a workbench store.
	ErrForeign = errors.New("not a workbench database")
	// ErrReadOnly is a write to a store that cannot be written.
	ErrReadOnly = errors.New("the store is read-only")
	// ErrConflict is an imported run whose ID is taken by different content.
	ErrConflict = errors.New("its ID is taken by a different run")
	// ErrInvalid is an imported or new run that breaks its own shape, or
	// an unsafe ID.
	ErrInvalid = errors.New("invalid run")
	// ErrTraining is a run that cannot be deleted while a live process
	// records it.
	ErrTraining = errors.New("still training")
)

// SQLite result codes (the low byte of an extended code).
const (
	codeBusy     = 5
	codeLocked   = 6
	codeReadOnly = 8
	codeIOErr    = 10
	codeCorrupt  = 11
	codeFull     = 13
	codeNotADB   = 26
)

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func isBusy(err error) bool {
	c := sqliteCode(err)
	return c == codeBusy || c == codeLocked
}

func isPermission(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

func readOnlyError(path, why string) error {
	return fmt.Errorf("store %s: %w (%s): it can be listed and shown, not changed", path, ErrReadOnly, why)
}

// StorageFailure classifies an error from a write: "disk full", "I/O
// error" or "read-only store", with ok false for anything else (such as a
// constraint or a cancelled context). A recorder can end a run as
// interrupted with this reason on the first failed write.
func StorageFailure(err error) (reason string, ok bool) {
	if err == nil {
		return "", false
	}
	switch {
	case pgCode(err) == pgDiskFull:
		return "disk full", true
	case pgCode(err) == pgReadOnlyTx:
		return "read-only store", true
	case sqliteCode(err) == codeFull || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT):
		return "disk full", true
	case sqliteCode(err) == codeIOErr || errors.Is(err, syscall.EIO):
		return "I/O error", true
	case sqliteCode(err) == codeReadOnly || errors.Is(err, ErrReadOnly):
		return "read-only store", true
	case sqliteCode(err) == codeCorrupt || sqliteCode(err) == codeNotADB:
		return "damaged store", true
	case isConnLost(err):
		return "store unreachable", true
	}
	return "", false
}

// wrap names the store in err and explains the failures a person can act
// on: a damaged file, a read-only one.
func (s *SQLite) wrap(err error) error {
	if err == nil {
		return nil
	}
	if s.pg {
		return s.wrapPG(err)
	}
	if errors.Is(err, ErrBusy) {
		return err // it names the store
	}
	code := sqliteCode(err)
	msg := err.Error()
	switch {
	case code == codeCorrupt || code == codeNotADB || strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database"):
		return fmt.Errorf("store %s is damaged (%w); move it away to start a new one, or recover it with sqlite3's .recover", s.path, err)
	case code == codeReadOnly:
		why := "the file or its directory is not writable"
		if s.readOnly {
			why = "opened read-only"
		}
		return readOnlyError(s.path, why)
	}
	return fmt.Errorf("store %s: %w", s.path, err)
}

// wrapPG is wrap for PostgreSQL: the URL without its password, and the
// failures a person can act on.
func (s *SQLite) wrapPG(err error) error {
	err = hideSecret(err, s.secret)
	switch {
	case pgCode(err) == pgReadOnlyTx:
		why := "the server refuses writes"
		if s.readOnly {
			why = "opened read-only"
		}
		return readOnlyError(s.path, why)
	case pgCode(err) == pgInsufficientPriv:
		return fmt.Errorf("store %s: %w (the role lacks a privilege; see the README's PostgreSQL section)", s.path, err)
	case isConnLost(err):
		return fmt.Errorf("store %s: cannot reach %s: %w", s.path, pgHost(s.pgConf), err)
	}
	return fmt.Errorf("store %s: %w", s.path, err)
}
