// Package testdb gives a test an empty database of either dialect: an SQLite
// file, or a PostgreSQL schema (or a whole database) when
// LOANFLOW_TEST_POSTGRES_DSN is set. It imports nothing of loanflow, so the
// models package's own tests use it too.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/stretchr/testify/require"
)

// PostgresEnv names the variable holding the PostgreSQL server tests use.
const PostgresEnv = "LOANFLOW_TEST_POSTGRES_DSN"

// Dialects are the database kinds loanflow runs on, as models names them.
var Dialects = []string{"sqlite", "postgres"}

// DSN returns the address of an empty database: an SQLite file in a temp
// dir, or a new PostgreSQL schema (dropped when the test ends) selected by
// search_path. Without LOANFLOW_TEST_POSTGRES_DSN the PostgreSQL case skips,
// saying why.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "loanflow.db")
	}
	return created(t, "CREATE SCHEMA %s", "DROP SCHEMA %s CASCADE", func(u *url.URL, schema string) {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
	})
}

// PostgresDatabase returns the address of a new, empty PostgreSQL database
// on the LOANFLOW_TEST_POSTGRES_DSN server, for what needs a database of its
// own rather than a schema (a Temporal server); it is dropped when the test
// ends, connections still open to it or not. Without the variable the test
// skips, saying why.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	return created(t, "CREATE DATABASE %s", "DROP DATABASE IF EXISTS %s WITH (FORCE)", func(u *url.URL, name string) {
		u.Path = "/" + name
	})
}

// created makes a uniquely named schema or database on the
// LOANFLOW_TEST_POSTGRES_DSN server with create, drops it with drop when
// the test ends, and answers the server's address pointed at it by point.
// Without the variable the test skips, saying why.
func created(t testing.TB, create, drop string, point func(u *url.URL, name string)) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set; skipping PostgreSQL")
	}
	var b [6]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	name := "lf_test_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	_, err = admin.Exec(fmt.Sprintf(create, name))
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.Exec(fmt.Sprintf(drop, name))
		_ = admin.Close()
	})

	u, err := url.Parse(base)
	require.NoError(t, err)
	point(u, name)
	return u.String()
}
