package models

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func strPtr(s string) *string { return &s }

func TestApplyTransitionIsIdempotent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "transitions")
		l := createLoan(t, s, p, "2000000000010", "40000")
		// Nanoseconds are cut to the microseconds PostgreSQL keeps.
		at := time.Date(2026, time.March, 2, 10, 30, 0, 654321987, time.FixedZone("EET", 2*3600))
		atStored := at.Truncate(time.Microsecond)

		approve := Transition{
			Ref: l.Ref, Seq: 1, Actor: "staff:underwriter", Action: "approve",
			From: lending.StatusSubmitted, To: lending.StatusApproved, Reason: "looks good",
			ReasonCodes: []string{"A1", "B2"}, At: at,
			ApprovedBy: strPtr("underwriter,underwriter2"),
		}
		applied, err := s.ApplyTransition(ctx, approve)
		require.NoError(t, err)
		require.True(t, applied)

		// The retry, even carrying different data, changes nothing.
		retry := approve
		retry.To = lending.StatusRejected
		retry.Reason = "changed my mind"
		applied, err = s.ApplyTransition(ctx, retry)
		require.NoError(t, err)
		require.False(t, applied)

		got, err := s.GetLoan(ctx, l.Ref)
		require.NoError(t, err)
		require.Equal(t, lending.StatusApproved, got.Status)
		require.Equal(t, "looks good", got.Reason)
		require.Equal(t, "A1,B2", got.ReasonCodes)
		require.Equal(t, "underwriter,underwriter2", got.ApprovedBy)
		require.Empty(t, got.CashReleaseAuthorizedBy)
		require.True(t, got.UpdatedAt.Equal(atStored), "updated %s", got.UpdatedAt)

		trail, err := s.AuditTrail(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, trail, 1)
		require.Equal(t, AuditEvent{
			ID: trail[0].ID, LoanRef: l.Ref, Seq: 1, Actor: "staff:underwriter", Action: "approve",
			FromStatus: lending.StatusSubmitted, ToStatus: lending.StatusApproved, Reason: "looks good", At: trail[0].At,
		}, trail[0])
		require.True(t, trail[0].At.Equal(atStored), "at %s", trail[0].At)

		// Documents uploaded, then rejected by operations: the submitted
		// ones become rejected, and only this loan's.
		other := createLoan(t, s, p, "2000000000011", "1000")
		for _, ref := range []int64{l.Ref, other.Ref} {
			require.NoError(t, s.AddDocument(ctx, &Document{LoanRef: ref, Kind: lending.DocSignedAgreement, Filename: "a.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}))
		}
		steps := []Transition{
			{Ref: l.Ref, Seq: 2, Actor: "partner:transitions", Action: "submit_documents", From: lending.StatusApproved, To: lending.StatusDocumentsSubmitted, At: at.Add(time.Hour)},
			{Ref: l.Ref, Seq: 3, Actor: "staff:operations", Action: "reject_documents", From: lending.StatusDocumentsSubmitted, To: lending.StatusApproved, Reason: "blurry", At: at.Add(2 * time.Hour), RejectDocuments: true},
		}
		for _, tr := range steps {
			applied, err := s.ApplyTransition(ctx, tr)
			require.NoError(t, err)
			require.True(t, applied)
		}
		docs, err := s.Documents(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, docs, 1)
		require.Equal(t, lending.DocStatusRejected, docs[0].Status)
		docs, err = s.Documents(ctx, other.Ref)
		require.NoError(t, err)
		require.Equal(t, lending.DocStatusSubmitted, docs[0].Status)

		closedOn := date(2027, time.March, 2)
		applied, err = s.ApplyTransition(ctx, Transition{
			Ref: l.Ref, Seq: 4, Actor: "system", Action: "close", From: lending.StatusActive, To: lending.StatusClosed,
			CashReleaseAuthorizedBy: actorPtr("staff:operations"), ClosedOn: &closedOn,
		})
		require.NoError(t, err)
		require.True(t, applied)
		got, err = s.GetLoan(ctx, l.Ref)
		require.NoError(t, err)
		require.Equal(t, lending.StatusClosed, got.Status)
		require.Equal(t, lending.Actor("staff:operations"), got.CashReleaseAuthorizedBy)
		require.Equal(t, "underwriter,underwriter2", got.ApprovedBy, "nil pointer fields are left alone")
		require.Empty(t, got.ReasonCodes)
		require.NotNil(t, got.ClosedOn)
		require.True(t, got.ClosedOn.Equal(closedOn))

		trail, err = s.AuditTrail(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, trail, 4)
		for i, ev := range trail {
			require.Equal(t, i+1, ev.Seq)
		}
		require.False(t, trail[3].At.IsZero(), "a zero At is stamped with the current time")

		_, err = s.ApplyTransition(ctx, Transition{Ref: 424242, Seq: 1, To: lending.StatusApproved})
		require.ErrorIs(t, err, ErrNotFound)
	})
}

func TestConcurrentTransitions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "concurrent")
		const loans = 6
		refs := make([]int64, loans)
		for i := range refs {
			l := createLoan(t, s, p, "2000000000012", "1000")
			refs[i] = l.Ref
		}
		// Every loan gets the same transition from two goroutines: with
		// WAL, busy_timeout and immediate transactions on SQLite, none
		// fails and each applies exactly once.
		var wg sync.WaitGroup
		results := make(chan bool, 2*loans)
		errs := make(chan error, 2*loans)
		for range 2 {
			for _, ref := range refs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					applied, err := s.ApplyTransition(ctx, Transition{Ref: ref, Seq: 1, Actor: "system", Action: "approve", From: lending.StatusSubmitted, To: lending.StatusApproved})
					results <- applied
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(results)
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		n := 0
		for applied := range results {
			if applied {
				n++
			}
		}
		require.Equal(t, loans, n)
	})
}

func testSchedule() []Installment {
	return []Installment{
		{Number: 1, FromDate: date(2026, time.March, 15), DueDate: date(2026, time.April, 15), Principal: dec("316.67"), Interest: dec("30.00"), Fees: dec("0"), Total: dec("346.67"), Paid: decimal.Zero},
		{Number: 2, FromDate: date(2026, time.April, 15), DueDate: date(2026, time.May, 15), Principal: dec("326.17"), Interest: dec("20.50"), Fees: dec("0"), Total: dec("346.67"), Paid: decimal.Zero},
		{Number: 3, FromDate: date(2026, time.May, 15), DueDate: date(2026, time.June, 15), Principal: dec("357.16"), Interest: dec("10.72"), Fees: dec("0"), Total: dec("367.88"), Paid: decimal.Zero},
	}
}

// withTransactions reads loan ref, which must hold n transactions.
func withTransactions(t *testing.T, s *Store, ref int64, n int) *Loan {
	t.Helper()
	txs, err := s.Transactions(context.Background(), ref)
	require.NoError(t, err)
	require.Len(t, txs, n)
	l, err := s.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	return l
}

func activeLoan(t *testing.T, s *Store, p *Partner) *Loan {
	t.Helper()
	ctx := context.Background()
	l := newLoan(p.ID, "2000000000013", "1000")
	l.Status = lending.StatusCashReleaseAuthorized
	require.NoError(t, s.CreateLoan(ctx, l))
	applied, err := s.ActivateLoan(ctx, Activation{
		Transition:         Transition{Ref: l.Ref, Seq: 5, Actor: lending.PartnerActor(p.Username), Action: "confirm_payout", From: lending.StatusCashReleaseAuthorized, To: lending.StatusActive},
		Installments:       testSchedule(),
		Disbursement:       Transaction{Key: "payout", Amount: dec("1000"), Overpayment: decimal.Zero, ValueDate: date(2026, time.March, 15)},
		FirstRepaymentDate: date(2026, time.April, 15),
		DisbursedOn:        date(2026, time.March, 15),
		InstallmentAmount:  dec("346.67"),
		TotalRepayable:     dec("1061.22"),
		APR:                dec("42.5763"),
	})
	require.NoError(t, err)
	require.True(t, applied)
	return l
}

func TestActivateLoanIsIdempotent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "activate")
		l := activeLoan(t, s, p)

		got, err := s.GetLoan(ctx, l.Ref)
		require.NoError(t, err)
		require.Equal(t, lending.StatusActive, got.Status)
		require.Equal(t, "346.67", got.InstallmentAmount.String())
		require.Equal(t, "1061.22", got.TotalRepayable.String())
		require.Equal(t, "42.5763", got.APR.String())
		require.True(t, got.FirstRepaymentDate.Equal(date(2026, time.April, 15)))
		require.True(t, got.DisbursedOn.Equal(date(2026, time.March, 15)))

		inst, err := s.Installments(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, inst, 3)
		for i, want := range testSchedule() {
			require.Equal(t, want.Number, inst[i].Number)
			require.Equal(t, l.Ref, inst[i].LoanRef)
			require.True(t, inst[i].DueDate.Equal(want.DueDate))
			require.True(t, inst[i].FromDate.Equal(want.FromDate))
			require.Equal(t, want.Total.String(), inst[i].Total.String())
			require.Equal(t, want.Principal.String(), inst[i].Principal.String())
		}
		txs, err := s.Transactions(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, txs, 1)
		require.Equal(t, lending.TxDisbursement, txs[0].Kind)
		require.Equal(t, "payout", txs[0].Key)
		require.True(t, txs[0].ValueDate.Equal(date(2026, time.March, 15)))

		// The retried activity: nothing is written twice.
		applied, err := s.ActivateLoan(ctx, Activation{
			Transition:   Transition{Ref: l.Ref, Seq: 5, To: lending.StatusActive},
			Installments: testSchedule(),
			Disbursement: Transaction{Key: "payout-2", Amount: dec("1000"), ValueDate: date(2026, time.March, 16)},
		})
		require.NoError(t, err)
		require.False(t, applied)
		inst, err = s.Installments(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, inst, 3)
		require.Equal(t, "42.5763", withTransactions(t, s, l.Ref, 1).APR.String())
	})
}

func TestActivateLoanRollsBackAsAWhole(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "rollback")
		l := createLoan(t, s, p, "2000000000014", "1000")
		dupSchedule := append(testSchedule(), testSchedule()[0]) // installment 1 twice
		_, err := s.ActivateLoan(ctx, Activation{
			Transition:   Transition{Ref: l.Ref, Seq: 1, To: lending.StatusActive},
			Installments: dupSchedule,
			Disbursement: Transaction{Key: "payout", Amount: dec("1000"), ValueDate: date(2026, time.March, 15)},
		})
		require.ErrorIs(t, err, ErrConflict)

		got, err := s.GetLoan(ctx, l.Ref)
		require.NoError(t, err)
		require.Equal(t, lending.StatusSubmitted, got.Status)
		trail, err := s.AuditTrail(ctx, l.Ref)
		require.NoError(t, err)
		require.Empty(t, trail)
		inst, err := s.Installments(ctx, l.Ref)
		require.NoError(t, err)
		require.Empty(t, inst)
	})
}

func TestApplyRepaymentIsIdempotent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "repay")
		l := activeLoan(t, s, p)

		pay := func(key string, amount string, paid map[int]decimal.Decimal, repaid string) (bool, error) {
			return s.ApplyRepayment(ctx, Repayment{
				Tx:     Transaction{LoanRef: l.Ref, Key: key, Amount: dec(amount), Overpayment: decimal.Zero, ValueDate: date(2026, time.April, 15)},
				Paid:   paid,
				Repaid: dec(repaid),
			})
		}
		applied, err := pay("r1", "400", map[int]decimal.Decimal{1: dec("346.67"), 2: dec("53.33")}, "400")
		require.NoError(t, err)
		require.True(t, applied)

		// Same key again (a retry, even with other numbers): no-op.
		applied, err = pay("r1", "999", map[int]decimal.Decimal{1: dec("1")}, "999")
		require.NoError(t, err)
		require.False(t, applied)

		inst, err := s.Installments(ctx, l.Ref)
		require.NoError(t, err)
		require.Equal(t, "346.67", inst[0].Paid.String())
		require.True(t, inst[0].ToBePaid().IsZero())
		require.Equal(t, "53.33", inst[1].Paid.String())
		require.Equal(t, "293.34", inst[1].ToBePaid().String())
		require.True(t, inst[2].Paid.IsZero())
		got, err := s.GetLoan(ctx, l.Ref)
		require.NoError(t, err)
		require.Equal(t, "400", got.Repaid.String())

		applied, err = pay("r2", "100.01", map[int]decimal.Decimal{2: dec("153.34")}, "500.01")
		require.NoError(t, err)
		require.True(t, applied)
		txs, err := s.Transactions(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, txs, 3)
		require.Equal(t, []string{"payout", "r1", "r2"}, []string{txs[0].Key, txs[1].Key, txs[2].Key})
		require.Equal(t, lending.TxRepayment, txs[2].Kind)
		require.Equal(t, "100.01", txs[2].Amount.String())

		// An unknown installment aborts the whole repayment.
		_, err = pay("r3", "5", map[int]decimal.Decimal{9: dec("5")}, "505.01")
		require.ErrorIs(t, err, ErrNotFound)
		require.Equal(t, "500.01", withTransactions(t, s, l.Ref, 3).Repaid.String())

		_, err = s.ApplyRepayment(ctx, Repayment{Tx: Transaction{LoanRef: 424242, Key: "x", ValueDate: date(2026, time.April, 15)}})
		require.ErrorIs(t, err, ErrNotFound)
	})
}

func TestRepaymentKeysArePerLoan(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "perloan")
		for i := range 2 {
			l := activeLoan(t, s, p)
			applied, err := s.ApplyRepayment(ctx, Repayment{
				Tx:     Transaction{LoanRef: l.Ref, Key: "same-key", Amount: dec("10"), ValueDate: date(2026, time.April, 1)},
				Paid:   map[int]decimal.Decimal{1: dec("10")},
				Repaid: dec("10"),
			})
			require.NoError(t, err, fmt.Sprintf("loan %d", i))
			require.True(t, applied)
		}
	})
}

func actorPtr(a lending.Actor) *lending.Actor { return &a }

// A partner chooses its repayment keys: one that happens to equal a key
// loanflow gives its own transactions (the pay-out's, a penalty's) must
// still record the repayment.
func TestRepaymentKeysNeverCollideWithOtherKinds(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "kinds")
		l := activeLoan(t, s, p)
		applied, err := s.ApplyRepayment(ctx, Repayment{
			Tx:     Transaction{LoanRef: l.Ref, Key: "payout", Amount: dec("10"), Overpayment: decimal.Zero, ValueDate: date(2026, time.April, 1)},
			Paid:   map[int]decimal.Decimal{1: dec("10")},
			Repaid: dec("10"),
		})
		require.NoError(t, err)
		require.True(t, applied, "the repayment keyed like the pay-out was dropped")
		txs, err := s.Transactions(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, txs, 2)
		require.Equal(t, lending.TxRepayment, txs[1].Kind)

		require.NoError(t, s.ApplyServicing(ctx, Servicing{Ref: l.Ref, Seq: 1,
			Money:        LoanMoney{Repaid: dec("10"), TotalRepayable: dec("1061.22"), PenaltiesDue: dec("5"), Overpaid: decimal.Zero, WrittenOff: decimal.Zero, Recovered: decimal.Zero},
			Transactions: []Transaction{{Key: "payout", Kind: lending.TxPenalty, Amount: dec("5"), Overpayment: decimal.Zero, ValueDate: date(2026, time.April, 20)}},
			Installments: testSchedule()}))
		txs, err = s.Transactions(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, txs, 3, "the penalty keyed like a repayment was dropped")
	})
}

func TestApplyServicingRewritesTheSchedule(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "reschedule")
		l := activeLoan(t, s, p)
		money := LoanMoney{Repaid: dec("346.67"), TotalRepayable: dec("1061.22"), PenaltiesDue: decimal.Zero, Overpaid: decimal.Zero, WrittenOff: decimal.Zero, Recovered: decimal.Zero}

		// The first installment paid, the rest recast into one (reduce_term).
		sched := testSchedule()[:2]
		sched[0].Paid = dec("346.67")
		sched[1].Principal, sched[1].Interest, sched[1].Total = dec("683.33"), dec("31.22"), dec("714.55")
		require.NoError(t, s.ApplyServicing(ctx, Servicing{Ref: l.Ref, Seq: 1, Money: money, Installments: sched}))
		got, err := s.Installments(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, got, 2, "the third installment is gone")
		require.Equal(t, "346.67", got[0].Paid.String())
		require.Equal(t, "714.55", got[1].Total.String())
		require.Equal(t, "683.33", got[1].Principal.String())
		require.True(t, got[1].DueDate.Equal(testSchedule()[1].DueDate))

		// An older step retried late changes nothing.
		require.NoError(t, s.ApplyServicing(ctx, Servicing{Ref: l.Ref, Seq: 1, Money: money, Installments: testSchedule()}))
		got, err = s.Installments(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, got, 2)
	})
}
