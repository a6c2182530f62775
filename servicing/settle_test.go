package servicing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Settled on the pay-out day, the demo loan costs exactly its principal: the whole term's 215.16 of
// interest is unearned (the complaint of issue 11).
func TestSettleOnPayoutDay(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	res, err := a.Settle(dec("2000.00"), date("2025-01-15"))
	require.NoError(t, err)
	require.Equal(t, StatePaid, a.State())
	requireMoney(t, "2000.00", res.Quote.Total, "quote")
	requireMoney(t, "215.16", res.Unearned.Interest, "unearned interest")
	requireMoney(t, "0", res.Overpayment, "overpayment")
	tot := a.Totals()
	requireMoney(t, "2000.00", tot.Paid.Principal, "principal paid")
	requireMoney(t, "0", tot.Outstanding.Total(), "outstanding")
	require.NotNil(t, a.SettledOn)
	requireChecks(t, a)

	_, err = a.Settle(dec("2000.00"), date("2025-01-15"))
	require.ErrorIs(t, err, ErrClosed)
	_, err = a.Repay(dec("1.00"), date("2025-01-16"), "")
	require.ErrorIs(t, err, ErrClosed)
}

// Any amount but the quote is refused with the quote, and the account is left as it was.
func TestSettleRefusesAnyOtherAmount(t *testing.T) {
	a := open(t, demoTerms(), penaltyPolicy())
	before := a.clone()
	for _, amount := range []string{"2082.34", "2200.00", "0"} {
		_, err := a.Settle(dec(amount), date("2025-03-01"))
		var e *Error
		require.ErrorAs(t, err, &e)
		require.ErrorIs(t, err, ErrQuoteMismatch)
		require.Equal(t, "amount", e.Field)
		require.NotNil(t, e.Quote)
		// 60.00 due + 1690.80 × 36 % × 14/365 = 23.35 accrued; late fee 25.00 and 309.20 × 36 % × 9/365
		// = 2.74 of penalty interest (overdue from 20 Feb)
		requireMoney(t, "2111.09", e.Quote.Total, "quote carried by the refusal")
	}
	require.Equal(t, before, a, "a refused settlement changes nothing")

	_, err := a.Settle(dec("-1"), date("2025-03-01"))
	require.ErrorIs(t, err, ErrInvalidAmount)
	_, err = a.Settle(dec("2111.095"), date("2025-03-01"))
	require.ErrorIs(t, err, ErrAmountScale)

	res, err := a.Settle(dec("2111.09"), date("2025-03-01"))
	require.NoError(t, err)
	requireMoney(t, "27.74", res.Quote.Penalties, "penalties settled")
	requireMoney(t, "131.81", res.Unearned.Interest, "unearned interest (215.16 - 60.00 - 23.35)")
	require.Equal(t, StatePaid, a.State())
	requireChecks(t, a)
}
