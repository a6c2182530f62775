package fineract_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/fineract/sim"
)

// retry runs step until it succeeds, as an activity under Temporal's retry policy would, and fails the
// test on an error that is not retryable. It returns how many attempts failed.
func retry(t *testing.T, what string, step func() error) int {
	t.Helper()
	for attempt := 0; attempt < 200; attempt++ {
		err := step()
		if err == nil {
			return attempt
		}
		require.True(t, providers.IsRetryable(err), "%s: non-retryable %v", what, err)
	}
	t.Fatalf("%s: still failing after 200 attempts", what)
	return 0
}

// With 30 % of the calls failing (half answered 500, half committed and then cut off), every step
// retried with look-up-before-create books exactly one client, one loan, one disbursement and one
// transaction per repayment.
func TestEnsureBooksExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	f.srv.SetFaults(sim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 7})
	ctx := context.Background()
	const loans, repayments = 8, 3
	failures := 0
	for i := range loans {
		ref := fmt.Sprintf("LF-%d", i)
		var clientID, loanID int64
		failures += retry(t, ref+" client", func() (err error) {
			clientID, err = f.client.EnsureClient(ctx, newClient("cust-"+ref))
			return err
		})
		app := v1(clientID, ref)
		app.NumberOfRepayments, app.LoanTermFrequency = repayments, repayments
		failures += retry(t, ref+" loan", func() (err error) {
			loanID, err = f.client.EnsureLoan(ctx, app)
			return err
		})
		failures += retry(t, ref+" approve", func() error {
			return f.client.EnsureApproved(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
		})
		failures += retry(t, ref+" disburse", func() error {
			return f.client.EnsureDisbursed(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
		})
		var schedule []fineract.SchedulePeriod
		failures += retry(t, ref+" schedule", func() error {
			l, err := f.client.GetLoanWithSchedule(ctx, loanID)
			if err == nil {
				schedule = l.RepaymentSchedule.Installments()
			}
			return err
		})
		require.Len(t, schedule, repayments)
		for n, p := range schedule {
			r := fineract.Repayment{ExternalID: fmt.Sprintf("%s-r%d", ref, n+1), TransactionDate: p.DueDate.Time,
				TransactionAmount: p.TotalDueForPeriod}
			failures += retry(t, r.ExternalID, func() error {
				_, err := f.client.EnsureRepayment(ctx, loanID, r)
				return err
			})
		}
	}
	require.Positive(t, failures, "the faults must have hit some calls for the test to mean anything")

	f.srv.SetFaults(sim.Faults{})
	st := f.srv.Stats()
	require.Equal(t, loans, st.Clients)
	require.Len(t, st.Loans, loans)
	for ref, ls := range st.Loans {
		require.Equal(t, 1, ls.Disbursements, ref)
		require.Equal(t, repayments, ls.Repayments, ref)
		require.Equal(t, fineract.StatusClosedObligationsMet, ls.Status, ref)
	}
}

func TestEnsureLoanRefusesAnotherClientsLoan(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	ctx := context.Background()
	_, _ = booked(t, f, "LF-1")
	other, err := f.client.EnsureClient(ctx, newClient("cust-other"))
	require.NoError(t, err)
	_, err = f.client.EnsureLoan(ctx, v1(other, "LF-1"))
	pe, ok := providers.AsError(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, fineract.CodeExternalIDConflict, pe.Code)
	require.False(t, pe.Retryable)
}

func TestEnsureIsANoOpOnceDone(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	ctx := context.Background()
	clientID, err := f.client.EnsureClient(ctx, newClient("cust-1"))
	require.NoError(t, err)
	again, err := f.client.EnsureClient(ctx, newClient("cust-1"))
	require.NoError(t, err)
	require.Equal(t, clientID, again)
	loanID, err := f.client.EnsureLoan(ctx, v1(clientID, "LF-1"))
	require.NoError(t, err)
	for range 2 {
		require.NoError(t, f.client.EnsureApproved(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)}))
		require.NoError(t, f.client.EnsureDisbursed(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)}))
		_, err := f.client.EnsureRepayment(ctx, loanID, fineract.Repayment{ExternalID: "LF-1-r1",
			TransactionDate: day(2011, 10, 20), TransactionAmount: decimal.NewFromInt(500)})
		require.NoError(t, err)
	}
	st := f.srv.Stats()
	require.Equal(t, 1, st.Clients)
	require.Equal(t, sim.LoanStats{ID: loanID, Status: fineract.StatusActive, Disbursements: 1, Repayments: 1}, st.Loans["LF-1"])
}
