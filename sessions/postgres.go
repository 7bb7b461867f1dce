package sessions

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsPostgresURL reports whether db names a PostgreSQL store
// (postgres://… or postgresql://…) rather than a SQLite file.
func IsPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// redacted replaces a URL's password.
const redacted = "xxxxx"

// RedactURL returns db with its password, in the user part or in a
// password= parameter, replaced by xxxxx; anything that is not a
// PostgreSQL URL is returned as it is. Every message that names a store
// goes through it.
func RedactURL(db string) string {
	if !IsPostgresURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		// Unparseable: keep the scheme and host part only.
		scheme, rest, _ := strings.Cut(db, "://")
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = rest[at+1:]
		}
		return scheme + "://" + redacted + "@" + rest
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), redacted)
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", redacted)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// secretError hides a password that an error's text may carry.
type secretError struct {
	err    error
	secret string
}

func (e secretError) Error() string {
	msg := e.err.Error()
	if e.secret != "" {
		msg = strings.ReplaceAll(msg, e.secret, redacted)
	}
	return msg
}

func (e secretError) Unwrap() error { return e.err }

// hideSecret wraps err so that its text never shows secret.
// oneLine joins the lines of a message with "; ": pgx lists each address
// it tried on a line of its own, and an error is one line.
func oneLine(msg string) string {
	var parts []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, strings.TrimSuffix(l, ":"))
		}
	}
	return strings.Join(parts, "; ")
}

func hideSecret(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	return secretError{err, secret}
}

// pgConnectTimeout bounds reaching the server when the URL sets no
// connect_timeout.
const pgConnectTimeout = 10 * time.Second

// pgLockID serialises migrations of one database (pg_advisory_xact_lock):
// "WBst", as SQLite's application ID.
const pgLockID = ApplicationID

// openPostgres opens (creating its tables if needed) the store in the
// PostgreSQL database that rawURL names. libpq parameters in the URL
// (sslmode, search_path, application_name …) pass through to the server.
func openPostgres(rawURL string, cfg openConfig) (*SQLite, error) {
	shown := RedactURL(rawURL)
	conf, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", shown, hideSecret(err, urlSecret(rawURL)))
	}
	secret := conf.Password
	if conf.ConnectTimeout == 0 {
		conf.ConnectTimeout = pgConnectTimeout
	}
	if conf.RuntimeParams == nil {
		conf.RuntimeParams = map[string]string{}
	}
	if _, ok := conf.RuntimeParams["application_name"]; !ok {
		conf.RuntimeParams["application_name"] = "workbench"
	}
	if cfg.readOnly {
		conf.RuntimeParams["default_transaction_read_only"] = "on"
	}
	db := sql.OpenDB(pgConnector{stdlib.GetConnector(*conf)})
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	s := &SQLite{path: shown, w: db, r: db, readOnly: cfg.readOnly, pg: true, pgConf: conf, secret: secret,
		pid: os.Getpid(), live: map[string]Metrics{}}
	s.host, _ = os.Hostname()
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: cannot reach %s: %s", shown, pgHost(conf), oneLine(hideSecret(err, secret).Error()))
	}
	if cfg.readOnly {
		v, err := identifyPG(ctx, db, shown)
		if err == nil && v < PGSchemaVersion {
			err = fmt.Errorf("store %s: schema %d needs an upgrade to %d, which a read-only open cannot do; open it once with write access", shown, v, PGSchemaVersion)
		}
		if err != nil {
			db.Close()
			return nil, s.wrapOpen(err)
		}
	} else if err := s.migratePG(ctx); err != nil {
		db.Close()
		return nil, s.wrapOpen(err)
	}
	if err := s.prepare(); err != nil {
		db.Close()
		return nil, err
	}
	if !cfg.readOnly {
		if err := s.markInterrupted(ctx); err != nil {
			s.Close()
			return nil, s.wrap(err)
		}
	}
	return s, nil
}

// urlSecret is the password in a URL that pgx could not parse, if any.
func urlSecret(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if p, ok := u.User.Password(); ok {
			return p
		}
		return u.Query().Get("password")
	}
	return ""
}

// pgHost names the server of conf for messages: host:port.
func pgHost(conf *pgx.ConnConfig) string {
	if strings.HasPrefix(conf.Host, "/") {
		return conf.Host // a Unix socket directory
	}
	return net.JoinHostPort(conf.Host, strconv.Itoa(int(conf.Port)))
}

func (s *SQLite) wrapOpen(err error) error {
	if errors.Is(err, ErrNewer) || errors.Is(err, ErrForeign) || strings.HasPrefix(err.Error(), "store ") {
		return hideSecret(err, s.secret)
	}
	return s.wrap(err)
}

// identifyPG returns the schema version of the store in db's search path:
// 0 for none yet. A database whose runs table is not ours, and a store
// written by a newer workbench, are refused.
func identifyPG(ctx context.Context, db querier, shown string) (int, error) {
	var ours, runs bool
	if err := db.QueryRowContext(ctx,
		"SELECT to_regclass('workbench_schema') IS NOT NULL, to_regclass('runs') IS NOT NULL").Scan(&ours, &runs); err != nil {
		return 0, err
	}
	switch {
	case !ours && runs:
		return 0, fmt.Errorf("store %s: %w (a runs table without workbench_schema); nothing was changed: pass another database or set search_path", shown, ErrForeign)
	case !ours:
		return 0, nil
	}
	var v int
	if err := db.QueryRowContext(ctx, "SELECT version FROM workbench_schema").Scan(&v); err != nil {
		return 0, err
	}
	if v > PGSchemaVersion {
		return 0, fmt.Errorf("store %s: %w (schema %d; this build reads up to %d); nothing was changed: upgrade workbench", shown, ErrNewer, v, PGSchemaVersion)
	}
	return v, nil
}

// migratePG brings the store up to PGSchemaVersion, each step in its own
// transaction under an advisory lock, so that workers starting together
// migrate once.
func (s *SQLite) migratePG(ctx context.Context) error {
	v, err := identifyPG(ctx, s.w, s.path)
	if err != nil {
		return err
	}
	for next := v + 1; next <= PGSchemaVersion; next++ {
		if err := s.migratePGTo(ctx, next); err != nil {
			return err
		}
	}
	return nil
}

func (s *SQLite) migratePGTo(ctx context.Context, next int) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", pgLockID)); err != nil {
		return err
	}
	v, err := identifyPG(ctx, tx, s.path)
	if err != nil {
		return err
	}
	if v >= next {
		return nil
	}
	if _, err := tx.ExecContext(ctx, pgMigrations[next]); err != nil {
		return fmt.Errorf("migration %d: %v", next, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE workbench_schema SET version = %d", next)); err != nil {
		return err
	}
	return tx.Commit()
}

// PostgreSQL error codes (SQLSTATE) the store tells apart.
const (
	pgUniqueViolation  = "23505"
	pgReadOnlyTx       = "25006"
	pgDiskFull         = "53100"
	pgInsufficientPriv = "42501"
)

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isUnique reports a unique-constraint violation on either backend.
func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE") || pgCode(err) == pgUniqueViolation)
}

// isConnLost reports an error of the connection rather than of the
// statement: the server is unreachable or went away.
func isConnLost(err error) bool {
	if err == nil {
		return false
	}
	var oe *net.OpError
	var ce *pgconn.ConnectError
	return errors.As(err, &oe) || errors.As(err, &ce) || pgconn.SafeToRetry(err) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn)
}

// RedactError hides the password of the store rawURL names from err's
// text, for messages of the packages that open their own connections.
func RedactError(err error, rawURL string) error {
	if conf, perr := pgx.ParseConfig(rawURL); perr == nil && conf.Password != "" {
		return hideSecret(err, conf.Password)
	}
	return hideSecret(err, urlSecret(rawURL))
}
