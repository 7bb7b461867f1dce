package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/spf13/cobra"

	"workbench/sessions"
)

// storePath returns the store a command uses: --db, else $WORKBENCH_DB,
// else $XDG_DATA_HOME/workbench/workbench.db, else
// ~/.local/share/workbench/workbench.db. A relative XDG_DATA_HOME is
// ignored, as the XDG spec says.
func storePath(getenv func(string) string, db string) (string, error) {
	if db != "" {
		return db, nil
	}
	if p := getenv("WORKBENCH_DB"); p != "" {
		return p, nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "workbench", "workbench.db"), nil
	}
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return "", errors.New("no session store: HOME is not set; give --db FILE or set WORKBENCH_DB")
	}
	return filepath.Join(home, ".local", "share", "workbench", "workbench.db"), nil
}

// storeTarget returns the store cmd uses (see storePath) and whether the
// command line named it with --db. WORKBENCH_DB is a standing default, as
// the XDG path is: a store there is created when first needed, in
// silence, and an empty new one lists no runs.
func storeTarget(e *env, cmd *cobra.Command) (path string, named bool, err error) {
	db, _ := cmd.Flags().GetString("db")
	path, err = storePath(e.getenv, db)
	return path, db != "", err
}

// storeMissing reports whether path is a SQLite store file that does not
// exist yet.
func storeMissing(path string) bool {
	if sessions.IsPostgresURL(path) {
		return false
	}
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// noStoreError is a named store that does not exist, for a command that
// needs runs in it: a mistyped --db must not look like an empty store.
func noStoreError(path string) error {
	return fmt.Errorf("no store at %s: check --db (train, sweep and runs import create one)", path)
}

// busyNotice tells stderr, once, that another process holds the store's
// write lock and the command is waiting for it (see sessions.OnBusy).
func busyNotice(e *env) sessions.OpenOption {
	return sessions.OnBusy(func(path string) {
		fmt.Fprintf(e.stderr, busyLine, programName, path)
	})
}

// busyLine is the busy notice, for the program's name and the store.
const busyLine = "%s: store %s is busy: another process is writing to it; waiting\n"

// openStore opens the store for a command that writes new runs (train,
// sweep, runs import), creating it if needed; a new store at a path the
// user named is announced on stderr, since a mistyped --db would
// otherwise scatter runs silently.
func openStore(e *env, cmd *cobra.Command) (*sessions.SQLite, error) {
	s, created, err := openStoreQuietly(e, cmd)
	if err == nil && created {
		announceStore(e, s.Path())
	}
	return s, err
}

// openStoreQuietly is openStore without the announcement: created says
// whether it made a new store at a path the user named, for a command
// that announces it only once something went in (runs import).
func openStoreQuietly(e *env, cmd *cobra.Command) (s *sessions.SQLite, created bool, err error) {
	path, named, err := storeTarget(e, cmd)
	if err != nil {
		return nil, false, err
	}
	created = named && storeMissing(path)
	s, err = sessions.Open(path, busyNotice(e))
	return s, created, err
}

// announceStore says on stderr that a new store was made at path.
func announceStore(e *env, path string) {
	fmt.Fprintf(e.stderr, "%s: created a new store at %s\n", programName, path)
}

// dropNewStore closes and removes a store this command created and put
// nothing in (with SQLite's journal files), so that a failed first
// import leaves no empty store behind to be mistaken for a real one.
func dropNewStore(s *sessions.SQLite) {
	path := s.Path()
	s.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// openExistingStore opens the store for a command that changes or builds
// on runs already in it (rm, rename, note, tag, rerun, compress,
// ensemble): a named store that does not exist is an error, not a new
// empty one.
func openExistingStore(e *env, cmd *cobra.Command) (*sessions.SQLite, error) {
	path, named, err := storeTarget(e, cmd)
	if err != nil {
		return nil, err
	}
	if named && storeMissing(path) {
		return nil, noStoreError(path)
	}
	return sessions.Open(path, busyNotice(e))
}

// openStoreForApp opens the store for the app, which may create it (and
// says so, as openStore does) and can browse a read-only one. The busy
// notice is printed only while the store opens: once the app draws, a
// line on stderr would break its screen.
func openStoreForApp(e *env, cmd *cobra.Command) (*sessions.SQLite, error) {
	path, named, err := storeTarget(e, cmd)
	if err != nil {
		return nil, err
	}
	created := named && storeMissing(path)
	var drawing atomic.Bool
	s, err := openReadable(path, sessions.OnBusy(func(path string) {
		if !drawing.Load() {
			fmt.Fprintf(e.stderr, busyLine, programName, path)
		}
	}))
	drawing.Store(true)
	if err == nil && created {
		announceStore(e, path)
	}
	return s, err
}

// resolveRunIDs turns each run reference (an ID, a unique prefix or a
// unique suffix) into its ID.
func resolveRunIDs(store sessions.Store, refs []string) ([]string, error) {
	return sessions.ResolveRuns(context.Background(), store, refs)
}

// resolveRunID resolves one run reference.
func resolveRunID(store sessions.Store, ref string) (string, error) {
	return sessions.ResolveRun(context.Background(), store, ref)
}
