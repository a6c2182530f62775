// Package testdb gives a test an empty database of either dialect: an SQLite
// file, or a PostgreSQL schema when LOANFLOW_TEST_POSTGRES_DSN is set. It
// imports nothing of loanflow, so the models package's own tests use it too.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
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
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set; skipping PostgreSQL")
	}
	var b [6]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	schema := "lf_test_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = admin.Close()
	})

	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
