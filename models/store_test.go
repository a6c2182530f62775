package models

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/loanflow/loanflow/internal/testkit/testdb"
	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
)

// forEachDialect runs fn against a freshly migrated store on SQLite and,
// when LOANFLOW_TEST_POSTGRES_DSN is set, on PostgreSQL.
func forEachDialect(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	for _, dialect := range []string{DialectSQLite, DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			fn(t, openMigrated(t, newDSN(t, dialect)))
		})
	}
}

// forEachDSN is forEachDialect for tests that open stores themselves.
func forEachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, dialect := range []string{DialectSQLite, DialectPostgres} {
		t.Run(dialect, func(t *testing.T) { fn(t, newDSN(t, dialect)) })
	}
}

// newDSN returns an empty database of the dialect.
func newDSN(t *testing.T, dialect string) string {
	t.Helper()
	return testdb.DSN(t, dialect)
}

func openStore(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openMigrated(t *testing.T, dsn string) *Store {
	t.Helper()
	s := openStore(t, dsn)
	require.NoError(t, s.Migrate(context.Background()))
	return s
}

func createPartner(t testing.TB, s *Store, username string) *Partner {
	t.Helper()
	p := &Partner{
		Username: username, Name: "Partner " + username, PartnerType: "post",
		PasswordHash: "x", DefaultProductCode: "consumer", Active: true,
	}
	require.NoError(t, s.UpsertPartner(context.Background(), p))
	require.NotZero(t, p.ID)
	return p
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// keys lists the key of each row of a listing, in order.
func keys[T, K any](rows []T, key func(T) K) []K {
	out := make([]K, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}

// createLoan stores a new SUBMITTED loan of p (see newLoan).
func createLoan(t *testing.T, s *Store, p *Partner, identity, amount string) *Loan {
	t.Helper()
	l := newLoan(p.ID, identity, amount)
	require.NoError(t, s.CreateLoan(context.Background(), l))
	return l
}

// newLoan is a SUBMITTED loan of partnerID with every money field set.
func newLoan(partnerID uint, identity string, amount string) *Loan {
	return &Loan{
		PartnerID:          partnerID,
		ProductCode:        "consumer",
		Status:             lending.StatusSubmitted,
		Currency:           "MDL",
		Amount:             dec(amount),
		TermMonths:         12,
		AnnualInterestRate: dec("36"),
		InstallmentAmount:  decimal.Zero,
		TotalRepayable:     decimal.Zero,
		Repaid:             decimal.Zero,
		APR:                decimal.Zero,
		Applicant: Applicant{
			IdentityNumber: identity,
			FirstName:      "Ion",
			LastName:       "Popescu",
			BirthDate:      date(1985, time.March, 14),
			MobilePhone:    "+37369000000",
		},
		SubmittedBy: "cashier-1",
		Office:      "Chisinau-1",
	}
}

func TestOpen(t *testing.T) {
	t.Run("sqlite creates the parent directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a", "b", "loanflow.db")
		s := openStore(t, path)
		require.Equal(t, DialectSQLite, s.Dialect())
		require.NoError(t, s.Ping(context.Background()))
		_, err := os.Stat(filepath.Dir(path))
		require.NoError(t, err)

		var mode string
		require.NoError(t, s.DB.Raw("PRAGMA journal_mode").Row().Scan(&mode))
		require.Equal(t, "wal", mode)
		var fk int
		require.NoError(t, s.DB.Raw("PRAGMA foreign_keys").Row().Scan(&fk))
		require.Equal(t, 1, fk)
		var timeout int
		require.NoError(t, s.DB.Raw("PRAGMA busy_timeout").Row().Scan(&timeout))
		require.Equal(t, 10000, timeout)
	})
	t.Run("sqlite rejects a path with a query", func(t *testing.T) {
		_, err := Open(filepath.Join(t.TempDir(), "x.db?mode=ro"))
		require.Error(t, err)
	})
	t.Run("sqlite in memory", func(t *testing.T) {
		s := openMigrated(t, ":memory:")
		ref, err := s.NextLoanRef(context.Background())
		require.NoError(t, err)
		require.Equal(t, int64(90000), ref)
	})
	t.Run("postgres", func(t *testing.T) {
		s := openStore(t, newDSN(t, DialectPostgres))
		require.Equal(t, DialectPostgres, s.Dialect())
		require.NoError(t, s.Ping(context.Background()))
	})
}

// TestSQLiteReadThenWriteTransactions: transactions that read before they
// write, run side by side, must queue on the busy timeout rather than fail
// with SQLITE_BUSY when one's read snapshot goes stale under the other's
// write.
func TestSQLiteReadThenWriteTransactions(t *testing.T) {
	s := openMigrated(t, newDSN(t, DialectSQLite))
	const workers, each = 8, 25
	errs := make(chan error, workers*each)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				errs <- s.DB.Transaction(func(tx *gorm.DB) error {
					var n int64
					if err := tx.Model(&Partner{}).Count(&n).Error; err != nil {
						return err
					}
					return tx.Create(&Partner{Username: fmt.Sprintf("p%d-%d-%d", i, j, n), Name: "x", PartnerType: "post", PasswordHash: "x", DefaultProductCode: "consumer"}).Error
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	partners, err := s.ListPartners(context.Background())
	require.NoError(t, err)
	require.Len(t, partners, workers*each)
}
