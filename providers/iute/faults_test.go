package iute_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/iute"
	"github.com/loanflow/loanflow/providers/iute/sim"
)

func TestFaultClassification(t *testing.T) {
	calls := []struct {
		name  string
		write bool
		call  func(*env) error
	}{
		{"add loan", true, func(e *env) error { _, err := e.client.AddLoan(context.Background(), application("F1")); return err }},
		{"check status", false, func(e *env) error { _, err := e.client.CheckLoanStatus(context.Background(), 90000); return err }},
		{"calculate", false, func(e *env) error { _, err := e.client.Calculate(context.Background(), dec("1000"), 6); return err }},
	}
	for _, cl := range calls {
		t.Run("5xx/"+cl.name, func(t *testing.T) {
			e := newEnv(t, sim.Options{Faults: sim.Faults{ErrorRate: 1, Seed: 3}})
			seen := map[int]bool{}
			for range 20 {
				pe, ok := providers.AsError(cl.call(e))
				require.True(t, ok)
				require.True(t, pe.Retryable)
				require.Contains(t, []int{500, 503}, pe.Status)
				require.Equal(t, cl.write && pe.Status == 500, pe.Ambiguous, "a 503 never started; a 500 on a write may have committed")
				seen[pe.Status] = true
			}
			require.Len(t, seen, 2, "both 500 and 503 injected")
			require.Zero(t, e.sim.Loans(), "an injected 5xx changes nothing")
		})
		t.Run("drop/"+cl.name, func(t *testing.T) {
			e := newEnv(t, sim.Options{})
			if !cl.write {
				_, err := e.client.AddLoan(context.Background(), application("F1"))
				require.NoError(t, err)
			}
			e.sim.SetFaults(sim.Faults{DropAfterCommitRate: 1})
			pe, ok := providers.AsError(cl.call(e))
			require.True(t, ok)
			require.Zero(t, pe.Status)
			require.Equal(t, providers.CodeConnection, pe.Code)
			require.True(t, pe.Retryable)
			require.Equal(t, cl.write, pe.Ambiguous)
			require.Equal(t, 1, e.sim.Loans(), "the dropped request was committed")
			require.Equal(t, 1, e.sim.FaultStats().Drops)
		})
	}

	t.Run("connection refused", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.srv.Close()
		pe, ok := providers.AsError(e.client.ConfirmCashRelease(context.Background(), 90000))
		require.True(t, ok)
		require.Equal(t, providers.CodeConnection, pe.Code)
		require.True(t, pe.Retryable)
		require.False(t, pe.Ambiguous, "nothing was sent")
	})

	t.Run("timeout", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{Latency: 2 * time.Second}})
		c, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := e.client.InsertRepayment(c, 90000, today, dec("10"))
		pe, ok := providers.AsError(err)
		require.True(t, ok)
		require.Equal(t, providers.CodeTimeout, pe.Code)
		require.True(t, pe.Retryable)
		require.True(t, pe.Ambiguous, "the request was sent before the deadline")
		require.True(t, errors.Is(err, context.DeadlineExceeded))
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
	e.sim.SetFaults(sim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 42})
	c := ctx(t)

	var wg sync.WaitGroup
	errs := make(chan error, loans)
	refs := make(chan int64, loans)
	for i := range loans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref, err := runLoan(c, e.client, fmt.Sprintf("PIN%03d", i))
			if err != nil {
				errs <- fmt.Errorf("loan %d: %w", i, err)
				return
			}
			refs <- ref
		}()
	}
	wg.Wait()
	close(errs)
	close(refs)
	for err := range errs {
		require.NoError(t, err)
	}

	stats := e.sim.FaultStats()
	require.Positive(t, stats.Drops)
	require.Positive(t, stats.Errors)
	require.Equal(t, loans, e.sim.Loans(), "one application per loan")
	n := 0
	for ref := range refs {
		n++
		snap, ok := e.sim.Loan(ref)
		require.True(t, ok)
		require.Equal(t, sim.StateRepaid, snap.State)
		require.Equal(t, len(snap.Installments), e.sim.Repayments(ref), "one repayment per installment of loan %d", ref)
		require.True(t, snap.Repaid.Equal(snap.TotalBalance))
	}
	require.Equal(t, loans, n)
}

// runLoan is the retrying partner: every step is retried while retryable, AddLoan is recovered through
// Iute's duplicate refusal, and a repayment is resent only when CheckLoanInfo shows it did not land.
func runLoan(ctx context.Context, c *iute.Client, pin string) (int64, error) {
	var ref int64
	err := retry(func() error {
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
	if err := retry(func() error {
		st, err := c.CheckLoanStatus(ctx, ref)
		if err == nil && st.Decision != iute.DecisionApproved {
			return errPending
		}
		return err
	}); err != nil {
		return ref, err
	}
	if err := retry(func() error { _, err := c.GenerateAgreement(ctx, ref, "rom"); return err }); err != nil {
		return ref, err
	}
	if err := retry(func() error { return c.UploadFiles(ctx, ref, jpeg("a.jpg"), jpeg("b.jpg")) }); err != nil {
		return ref, err
	}
	if err := retry(func() error {
		cr, err := c.AllowCashRelease(ctx, ref)
		if err == nil && !cr.Allowed {
			return errPending
		}
		return err
	}); err != nil {
		return ref, err
	}
	if err := retry(func() error { return c.ConfirmCashRelease(ctx, ref) }); err != nil {
		return ref, err
	}
	var info *iute.LoanInfo
	if err := retry(func() (err error) { info, err = c.CheckLoanInfo(ctx, ref); return err }); err != nil {
		return ref, err
	}
	sent := info.Repaid
	for _, in := range info.Installments {
		want := sent.Add(in.Total)
		if err := repay(ctx, c, ref, in.Total, want); err != nil {
			return ref, err
		}
		sent = want
	}
	return ref, nil
}

// repay inserts one repayment exactly once: after an ambiguous failure it resends only if the loan's
// repaid total shows the repayment did not land.
func repay(ctx context.Context, c *iute.Client, ref int64, amount, repaidAfter decimal.Decimal) error {
	for range 200 {
		err := c.InsertRepayment(ctx, ref, today, amount)
		if err == nil || !providers.IsRetryable(err) {
			return err
		}
		if !providers.IsAmbiguous(err) {
			continue
		}
		var info *iute.LoanInfo
		if err := retry(func() (err error) { info, err = c.CheckLoanInfo(ctx, ref); return err }); err != nil {
			return err
		}
		if info.Repaid.GreaterThanOrEqual(repaidAfter) {
			return nil
		}
	}
	return errors.New("repayment: gave up")
}

var errPending = &providers.Error{Provider: "test", Message: "not decided yet", Retryable: true}

// retry calls f until it succeeds or fails for good.
func retry(f func() error) error {
	var err error
	for range 200 {
		err = f()
		if err == nil || !providers.IsRetryable(err) {
			return err
		}
	}
	return fmt.Errorf("gave up: %w", err)
}
