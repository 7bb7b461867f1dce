package sessions

import (
	"path/filepath"
	"testing"

	"workbench/sessions/pgtest"
)

// backend opens a fresh, empty store of one kind for a test.
type backend struct {
	name string
	open func(t testing.TB) *SQLite
}

// backends are every store kind: the shared suite runs each test on all.
var backends = []backend{
	{"sqlite", tempStore},
	{"postgres", pgStore},
}

// eachBackend runs f as a subtest once per store kind; f opens its
// stores with be.open.
func eachBackend(t *testing.T, f func(t *testing.T, be backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

func tempStore(t testing.TB) *SQLite {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pgURL is a fresh schema on the test server (see pgtest).
func pgURL(t testing.TB) string { return pgtest.URL(t) }

func pgStore(t testing.TB) *SQLite {
	t.Helper()
	s, err := Open(pgURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
