package fineract_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/fineract/sim"
)

// retry runs step until it succeeds, as an activity under Temporal's retry policy would. It returns how
// many attempts failed, or the first error that is not retryable.
func retry(what string, step func() error) (int, error) {
	for attempt := 0; attempt < 200; attempt++ {
		err := step()
		if err == nil {
			return attempt, nil
		}
		if !providers.IsRetryable(err) {
			return attempt, fmt.Errorf("%s: non-retryable %w", what, err)
		}
	}
	return 200, fmt.Errorf("%s: still failing after 200 attempts", what)
}

// With 30 % of the calls failing (half answered 500, half committed and then cut off), every step
// retried with look-up-before-create books exactly one client, one loan, one disbursement and one
// transaction per repayment. The loans run concurrently, as activities of different workflows do.
func TestEnsureBooksExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	f.srv.SetFaults(sim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 7})
	const loans, repayments = 8, 3
	failures := make([]int, loans)
	errs := make([]error, loans)
	var wg sync.WaitGroup
	for i := range loans {
		wg.Go(func() { failures[i], errs[i] = bookLoan(f.client, fmt.Sprintf("LF-%d", i), repayments) })
	}
	wg.Wait()
	total := 0
	for i := range loans {
		require.NoError(t, errs[i])
		total += failures[i]
	}
	require.Positive(t, total, "the faults must have hit some calls for the test to mean anything")

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

// bookLoan runs one loan from client to full repayment, each step retried; it returns the failed attempts.
func bookLoan(c *fineract.Client, ref string, repayments int) (int, error) {
	ctx := context.Background()
	failures := 0
	step := func(what string, fn func() error) error {
		n, err := retry(ref+" "+what, fn)
		failures += n
		return err
	}
	var clientID, loanID int64
	if err := step("client", func() (err error) {
		clientID, err = c.EnsureClient(ctx, newClient("cust-"+ref))
		return err
	}); err != nil {
		return failures, err
	}
	app := v1(clientID, ref)
	app.NumberOfRepayments, app.LoanTermFrequency = repayments, repayments
	if err := step("loan", func() (err error) {
		loanID, err = c.EnsureLoan(ctx, app)
		return err
	}); err != nil {
		return failures, err
	}
	if err := step("approve", func() error {
		return c.EnsureApproved(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
	}); err != nil {
		return failures, err
	}
	if err := step("disburse", func() error {
		return c.EnsureDisbursed(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
	}); err != nil {
		return failures, err
	}
	var installments []fineract.SchedulePeriod
	if err := step("schedule", func() error {
		l, err := c.GetLoanWithSchedule(ctx, loanID)
		if err == nil {
			installments = l.RepaymentSchedule.Installments()
		}
		return err
	}); err != nil {
		return failures, err
	}
	if len(installments) != repayments {
		return failures, fmt.Errorf("%s: %d installments, want %d", ref, len(installments), repayments)
	}
	for n, p := range installments {
		r := fineract.Repayment{ExternalID: fmt.Sprintf("%s-r%d", ref, n+1), TransactionDate: p.DueDate.Time,
			TransactionAmount: p.TotalDueForPeriod}
		if err := step(r.ExternalID, func() error {
			_, err := c.EnsureRepayment(ctx, loanID, r)
			return err
		}); err != nil {
			return failures, err
		}
	}
	return failures, nil
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
