package servicing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// penaltyPolicy: five grace days, a 25.00 late fee and 36 % a year on overdue principal.
func penaltyPolicy() Policy {
	return Policy{PenaltyGraceDays: 5, LateFee: dec("25.00"), PenaltyRate: dec("36")}
}

// On 1 April 2025 the demo loan, never paid, is 45 days past due (installment 1, due 15 Feb).
//
//	installment 1: late fee 25.00; 309.20 overdue from 20 Feb (due + 5 grace days), 40 days:
//	               309.20 × 36 % × 40/365 = 12.1984 -> 12.20
//	installment 2: late fee 25.00; 318.48 overdue from 20 Mar, 12 days:
//	               318.48 × 36 % × 12/365 = 3.7694 -> 3.77
//	installment 3: due 15 April, nothing yet
func TestPenaltiesFortyFiveDaysOverdue(t *testing.T) {
	a := open(t, demoTerms(), penaltyPolicy())
	res, err := a.AccrueTo(date("2025-04-01"))
	require.NoError(t, err)
	d := a.Delinquency(date("2025-04-01"))
	require.Equal(t, 45, d.DaysPastDue)
	require.Equal(t, "31-60", d.Bucket)
	require.Equal(t, 1, d.Oldest)

	requireAccrued(t, res, "65.97", [2]string{"25.00", "12.20"}, [2]string{"25.00", "3.77"})
	requireMoney(t, "65.97", a.Totals().Outstanding.Penalties, "penalties due")

	q, err := a.Quote(date("2025-04-01"))
	require.NoError(t, err)
	requireMoney(t, "65.97", q.Penalties, "penalties in the payoff")
	requireChecks(t, a)
}

// Accruing every day gives the same penalty interest as accruing once: the cumulative figure is
// rounded, not each day's. Rounding each day would charge 40 × round(309.20 × 36 % / 365 = 0.30496)
// = 40 × 0.30 = 12.00, twenty cents short of 12.20.
func TestDailyAccrualDoesNotDrift(t *testing.T) {
	once := open(t, demoTerms(), penaltyPolicy())
	_, err := once.AccrueTo(date("2025-04-01"))
	require.NoError(t, err)

	daily := open(t, demoTerms(), penaltyPolicy())
	for d := date("2025-01-16"); !d.After(date("2025-04-01")); d = d.AddDate(0, 0, 1) {
		_, err := daily.AccrueTo(d)
		require.NoError(t, err)
	}
	requireMoney(t, "12.20", daily.Installments[0].PenaltyInterest, "installment 1 penalty interest, daily")
	requireMoney(t, "3.77", daily.Installments[1].PenaltyInterest, "installment 2 penalty interest, daily")
	require.Equal(t, once.Totals().Charged.Penalties.String(), daily.Totals().Charged.Penalties.String())
}

func TestAccrualIsIdempotentAndMonotonic(t *testing.T) {
	a := open(t, demoTerms(), penaltyPolicy())
	_, err := a.AccrueTo(date("2025-04-01"))
	require.NoError(t, err)
	for _, d := range []string{"2025-04-01", "2025-03-01", "2025-01-15"} {
		res, err := a.AccrueTo(date(d))
		require.NoError(t, err)
		requireMoney(t, "0", res.Total, "accrual to %s after 1 April", d)
	}
	requireMoney(t, "65.97", a.Totals().Charged.Penalties, "penalties")
}

// The grace days: on 20 Feb (5 days late) nothing; on 21 Feb the late fee and one day of penalty
// interest, 309.20 × 36 % / 365 = 0.3050 -> 0.30.
func TestPenaltyGraceDays(t *testing.T) {
	a := open(t, demoTerms(), penaltyPolicy())
	res, err := a.AccrueTo(date("2025-02-20"))
	require.NoError(t, err)
	require.Empty(t, res.Charges)
	res, err = a.AccrueTo(date("2025-02-21"))
	require.NoError(t, err)
	requireAccrued(t, res, "25.30", [2]string{"25.00", "0.30"})
}

// A cap of 2 % of 2000.00 is 40.00: installment 1 draws its 25.00 and 12.20, installment 2 only the
// 2.80 left of its late fee, and nothing more is ever charged.
func TestPenaltyCap(t *testing.T) {
	p := penaltyPolicy()
	p.PenaltyCapPercent = dec("2")
	a := open(t, demoTerms(), p)
	res, err := a.AccrueTo(date("2025-04-01"))
	require.NoError(t, err)
	requireAccrued(t, res, "40.00", [2]string{"25.00", "12.20"}, [2]string{"2.80", "0"})

	res, err = a.AccrueTo(date("2025-06-01"))
	require.NoError(t, err)
	requireMoney(t, "0", res.Total, "after the cap")
	requireMoney(t, "40.00", a.Totals().Charged.Penalties, "penalties ever charged")
	requireChecks(t, a)
}

func TestDelinquencyBuckets(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	custom := open(t, demoTerms(), Policy{Buckets: []int{7, 14}})
	cases := []struct {
		asOf         string
		dpd          int
		bucket, mine string
	}{
		{"2025-02-15", 0, "current", "current"}, // due today is not past due
		{"2025-02-16", 1, "1-30", "1-7"},
		{"2025-02-25", 10, "1-30", "8-14"},
		{"2025-03-17", 30, "1-30", "14+"},
		{"2025-03-18", 31, "31-60", "14+"},
		{"2025-04-16", 60, "31-60", "14+"},
		{"2025-04-17", 61, "61-90", "14+"},
		{"2025-05-17", 91, "90+", "14+"},
	}
	for _, tc := range cases {
		d := a.Delinquency(date(tc.asOf))
		require.Equal(t, tc.dpd, d.DaysPastDue, tc.asOf)
		require.Equal(t, tc.bucket, d.Bucket, tc.asOf)
		require.Equal(t, tc.mine, custom.Delinquency(date(tc.asOf)).Bucket, tc.asOf)
	}

	// Paying installment 1 moves the oldest unpaid to installment 2, due 15 March.
	_, err := a.Repay(dec("369.20"), date("2025-03-20"), "")
	require.NoError(t, err)
	d := a.Delinquency(date("2025-03-20"))
	require.Equal(t, 5, d.DaysPastDue)
	require.Equal(t, 2, d.Oldest)
}
