package models

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestNextLoanRef(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for want := int64(90000); want < 90003; want++ {
			got, err := s.NextLoanRef(ctx)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}

		// Concurrent writers in one process all get distinct refs and
		// none fails with a busy database.
		const workers, each = 8, 10
		var mu sync.Mutex
		seen := map[int64]bool{}
		errs := make(chan error, workers*each)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					ref, err := s.NextLoanRef(ctx)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					seen[ref] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.Len(t, seen, workers*each)
		for ref := range seen {
			require.GreaterOrEqual(t, ref, int64(90003))
			require.Less(t, ref, int64(90003+workers*each))
		}
	})
}

func TestMoneyRoundTripsExactly(t *testing.T) {
	cases := []struct{ name, value string }{
		{"four decimals", "1234.5678"},
		{"one cent", "0.01"},
		{"zero", "0"},
		{"large", "123456789012345678.1234"},
		{"many digits", "0.000000000000000001"},
		{"negative", "-42.5"},
	}
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "money")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l := newLoan(p.ID, "2000000000001", tc.value)
				l.TotalRepayable = dec(tc.value)
				l.Repaid = dec(tc.value)
				l.APR = dec(tc.value)
				require.NoError(t, s.CreateLoan(ctx, l))

				got, err := s.GetLoan(ctx, l.Ref)
				require.NoError(t, err)
				for _, v := range []decimal.Decimal{got.Amount, got.TotalRepayable, got.Repaid, got.APR} {
					require.True(t, v.Equal(dec(tc.value)), "got %s, want %s", v, tc.value)
					require.Equal(t, dec(tc.value).String(), v.String())
				}
				if s.Dialect() == DialectSQLite {
					var typ string
					require.NoError(t, s.DB.Raw("SELECT typeof(amount) FROM loans WHERE ref = ?", l.Ref).Row().Scan(&typ))
					require.Equal(t, "text", typ, "a decimal must never be stored as REAL")
				}
			})
		}
	})
}

func TestDatesRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "dates")
		created := time.Date(2026, time.February, 28, 23, 59, 58, 123456000, time.FixedZone("EET", 2*3600))

		l := newLoan(p.ID, "2000000000002", "5000")
		l.Applicant.BirthDate = date(1956, time.December, 31)
		l.CreatedAt = created
		first := date(2026, time.April, 1)
		l.FirstRepaymentDate = &first
		require.NoError(t, s.CreateLoan(ctx, l))

		got, err := s.GetLoan(ctx, l.Ref)
		require.NoError(t, err)
		require.True(t, got.Applicant.BirthDate.Equal(date(1956, time.December, 31)), "birth date %s", got.Applicant.BirthDate)
		require.Equal(t, "1956-12-31", got.Applicant.BirthDate.UTC().Format(time.DateOnly))
		require.True(t, got.CreatedAt.Equal(created), "created %s, want %s", got.CreatedAt, created)
		require.NotNil(t, got.FirstRepaymentDate)
		require.True(t, got.FirstRepaymentDate.Equal(first))
		require.Nil(t, got.DisbursedOn)
		require.Nil(t, got.ClosedOn)
		require.False(t, got.UpdatedAt.IsZero())

		// GORM's clock: microsecond precision, so it survives PostgreSQL.
		l2 := newLoan(p.ID, "2000000000002", "5000")
		before := time.Now().Add(-time.Second)
		require.NoError(t, s.CreateLoan(ctx, l2))
		got2, err := s.GetLoan(ctx, l2.Ref)
		require.NoError(t, err)
		require.True(t, got2.CreatedAt.Equal(l2.CreatedAt), "created %s, want %s", got2.CreatedAt, l2.CreatedAt)
		require.True(t, got2.CreatedAt.After(before))
	})
}

func TestCreateLoanConflicts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := createPartner(t, s, "partner-a")
		b := createPartner(t, s, "partner-b")

		l := newLoan(a.ID, "2000000000003", "1000")
		l.IdempotencyKey = "key-1"
		l.RequestHash = "hash-1"
		require.NoError(t, s.CreateLoan(ctx, l))
		require.Equal(t, int64(90000), l.Ref)

		dup := newLoan(a.ID, "2000000000003", "1000")
		dup.IdempotencyKey = "key-1"
		require.ErrorIs(t, s.CreateLoan(ctx, dup), ErrConflict)

		// The key is per partner.
		other := newLoan(b.ID, "2000000000003", "1000")
		other.IdempotencyKey = "key-1"
		require.NoError(t, s.CreateLoan(ctx, other))

		// Loans without a key are never in conflict.
		for range 2 {
			require.NoError(t, s.CreateLoan(ctx, newLoan(a.ID, "2000000000003", "1000")))
		}

		sameRef := newLoan(a.ID, "2000000000003", "1000")
		sameRef.Ref = l.Ref
		require.ErrorIs(t, s.CreateLoan(ctx, sameRef), ErrConflict)

		found, err := s.FindLoanByIdempotencyKey(ctx, a.ID, "key-1")
		require.NoError(t, err)
		require.Equal(t, l.Ref, found.Ref)
		require.Equal(t, "hash-1", found.RequestHash)
		found, err = s.FindLoanByIdempotencyKey(ctx, b.ID, "key-1")
		require.NoError(t, err)
		require.Equal(t, other.Ref, found.Ref)
		_, err = s.FindLoanByIdempotencyKey(ctx, a.ID, "key-2")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.FindLoanByIdempotencyKey(ctx, a.ID, "")
		require.ErrorIs(t, err, ErrNotFound)

		got, err := s.GetPartnerLoan(ctx, a.ID, l.Ref)
		require.NoError(t, err)
		require.Equal(t, "Ion Popescu", got.Applicant.FullName())
		_, err = s.GetPartnerLoan(ctx, b.ID, l.Ref)
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.GetLoan(ctx, 1)
		require.ErrorIs(t, err, ErrNotFound)
	})
}

func TestListLoans(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := createPartner(t, s, "list-a")
		b := createPartner(t, s, "list-b")
		t0 := time.Date(2026, time.January, 10, 9, 0, 0, 0, time.UTC)

		type spec struct {
			partner uint
			status  lending.Status
			product string
			amount  string
		}
		specs := []spec{ // created one hour apart, in this order
			{a.ID, lending.StatusSubmitted, "consumer", "1000"},
			{a.ID, lending.StatusApproved, "consumer", "2500.50"},
			{b.ID, lending.StatusSubmitted, "iute", "9999.99"},
			{a.ID, lending.StatusActive, "iute", "10000"},
			{b.ID, lending.StatusRejected, "consumer", "300"},
			{a.ID, lending.StatusSubmitted, "consumer", "45000"},
		}
		refs := make([]int64, len(specs))
		for i, sp := range specs {
			l := newLoan(sp.partner, "2000000000004", sp.amount)
			l.Status = sp.status
			l.ProductCode = sp.product
			l.CreatedAt = t0.Add(time.Duration(i) * time.Hour)
			if i%2 == 1 {
				// Same instant, another zone: must order and filter
				// by instant, not by its text.
				l.CreatedAt = l.CreatedAt.In(time.FixedZone("UTC+9", 9*3600))
			}
			require.NoError(t, s.CreateLoan(ctx, l))
			refs[i] = l.Ref
		}
		pick := func(idx ...int) []int64 {
			out := make([]int64, len(idx))
			for i, j := range idx {
				out[i] = refs[j]
			}
			return out
		}
		ptr := func(v uint) *uint { return &v }
		at := func(h int) *time.Time { v := t0.Add(time.Duration(h) * time.Hour); return &v }
		amt := func(v string) *decimal.Decimal { d := dec(v); return &d }

		cases := []struct {
			name   string
			filter LoanFilter
			want   []int64
			total  int64
		}{
			{"all newest first", LoanFilter{}, pick(5, 4, 3, 2, 1, 0), 6},
			{"oldest first", LoanFilter{OldestFirst: true}, pick(0, 1, 2, 3, 4, 5), 6},
			{"partner isolation", LoanFilter{PartnerID: ptr(b.ID)}, pick(4, 2), 2},
			{"statuses", LoanFilter{Statuses: []lending.Status{lending.StatusSubmitted, lending.StatusActive}}, pick(5, 3, 2, 0), 4},
			{"product", LoanFilter{ProductCode: "iute"}, pick(3, 2), 2},
			{"created from inclusive", LoanFilter{CreatedFrom: at(4)}, pick(5, 4), 2},
			{"created to exclusive", LoanFilter{CreatedTo: at(2)}, pick(1, 0), 2},
			{"created range in another zone", LoanFilter{
				CreatedFrom: ptrTime(t0.Add(time.Hour).In(time.FixedZone("X", -5*3600))),
				CreatedTo:   ptrTime(t0.Add(3 * time.Hour).In(time.FixedZone("Y", 9*3600))),
			}, pick(2, 1), 2},
			{"min amount inclusive, numeric not text", LoanFilter{MinAmount: amt("9999.99")}, pick(5, 3, 2), 3},
			{"max amount inclusive", LoanFilter{MaxAmount: amt("2500.50")}, pick(4, 1, 0), 3},
			{"amount range", LoanFilter{MinAmount: amt("1000"), MaxAmount: amt("10000.00")}, pick(3, 2, 1, 0), 4},
			{"combined", LoanFilter{PartnerID: ptr(a.ID), Statuses: []lending.Status{lending.StatusSubmitted}, ProductCode: "consumer"}, pick(5, 0), 2},
			{"first page", LoanFilter{Limit: 2}, pick(5, 4), 6},
			{"second page", LoanFilter{Limit: 2, Offset: 2}, pick(3, 2), 6},
			{"last page", LoanFilter{Limit: 4, Offset: 4}, pick(1, 0), 6},
			{"past the end", LoanFilter{Limit: 2, Offset: 10}, []int64{}, 6},
			{"offset without limit", LoanFilter{Offset: 5}, pick(0), 6},
			{"nothing matches", LoanFilter{ProductCode: "none"}, []int64{}, 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				loans, total, err := s.ListLoans(ctx, tc.filter)
				require.NoError(t, err)
				require.Equal(t, tc.total, total)
				got := make([]int64, len(loans))
				for i, l := range loans {
					got[i] = l.Ref
				}
				require.Equal(t, tc.want, got)
			})
		}
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestListLoansLimitBounds(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "bulk")
		loans := make([]Loan, MaxListLimit+5)
		for i := range loans {
			l := newLoan(p.ID, "2000000000005", "1000")
			l.Ref = int64(100000 + i)
			loans[i] = *l
		}
		require.NoError(t, s.DB.CreateInBatches(loans, 100).Error)

		got, total, err := s.ListLoans(ctx, LoanFilter{})
		require.NoError(t, err)
		require.Equal(t, int64(len(loans)), total)
		require.Len(t, got, DefaultListLimit)

		got, _, err = s.ListLoans(ctx, LoanFilter{Limit: 1000})
		require.NoError(t, err)
		require.Len(t, got, MaxListLimit)
	})
}

func TestCountOpenLoans(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "count")
		const idn = "2000000000006"
		byStatus := map[lending.Status]int64{}
		for _, st := range []lending.Status{
			lending.StatusSubmitted, lending.StatusAutoRejected, lending.StatusApproved, lending.StatusRejected, lending.StatusCancelled,
			lending.StatusExpired, lending.StatusDocumentsSubmitted, lending.StatusCashReleaseAuthorized, lending.StatusActive,
			lending.StatusInArrears, lending.StatusOverpaid, lending.StatusClosed, lending.StatusWrittenOff,
		} {
			l := newLoan(p.ID, idn, "1000")
			l.Status = st
			require.NoError(t, s.CreateLoan(ctx, l))
			byStatus[st] = l.Ref
		}
		otherProduct := newLoan(p.ID, idn, "1000")
		otherProduct.ProductCode = "iute"
		require.NoError(t, s.CreateLoan(ctx, otherProduct))
		require.NoError(t, s.CreateLoan(ctx, newLoan(p.ID, "2000000000007", "1000")))

		cases := []struct {
			name, identity, product string
			exclude                 int64
			want                    int64
		}{
			// SUBMITTED, APPROVED, DOCUMENTS_SUBMITTED, CASH_RELEASE_AUTHORIZED, ACTIVE, IN_ARREARS,
			// OVERPAID (until refunded) and WRITTEN_OFF (a debt still owed)
			{"open loans of the product", idn, "consumer", 0, 8},
			{"excluding one", idn, "consumer", byStatus[lending.StatusSubmitted], 7},
			{"excluding a closed one changes nothing", idn, "consumer", byStatus[lending.StatusClosed], 8},
			{"any product", idn, "", 0, 9},
			{"other product", idn, "iute", 0, 1},
			{"other applicant", "2000000000007", "consumer", 0, 1},
			{"unknown applicant", "nobody", "consumer", 0, 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				n, err := s.CountOpenLoans(ctx, tc.identity, tc.product, tc.exclude)
				require.NoError(t, err)
				require.Equal(t, tc.want, n)
			})
		}
		for st := range byStatus {
			require.Equal(t, st != lending.StatusAutoRejected && st != lending.StatusRejected && st != lending.StatusCancelled &&
				st != lending.StatusExpired && st != lending.StatusClosed, !st.Terminal(), st)
		}
	})
}
