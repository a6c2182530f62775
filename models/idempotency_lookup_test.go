package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/loanflow/loanflow/internal/testkit/testdb"
)

// captureQueries records the SQL and arguments of the SELECTs s runs, as the
// driver receives them, so a test can ask the database how it plans the
// very statement the store sends.
func captureQueries(t testing.TB, s *Store) func() (sql string, vars []any) {
	t.Helper()
	var sql string
	var vars []any
	name := "test:capture-" + strings.ReplaceAll(t.Name(), "/", "-")
	require.NoError(t, s.DB.Callback().Query().After("gorm:query").Register(name, func(db *gorm.DB) {
		sql, vars = db.Statement.SQL.String(), append([]any(nil), db.Statement.Vars...)
	}))
	t.Cleanup(func() { _ = s.DB.Callback().Query().Remove(name) })
	return func() (string, []any) { return sql, vars }
}

// queryPlan is how the database plans sql: SQLite's EXPLAIN QUERY PLAN
// details, or PostgreSQL's generic plan, the one a prepared statement ends
// up with after a few executions, where the planner cannot look at the
// arguments and so cannot prove from idempotency_key = $2 alone that the
// key is not empty. Sequential scans are disabled there, so that on a
// small table the plan still shows which index the statement can use.
func queryPlan(t *testing.T, s *Store, sql string, vars []any) string {
	t.Helper()
	var lines []string
	if s.Dialect() == DialectSQLite {
		rows, err := s.DB.Raw("EXPLAIN QUERY PLAN "+sql, vars...).Rows()
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var id, parent, notUsed int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &notUsed, &detail))
			lines = append(lines, detail)
		}
		require.NoError(t, rows.Err())
		return strings.Join(lines, "\n")
	}
	err := s.DB.Transaction(func(tx *gorm.DB) error {
		for _, stmt := range []string{
			"SET LOCAL plan_cache_mode = force_generic_plan",
			"SET LOCAL enable_seqscan = off",
			"PREPARE lookup_plan AS " + sql,
		} {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		defer tx.Exec("DEALLOCATE lookup_plan")
		args := make([]string, len(vars))
		for i, v := range vars {
			args[i] = fmt.Sprintf("'%v'", v) // test values: numbers and plain keys
		}
		return tx.Raw("EXPLAIN EXECUTE lookup_plan(" + strings.Join(args, ", ") + ")").Scan(&lines).Error
	})
	require.NoError(t, err)
	return strings.Join(lines, "\n")
}

// TestIdempotencyLookupUsesItsIndex: the look-up every POST /v1/loans makes
// finds the key through the partial unique index on both dialects, rather
// than walking the partner's loans (3.3 ms a look-up at 5,542 loans on
// SQLite when it did).
func TestIdempotencyLookupUsesItsIndex(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "plan")
		l := newLoan(p.ID, "2000000000001", "1000")
		l.IdempotencyKey = "key-1"
		require.NoError(t, s.CreateLoan(ctx, l))
		captured := captureQueries(t, s)

		got, err := s.FindLoanByIdempotencyKey(ctx, p.ID, "key-1")
		require.NoError(t, err)
		require.Equal(t, l.Ref, got.Ref)
		sql, vars := captured()
		require.Contains(t, sql, "idempotency_key")
		require.Contains(t, queryPlan(t, s, sql, vars), "ux_loans_partner_idempotency_key", "the plan of %s", sql)
	})
}

// BenchmarkIdempotencyLookup is the submission's idempotency-key look-up on
// a store holding one loan and on one holding 10,000 more of the same
// partner, interleaved in one run so both see the same machine; each
// iteration looks up a key that exists and one that does not (a new
// submission). x-empty-throughput is the loaded store's look-ups/s as a
// share of the near-empty one's: issue 13 asks at least 0.8 of the whole
// submission, so the look-up must stay near 1. On PostgreSQL when
// LOANFLOW_TEST_POSTGRES_DSN is set.
func BenchmarkIdempotencyLookup(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			open := func(extra int) (*Store, uint) {
				s, err := Open(testdb.DSN(b, dialect))
				require.NoError(b, err)
				b.Cleanup(func() { _ = s.Close() })
				require.NoError(b, s.Migrate(ctx))
				p := createPartner(b, s, "bench")
				loans := make([]*Loan, 0, extra+1)
				for i := range extra + 1 {
					l := newLoan(p.ID, fmt.Sprintf("2%012d", i), "1000")
					l.Ref = int64(90000 + i)
					l.IdempotencyKey = fmt.Sprintf("key-%d", i)
					l.CreatedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
					l.UpdatedAt = l.CreatedAt
					loans = append(loans, l)
				}
				require.NoError(b, s.DB.CreateInBatches(loans, 500).Error)
				if dialect == DialectPostgres {
					require.NoError(b, s.DB.Exec("ANALYZE loans").Error)
				}
				return s, p.ID
			}
			empty, emptyPartner := open(0)
			loaded, loadedPartner := open(10000)
			lookup := func(s *Store, partner uint) {
				if _, err := s.FindLoanByIdempotencyKey(ctx, partner, "key-0"); err != nil {
					b.Fatal(err)
				}
				if _, err := s.FindLoanByIdempotencyKey(ctx, partner, "new-key"); !errors.Is(err, ErrNotFound) {
					b.Fatalf("a new key: %v", err)
				}
			}
			var onEmpty, onLoaded time.Duration
			for b.Loop() {
				start := time.Now()
				lookup(empty, emptyPartner)
				mid := time.Now()
				lookup(loaded, loadedPartner)
				onEmpty += mid.Sub(start)
				onLoaded += time.Since(mid)
			}
			b.ReportMetric(float64(onEmpty)/float64(onLoaded), "x-empty-throughput")
			b.ReportMetric(float64(onLoaded.Nanoseconds())/float64(2*b.N), "loaded-ns/lookup")
			b.ReportMetric(float64(onEmpty.Nanoseconds())/float64(2*b.N), "empty-ns/lookup")
		})
	}
}
