package servicing

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// regenerate asks the schedule engine, with the loan's own terms, for principal repaid over whole
// periods from from to the due dates dues. Grace, down payment and fees belong to the original
// schedule and are left out: fees stay on the installments they were charged to.
func (a *Account) regenerate(principal decimal.Decimal, from time.Time, dues []time.Time, fixedEMI *decimal.Decimal) (*schedule.Schedule, error) {
	t := a.Terms
	t.Principal = principal
	t.Disbursements = nil
	t.DisbursementDate = from
	t.ScheduleStartDate = nil
	t.FirstRepaymentDate = nil
	t.DueDates = dues
	t.NumberOfRepayments = len(dues)
	t.GraceOnPrincipal, t.GraceOnInterestPayment, t.GraceOnInterestCharged = 0, 0, 0
	t.DownPaymentPercent, t.FixedPrincipalPercentage = nil, nil
	t.Fees = nil
	t.FixedEMI = fixedEMI
	s, err := schedule.Generate(t)
	if err != nil {
		return nil, &Error{Err: ErrReschedule, Detail: err.Error()}
	}
	return s, nil
}

// prepayment is what a reduce-strategy prepayment did.
type prepayment struct {
	principal   decimal.Decimal
	rescheduled bool
}

// prepay applies money beyond what is due on d under a reduce strategy, when it is less than the
// payoff. Interest and fees paid in advance on installments not yet due are taken back and join the
// money, which pays the interest the running installment has accrued by d, penalties charged on
// installments not yet due, then principal. The schedule engine re-amortizes the remaining principal
// over the remaining due dates, in whole periods from the running period's start: reduce_installment
// keeps every installment and lowers them, reduce_term keeps the installment and drops the last ones.
// The running installment's interest is what the old balance accrued up to d (as a payoff on d would
// charge it) plus the engine's interest of the new balance for the whole period, pro rata to the days
// left after d; the principal prepaid is recorded paid on it. A prepayment on a due date so gives
// exactly the engine's schedule.
func (a *Account) prepay(d time.Time, money decimal.Decimal, strategy string, applied, reallocated *parts) (prepayment, error) {
	zero := a.zero()
	res := prepayment{principal: zero}
	k := a.firstNotDue(d)
	n := len(a.Installments)
	for i := k; i < n; i++ {
		in := &a.Installments[i]
		for _, c := range []Component{Interest, Fees} {
			am := in.amounts(c)
			money = money.Add(am.Paid)
			reallocated.add(in.Number, c, am.Paid)
			am.Paid = zero
		}
	}
	accrued := a.accruedInterest(k, d)
	run := &a.Installments[k]
	take := decimal.Min(money, decimal.Max(zero, accrued.Sub(run.Interest.Waived)))
	run.Interest.Paid = take
	applied.add(run.Number, Interest, take)
	money = money.Sub(take)
	for i := k; i < n && money.IsPositive(); i++ {
		in := &a.Installments[i]
		take := decimal.Min(money, in.Penalties.Outstanding())
		in.Penalties.Paid = in.Penalties.Paid.Add(take)
		applied.add(in.Number, Penalties, take)
		money = money.Sub(take)
	}
	if !money.IsPositive() {
		return res, nil
	}
	balance := a.notDuePrincipal(d)
	if money.GreaterThanOrEqual(balance) {
		// The caller settles a loan whose payoff the money covers, so this is a broken invariant.
		return res, &Error{Err: ErrReschedule, Detail: fmt.Sprintf("prepayment %s reaches the balance %s", money, balance)}
	}
	dues := make([]time.Time, 0, n-k)
	paidPrincipal := money
	for i := k; i < n; i++ {
		dues = append(dues, a.Installments[i].DueDate)
		paidPrincipal = paidPrincipal.Add(a.Installments[i].Principal.Paid)
	}
	newBalance := balance.Sub(money)
	var s *schedule.Schedule
	var err error
	if strategy == StrategyReduceTerm {
		s, err = a.shorter(k, newBalance, dues)
	} else {
		s, err = a.regenerate(newBalance, run.FromDate, dues, nil)
	}
	if err != nil {
		return res, err
	}
	applied.add(run.Number, Principal, money)
	res.principal, res.rescheduled = money, true
	restInterest := s.Periods[0].Interest
	if days := daysBetween(run.FromDate, run.DueDate); days > 0 {
		left := decimal.NewFromInt(daysBetween(d, run.DueDate))
		restInterest = a.money().Quotient(restInterest.Mul(left), decimal.NewFromInt(days))
	}
	for j, p := range s.Periods {
		in := &a.Installments[k+j]
		if j == 0 {
			in.Principal.Charged, in.Principal.Paid = p.Principal.Add(paidPrincipal), paidPrincipal
			in.Interest.Charged = accrued.Add(restInterest)
		} else {
			in.Principal.Charged, in.Principal.Paid = p.Principal, zero
			in.Interest.Charged = p.Interest
		}
		in.Interest.Waived = decimal.Min(in.Interest.Waived, in.Interest.Charged.Sub(in.Interest.Paid))
	}
	a.dropAfter(k + len(s.Periods))
	return res, nil
}

// shorter re-amortizes newBalance keeping today's installment: an annuity keeps its amount
// (the engine's fixed EMI), other amortizations their principal per installment, and the count is
// what repays the balance.
func (a *Account) shorter(k int, newBalance decimal.Decimal, dues []time.Time) (*schedule.Schedule, error) {
	run := a.Installments[k]
	ref := run
	if k+1 < len(a.Installments)-1 {
		ref = a.Installments[k+1]
	}
	// The running installment may carry principal prepaid earlier in its period; only its own counts.
	refPrincipal := ref.Principal.Charged
	if ref.Number == run.Number {
		refPrincipal = refPrincipal.Sub(run.Principal.Paid)
	}
	t := a.Terms
	if t.InterestMethod == schedule.InterestDecliningBalance && t.Amortization == schedule.AmortizationEqualInstallments {
		emi := refPrincipal.Add(ref.Interest.Charged)
		if emi.IsPositive() {
			return a.regenerate(newBalance, run.FromDate, dues, &emi)
		}
		return a.regenerate(newBalance, run.FromDate, dues, nil)
	}
	count := len(dues)
	if refPrincipal.IsPositive() {
		need := newBalance.Div(refPrincipal).Ceil().IntPart()
		count = int(max(1, min(int64(count), need)))
	}
	return a.regenerate(newBalance, run.FromDate, dues[:count], nil)
}

// dropAfter removes installments keep.. that a re-amortization no longer has. Their fees were not yet
// owed and go with them; penalties charged on them stay owed, on the last installment kept.
func (a *Account) dropAfter(keep int) {
	if keep >= len(a.Installments) {
		return
	}
	last := &a.Installments[keep-1]
	for i := keep; i < len(a.Installments); i++ {
		gone := a.Installments[i]
		last.Penalties.Charged = last.Penalties.Charged.Add(gone.Penalties.Charged)
		last.Penalties.Paid = last.Penalties.Paid.Add(gone.Penalties.Paid)
		last.Penalties.Waived = last.Penalties.Waived.Add(gone.Penalties.Waived)
		last.PenaltyInterest = last.PenaltyInterest.Add(gone.PenaltyInterest)
		last.LateFeeCharged = last.LateFeeCharged || gone.LateFeeCharged
	}
	a.Installments = a.Installments[:keep]
}
