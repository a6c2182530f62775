package workflows_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// payoutDay is the day walkToActive pays the loan out.
var payoutDay = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// penalties is a servicing policy that charges for arrears: 50.00 once per
// installment 3 days late, 36 % a year on the overdue principal, at most 20 %
// of the principal in all.
func penalties() servicing.Policy {
	return servicing.Policy{PenaltyGraceDays: 3, LateFee: decimal.NewFromInt(50), PenaltyRate: decimal.NewFromInt(36),
		PenaltyCapPercent: decimal.NewFromInt(20)}
}

func servicedInput(amount string, p servicing.Policy) *workflows.LoanInput {
	in := input(amount, 6)
	in.Product.Servicing = p
	return in
}

// at is the offset from the test's start of a calendar day, hour h.
func at(y int, m time.Month, d, h int) time.Duration {
	return time.Date(y, m, d, h, 0, 0, 0, time.UTC).Sub(start)
}

// viewAt queries the loan at the given offset.
func (h *harness) viewAt(offset time.Duration) *workflows.LoanView {
	v := &workflows.LoanView{}
	h.env.RegisterDelayedCallback(func() {
		res, err := h.env.QueryWorkflow(workflows.QueryStatus)
		require.NoError(h.t, err)
		require.NoError(h.t, res.Get(v))
	}, offset)
	return v
}

// payoffAt queries the payoff quote for asOf at the given offset.
func (h *harness) payoffAt(offset time.Duration, asOf time.Time) *servicing.Quote {
	q := &servicing.Quote{}
	h.env.RegisterDelayedCallback(func() {
		res, err := h.env.QueryWorkflow(workflows.QueryPayoff, asOf)
		require.NoError(h.t, err)
		require.NoError(h.t, res.Get(q))
	}, offset)
	return q
}

// expectedAccount is the account the test loan would have, for figures the
// workflow must agree with.
func expectedAccount(t *testing.T, p servicing.Policy) *servicing.Account {
	prod := product()
	prod.Servicing = p
	terms := prod.Terms(decimal.RequireFromString("2000.00"), 6, payoutDay)
	s, err := schedule.Generate(terms)
	require.NoError(t, err)
	acc, err := servicing.Open(terms, s, p)
	require.NoError(t, err)
	return acc
}

// TestArrearsDrawPenaltiesDaily: installment 1 (due 2026-04-10) unpaid, 45
// days later the loan is 45 days past due in bucket 31-60 and owes the
// penalties its policy charges; a payment of what the payoff quote says
// settles everything.
func TestArrearsDrawPenaltiesDaily(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	late := time.Date(2026, 5, 25, 0, 0, 0, 0, time.UTC)
	v := h.viewAt(at(2026, 5, 25, 12))
	q := h.payoffAt(at(2026, 5, 25, 12), late)
	settled := h.sendWith(at(2026, 5, 25, 13), workflows.UpdateSettle, "settle-1", func() any {
		return workflows.SettleRequest{Actor: "partner:demo", Key: "s1", Amount: q.Total, PaidOn: late}
	})
	final := h.run(servicedInput("2000.00", penalties()))

	require.Equal(t, lending.StatusInArrears, v.Status)
	require.Equal(t, 45, v.DaysPastDue)
	require.Equal(t, "31-60", v.DelinquencyBucket)
	want := expectedAccount(t, penalties())
	_, err := want.AccrueTo(late)
	require.NoError(t, err)
	require.True(t, want.Totals().Outstanding.Penalties.Equal(v.PenaltiesDue), "penalties %s, want %s", v.PenaltiesDue, want.Totals().Outstanding.Penalties)
	require.True(t, v.PenaltiesDue.GreaterThan(decimal.NewFromInt(50)), "a late fee and penalty interest")
	require.True(t, q.Penalties.Equal(v.PenaltiesDue))

	require.Equal(t, lending.StatusClosed, ok(t, settled).Status)
	require.Equal(t, lending.StatusClosed, final.Status)
	require.True(t, final.Remaining.IsZero())
	actions := map[lending.Action]bool{}
	for _, tr := range h.transitions {
		actions[tr.Action] = true
	}
	require.True(t, actions[lending.ActionArrears], "the loan went into arrears")
	require.True(t, actions[lending.ActionDelinquencyChange], "its bucket moved")
	require.True(t, actions[lending.ActionSettle], "it was settled")
	// The daily check wrote the account as the arrears grew: one snapshot
	// a day at most.
	require.Greater(t, len(h.servicing), 30)
	require.Less(t, len(h.servicing), 60)
}

// TestPaidOffOnThePayoutDayCostsThePrincipal: the quote on the pay-out day
// is the principal; another amount is refused with the quote.
func TestPaidOffOnThePayoutDayCostsThePrincipal(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	q := h.payoffAt(6*time.Hour, payoutDay)
	wrong := h.send(7*time.Hour, workflows.UpdateSettle, "s0", workflows.SettleRequest{Actor: "partner:demo", Key: "s0", Amount: decimal.RequireFromString("2215.16"), PaidOn: payoutDay})
	right := h.send(8*time.Hour, workflows.UpdateSettle, "s1", workflows.SettleRequest{Actor: "partner:demo", Key: "s1", Amount: decimal.RequireFromString("2000.00"), PaidOn: payoutDay})
	final := h.run(ledgerInput("fineract"))

	require.Equal(t, "2000.00", q.Total.StringFixed(2))
	require.Equal(t, workflows.ErrTypeQuoteMismatch, errType(t, wrong.rejected))
	require.Equal(t, lending.StatusClosed, ok(t, right).Status)
	require.Equal(t, lending.StatusClosed, final.Status)
	require.Equal(t, []string{"payoff L-77 s1 2000.00"}, h.ledgerAfterPayout(), "a payoff posting, when the loan is booked")
}

// ledgerAfterPayout is the ledger postings after the pay-out's.
func (h *harness) ledgerAfterPayout() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, p := range h.ledger {
		if len(p) > 0 && p[0] != 'b' && p[0] != 'd' && p[:3] != "rec" {
			out = append(out, p)
		}
	}
	return out
}

// TestOverpaymentWaitsForItsRefund: money beyond all the loan claims leaves
// it OVERPAID; a refund above the overpaid balance is refused, the exact one
// closes it.
func TestOverpaymentWaitsForItsRefund(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	over := h.send(6*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: decimal.RequireFromString("2500.00")})
	extra := decimal.RequireFromString("2500.00").Sub(restAfter(t, "0"))
	tooMuch := h.send(7*time.Hour, workflows.UpdateRefund, "f0", workflows.RefundRequest{Actor: "staff:ops", Key: "f0", Amount: extra.Add(decimal.RequireFromString("0.01")), Reason: "refund"})
	refund := h.send(8*time.Hour, workflows.UpdateRefund, "f1", workflows.RefundRequest{Actor: "staff:ops", Key: "f1", Amount: extra, Reason: "paid back in cash"})
	final := h.run(ledgerInput("fineract"))

	require.Equal(t, lending.StatusOverpaid, ok(t, over).Status)
	require.True(t, ok(t, over).Overpaid.Equal(extra))
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, tooMuch.rejected))
	require.Equal(t, lending.StatusClosed, ok(t, refund).Status)
	require.True(t, final.Overpaid.IsZero())
	require.Equal(t, []string{"repay L-77 r1 2500.00", "refund L-77 f1 " + extra.StringFixed(2)}, h.ledgerAfterPayout(),
		"the ledger's loan is overpaid and refunded too")
}

// TestWriteOffNeedsFourEyesThenTakesRecoveries: above the product's
// threshold two different operations staff write a loan off; the same one
// twice is refused; later money is a recovery and the loan stays written
// off until it is recovered in full.
func TestWriteOffNeedsFourEyesThenTakesRecoveries(t *testing.T) {
	h := newHarness(t)
	h.send(30*time.Minute, workflows.UpdateApprove, "approve-u2", staff("u2")) // the loan needs two approvals too
	walkToActive(h)
	first := h.send(6*time.Hour, workflows.UpdateWriteOff, "w1", workflows.DecisionRequest{Actor: "staff:ops1", Reason: "borrower deceased"})
	again := h.send(7*time.Hour, workflows.UpdateWriteOff, "w2", workflows.DecisionRequest{Actor: "staff:ops1", Reason: "again"})
	second := h.send(8*time.Hour, workflows.UpdateWriteOff, "w3", workflows.DecisionRequest{Actor: "staff:ops2", Reason: "agreed"})
	recovery := h.send(9*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: decimal.RequireFromString("100.00")})
	settleRefused := h.send(10*time.Hour, workflows.UpdateSettle, "s1", workflows.SettleRequest{Actor: "partner:demo", Key: "s1", Amount: decimal.RequireFromString("1900.00")})
	v := h.viewAt(11 * time.Hour)
	in := input("45000.00", 6) // above the 30,000 four-eyes threshold
	in.Product.MaxAmount = decimal.RequireFromString("50000")
	h.sendWith(12*time.Hour, workflows.UpdateRepay, "r2", func() any {
		return workflows.RepaymentRequest{Actor: "partner:demo", Key: "r2", Amount: v.WrittenOff.Sub(decimal.RequireFromString("100.00"))}
	})
	final := h.run(in)

	require.Equal(t, lending.StatusActive, ok(t, first).Status, "one approval of two")
	require.Equal(t, workflows.ErrTypeForbidden, errType(t, again.rejected))
	require.Equal(t, lending.StatusWrittenOff, ok(t, second).Status)
	require.Equal(t, lending.StatusWrittenOff, ok(t, recovery).Status)
	require.Equal(t, workflows.ErrTypeIllegalTransition, errType(t, settleRefused.rejected))
	require.Equal(t, "45000.00", v.WrittenOff.StringFixed(2), "written off on the pay-out day: the principal")
	require.Equal(t, "100.00", v.Recovered.StringFixed(2))
	require.Equal(t, lending.StatusClosed, final.Status, "recovered in full")
}

// TestWaiverLowersWhatIsDue: a waiver of penalties drops what is due by
// exactly its amount; above what is due it is refused.
func TestWaiverLowersWhatIsDue(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	before := h.viewAt(at(2026, 5, 25, 12))
	tooMuch := h.send(at(2026, 5, 25, 13), workflows.UpdateWaive, "v0", workflows.WaiveRequest{Actor: "staff:ops", Key: "v0", Component: "penalties", Amount: decimal.NewFromInt(10000), Reason: "goodwill"})
	waived := h.send(at(2026, 5, 25, 14), workflows.UpdateWaive, "v1", workflows.WaiveRequest{Actor: "staff:ops", Key: "v1", Component: "penalties", Amount: decimal.NewFromInt(50), Reason: "goodwill"})
	unknown := h.send(at(2026, 5, 25, 15), workflows.UpdateWaive, "v2", workflows.WaiveRequest{Actor: "staff:ops", Key: "v2", Component: "principal", Amount: decimal.NewFromInt(1), Reason: "no"})
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, at(2026, 5, 26, 0))
	h.env.ExecuteWorkflow(workflows.LoanWorkflowName, servicedInput("2000.00", penalties()))

	require.Equal(t, workflows.ErrTypeInvalid, errType(t, tooMuch.rejected))
	require.True(t, before.PenaltiesDue.Sub(decimal.NewFromInt(50)).Equal(ok(t, waived).PenaltiesDue))
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, unknown.rejected))
}

// TestPaymentHolidayMovesUnpaidInstallments: two periods deferred: every
// unpaid installment is due two months later.
func TestPaymentHolidayMovesUnpaidInstallments(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	noReason := h.send(6*time.Hour, workflows.UpdateReschedule, "h0", workflows.RescheduleRequest{Actor: "staff:u1", Periods: 2})
	moved := h.send(7*time.Hour, workflows.UpdateReschedule, "h1", workflows.RescheduleRequest{Actor: "staff:u1", Periods: 2, Reason: "hospital"})
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, 8*time.Hour)
	h.env.ExecuteWorkflow(workflows.LoanWorkflowName, input("2000.00", 6))

	require.Equal(t, workflows.ErrTypeInvalid, errType(t, noReason.rejected))
	v := ok(t, moved)
	require.Equal(t, "2026-06-10", v.Installments[0].DueDate.Format(time.DateOnly))
	require.Equal(t, "2026-11-10", v.Installments[5].DueDate.Format(time.DateOnly))
}

// TestPrepaymentStrategies: 500.00 paid on the pay-out day beyond what is
// due: next_installments covers the next installments as they are;
// reduce_installment keeps six installments, each smaller; reduce_term
// keeps the installment, with fewer of them. The principal always sums to
// what was lent.
func TestPrepaymentStrategies(t *testing.T) {
	for _, tc := range []struct {
		strategy string
		check    func(t *testing.T, v *workflows.LoanView, base *schedule.Schedule)
	}{
		{servicing.StrategyNextInstallments, func(t *testing.T, v *workflows.LoanView, base *schedule.Schedule) {
			require.Len(t, v.Installments, 6)
			require.True(t, v.Installments[0].Total.Equal(base.Periods[0].Total))
		}},
		{servicing.StrategyReduceInstallment, func(t *testing.T, v *workflows.LoanView, base *schedule.Schedule) {
			require.Len(t, v.Installments, 6)
			require.True(t, v.Installments[3].Total.LessThan(base.Periods[3].Total))
		}},
		{servicing.StrategyReduceTerm, func(t *testing.T, v *workflows.LoanView, base *schedule.Schedule) {
			require.Less(t, len(v.Installments), 6)
		}},
	} {
		t.Run(tc.strategy, func(t *testing.T) {
			h := newHarness(t)
			walkToActive(h)
			pre := h.send(6*time.Hour, workflows.UpdateRepay, "p", workflows.RepaymentRequest{Actor: "partner:demo", Key: "p",
				Amount: decimal.RequireFromString("500.00"), Strategy: tc.strategy})
			h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, 7*time.Hour)
			h.env.ExecuteWorkflow(workflows.LoanWorkflowName, input("2000.00", 6))
			v := ok(t, pre)
			principal := decimal.Zero
			for _, in := range v.Installments {
				principal = principal.Add(in.Principal)
			}
			require.Equal(t, "2000.00", principal.StringFixed(2))
			tc.check(t, v, expectedSchedule(t, "2000.00", 6))
		})
	}
	h := newHarness(t)
	walkToActive(h)
	bad := h.send(6*time.Hour, workflows.UpdateRepay, "p", workflows.RepaymentRequest{Actor: "partner:demo", Key: "p", Amount: decimal.NewFromInt(1), Strategy: "sooner"})
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, 7*time.Hour)
	h.env.ExecuteWorkflow(workflows.LoanWorkflowName, input("2000.00", 6))
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, bad.rejected))
}

// TestServicingUpdatesAreRefusedBeforeThePayout: nothing can be settled,
// refunded, waived, written off or rescheduled before the money went out.
func TestServicingUpdatesAreRefusedBeforeThePayout(t *testing.T) {
	h := newHarness(t)
	calls := []*outcome{
		h.send(time.Hour, workflows.UpdateSettle, "a", workflows.SettleRequest{Actor: "partner:demo", Key: "a", Amount: decimal.NewFromInt(1)}),
		h.send(time.Hour, workflows.UpdateRefund, "b", workflows.RefundRequest{Actor: "staff:o", Key: "b", Amount: decimal.NewFromInt(1), Reason: "x"}),
		h.send(time.Hour, workflows.UpdateWaive, "c", workflows.WaiveRequest{Actor: "staff:o", Key: "c", Component: "interest", Amount: decimal.NewFromInt(1), Reason: "x"}),
		h.send(time.Hour, workflows.UpdateWriteOff, "d", workflows.DecisionRequest{Actor: "staff:o", Reason: "x"}),
		h.send(time.Hour, workflows.UpdateReschedule, "e", workflows.RescheduleRequest{Actor: "staff:u", Periods: 1, Reason: "x"}),
	}
	h.send(2*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
	require.Equal(t, lending.StatusCancelled, h.run(input("2000.00", 6)).Status)
	for _, c := range calls {
		require.Equal(t, workflows.ErrTypeIllegalTransition, errType(t, c.rejected))
	}
}

// TestLoanPaidOutBeforeServicingMovesOntoAnAccount: a loan whose state has
// installments and no account (paid out before the servicing change) is
// serviced from its first Update on, its repayments carried over.
func TestLoanPaidOutBeforeServicingMovesOntoAnAccount(t *testing.T) {
	sched := expectedSchedule(t, "2000.00", 6)
	in := input("2000.00", 6)
	st := &workflows.LoanState{Status: lending.StatusActive, Seq: 6, Documents: map[lending.DocumentKind]uint{},
		Repaid: decimal.RequireFromString("100.00"), Overpaid: decimal.Zero, LenderRepaid: decimal.Zero,
		Repayments: []string{"old"}}
	paidOut := payoutDay
	st.DisbursedOn = &paidOut
	for _, p := range sched.Periods {
		st.Installments = append(st.Installments, workflows.Installment{Number: p.Number, FromDate: p.FromDate, DueDate: p.DueDate,
			Principal: p.Principal, Interest: p.Interest, Fees: p.Fees, Total: p.Total, Paid: decimal.Zero})
	}
	st.Installments[0].Paid = decimal.RequireFromString("100.00")
	in.State = st
	h := newHarness(t)
	q := h.payoffAt(time.Hour, payoutDay)
	settle := h.send(2*time.Hour, workflows.UpdateSettle, "s", workflows.SettleRequest{Actor: "partner:demo", Key: "s", Amount: decimal.RequireFromString("1900.00"), PaidOn: payoutDay})
	final := h.run(in)

	require.Equal(t, "1900.00", q.Total.StringFixed(2), "the 100.00 repaid before counts")
	require.Equal(t, lending.StatusClosed, ok(t, settle).Status)
	require.Equal(t, lending.StatusClosed, final.Status)
}

// TestLoanEndedWhileTheLoopWaitsForTheLockCompletes: the loan's daily wake
// comes while the Update that settles it still persists the closure under
// the lock; the loop, which saw the loan serviced, gets the lock once the
// loan is CLOSED and must end the workflow rather than wait for a change
// that can no longer come.
func TestLoanEndedWhileTheLoopWaitsForTheLockCompletes(t *testing.T) {
	h := newHarness(t)
	h.slowTo = lending.StatusClosed // persisting the closure takes a minute
	walkToActive(h)
	dueDay := payoutDay.AddDate(0, 1, 0)
	wake := dueDay.AddDate(0, 0, 1).Sub(start) // the loop's timer: the day after the first due date
	q := h.payoffAt(wake-time.Hour, dueDay)
	settled := h.sendWith(wake-30*time.Second, workflows.UpdateSettle, "s1", func() any {
		return workflows.SettleRequest{Actor: "partner:demo", Key: "s1", Amount: q.Total, PaidOn: dueDay}
	})
	final := h.run(input("2000.00", 6))
	require.Equal(t, lending.StatusClosed, ok(t, settled).Status)
	require.Equal(t, lending.StatusClosed, final.Status)
}
