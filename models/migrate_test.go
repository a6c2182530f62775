package models

import (
	"context"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/schedule"
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

// A product written before products had schedule settings keeps quoting the
// monthly declining-balance annuity it quoted.
func TestProductScheduleMigrationKeepsExistingTerms(t *testing.T) {
	forEachDSN(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		ctx := context.Background()
		all, err := Migrations(s.Dialect())
		require.NoError(t, err)
		before := slices.IndexFunc(all, func(m Migration) bool { return m.Name == "product_schedule" })
		require.Positive(t, before)
		for {
			done, err := s.migrateStep(ctx, all[:before])
			require.NoError(t, err)
			if done {
				break
			}
		}
		require.NoError(t, s.DB.Exec(`INSERT INTO products (code, name, currency, currency_decimals, min_amount, max_amount,
			min_term_months, max_term_months, annual_interest_rate, disbursement_fee_percent, monthly_fee_percent, min_age,
			max_age_at_maturity, max_open_loans, cash_release_window_days, four_eyes_threshold, ledger, lender, active, created_at)
			VALUES ('old', 'Old', 'MDL', 2, '1000', '50000', 3, 36, '36', '0', '0', 18, 70, 2, 30, '0', 'none', 'self', ?, ?)`,
			true, time.Now().UTC()).Error)

		require.NoError(t, s.Migrate(ctx))
		p, err := s.GetProduct(ctx, "old")
		require.NoError(t, err)
		require.Equal(t, lending.Schedule{
			InterestMethod: schedule.InterestDecliningBalance, Amortization: schedule.AmortizationEqualInstallments,
			InterestCalculationPeriod: schedule.InterestPeriodSameAsRepayment, DaysInYear: schedule.DaysActual,
			DaysInMonth: schedule.DaysActual, RepaymentEvery: 1, RoundingMode: schedule.RoundHalfEven, Engine: schedule.EngineCumulative,
		}, p.Schedule)
		amount, on := decimal.NewFromInt(10000), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
		unset := p.Snapshot()
		unset.Schedule = lending.Schedule{}
		require.Equal(t, unset.Terms(amount, 12, on), p.Snapshot().Terms(amount, 12, on))
		require.True(t, p.Snapshot().TermAllowed(7))
	})
}
