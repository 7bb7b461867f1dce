package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// DefaultPath returns $WORKBENCH_DB, else $XDG_DATA_HOME/workbench/workbench.db,
// else ~/.local/share/workbench/workbench.db.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("WORKBENCH_DB"); p != "" {
		return p
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "workbench", "workbench.db")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "workbench", "workbench.db")
}

const sqliteMagic = "SQLite format 3\x00"

// OpenOption changes how Open opens a store.
type OpenOption func(*openConfig)

type openConfig struct {
	readOnly bool
	onBusy   func(path string) // see OnBusy
}

// ReadOnly opens an existing store for reading only: nothing in the file
// changes, runs left "running" are not marked, and every write returns an
// error wrapping ErrReadOnly. Commands that only read (list, show,
// compare, export) should use it, so that a store on a read-only file,
// directory or mount still works.
func ReadOnly() OpenOption { return func(c *openConfig) { c.readOnly = true } }

// quickCheckBelow is the file size up to which every open checks the
// file's integrity.
const quickCheckBelow = 32 << 20

// Open opens (creating if needed) the store at path: the directory with
// mode 0700, the file 0600. It refuses, changing nothing, a file that is
// not a workbench store and one written by a newer workbench; only a
// missing or empty file is initialised. It migrates an older schema and
// marks runs and sweeps whose process died as interrupted.
//
// A postgres:// or postgresql:// URL opens a PostgreSQL store instead
// (see openPostgres), with the same behaviour.
func Open(path string, opts ...OpenOption) (*SQLite, error) {
	var cfg openConfig
	for _, o := range opts {
		o(&cfg)
	}
	if IsPostgresURL(path) {
		return openPostgres(path, cfg)
	}
	busy := &busyWait{path: path, notify: cfg.onBusy}
	if cfg.readOnly {
		return openReadOnly(path, busy)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store %s: cannot create its directory: %v", path, err)
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, fmt.Errorf("store %s: is a directory; pass a file to --db", path)
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			if isPermission(err) {
				return nil, readOnlyError(path, "the file is not writable")
			}
			return nil, fmt.Errorf("store %s: %v", path, err)
		}
		f.Close()
	}
	// SQLite keeps its journal next to the file, so the directory must be
	// writable too.
	if err := syscall.Access(dir, 2 /* W_OK */); err != nil {
		if _, serr := os.Stat(path); serr == nil {
			return nil, readOnlyError(path, "its directory is not writable")
		}
		return nil, fmt.Errorf("store %s: cannot create it: the directory is not writable", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	err = checkMagic(f, path)
	f.Close()
	if err != nil {
		return nil, err
	}
	// Look before touching: a read-only connection decides whether the
	// file is ours, so a foreign or newer file is left byte for byte.
	ctx := context.Background()
	if err := busy.do(ctx, func() error {
		ro, err := sql.Open("sqlite", fileURI(path, "mode=ro", pragmas))
		if err != nil {
			return err
		}
		defer ro.Close()
		_, err = identifyDB(context.Background(), ro, path)
		return err
	}); err != nil {
		return nil, wrapOpen(path, err)
	}
	w, err := sql.Open("sqlite", fileURI(path, "_txlock=immediate", writerPragmas(), "_pragma=synchronous(NORMAL)"))
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	w.SetMaxOpenConns(1)
	s := &SQLite{path: path, w: w, busy: busy, pid: os.Getpid(), live: map[string]Metrics{}}
	s.host, _ = os.Hostname()
	if err := busy.do(ctx, s.migrate); err != nil {
		w.Close()
		return nil, wrapOpen(path, err)
	}
	if err := s.prepare(); err != nil {
		w.Close()
		return nil, err
	}
	s.r, err = sql.Open("sqlite", fileURI(path, "", pragmas, "_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	s.r.SetMaxOpenConns(4)
	if err := busy.do(ctx, func() error { return s.markInterrupted(ctx) }); err != nil {
		s.Close()
		return nil, s.wrap(err)
	}
	return s, nil
}

// pragmas are every connection's settings; the busy timeout comes first
// (the driver runs it first) so the others wait rather than fail.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"

// fileURI is path as an SQLite URI with query parameters, so that any
// character in the path is safe and mode=ro or immutable=1 apply.
func fileURI(path string, params ...string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := url.URL{Scheme: "file", Path: abs, OmitHost: true}
	var q []string
	for _, p := range params {
		if p != "" {
			q = append(q, p)
		}
	}
	return u.String() + "?" + strings.Join(q, "&")
}

func checkMagic(f *os.File, path string) error {
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	if n > 0 && string(head[:n]) != sqliteMagic {
		return fmt.Errorf("store %s: not a workbench database (the file is not SQLite); nothing was changed: move it away or pass another --db", path)
	}
	return nil
}

// openReadOnly opens an existing store without writing to it.
func openReadOnly(path string, busy *busyWait) (*SQLite, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store %s: no such file", path)
		}
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("store %s: is a directory; pass a file to --db", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	err = checkMagic(f, path)
	f.Close()
	if err != nil {
		return nil, err
	}
	mode := "mode=ro"
	// Reading a WAL store needs its -shm file; where that cannot be
	// created (a read-only directory or mount) and no writer is active
	// (no -wal file), the file is read as immutable.
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) && syscall.Access(filepath.Dir(path), 2) != nil {
		mode = "mode=ro&immutable=1"
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("store %s: the file is empty: no runs yet", path)
	}
	r, err := sql.Open("sqlite", fileURI(path, mode, pragmas))
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	r.SetMaxOpenConns(4)
	s := &SQLite{path: path, w: r, r: r, readOnly: true, busy: busy, pid: os.Getpid(), live: map[string]Metrics{}}
	s.host, _ = os.Hostname()
	var k storeKind
	if err := busy.do(context.Background(), func() error {
		var err error
		k, err = identifyDB(context.Background(), r, path)
		return err
	}); err != nil {
		r.Close()
		return nil, wrapOpen(path, err)
	}
	if k.version < SchemaVersion {
		r.Close()
		return nil, fmt.Errorf("store %s: schema %d needs an upgrade to %d, which a read-only open cannot do; open it once with write access", path, k.version, SchemaVersion)
	}
	if err := s.prepare(); err != nil {
		r.Close()
		return nil, err
	}
	return s, nil
}

// storeKind is what identify found.
type storeKind struct {
	empty   bool // no schema at all: may be initialised
	version int  // user_version of one of ours
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// identifyDB runs identify in one transaction, so that its reads see one
// state of a file that another process may be initialising.
func identifyDB(ctx context.Context, db *sql.DB, path string) (storeKind, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return storeKind{}, err
	}
	defer tx.Rollback()
	return identify(ctx, tx, path)
}

// identify tells a workbench store (by application ID, or an older one by
// user_version and its tables) from an empty file and from anything else,
// which it refuses.
func identify(ctx context.Context, db querier, path string) (storeKind, error) {
	var app, ver int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return storeKind{}, err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&ver); err != nil {
		return storeKind{}, err
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return storeKind{}, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return storeKind{}, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return storeKind{}, err
	}
	ours := app == ApplicationID
	if app == 0 && ver >= 1 {
		ours = true
		for _, t := range ourTables {
			ours = ours && slices.Contains(names, t)
		}
	}
	switch {
	case ours && ver > SchemaVersion:
		return storeKind{}, fmt.Errorf("store %s: %w (schema %d; this build reads up to %d); nothing was changed: upgrade workbench", path, ErrNewer, ver, SchemaVersion)
	case ours:
		return storeKind{version: ver}, nil
	case app == 0 && ver == 0 && len(names) == 0:
		return storeKind{empty: true}, nil
	}
	what := fmt.Sprintf("application_id %d", app)
	if app == 0 {
		shown := names
		if len(shown) > 5 {
			shown = append(shown[:5:5], "…")
		}
		what = fmt.Sprintf("user_version %d, tables %s", ver, strings.Join(shown, ", "))
	}
	return storeKind{}, fmt.Errorf("store %s: %w (a SQLite file of another program: %s); nothing was changed: pass another --db", path, ErrForeign, what)
}

// migrate initialises an empty file or brings one of ours up to
// SchemaVersion, each step in its own transaction, then turns on WAL.
// quickCheckSummary is the first problem in a quick_check report, on one
// line, and how many more it lists: the report runs to a line per damaged
// page, and an error is one line.
func quickCheckSummary(res string) string {
	var probs []string
	for _, l := range strings.Split(res, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "*** in database") {
			probs = append(probs, l)
		}
	}
	switch len(probs) {
	case 0:
		return strings.Join(strings.Fields(res), " ")
	case 1:
		return probs[0]
	}
	return fmt.Sprintf("%s (and %d more problems)", probs[0], len(probs)-1)
}

func (s *SQLite) migrate() error {
	ctx := context.Background()
	k, err := identifyDB(ctx, s.w, s.path)
	if err != nil {
		return err
	}
	// quick_check reads the whole file: worth it before a migration and on
	// small files, too slow on every open of a large store (0.7 s at
	// 10,000 runs), where damage shows as an error of the read that meets it.
	if fi, err := os.Stat(s.path); k.version > 0 && (k.version < SchemaVersion || err == nil && fi.Size() <= quickCheckBelow) {
		var res string
		if err := s.w.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
			return err
		}
		if res != "ok" {
			return fmt.Errorf("database disk image is malformed: %s", quickCheckSummary(res))
		}
	}
	for next := k.version + 1; next <= SchemaVersion; next++ {
		if err := s.migrateTo(ctx, next); err != nil {
			return err
		}
	}
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
			return err
		}
	}
	return nil
}

func (s *SQLite) migrateTo(ctx context.Context, next int) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have changed the file while we waited for the
	// lock: look again under it.
	k, err := identify(ctx, tx, s.path)
	if err != nil {
		return err
	}
	if k.version >= next {
		return nil
	}
	if _, err := tx.ExecContext(ctx, migrations[next]); err != nil {
		return fmt.Errorf("migration %d: %v", next, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", next)); err != nil {
		return err
	}
	return tx.Commit()
}

func wrapOpen(path string, err error) error {
	var s SQLite
	s.path = path
	if errors.Is(err, ErrNewer) || errors.Is(err, ErrForeign) {
		return err
	}
	return s.wrap(err)
}

// Path returns the database file's path, or the PostgreSQL URL without
// its password.
func (s *SQLite) Path() string { return s.path }

// ReadOnly reports whether the store was opened for reading only.
func (s *SQLite) ReadOnly() bool { return s.readOnly }

// Close closes the store.
func (s *SQLite) Close() error {
	var err error
	if s.r != nil {
		err = s.r.Close()
	}
	if s.w != s.r {
		if e := s.w.Close(); e != nil {
			err = e
		}
	}
	return err
}
