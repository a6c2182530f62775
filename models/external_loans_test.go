package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// feedT0 is when the test feed's loans were issued.
var feedT0 = time.Date(2025, 1, 10, 8, 0, 0, 0, time.UTC)

// feedLoan is one loan as an import maps it from the WebMoney feed.
func feedLoan(id string, issued time.Time, state int, name string) ExternalLoan {
	return ExternalLoan{
		ExternalID: id, LenderID: "000000000001", BorrowerID: "123456789012",
		SourceAccount: "Z000000000001", DestinationAccount: "Z123456789012", RepaymentAccount: "Z123456789012",
		TransferID: "9000" + id, ContractID: "C-" + id,
		Amount: dec("100.00"), AmountToRepay: dec("110.50"), AmountOutstanding: dec("110.50"),
		IssuedAt: issued, DueAt: issued.AddDate(0, 0, 30), ReturnPeriod: 30,
		State: state, StateName: name, StateChangedAt: issued,
	}
}

func TestUpsertExternalLoansIsIdempotentAndRecordsStateChanges(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		import1 := feedT0.Add(time.Hour)
		a := feedLoan("1", feedT0, 0, "planned")
		b := feedLoan("2", feedT0.Add(time.Minute), 1, "taken")

		created, changed, err := s.UpsertExternalLoans(ctx, "webmoney", []ExternalLoan{a, b}, import1)
		require.NoError(t, err)
		require.Equal(t, [2]int{2, 0}, [2]int{created, changed})

		got, err := s.GetExternalLoan(ctx, "webmoney", "1")
		require.NoError(t, err)
		require.Equal(t, "webmoney", got.Source)
		require.Equal(t, "110.50", got.AmountToRepay.StringFixed(2))
		require.True(t, got.AmountOutstanding.Equal(dec("110.5")))
		require.True(t, got.IssuedAt.Equal(feedT0), "issued %s", got.IssuedAt)
		require.True(t, got.DueAt.Equal(feedT0.AddDate(0, 0, 30)))
		require.Equal(t, "Z000000000001", got.SourceAccount)
		require.Equal(t, "C-1", got.ContractID)
		require.Equal(t, 0, got.State)
		require.True(t, got.FirstSeenAt.Equal(import1))
		require.True(t, got.UpdatedAt.Equal(import1))

		// The same feed again, amounts written at another scale and times
		// in another zone: nothing is different, so nothing is written.
		same := []ExternalLoan{a, b}
		same[0].Amount = dec("100")
		same[1].IssuedAt = b.IssuedAt.In(time.FixedZone("MSK", 3*3600))
		import2 := import1.Add(time.Hour)
		created, changed, err = s.UpsertExternalLoans(ctx, "webmoney", same, import2)
		require.NoError(t, err)
		require.Equal(t, [2]int{0, 0}, [2]int{created, changed})
		got, err = s.GetExternalLoan(ctx, "webmoney", "1")
		require.NoError(t, err)
		require.True(t, got.UpdatedAt.Equal(import1), "an identical import must not touch the row")
		requireEvents(t, s, "1")
		requireEvents(t, s, "2")

		// Loan 1 is taken (0 -> 1); loan 2 is partly repaid, same state.
		a.State, a.StateName, a.StateChangedAt = 1, "taken", feedT0.Add(90*time.Minute)
		b.AmountOutstanding = dec("50.25")
		import3 := import2.Add(time.Hour)
		for run := range 2 { // the second run is the overlapping next window
			created, changed, err = s.UpsertExternalLoans(ctx, "webmoney", []ExternalLoan{a, b}, import3.Add(time.Duration(run)*time.Hour))
			require.NoError(t, err)
			want := [2]int{0, 2}
			if run == 1 {
				want = [2]int{0, 0}
			}
			require.Equal(t, want, [2]int{created, changed}, "run %d", run)
		}
		requireEvents(t, s, "1", ExternalLoanEvent{FromState: 0, FromStateName: "planned", ToState: 1, ToStateName: "taken",
			ChangedAt: feedT0.Add(90 * time.Minute), At: import3})
		requireEvents(t, s, "2")
		got, err = s.GetExternalLoan(ctx, "webmoney", "2")
		require.NoError(t, err)
		require.Equal(t, "50.25", got.AmountOutstanding.String())
		require.True(t, got.UpdatedAt.Equal(import3))
		require.True(t, got.FirstSeenAt.Equal(import1))

		// A new loan and a second change of loan 1 in one import.
		a.State, a.StateName, a.AmountOutstanding = 3, "completed", dec("0")
		c := feedLoan("3", feedT0.Add(2*time.Hour), 0, "planned")
		import4 := import3.Add(24 * time.Hour)
		created, changed, err = s.UpsertExternalLoans(ctx, "webmoney", []ExternalLoan{a, b, c}, import4)
		require.NoError(t, err)
		require.Equal(t, [2]int{1, 1}, [2]int{created, changed})
		evs, err := s.ExternalLoanEvents(ctx, "webmoney", "1")
		require.NoError(t, err)
		require.Len(t, evs, 2)
		require.Equal(t, [2]int{1, 3}, [2]int{evs[1].FromState, evs[1].ToState})
		require.True(t, evs[1].At.Equal(import4))

		// Sources are separate namespaces of ids.
		created, changed, err = s.UpsertExternalLoans(ctx, "other", []ExternalLoan{feedLoan("1", feedT0, 2, "refused")}, import4)
		require.NoError(t, err)
		require.Equal(t, [2]int{1, 0}, [2]int{created, changed})
		got, err = s.GetExternalLoan(ctx, "webmoney", "1")
		require.NoError(t, err)
		require.Equal(t, 3, got.State)
	})
}

func requireEvents(t *testing.T, s *Store, id string, want ...ExternalLoanEvent) {
	t.Helper()
	evs, err := s.ExternalLoanEvents(context.Background(), "webmoney", id)
	require.NoError(t, err)
	require.Len(t, evs, len(want))
	for i, w := range want {
		ev := evs[i]
		require.NotZero(t, ev.ID)
		require.NotZero(t, ev.ExternalLoanID)
		require.Equal(t, [2]int{w.FromState, w.ToState}, [2]int{ev.FromState, ev.ToState})
		require.Equal(t, [2]string{w.FromStateName, w.ToStateName}, [2]string{ev.FromStateName, ev.ToStateName})
		require.True(t, ev.ChangedAt.Equal(w.ChangedAt), "changed_at %s, want %s", ev.ChangedAt, w.ChangedAt)
		require.True(t, ev.At.Equal(w.At), "at %s, want %s", ev.At, w.At)
	}
}

func TestUpsertExternalLoansRejectsBadInput(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ok := feedLoan("1", feedT0, 0, "planned")
		cases := []struct {
			name   string
			source string
			loans  []ExternalLoan
			at     time.Time
		}{
			{"empty source", "", []ExternalLoan{ok}, feedT0},
			{"zero import time", "webmoney", []ExternalLoan{ok}, time.Time{}},
			{"loan without id", "webmoney", []ExternalLoan{ok, feedLoan("", feedT0, 0, "planned")}, feedT0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := s.UpsertExternalLoans(ctx, tc.source, tc.loans, tc.at)
				require.Error(t, err)
				_, total, err := s.ListExternalLoans(ctx, ExternalLoanFilter{})
				require.NoError(t, err)
				require.Zero(t, total, "a refused import writes nothing")
			})
		}
		created, changed, err := s.UpsertExternalLoans(ctx, "webmoney", nil, feedT0)
		require.NoError(t, err)
		require.Equal(t, [2]int{0, 0}, [2]int{created, changed})

		_, err = s.ExternalLoanEvents(ctx, "webmoney", "404")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.GetExternalLoan(ctx, "webmoney", "404")
		require.ErrorIs(t, err, ErrNotFound)
	})
}

// Imports that overlap in time (two workers, a retried activity beside the
// next scheduled run) still record a state change once: a writer that read
// the old state either applies the change alone or fails with ErrConflict.
func TestUpsertExternalLoansConcurrentImportsRecordOneEvent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loans := make([]ExternalLoan, 20)
		for i := range loans {
			loans[i] = feedLoan(fmt.Sprint(i+1), feedT0.Add(time.Duration(i)*time.Minute), 0, "planned")
		}
		_, _, err := s.UpsertExternalLoans(ctx, "webmoney", loans, feedT0.Add(time.Hour))
		require.NoError(t, err)
		for i := range loans {
			loans[i].State, loans[i].StateName = 1, "taken"
		}

		var wg sync.WaitGroup
		errs := make([]error, 6)
		for w := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[w] = s.UpsertExternalLoans(ctx, "webmoney", loans, feedT0.Add(2*time.Hour))
			}()
		}
		wg.Wait()
		succeeded := 0
		for _, err := range errs {
			if err == nil {
				succeeded++
				continue
			}
			require.True(t, errors.Is(err, ErrConflict), "unexpected error: %v", err)
		}
		require.NotZero(t, succeeded)
		for i := range loans {
			evs, err := s.ExternalLoanEvents(ctx, "webmoney", loans[i].ExternalID)
			require.NoError(t, err)
			require.Len(t, evs, 1, "loan %s", loans[i].ExternalID)
		}
	})
}

func TestListExternalLoans(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		states := []struct {
			code int
			name string
		}{{0, "planned"}, {1, "taken"}, {1, "taken"}, {3, "completed"}, {4, "completed_early"}, {1, "taken"}}
		at := func(i int) *time.Time { v := feedT0.Add(time.Duration(i) * time.Hour); return &v }
		var loans []ExternalLoan
		for i, st := range states {
			loans = append(loans, feedLoan(fmt.Sprint(100+i), *at(i), st.code, st.name))
		}
		_, _, err := s.UpsertExternalLoans(ctx, "webmoney", loans, feedT0.AddDate(0, 0, 1))
		require.NoError(t, err)
		_, _, err = s.UpsertExternalLoans(ctx, "other", []ExternalLoan{feedLoan("900", *at(2), 1, "taken")}, feedT0.AddDate(0, 0, 1))
		require.NoError(t, err)

		pick := func(idx ...int) []string {
			out := make([]string, len(idx))
			for i, n := range idx {
				out[i] = fmt.Sprint(100 + n)
			}
			return out
		}
		cases := []struct {
			name   string
			filter ExternalLoanFilter
			want   []string
			total  int64
		}{
			{"all sources newest first", ExternalLoanFilter{}, []string{"105", "104", "103", "900", "102", "101", "100"}, 7},
			{"one source", ExternalLoanFilter{Source: "webmoney"}, pick(5, 4, 3, 2, 1, 0), 6},
			{"oldest first", ExternalLoanFilter{Source: "webmoney", OldestFirst: true}, pick(0, 1, 2, 3, 4, 5), 6},
			{"one state", ExternalLoanFilter{Source: "webmoney", States: []int{1}}, pick(5, 2, 1), 3},
			{"open states", ExternalLoanFilter{Source: "webmoney", States: []int{0, 1}}, pick(5, 2, 1, 0), 4},
			{"issued from inclusive", ExternalLoanFilter{Source: "webmoney", IssuedFrom: at(4)}, pick(5, 4), 2},
			{"issued to exclusive", ExternalLoanFilter{Source: "webmoney", IssuedTo: at(2)}, pick(1, 0), 2},
			{"issued range in another zone", ExternalLoanFilter{Source: "webmoney",
				IssuedFrom: ptrTime(at(1).In(time.FixedZone("X", -5*3600))), IssuedTo: ptrTime(at(3).In(time.FixedZone("Y", 9*3600)))}, pick(2, 1), 2},
			{"first page", ExternalLoanFilter{Source: "webmoney", Limit: 4}, pick(5, 4, 3, 2), 6},
			{"second page", ExternalLoanFilter{Source: "webmoney", Limit: 4, Offset: 4}, pick(1, 0), 6},
			{"past the end", ExternalLoanFilter{Source: "webmoney", Limit: 4, Offset: 8}, []string{}, 6},
			{"nothing matches", ExternalLoanFilter{Source: "webmoney", States: []int{6}}, []string{}, 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := s.ListExternalLoans(ctx, tc.filter)
				require.NoError(t, err)
				require.Equal(t, tc.total, total)
				require.Equal(t, tc.want, keys(got, func(l ExternalLoan) string { return l.ExternalID }))
			})
		}
	})
}
