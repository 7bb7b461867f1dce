package sessions

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
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

// GetSetting returns the value of key. The settings table is part of the
// schema since version 5 (PostgreSQL 3); a read-only store of an older
// build without it has no settings.
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

// PutSetting sets key to value.
func (s *SQLite) PutSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return errors.New("sessions: empty setting key")
	}
	_, err := s.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, time.Now().Unix())
	return s.wrap(err)
}
