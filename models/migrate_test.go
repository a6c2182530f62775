package models

import (
	"context"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func migrationVersions(t *testing.T, dialect string) []int64 {
	t.Helper()
	ms, err := Migrations(dialect)
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.Version
	}
	return out
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	require.Equal(t, migrationVersions(t, DialectPostgres), migrationVersions(t, DialectSQLite))
	_, err := Migrations("mysql")
	require.Error(t, err)
}

func TestMigrateTwiceIsNoOp(t *testing.T) {
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		require.NoError(t, s.Migrate(ctx))
		first, err := s.AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Equal(t, migrationVersions(t, s.Dialect()), first)

		require.NoError(t, s.Migrate(ctx))
		second, err := s.AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Equal(t, first, second)

		// A second process opening the same database migrates nothing.
		other := openStore(t, dsn)
		require.NoError(t, other.Migrate(ctx))
		third, err := other.AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Equal(t, first, third)
	})
}

func TestMigrateConcurrently(t *testing.T) {
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		const n = 4
		stores := make([]*Store, n)
		for i := range stores {
			stores[i] = openStore(t, dsn)
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Migrate(ctx)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		applied, err := stores[0].AppliedMigrations(ctx)
		require.NoError(t, err)
		require.Equal(t, migrationVersions(t, stores[0].Dialect()), applied)
		ref, err := stores[1].NextLoanRef(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(90000), ref)
	})
}

// TestSchemaMatchesModels checks that every struct field has its column
// and every column its field, so GORM reads and writes the whole row.
func TestSchemaMatchesModels(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		for _, model := range []any{&Partner{}, &Staff{}, &Product{}, &Loan{}, &Installment{}, &Transaction{}, &Document{}, &AuditEvent{},
			&ReconciliationFinding{}, &ConsoleSession{}, &ConsoleEvent{}, &ExternalLoan{}, &ExternalLoanEvent{}, &SignInAttempt{}} {
			stmt := s.DB.Model(model).Statement
			require.NoError(t, stmt.Parse(model))
			sch := stmt.Schema
			fields := append([]string(nil), sch.DBNames...)
			rows, err := s.DB.Raw("SELECT * FROM " + sch.Table + " WHERE 1 = 0").Rows()
			require.NoError(t, err)
			cols, err := rows.Columns()
			require.NoError(t, err)
			require.NoError(t, rows.Close())
			sort.Strings(fields)
			sort.Strings(cols)
			require.Equal(t, fields, cols, "table %s", sch.Table)
		}
	})
}

func TestPendingMigrations(t *testing.T) {
	forEachDSN(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		ctx := context.Background()
		all, err := Migrations(s.Dialect())
		require.NoError(t, err)
		pending, err := s.PendingMigrations(ctx)
		require.NoError(t, err)
		require.Equal(t, all, pending, "a database never migrated lacks every migration")

		require.NoError(t, s.Migrate(ctx))
		pending, err = s.PendingMigrations(ctx)
		require.NoError(t, err)
		require.Empty(t, pending)
	})
}
