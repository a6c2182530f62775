package servicing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

type row struct {
	due, principal, interest string
}

func requireInstallments(t *testing.T, a *Account, want []row) {
	t.Helper()
	require.Len(t, a.Installments, len(want))
	for i, w := range want {
		in := a.Installments[i]
		require.Equal(t, w.due, in.DueDate.Format("2006-01-02"), "installment %d due date", in.Number)
		requireMoney(t, w.principal, in.Principal.Charged, "installment %d principal", in.Number)
		requireMoney(t, w.interest, in.Interest.Charged, "installment %d interest", in.Number)
	}
}

// requireAmortized checks what re-amortization promises: the installments' principal adds up to the
// 2000.00 paid out exactly, so the balance after the last one is zero.
func requireAmortized(t *testing.T, a *Account) {
	t.Helper()
	balance := dec("2000.00")
	for _, in := range a.Installments {
		balance = balance.Sub(in.Principal.Charged)
	}
	requireMoney(t, "0", balance, "balance after the last installment")
	requireChecks(t, a)
}

// prepayOnFirstDue pays 1369.20 on 15 Feb, when installment 1 (369.20) falls due, prepaying 1000.00
// with strategy, which must reschedule.
func prepayOnFirstDue(t *testing.T, strategy string) (*Account, RepayResult) {
	t.Helper()
	a := open(t, demoTerms(), Policy{})
	res, err := a.Repay(dec("1369.20"), date("2025-02-15"), strategy)
	require.NoError(t, err)
	require.True(t, res.Rescheduled)
	return a, res
}

// On 15 Feb installment 1 (369.20) falls due; 1369.20 pays it and prepays 1000.00. The balance is
// 1690.80 - 1000.00 = 690.80 over the 5 installments left, from 15 Feb at 3 % a month:
//
//	EMI = 690.80 × 0.03 / (1 - 1.03^-5) = 150.839 -> 150.84
//	#2  interest 690.80 × 3 % = 20.72   principal 130.12  balance 560.68
//	#3           16.82                   134.02           426.66
//	#4           12.80                   138.04           288.62
//	#5            8.66                   142.18           146.44
//	#6            4.39                   146.44 (the rest)   0.00
//
// The 1000.00 is recorded as principal paid on installment 2 (charged 130.12 + 1000.00).
func TestReduceInstallment(t *testing.T) {
	a, res := prepayOnFirstDue(t, StrategyReduceInstallment)
	requireMoney(t, "1000.00", res.PrincipalPrepaid, "principal prepaid")
	requireMoney(t, "0", res.Overpayment, "overpayment")
	requireInstallments(t, a, []row{
		{"2025-02-15", "309.20", "60.00"},
		{"2025-03-15", "1130.12", "20.72"},
		{"2025-04-15", "134.02", "16.82"},
		{"2025-05-15", "138.04", "12.80"},
		{"2025-06-15", "142.18", "8.66"},
		{"2025-07-15", "146.44", "4.39"},
	})
	for _, in := range a.Installments[1:5] {
		requireMoney(t, "150.84", in.Principal.Outstanding().Add(in.Interest.Outstanding()), "installment %d due", in.Number)
	}
	requireAmortized(t, a)
}

// reduce_term keeps the installment of 369.20 (principal + interest of the installments left) and
// repays 690.80 sooner:
//
//	#2  interest 690.80 × 3 % = 20.72   principal 369.20 - 20.72 = 348.48   balance 342.32
//	#3           342.32 × 3 % = 10.27   principal 342.32 (the rest)          0.00
//
// so three installments remain of six.
func TestReduceTerm(t *testing.T) {
	a, _ := prepayOnFirstDue(t, StrategyReduceTerm)
	requireInstallments(t, a, []row{
		{"2025-02-15", "309.20", "60.00"},
		{"2025-03-15", "1348.48", "20.72"},
		{"2025-04-15", "342.32", "10.27"},
	})
	requireMoney(t, "369.20", a.Installments[1].Principal.Outstanding().Add(a.Installments[1].Interest.Outstanding()), "installment 2 due")
	requireAmortized(t, a)
}

// A prepayment mid-period keeps the interest the old balance accrued. Installment 1 is paid on its
// due date; on 1 March 1000.00 comes with reduce_installment:
//
//	accrued on 1690.80 from 15 Feb, 14 days: 1690.80 × 36 % × 14/365 = 23.35, paid first
//	principal prepaid 1000.00 - 23.35 = 976.65, balance 1690.80 - 976.65 = 714.15
//	EMI over 5: 714.15 × 0.03 / (1 - 1.03^-5) = 155.938 -> 155.94
//	#2  engine interest 714.15 × 3 % = 21.42 for the whole period, 14 of its 28 days left: 10.71
//	    interest 23.35 + 10.71 = 34.06, principal 155.94 - 21.42 = 134.52
func TestPrepaymentMidPeriodKeepsAccruedInterest(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	_, err := a.Repay(dec("369.20"), date("2025-02-15"), "")
	require.NoError(t, err)
	res, err := a.Repay(dec("1000.00"), date("2025-03-01"), StrategyReduceInstallment)
	require.NoError(t, err)
	requireMoney(t, "976.65", res.PrincipalPrepaid, "principal prepaid")
	requireParts(t, []Part{part(2, "976.65", "23.35", "0", "0")}, res.Parts)
	in := a.Installments[1]
	requireMoney(t, "34.06", in.Interest.Charged, "installment 2 interest")
	requireMoney(t, "23.35", in.Interest.Paid, "installment 2 interest paid")
	requireMoney(t, "1111.17", in.Principal.Charged, "installment 2 principal (134.52 + 976.65 prepaid)")
	require.Len(t, a.Installments, 6)
	requireAmortized(t, a)

	// A payoff the same day charges nothing more: the interest accrued is paid, the balance is 714.15.
	q, err := a.Quote(date("2025-03-01"))
	require.NoError(t, err)
	requireMoney(t, "714.15", q.Total, "payoff right after the prepayment")
}

// Under a reduce strategy, money that covers the payoff settles the loan; the rest is overpaid.
func TestReducePrepaymentCoveringThePayoffSettles(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	// On 30 Jan the payoff is 2000.00 + 2000.00 × 36 % × 15/365 = 2029.59.
	res, err := a.Repay(dec("2100.00"), date("2025-01-30"), StrategyReduceTerm)
	require.NoError(t, err)
	require.NotNil(t, res.Settlement)
	requireMoney(t, "2029.59", res.Settlement.Quote.Total, "payoff")
	requireMoney(t, "70.41", res.Overpayment, "overpayment")
	require.True(t, res.FullyPaid)
	require.Equal(t, StateOverpaid, a.State())
	requireMoney(t, "185.57", res.Settlement.Unearned.Interest, "interest not accrued (215.16 - 29.59)")
	requireChecks(t, a)
}

// Under next_installments only money beyond everything the schedule claims is overpaid: 2300.00 on
// the pay-out day pays the whole schedule (2215.16) and leaves 84.84.
func TestNextInstallmentsOverpaysBeyondTheSchedule(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	res, err := a.Repay(dec("2300.00"), date("2025-01-15"), StrategyNextInstallments)
	require.NoError(t, err)
	requireMoney(t, "84.84", res.Overpayment, "overpayment")
	require.Equal(t, StateOverpaid, a.State())
	requireMoney(t, "215.16", a.Totals().Paid.Interest, "interest paid")
	requireChecks(t, a)
}
