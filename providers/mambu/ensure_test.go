package mambu_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/mambu"
	"github.com/loanflow/loanflow/providers/mambu/sim"
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
// retried with look-up-before-create and transaction identifiers books exactly one client, one loan,
// one disbursement and one transaction per repayment. The loans run concurrently, as activities of
// different workflows do.
func TestEnsureBooksExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{}, nil)
	f.srv.SetFaults(sim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 11})
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
		require.Equal(t, mambu.StateClosed, ls.State, ref)
	}
}

// bookLoan runs one loan from client to full repayment, each step retried; it returns the failed attempts.
func bookLoan(c *mambu.Client, ref string, repayments int) (int, error) {
	ctx := context.Background()
	failures := 0
	step := func(what string, fn func() error) error {
		n, err := retry(ref+" "+what, fn)
		failures += n
		return err
	}
	var client *mambu.ClientRecord
	if err := step("client", func() (err error) {
		client, err = c.EnsureClient(ctx, newClient("cust-"+ref))
		return err
	}); err != nil {
		return failures, err
	}
	nl := v3(client.EncodedKey, ref)
	nl.RepaymentInstallments = repayments
	if err := step("loan", func() error {
		_, err := c.EnsureLoan(ctx, nl)
		return err
	}); err != nil {
		return failures, err
	}
	if err := step("approve", func() error { return c.EnsureApproved(ctx, ref, "") }); err != nil {
		return failures, err
	}
	if err := step("disburse", func() error {
		return c.EnsureDisbursed(ctx, ref, mambu.Disbursement{Identifier: ref + "-disb", ValueDate: ptr(day(2019, 12, 1))})
	}); err != nil {
		return failures, err
	}
	var installments []mambu.Installment
	if err := step("schedule", func() (err error) {
		installments, err = c.GetSchedule(ctx, ref)
		return err
	}); err != nil {
		return failures, err
	}
	if len(installments) != repayments {
		return failures, fmt.Errorf("%s: %d installments, want %d", ref, len(installments), repayments)
	}
	for n, inst := range installments {
		r := mambu.Repayment{Identifier: fmt.Sprintf("%s-r%d", ref, n+1), Amount: inst.TotalDue(), ValueDate: inst.DueDate.Time}
		if err := step(r.Identifier, func() error {
			_, err := c.EnsureRepayment(ctx, ref, r)
			return err
		}); err != nil {
			return failures, err
		}
	}
	return failures, nil
}

func TestEnsureLoanRefusesAnotherClientsLoan(t *testing.T) {
	f := newFixture(t, sim.Config{}, nil)
	ctx := context.Background()
	pending(t, f)
	other, err := f.client.EnsureClient(ctx, newClient("cust-other"))
	require.NoError(t, err)
	_, err = f.client.EnsureLoan(ctx, v3(other.EncodedKey, "LF-1"))
	pe, ok := providers.AsError(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, mambu.CodeAccountHolderConflict, pe.Code)
	require.False(t, pe.Retryable)
}

func TestEnsureIsANoOpOnceDone(t *testing.T) {
	f := newFixture(t, sim.Config{}, nil)
	ctx := context.Background()
	c, err := f.client.EnsureClient(ctx, newClient("cust-1"))
	require.NoError(t, err)
	again, err := f.client.EnsureClient(ctx, newClient("cust-1"))
	require.NoError(t, err)
	require.Equal(t, c.EncodedKey, again.EncodedKey)
	for range 2 {
		l, err := f.client.EnsureLoan(ctx, v3(c.EncodedKey, "LF-1"))
		require.NoError(t, err)
		require.Equal(t, "LF-1", l.ID)
		require.NoError(t, f.client.EnsureApproved(ctx, "LF-1", ""))
		require.NoError(t, f.client.EnsureDisbursed(ctx, "LF-1", mambu.Disbursement{Identifier: "LF-1-disb", ValueDate: ptr(day(2019, 12, 1))}))
		_, err = f.client.EnsureRepayment(ctx, "LF-1", mambu.Repayment{Identifier: "LF-1-r1", Amount: dec("50"), ValueDate: day(2020, 1, 1)})
		require.NoError(t, err)
	}
	st := f.srv.Stats()
	require.Equal(t, 1, st.Clients)
	ls := st.Loans["LF-1"]
	require.Equal(t, mambu.StateActive, ls.State)
	require.Equal(t, 1, ls.Disbursements)
	require.Equal(t, 1, ls.Repayments)
}
