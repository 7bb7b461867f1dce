package sessions

import (
	"context"
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
)

// The store's SQL is written once, in SQLite's dialect with ? placeholders.
// On PostgreSQL a thin database/sql driver rewrites each statement before
// pgx sees it: the few SQLite-only fragments become their PostgreSQL
// equivalents, then ? becomes $1, $2 … The shared store test suite runs
// every statement on both backends, so a new fragment that needs
// rewriting shows up there.

// pgRewrites are SQLite fragments and what they are on PostgreSQL.
var pgRewrites = strings.NewReplacer(
	// A run's tags are a JSON array in a TEXT column.
	"EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)",
	"EXISTS (SELECT 1 FROM json_array_elements_text(runs.tags::json) AS je(value) WHERE je.value = ?)",
	"instr(", "strpos(",
	// SQLite's two-argument max is a scalar.
	"max(created_at, ", "GREATEST(created_at, ",
)

// toPostgres rewrites one statement of the store for PostgreSQL.
func toPostgres(query string) string {
	query = pgRewrites.Replace(query)
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// pgConnector hands database/sql connections that rewrite statements.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn is pgx's connection with every statement rewritten; the other
// methods (transactions, session reset, value checks) are pgx's own.
type pgConn struct{ *stdlib.Conn }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(toPostgres(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, toPostgres(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, toPostgres(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, toPostgres(query), args)
}
