package mambu_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/mambu"
	"github.com/loanflow/loanflow/providers/mambu/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

// With 30 % of the calls failing (half answered 500, half committed and then cut off), every step
// retried with look-up-before-create and transaction identifiers books exactly one client, one loan,
// one disbursement and one transaction per repayment. The loans run concurrently, as activities of
// different workflows do.
func TestEnsureBooksExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{}, nil)
	const loans, repayments = 8, 3
	providertest.BookUnderFaults(t, f.srv.SetFaults, 11, loans, func(rt *providertest.Retrier, i int) error {
		return bookLoan(rt, f.client, fmt.Sprintf("LF-%d", i), repayments)
	})
	st := f.srv.Stats()
	require.Equal(t, loans, st.Clients)
	require.Len(t, st.Loans, loans)
	for ref, ls := range st.Loans {
		require.Equal(t, 1, ls.Disbursements, ref)
		require.Equal(t, repayments, ls.Repayments, ref)
		require.Equal(t, mambu.StateClosed, ls.State, ref)
	}
}

// bookLoan runs one loan from client to full repayment, each step retried by rt.
func bookLoan(rt *providertest.Retrier, c *mambu.Client, ref string, repayments int) error {
	ctx := context.Background()
	var client *mambu.ClientRecord
	if err := rt.Do(ref+" client", func() (err error) {
		client, err = c.EnsureClient(ctx, newClient("cust-"+ref))
		return err
	}); err != nil {
		return err
	}
	nl := v3(client.EncodedKey, ref)
	nl.RepaymentInstallments = repayments
	if err := rt.Do(ref+" loan", func() error {
		_, err := c.EnsureLoan(ctx, nl)
		return err
	}); err != nil {
		return err
	}
	if err := rt.Do(ref+" approve", func() error { return c.EnsureApproved(ctx, ref, "") }); err != nil {
		return err
	}
	if err := rt.Do(ref+" disburse", func() error {
		return c.EnsureDisbursed(ctx, ref, mambu.Disbursement{Identifier: ref + "-disb", ValueDate: ptr(day(2019, 12, 1))})
	}); err != nil {
		return err
	}
	var installments []mambu.Installment
	if err := rt.Do(ref+" schedule", func() (err error) {
		installments, err = c.GetSchedule(ctx, ref)
		return err
	}); err != nil {
		return err
	}
	if len(installments) != repayments {
		return fmt.Errorf("%s: %d installments, want %d", ref, len(installments), repayments)
	}
	for n, inst := range installments {
		r := mambu.Repayment{Identifier: fmt.Sprintf("%s-r%d", ref, n+1), Amount: inst.TotalDue(), ValueDate: inst.DueDate.Time}
		if err := rt.Do(r.Identifier, func() error {
			_, err := c.EnsureRepayment(ctx, ref, r)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
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
