package sessions

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver, for the test schemas
)

// PGTestEnv names the environment variable that gives the PostgreSQL
// server of the tests' PostgreSQL half: a URL whose role may create
// schemas. .ci/run starts a throwaway server and sets it.
const PGTestEnv = "WORKBENCH_TEST_PG"

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

// pgURL returns the test server's URL with search_path set to a new,
// empty schema that is dropped when the test ends; it skips the test when
// no server is configured.
func pgURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PGTestEnv)
	if base == "" && os.Getenv("WORKBENCH_REQUIRE_PG") != "" {
		t.Fatal("WORKBENCH_REQUIRE_PG is set but WORKBENCH_TEST_PG is not: the PostgreSQL tests must run")
	}
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://USER@HOST:PORT/DB to run them (.ci/run starts a server)", PGTestEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("wbtest_%d_%x", os.Getpid(), rand.Uint64())
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating a test schema on %s: %v", RedactURL(base), err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func pgStore(t testing.TB) *SQLite {
	t.Helper()
	s, err := Open(pgURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
