package iute_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/iute"
	"github.com/loanflow/loanflow/providers/iute/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

func TestFaultClassification(t *testing.T) {
	providertest.RequireFaultsClassified(t, iute.CodeServer, func(t *testing.T) providertest.Simulated {
		e := newEnv(t, sim.Options{})
		return providertest.Simulated{SetFaults: e.sim.SetFaults, Close: e.srv.Close,
			Read:    func(ctx context.Context) error { _, err := e.client.CheckLoanStatus(ctx, 90000); return err },
			Write:   func(ctx context.Context) error { _, err := e.client.AddLoan(ctx, application("F1")); return err },
			Records: e.sim.Loans}
	})
}

// TestDroppedGetIsNotReplayed guards against net/http silently re-sending a GET whose kept-alive
// connection dies before the answer: insert repayment is a GET, and a replay would book it twice.
func TestDroppedGetIsNotReplayed(t *testing.T) {
	e := newEnv(t, sim.Options{})
	ref := e.payOut(t, "G1") // leaves an idle kept-alive connection to reuse
	e.sim.SetFaults(sim.Faults{DropAfterCommitRate: 1})
	err := e.client.InsertRepayment(context.Background(), ref, today, dec("100"))
	require.True(t, providers.IsAmbiguous(err), "got %v", err)
	require.Equal(t, 1, e.sim.FaultStats().Drops)
	require.Equal(t, 1, e.sim.Repayments(ref), "exactly the one request the caller sent")

	// A caller that resends without looking up books twice: the look-up below is what prevents it.
	e.sim.SetFaults(sim.Faults{})
	require.NoError(t, e.client.InsertRepayment(context.Background(), ref, today, dec("100")))
	require.Equal(t, 2, e.sim.Repayments(ref))
}

// TestNoDuplicatesUnderFaults runs loans through a caller that retries retryable failures and looks up
// before re-creating after ambiguous ones, against 30 % injected faults, half of them dropped answers.
func TestNoDuplicatesUnderFaults(t *testing.T) {
	const loans = 24
	e := newEnv(t, sim.Options{AutoDecide: true, AutoDecideAfter: 1})
	c := ctx(t)
	refs := make([]int64, loans)
	providertest.BookUnderFaults(t, e.sim.SetFaults, 42, loans, func(rt *providertest.Retrier, i int) (err error) {
		refs[i], err = runLoan(c, rt, e.client, fmt.Sprintf("PIN%03d", i))
		return err
	})

	stats := e.sim.FaultStats()
	require.Positive(t, stats.Drops)
	require.Positive(t, stats.Errors)
	require.Equal(t, loans, e.sim.Loans(), "one application per loan")
	for _, ref := range refs {
		snap, ok := e.sim.Loan(ref)
		require.True(t, ok)
		require.Equal(t, sim.StateRepaid, snap.State)
		require.Equal(t, len(snap.Installments), e.sim.Repayments(ref), "one repayment per installment of loan %d", ref)
		require.True(t, snap.Repaid.Equal(snap.TotalBalance))
	}
}

// runLoan is the retrying partner: every step is retried by rt while retryable, AddLoan is recovered
// through Iute's duplicate refusal, and a repayment is resent only when CheckLoanInfo shows it did not
// land.
func runLoan(ctx context.Context, rt *providertest.Retrier, c *iute.Client, pin string) (int64, error) {
	var ref int64
	err := rt.Do(pin+" add loan", func() error {
		loan, err := c.AddLoan(ctx, application(pin))
		if existing, ok := iute.ExistingLoanRef(err); ok {
			ref = existing
			return nil
		}
		if err == nil {
			ref = loan.LoanRef
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if err := rt.Do(pin+" decision", func() error {
		st, err := c.CheckLoanStatus(ctx, ref)
		if err == nil && st.Decision != iute.DecisionApproved {
			return errPending
		}
		return err
	}); err != nil {
		return ref, err
	}
	if err := rt.Do(pin+" agreement", func() error { _, err := c.GenerateAgreement(ctx, ref, "rom"); return err }); err != nil {
		return ref, err
	}
	if err := rt.Do(pin+" files", func() error { return c.UploadFiles(ctx, ref, jpeg("a.jpg"), jpeg("b.jpg")) }); err != nil {
		return ref, err
	}
	if err := rt.Do(pin+" cash release allowed", func() error {
		cr, err := c.AllowCashRelease(ctx, ref)
		if err == nil && !cr.Allowed {
			return errPending
		}
		return err
	}); err != nil {
		return ref, err
	}
	if err := rt.Do(pin+" cash release", func() error { return c.ConfirmCashRelease(ctx, ref) }); err != nil {
		return ref, err
	}
	info, err := loanInfo(ctx, rt, c, ref)
	if err != nil {
		return ref, err
	}
	sent := info.Repaid
	for _, in := range info.Installments {
		want := sent.Add(in.Total)
		if err := repay(ctx, rt, c, ref, in.Total, want); err != nil {
			return ref, err
		}
		sent = want
	}
	return ref, nil
}

func loanInfo(ctx context.Context, rt *providertest.Retrier, c *iute.Client, ref int64) (*iute.LoanInfo, error) {
	var info *iute.LoanInfo
	err := rt.Do(fmt.Sprintf("loan %d info", ref), func() (err error) { info, err = c.CheckLoanInfo(ctx, ref); return err })
	return info, err
}

// repay inserts one repayment exactly once: after an ambiguous failure it resends only if the loan's
// repaid total shows the repayment did not land.
func repay(ctx context.Context, rt *providertest.Retrier, c *iute.Client, ref int64, amount, repaidAfter decimal.Decimal) error {
	return rt.Do(fmt.Sprintf("loan %d repayment", ref), func() error {
		err := c.InsertRepayment(ctx, ref, today, amount)
		if !providers.IsAmbiguous(err) {
			return err
		}
		info, err := loanInfo(ctx, rt, c, ref)
		if err != nil || info.Repaid.GreaterThanOrEqual(repaidAfter) {
			return err
		}
		return errPending
	})
}

// errPending makes the retrier ask again: a decision not made yet, a repayment that did not land.
var errPending = &providers.Error{Provider: "test", Message: "not there yet", Retryable: true}
