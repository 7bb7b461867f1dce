package sessions

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Settings keeps small named values beside the runs, such as the spec
// Setup last trained, so the app can restore them on its next launch.
// *SQLite implements it; a Store need not.
type Settings interface {
	// GetSetting returns the value of key, with ok false when none was put.
	GetSetting(ctx context.Context, key string) (value string, ok bool, err error)
	// PutSetting sets key to value, replacing any earlier value.
	PutSetting(ctx context.Context, key, value string) error
}

var _ Settings = (*SQLite)(nil)

// sqlSettings creates the settings table. It is its own migration, run
// when a value is first put rather than at open, so a store that has
// never put a setting stays as it was, and a store opened by an older
// workbench (which ignores the table) keeps working.
const sqlSettings = `CREATE TABLE IF NOT EXISTS settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) WITHOUT ROWID`

// GetSetting returns the value of key; a store without the settings
// table has no settings.
func (s *SQLite) GetSetting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil && strings.Contains(err.Error(), "no such table"):
		return "", false, nil
	case err != nil:
		return "", false, s.wrap(err)
	}
	return v, true, nil
}

// PutSetting sets key to value, creating the settings table if needed.
func (s *SQLite) PutSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return errors.New("sessions: empty setting key")
	}
	if _, err := s.w.ExecContext(ctx, sqlSettings); err != nil {
		return s.wrap(err)
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = unixepoch()`, key, value)
	return s.wrap(err)
}
