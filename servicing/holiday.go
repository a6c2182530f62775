package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// maxDeferPeriods bounds a payment holiday; no product grants ten years at once.
const maxDeferPeriods = 120

// Move is one installment's due date moved by a payment holiday.
type Move struct {
	Number int       `json:"number"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// Deferral is the outcome of a payment holiday.
type Deferral struct {
	On      time.Time `json:"on"`
	Periods int       `json:"periods"`
	Rule    string    `json:"rule"`
	Moved   []Move    `json:"moved"`
	// Interest is the deferred interest: the principal outstanding's interest over the holiday.
	Interest decimal.Decimal `json:"interest"`
	// Accrued is the penalties charged through On first.
	Accrued Accrued `json:"accrued"`
	// Reallocated is interest and fees paid in advance on installments a capitalization re-amortized,
	// taken back; Reapplied is where that money went again.
	Reallocated []Part `json:"reallocated,omitempty"`
	Reapplied   []Part `json:"reapplied,omitempty"`
}

// Defer grants a payment holiday on on: every installment from the oldest not fully paid moves
// periods repayment intervals later on the schedule's grid. The deferred interest is the interest of
// the principal outstanding from the first moved installment's old due date to its new one, with the
// policy's day count. Under HolidayFirstInstallment it is added to that installment's interest; under
// HolidayCapitalize it is added to the principal and the moved installments are re-amortized with
// the schedule engine, and a payoff before the holiday is over charges only the part accrued by then.
// rule empty means the policy's. Penalties already charged stay; a moved installment draws new ones
// only once it is overdue again, and never a second late fee.
func (a *Account) Defer(on time.Time, periods int, rule string) (Deferral, error) {
	on = day(on)
	if rule == "" {
		rule = a.Policy.HolidayInterest
	}
	switch {
	case rule != HolidayFirstInstallment && rule != HolidayCapitalize:
		return Deferral{}, refuse("rule", ErrUnknownRule, rule)
	case periods < 1 || periods > maxDeferPeriods:
		return Deferral{}, refuse("defer_periods", ErrInvalidPeriods, "must be between 1 and 120")
	}
	c, err := a.openCopy("on", on)
	if err != nil {
		return Deferral{}, err
	}
	res := Deferral{On: on, Periods: periods, Rule: rule, Accrued: c.accrueTo(on)}
	c.foldInterest(on)
	f := 0
	for f < len(c.Installments) && !c.Installments[f].Outstanding().IsPositive() {
		f++
	}
	balance := c.zero()
	for i := f; i < len(c.Installments); i++ {
		balance = balance.Add(c.Installments[i].Principal.Outstanding())
	}
	first := &c.Installments[f]
	h := Holiday{On: on, Periods: periods, Rule: rule, From: first.DueDate, To: c.Terms.ShiftDueDate(first.DueDate, periods), Balance: balance}
	var deferred Accrual
	deferred.count(c.dayCount(), balance, h.From, h.To)
	h.Interest = deferred.interest(c.dayCount(), c.money(), c.annualRate())
	res.Interest = h.Interest
	for i := f; i < len(c.Installments); i++ {
		in := &c.Installments[i]
		moved := c.Terms.ShiftDueDate(in.DueDate, periods)
		res.Moved = append(res.Moved, Move{Number: in.Number, From: in.DueDate, To: moved})
		in.DueDate = moved
		if i > f {
			in.FromDate = c.Installments[i-1].DueDate
			in.InterestAccrual = Accrual{Through: in.FromDate, PrincipalDays: decimal.Zero, LeapPrincipalDays: decimal.Zero}
		}
	}
	if rule == HolidayFirstInstallment {
		first.Interest.Charged = first.Interest.Charged.Add(h.Interest)
	} else if h.Interest.IsPositive() {
		if err := c.capitalize(f, balance.Add(h.Interest), &res); err != nil {
			return Deferral{}, err
		}
		c.Capitalized = c.Capitalized.Add(h.Interest)
	}
	c.Holidays = append(c.Holidays, h)
	*a = *c
	return res, nil
}

// capitalize re-amortizes installments f.. over their (moved) due dates with principal as their new
// balance. Installment f keeps its interest, which is for its own period; the holiday's is now
// principal. Interest and fees paid in advance on later installments are taken back and applied
// again in the policy's advance order; principal paid on any of them stays paid, on installment f.
func (a *Account) capitalize(f int, principal decimal.Decimal, res *Deferral) error {
	zero := a.zero()
	dues := make([]time.Time, 0, len(a.Installments)-f)
	paidPrincipal, freed := zero, zero
	reallocated := parts{zero: zero}
	for i := f; i < len(a.Installments); i++ {
		in := &a.Installments[i]
		dues = append(dues, in.DueDate)
		paidPrincipal = paidPrincipal.Add(in.Principal.Paid)
		if i > f {
			for _, c := range []Component{Interest, Fees} {
				am := in.amounts(c)
				freed = freed.Add(am.Paid)
				reallocated.add(in.Number, c, am.Paid)
				am.Paid = zero
			}
		}
	}
	start := a.Terms.ShiftDueDate(dues[0], -1)
	s, err := a.regenerate(principal, start, dues, nil)
	if err != nil {
		return err
	}
	for j, p := range s.Periods {
		in := &a.Installments[f+j]
		if j == 0 {
			in.Principal.Charged, in.Principal.Paid = p.Principal.Add(paidPrincipal), paidPrincipal
			continue
		}
		in.Principal.Charged, in.Principal.Paid = p.Principal, a.zero()
		in.Interest.Charged = p.Interest
		in.Interest.Waived = decimal.Min(in.Interest.Waived, in.Interest.Charged)
	}
	a.dropAfter(f + len(s.Periods))
	reapplied := parts{zero: zero}
	left := a.pay(f, len(a.Installments), order(a.Policy.AllocationOrder, true), freed, &reapplied)
	a.Overpaid = a.Overpaid.Add(left)
	res.Reallocated, res.Reapplied = reallocated.list, reapplied.list
	return nil
}

// unaccruedCapitalized is the capitalized holiday interest not yet accrued on asOf.
func (a *Account) unaccruedCapitalized(asOf time.Time) decimal.Decimal {
	sum := a.zero()
	for _, h := range a.Holidays {
		if h.Rule != HolidayCapitalize || !asOf.Before(h.To) {
			continue
		}
		var ac Accrual
		ac.count(a.dayCount(), h.Balance, h.From, asOf)
		sum = sum.Add(h.Interest.Sub(decimal.Min(h.Interest, ac.interest(a.dayCount(), a.money(), a.annualRate()))))
	}
	return sum
}

// releaseCapitalized takes amount of capitalized interest back out of the principal of the last
// installments.
func (a *Account) releaseCapitalized(amount decimal.Decimal) {
	a.Capitalized = a.Capitalized.Sub(amount)
	for i := len(a.Installments) - 1; i >= 0 && amount.IsPositive(); i-- {
		am := &a.Installments[i].Principal
		take := decimal.Min(amount, am.Outstanding())
		am.Charged = am.Charged.Sub(take)
		amount = amount.Sub(take)
	}
}
