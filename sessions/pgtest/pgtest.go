// Package pgtest gives tests a fresh PostgreSQL store location: the server
// named by WORKBENCH_TEST_PG, with search_path set to a new schema that is
// dropped when the test ends. Without a server the test is skipped with a
// message saying how to run it, or fails when WORKBENCH_REQUIRE_PG is set
// (as in CI), so that the PostgreSQL half of the suite cannot silently
// vanish. It is for tests only and safe for concurrent use.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver
)

// Env names the variable that gives the test server: a URL whose role
// may create schemas. .ci/run starts a throwaway server and sets it.
const Env = "WORKBENCH_TEST_PG"

// RequireEnv, when set, turns a missing server into a failure.
const RequireEnv = "WORKBENCH_REQUIRE_PG"

// URL returns the test server's URL with search_path set to a new, empty
// schema that is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("%s is set but %s is not: the PostgreSQL tests must run", RequireEnv, Env)
		}
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://USER@HOST:PORT/DB to run them (.ci/run starts a server)", Env)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: not a URL", Env)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("wbtest_%d_%x", os.Getpid(), rand.Uint64())
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating a test schema on %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
