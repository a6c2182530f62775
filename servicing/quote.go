package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// Quote is what settles the loan on AsOf.
type Quote struct {
	AsOf              time.Time       `json:"as_of"`
	Principal         decimal.Decimal `json:"principal"`
	Interest          decimal.Decimal `json:"interest"`
	Fees              decimal.Decimal `json:"fees"`
	Penalties         decimal.Decimal `json:"penalties"`
	EarlyRepaymentFee decimal.Decimal `json:"early_repayment_fee"`
	Total             decimal.Decimal `json:"total"`
}

// Quote is the payoff of the loan on asOf, penalties accrued through asOf included:
//
//   - all principal outstanding;
//   - interest and fees of installments due on or before asOf, as far as unpaid, and all penalties;
//   - interest accrued on the principal not yet due from the running period's start (the last due
//     date, or the pay-out) to asOf with the policy's day count, never more than that installment's
//     own interest; interest and fees of later time are not charged;
//   - the early-repayment fee: EarlyRepaymentFeePercent of the principal repaid early (outstanding on
//     installments not yet due), capped at 1 % of it when more than a year of the term remains and
//     0.5 % otherwise, and never more than the interest saved.
//
// Money paid in advance on installments not yet due counts towards the payoff: interest and fees so
// paid beyond what the payoff charges for that installment (its accrued interest, no fees) pay for
// time the credit will not run, so they are credited, against interest first, then fees, penalties,
// principal and the fee. Nothing is charged twice and no day unused is paid for. Capitalized
// holiday interest not yet accrued is not owed either.
func (a *Account) Quote(asOf time.Time) (Quote, error) {
	asOf = day(asOf)
	c, err := a.openCopy("as_of", asOf)
	if err != nil {
		return Quote{}, err
	}
	c.accrueTo(asOf)
	cl := c.prepareClose(asOf, true)
	q, _ := c.quoteOf(asOf, cl)
	return q, nil
}

// closing is an account made ready to be closed on a date: what it still claims is exactly what the
// payoff charges.
type closing struct {
	// credit is money paid in advance and taken back, to be applied again.
	credit decimal.Decimal
	// fee is the early-repayment fee.
	fee         decimal.Decimal
	released    decimal.Decimal
	unearned    Breakdown
	reallocated parts
}

// prepareClose lowers what installments not yet due on asOf claim to what a payoff charges, taking
// back what was paid on them beyond it, and releases capitalized interest not yet accrued.
func (a *Account) prepareClose(asOf time.Time, withFee bool) closing {
	zero := a.zero()
	cl := closing{credit: zero, fee: zero, released: zero, unearned: breakdown(zero), reallocated: parts{zero: zero}}
	first := a.firstNotDue(asOf)
	notDue := a.notDuePrincipal(asOf)
	accrued := zero
	k := a.running(asOf)
	if k >= 0 {
		accrued = a.accruedOn(k, notDue, asOf)
	}
	cl.released = decimal.Min(a.unaccruedCapitalized(asOf), notDue)
	if withFee {
		cl.fee = a.earlyRepaymentFee(asOf, first, notDue.Sub(cl.released), accrued, cl.released)
	}
	reduce := func(in *Installment, c Component, target decimal.Decimal) {
		am := in.amounts(c)
		freed := am.reduceTo(target)
		cl.credit = cl.credit.Add(freed)
		cl.reallocated.add(in.Number, c, freed)
		cl.unearned.add(c, am.Unearned)
	}
	for i := first; i < len(a.Installments); i++ {
		in := &a.Installments[i]
		interest := zero
		if i == k {
			interest = accrued
		}
		reduce(in, Interest, interest)
		reduce(in, Fees, zero)
	}
	a.releaseCapitalized(cl.released)
	return cl
}

// quoteOf is the payoff of an account prepared by prepareClose; excess is credit beyond all of it.
func (a *Account) quoteOf(asOf time.Time, cl closing) (q Quote, excess decimal.Decimal) {
	owed := a.Totals().Outstanding
	left := cl.credit
	credit := func(v decimal.Decimal) decimal.Decimal {
		take := decimal.Min(v, left)
		left = left.Sub(take)
		return v.Sub(take)
	}
	q = Quote{AsOf: asOf}
	q.Interest = credit(owed.Interest)
	q.Fees = credit(owed.Fees)
	q.Penalties = credit(owed.Penalties)
	q.Principal = credit(owed.Principal)
	q.EarlyRepaymentFee = credit(cl.fee)
	q.Total = q.Principal.Add(q.Interest).Add(q.Fees).Add(q.Penalties).Add(q.EarlyRepaymentFee)
	return q, left
}

// earlyRepaymentFee is the fee on early, the principal a settlement on asOf repays early (see Quote).
func (a *Account) earlyRepaymentFee(asOf time.Time, first int, early, accrued, released decimal.Decimal) decimal.Decimal {
	zero := a.zero()
	pct := a.Policy.EarlyRepaymentFeePercent
	if !pct.IsPositive() || first == len(a.Installments) {
		return zero
	}
	saved := released.Sub(accrued)
	for i := first; i < len(a.Installments); i++ {
		in := &a.Installments[i]
		saved = saved.Add(in.Interest.Charged).Sub(in.Interest.Waived)
	}
	if !early.IsPositive() || !saved.IsPositive() {
		return zero
	}
	limit := decimal.New(5, -1)
	if a.Installments[len(a.Installments)-1].DueDate.After(asOf.AddDate(1, 0, 0)) {
		limit = decimal.NewFromInt(1)
	}
	fee := a.money().Quotient(early.Mul(decimal.Min(pct, limit)), decimal.NewFromInt(100))
	return decimal.Min(fee, saved)
}

// payOff pays everything the prepared account claims from money and the closing's credit, then the
// early-repayment fee as far as money is left; the rest is overpaid. It returns the fee paid.
func (a *Account) payOff(cl closing, money decimal.Decimal, into *parts) (feePaid, overpayment decimal.Decimal) {
	pool := a.pay(0, len(a.Installments), order(a.Policy.AllocationOrder, false), money.Add(cl.credit), into)
	feePaid = decimal.Min(pool, cl.fee)
	a.EarlyRepaymentFees = a.EarlyRepaymentFees.Add(feePaid)
	overpayment = pool.Sub(feePaid)
	a.Overpaid = a.Overpaid.Add(overpayment)
	return feePaid, overpayment
}
