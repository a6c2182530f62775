package servicing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// On 1 March installment 1's 60.00 interest is due (the running period's accrual is not), so the
// payoff of 2083.35 drops by exactly what is waived and no more than 60.00 can be.
func TestWaive(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	_, err := a.Waive(date("2025-03-01"), Interest, dec("60.01"))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.ErrorIs(t, err, ErrAboveDue)
	require.Equal(t, "amount", e.Field)
	_, err = a.Waive(date("2025-03-01"), Fees, dec("0.01"))
	require.ErrorIs(t, err, ErrAboveDue, "no fees are due")
	_, err = a.Waive(date("2025-03-01"), Principal, dec("1"))
	require.ErrorAs(t, err, &e)
	require.ErrorIs(t, err, ErrUnknownComponent)
	require.Equal(t, "component", e.Field)

	res, err := a.Waive(date("2025-03-01"), Interest, dec("20.00"))
	require.NoError(t, err)
	requireParts(t, []Part{part(1, "0", "20.00", "0", "0")}, res.Parts)
	q, err := a.Quote(date("2025-03-01"))
	require.NoError(t, err)
	requireMoney(t, "2063.35", q.Total, "payoff after the waiver (2083.35 - 20.00)")
	requireMoney(t, "40.00", a.Installments[0].Interest.Outstanding(), "installment 1 interest due")
	requireChecks(t, a)
}

// Penalties are waived oldest first, all of them whatever the installment's due date.
func TestWaivePenalties(t *testing.T) {
	a := open(t, demoTerms(), penaltyPolicy())
	_, err := a.AccrueTo(date("2025-04-01")) // 37.20 on installment 1, 28.77 on installment 2
	require.NoError(t, err)
	_, err = a.Waive(date("2025-04-01"), Penalties, dec("65.98"))
	require.ErrorIs(t, err, ErrAboveDue)
	res, err := a.Waive(date("2025-04-01"), Penalties, dec("40.00"))
	require.NoError(t, err)
	requireParts(t, []Part{part(1, "0", "0", "0", "37.20"), part(2, "0", "0", "0", "2.80")}, res.Parts)
	requireMoney(t, "25.97", a.Totals().Outstanding.Penalties, "penalties left")
	requireChecks(t, a)
}

func TestRefund(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	_, err := a.Refund(dec("0.01"))
	require.ErrorIs(t, err, ErrAboveOverpaid, "nothing is held")
	_, err = a.Repay(dec("2300.00"), date("2025-01-15"), "") // 84.84 beyond the schedule
	require.NoError(t, err)
	_, err = a.Refund(dec("84.85"))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.ErrorIs(t, err, ErrAboveOverpaid)
	require.Equal(t, "amount", e.Field)
	_, err = a.Refund(dec("-5"))
	require.ErrorIs(t, err, ErrInvalidAmount)

	res, err := a.Refund(dec("80.00"))
	require.NoError(t, err)
	requireMoney(t, "4.84", res.Overpaid, "still held")
	require.Equal(t, StateOverpaid, a.State())
	_, err = a.Refund(dec("4.84"))
	require.NoError(t, err)
	require.Equal(t, StatePaid, a.State())
	requireMoney(t, "84.84", a.Refunded, "refunded")
	requireChecks(t, a)
}

// Written off on 1 March, the demo loan owes 2000.00 principal and 83.35 interest (60.00 due, 23.35
// accrued); the other 131.81 of the schedule's interest was never earned. Payments afterwards are
// recoveries up to the 2083.35, then overpaid.
func TestWriteOffThenRecovery(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	w, err := a.WriteOff(date("2025-03-01"))
	require.NoError(t, err)
	requireMoney(t, "2000.00", w.Amount.Principal, "principal written off")
	requireMoney(t, "83.35", w.Amount.Interest, "interest written off")
	requireMoney(t, "2083.35", w.Total, "written off")
	requireMoney(t, "131.81", w.Unearned.Interest, "unearned interest")
	require.Equal(t, StateWrittenOff, a.State())
	requireChecks(t, a)

	_, err = a.WriteOff(date("2025-03-02"))
	require.ErrorIs(t, err, ErrWrittenOff)
	_, err = a.Quote(date("2025-03-02"))
	require.ErrorIs(t, err, ErrWrittenOff)
	_, err = a.Settle(dec("1.00"), date("2025-03-02"))
	require.ErrorIs(t, err, ErrWrittenOff)
	_, err = a.Waive(date("2025-03-02"), Interest, dec("1.00"))
	require.ErrorIs(t, err, ErrWrittenOff)
	_, err = a.Defer(date("2025-03-02"), 1, "")
	require.ErrorIs(t, err, ErrWrittenOff)

	r, err := a.Repay(dec("500.00"), date("2025-04-01"), "")
	require.NoError(t, err)
	requireMoney(t, "500.00", r.Recovered, "recovered")
	r, err = a.Repay(dec("1600.00"), date("2025-05-01"), "")
	require.NoError(t, err)
	requireMoney(t, "1583.35", r.Recovered, "recovered, up to what was written off")
	requireMoney(t, "16.65", r.Overpayment, "beyond it, held for a refund")
	require.Equal(t, StateWrittenOff, a.State())
	requireMoney(t, "2083.35", a.Recovered, "recovered in all")
	_, err = a.Refund(dec("16.65"))
	require.NoError(t, err)
	requireChecks(t, a)
}

func TestWriteOffOfAClosedLoan(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	_, err := a.Settle(dec("2000.00"), date("2025-01-15"))
	require.NoError(t, err)
	_, err = a.WriteOff(date("2025-02-01"))
	require.ErrorIs(t, err, ErrClosed)
}

// A two-period holiday granted on 10 Feb moves every installment two months on. The deferred interest
// is 2000.00's from 15 Feb to 15 Apr, 59 days: 2000.00 × 36 % × 59/365 = 116.3836 -> 116.38.
func TestHolidayFirstInstallment(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	res, err := a.Defer(date("2025-02-10"), 2, HolidayFirstInstallment)
	require.NoError(t, err)
	requireMoney(t, "116.38", res.Interest, "deferred interest")
	require.Len(t, res.Moved, 6)
	requireInstallments(t, a, []row{
		{"2025-04-15", "309.20", "176.38"}, // 60.00 + 116.38
		{"2025-05-15", "318.48", "50.72"},
		{"2025-06-15", "328.03", "41.17"},
		{"2025-07-15", "337.87", "31.33"},
		{"2025-08-15", "348.01", "21.19"},
		{"2025-09-15", "358.41", "10.75"},
	})
	require.Equal(t, "2025-01-15", a.Installments[0].FromDate.Format("2006-01-02"))
	require.Equal(t, "2025-04-15", a.Installments[1].FromDate.Format("2006-01-02"))
	require.Equal(t, 0, a.Delinquency(date("2025-03-01")).DaysPastDue, "nothing is due during the holiday")
	requireAmortized(t, a)

	// A payoff during the holiday charges only the interest accrued: 2000.00 × 36 % × 59/365 = 116.38
	// from the pay-out on 15 Jan to 15 Mar.
	q, err := a.Quote(date("2025-03-15"))
	require.NoError(t, err)
	requireMoney(t, "116.38", q.Interest, "interest")
	requireMoney(t, "2116.38", q.Total, "payoff")
}

// Capitalized, the 116.38 becomes principal: 2116.38 re-amortized over the six moved installments, a
// period at a time from 15 March, installment 1 keeping its own 60.00 of interest:
//
//	EMI = 2116.38 × 0.03 / (1 - 1.03^-6) = 390.680 -> 390.68
//	#1  engine interest 2116.38 × 3 % = 63.49, principal 390.68 - 63.49 = 327.19 (interest stays 60.00)
//	#2  balance 1789.19, interest 53.68, principal 337.00
func TestHolidayCapitalize(t *testing.T) {
	a := open(t, demoTerms(), Policy{HolidayInterest: HolidayCapitalize})
	res, err := a.Defer(date("2025-02-10"), 2, "")
	require.NoError(t, err)
	require.Equal(t, HolidayCapitalize, res.Rule)
	requireMoney(t, "116.38", a.Capitalized, "capitalized")
	require.Len(t, a.Installments, 6)
	requireMoney(t, "327.19", a.Installments[0].Principal.Charged, "installment 1 principal")
	requireMoney(t, "60.00", a.Installments[0].Interest.Charged, "installment 1 interest")
	requireMoney(t, "337.00", a.Installments[1].Principal.Charged, "installment 2 principal")
	requireMoney(t, "53.68", a.Installments[1].Interest.Charged, "installment 2 interest")
	balance := dec("2116.38")
	for _, in := range a.Installments {
		balance = balance.Sub(in.Principal.Charged)
	}
	requireMoney(t, "0", balance, "balance after the last installment")
	requireChecks(t, a)

	// Settled on 15 Mar, mid-holiday: the holiday's interest has accrued for 15 Feb to 15 Mar only,
	// 2000.00 × 36 % × 28/365 = 55.23, so 116.38 - 55.23 = 61.15 of the capitalized interest is
	// released; installment 1's running interest is at its 60.00.
	q, err := a.Quote(date("2025-03-15"))
	require.NoError(t, err)
	requireMoney(t, "2055.23", q.Principal, "principal (2116.38 - 61.15)")
	requireMoney(t, "60.00", q.Interest, "interest")
	s, err := a.Settle(q.Total, date("2025-03-15"))
	require.NoError(t, err)
	requireMoney(t, "61.15", s.CapitalizedReleased, "released")
	requireMoney(t, "55.23", a.Capitalized, "capitalized and earned")
	requireChecks(t, a)
}

func TestRefusalsNameTheField(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	cases := []struct {
		name  string
		err   error
		field string
		cause error
	}{
		{"zero repayment", err1(a.Repay(dec("0"), date("2025-02-01"), "")), "amount", ErrInvalidAmount},
		{"negative repayment", err1(a.Repay(dec("-1"), date("2025-02-01"), "")), "amount", ErrInvalidAmount},
		{"repayment finer than the currency", err1(a.Repay(dec("1.001"), date("2025-02-01"), "")), "amount", ErrAmountScale},
		{"repayment before the pay-out", err1(a.Repay(dec("1"), date("2025-01-14"), "")), "paid_on", ErrBeforePayout},
		{"unknown strategy", err1(a.Repay(dec("1"), date("2025-02-01"), "pay_whatever")), "prepayment_strategy", ErrUnknownStrategy},
		{"no periods", err1(a.Defer(date("2025-02-01"), 0, "")), "defer_periods", ErrInvalidPeriods},
		{"too many periods", err1(a.Defer(date("2025-02-01"), 121, "")), "defer_periods", ErrInvalidPeriods},
		{"unknown holiday rule", err1(a.Defer(date("2025-02-01"), 1, "forgive")), "rule", ErrUnknownRule},
		{"accrual before the pay-out", err1(a.AccrueTo(date("2024-12-31"))), "as_of", ErrBeforePayout},
		{"write-off before the pay-out", err1(a.WriteOff(date("2024-12-31"))), "on", ErrBeforePayout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var e *Error
			require.ErrorAs(t, tc.err, &e)
			require.ErrorIs(t, tc.err, tc.cause)
			require.Equal(t, tc.field, e.Field)
		})
	}
	requireMoney(t, "0", a.Received, "nothing was booked")
}

func err1[T any](_ T, err error) error { return err }
