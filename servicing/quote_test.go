package servicing

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/schedule"
)

func TestQuote(t *testing.T) {
	actual365 := Policy{DaysInYear: Days365, DaysInMonth: DaysActual}
	thirty360 := Policy{DaysInYear: Days360, DaysInMonth: Days30}
	overNewYear := demoTerms()
	overNewYear.DisbursementDate = date("2023-12-15")
	long := demoTerms()
	long.NumberOfRepayments = 24
	cheap := demoTerms()
	cheap.InterestRate = dec("0.1")
	cases := []struct {
		name   string
		terms  schedule.Terms
		policy Policy
		asOf   string
		// principal, interest, early repayment fee, total
		principal, interest, fee, total string
	}{
		{"pay-out day: the principal, nothing else", demoTerms(), Policy{}, "2025-01-15",
			"2000.00", "0.00", "0.00", "2000.00"},
		{"actual/365 mid-period", demoTerms(), actual365, "2025-01-30",
			// 2000.00 × 36 % × 15/365 = 29.5890
			"2000.00", "29.59", "0.00", "2029.59"},
		{"actual/365 after a missed installment", demoTerms(), actual365, "2025-03-01",
			// installment 1's interest 60.00 is due; the 1690.80 not yet due accrues from 15 Feb:
			// 1690.80 × 36 % × 14/365 = 23.3460; the overdue 309.20 principal draws no regular interest
			"2000.00", "83.35", "0.00", "2083.35"},
		{"30/360 mid-period", demoTerms(), thirty360, "2025-01-30",
			// 2000.00 × 36 % × 15/360 = 30.00
			"2000.00", "30.00", "0.00", "2030.00"},
		{"30/360 reads the 31st as the 30th", demoTerms(), thirty360, "2025-01-31",
			// 15 Jan to 31 Jan is 15 days in 30E/360: 2000.00 × 36 % × 15/360 = 30.00
			"2000.00", "30.00", "0.00", "2030.00"},
		{"30/360 after a missed installment", demoTerms(), thirty360, "2025-03-01",
			// 15 Feb to 1 Mar is 30 - 15 + 1 = 16 days: 1690.80 × 36 % × 16/360 = 27.0528
			"2000.00", "87.05", "0.00", "2087.05"},
		{"actual/actual splits the days by year", overNewYear, Policy{}, "2024-01-10",
			// 17 days of 2023 and 9 of 2024: 2000.00 × 36 % × (17/365 + 9/366) = 33.5342 + 17.7049
			"2000.00", "51.24", "0.00", "2051.24"},
		{"after maturity everything unpaid, no more interest", demoTerms(), Policy{}, "2025-08-01",
			"2000.00", "215.16", "0.00", "2215.16"},
		{"early-repayment fee capped at 0.5 % with less than a year left", demoTerms(), Policy{EarlyRepaymentFeePercent: dec("1")}, "2025-01-30",
			// interest 2000.00 × 36 % × 15/365 = 29.59; fee min(1 %, 0.5 %) × 2000.00 = 10.00,
			// below the interest saved 215.16 - 29.59
			"2000.00", "29.59", "10.00", "2039.59"},
		{"early-repayment fee of 1 % with more than a year left", long, Policy{EarlyRepaymentFeePercent: dec("1.5")}, "2025-01-15",
			// min(1.5 %, 1 %) × 2000.00 = 20.00
			"2000.00", "0.00", "20.00", "2020.00"},
		{"early-repayment fee never more than the interest saved", cheap, Policy{EarlyRepaymentFeePercent: dec("1")}, "2025-01-15",
			// 0.1 % a year: the schedule's interest is 0.17+0.14+0.11+0.08+0.06+0.03 = 0.59, all
			// saved on the pay-out day, below 0.5 % × 2000.00 = 10.00
			"2000.00", "0.00", "0.59", "2000.59"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := open(t, tc.terms, tc.policy)
			q, err := a.Quote(date(tc.asOf))
			require.NoError(t, err)
			requireMoney(t, tc.principal, q.Principal, "principal")
			requireMoney(t, tc.interest, q.Interest, "interest")
			requireMoney(t, "0", q.Fees, "fees")
			requireMoney(t, "0", q.Penalties, "penalties")
			requireMoney(t, tc.fee, q.EarlyRepaymentFee, "early repayment fee")
			requireMoney(t, tc.total, q.Total, "total")
			require.True(t, q.AsOf.Equal(date(tc.asOf)))
		})
	}
}

// TestQuoteCreditsInterestPaidInAdvance: paying the next installments early pays their interest for
// months the credit may not run; a settlement credits it, so settling on the pay-out day costs the
// principal however the money came in.
func TestQuoteCreditsInterestPaidInAdvance(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	_, err := a.Repay(dec("738.40"), date("2025-01-15"), StrategyNextInstallments) // installments 1 and 2
	require.NoError(t, err)
	q, err := a.Quote(date("2025-01-15"))
	require.NoError(t, err)
	// principal outstanding 2000.00 - 309.20 - 318.48 = 1372.32, less the interest paid in advance
	// 60.00 + 50.72 = 110.72: 1261.60, and 738.40 + 1261.60 = 2000.00
	requireMoney(t, "1261.60", q.Principal, "principal")
	requireMoney(t, "0", q.Interest, "interest")
	requireMoney(t, "1261.60", q.Total, "total")

	res, err := a.Settle(dec("1261.60"), date("2025-01-15"))
	require.NoError(t, err)
	require.Equal(t, StatePaid, a.State())
	requireMoney(t, "215.16", res.Unearned.Interest, "unearned interest")
	tot := a.Totals()
	requireMoney(t, "2000.00", tot.Paid.Principal, "principal paid")
	requireMoney(t, "0", tot.Paid.Interest, "interest paid")
	requireChecks(t, a)
}

func TestQuoteRefusals(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	_, err := a.Quote(date("2025-01-14"))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.ErrorIs(t, err, ErrBeforePayout)
	require.Equal(t, "as_of", e.Field)

	_, err = a.Repay(dec("2215.16"), date("2025-01-20"), "")
	require.NoError(t, err)
	_, err = a.Quote(date("2025-01-20"))
	require.True(t, errors.Is(err, ErrClosed), "a paid loan has no payoff: %v", err)
}
