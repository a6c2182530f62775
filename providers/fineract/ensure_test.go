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
	"github.com/loanflow/loanflow/providers/providertest"
)

// With 30 % of the calls failing (half answered 500, half committed and then cut off), every step
// retried with look-up-before-create books exactly one client, one loan, one disbursement and one
// transaction per repayment. The loans run concurrently, as activities of different workflows do.
func TestEnsureBooksExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	const loans, repayments = 8, 3
	providertest.BookUnderFaults(t, f.srv.SetFaults, 7, loans, func(rt *providertest.Retrier, i int) error {
		return bookLoan(rt, f.client, fmt.Sprintf("LF-%d", i), repayments)
	})
	st := f.srv.Stats()
	require.Equal(t, loans, st.Clients)
	require.Len(t, st.Loans, loans)
	for ref, ls := range st.Loans {
		require.Equal(t, 1, ls.Disbursements, ref)
		require.Equal(t, repayments, ls.Repayments, ref)
		require.Equal(t, fineract.StatusClosedObligationsMet, ls.Status, ref)
	}
}

// bookLoan runs one loan from client to full repayment, each step retried by rt.
func bookLoan(rt *providertest.Retrier, c *fineract.Client, ref string, repayments int) error {
	ctx := context.Background()
	var clientID, loanID int64
	if err := rt.Do(ref+" client", func() (err error) {
		clientID, err = c.EnsureClient(ctx, newClient("cust-"+ref))
		return err
	}); err != nil {
		return err
	}
	app := v1(clientID, ref)
	app.NumberOfRepayments, app.LoanTermFrequency = repayments, repayments
	if err := rt.Do(ref+" loan", func() (err error) {
		loanID, err = c.EnsureLoan(ctx, app)
		return err
	}); err != nil {
		return err
	}
	if err := rt.Do(ref+" approve", func() error {
		return c.EnsureApproved(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
	}); err != nil {
		return err
	}
	if err := rt.Do(ref+" disburse", func() error {
		return c.EnsureDisbursed(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
	}); err != nil {
		return err
	}
	var installments []fineract.SchedulePeriod
	if err := rt.Do(ref+" schedule", func() error {
		l, err := c.GetLoanWithSchedule(ctx, loanID)
		if err == nil {
			installments = l.RepaymentSchedule.Installments()
		}
		return err
	}); err != nil {
		return err
	}
	if len(installments) != repayments {
		return fmt.Errorf("%s: %d installments, want %d", ref, len(installments), repayments)
	}
	for n, p := range installments {
		r := fineract.Repayment{ExternalID: fmt.Sprintf("%s-r%d", ref, n+1), TransactionDate: p.DueDate.Time,
			TransactionAmount: p.TotalDueForPeriod}
		if err := rt.Do(r.ExternalID, func() error {
			_, err := c.EnsureRepayment(ctx, loanID, r)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
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
