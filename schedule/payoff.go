package schedule

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"
)

// PayoffQuote is what closes the loan on AsOf. Principal is all principal still owed; Interest and
// Fees are what has fallen due or accrued by AsOf; Total is their sum. Installments lists, per
// installment still open, the part of the quote that settles it.
type PayoffQuote struct {
	AsOf         time.Time
	Principal    decimal.Decimal
	Interest     decimal.Decimal
	Fees         decimal.Decimal
	Total        decimal.Decimal
	Installments []Due
}

// ErrPayoffBeforeDisbursement is returned for a quote dated before the money was paid out.
var ErrPayoffBeforeDisbursement = errors.New("schedule: payoff date is before the disbursement")

// Payoff quotes an early repayment of s on asOf (a prepayment quote, Fineract's prepayLoan for a loan
// without interest recalculation, with the EU Consumer Credit Directive art. 16 reduction of cost):
//
//   - the payments made so far (paid, in any order: allocation ignores dates) are applied with Allocate;
//   - installments due on or before asOf are owed in full (whatever the payments left unpaid);
//   - the installment in progress on asOf owes its fees, its principal and its interest accrued pro
//     rata to the days elapsed (rounded to the currency with the terms' mode), less interest already
//     paid on it (never below zero);
//   - later installments owe only their outstanding principal: their interest and fees are not yet
//     earned, and interest already paid on them in advance is not refunded (Fineract does not either).
//
// t supplies the currency and rounding mode the schedule was generated with.
func Payoff(s *Schedule, paid []decimal.Decimal, asOf time.Time, t Terms) (*PayoffQuote, error) {
	t = t.Normalize()
	r := newRounder(t)
	asOf = utcDate(asOf)
	if len(s.Periods) == 0 {
		return nil, errors.New("schedule: empty schedule")
	}
	if start := utcDate(t.DisbursementDate); asOf.Before(start) {
		return nil, ErrPayoffBeforeDisbursement
	}
	total := decimal.Zero
	for _, p := range paid {
		if p.IsNegative() {
			return nil, ErrNegativePayment
		}
		total = total.Add(p)
	}
	_, parts, err := paidOn(s, total)
	if err != nil {
		return nil, err
	}
	zero := r.fixed(decimal.Zero)
	q := &PayoffQuote{AsOf: asOf, Principal: zero, Interest: zero, Fees: zero}
	for i, p := range s.Periods {
		part := parts[p.Number]
		// A zero Part (nothing paid on this installment) holds zero decimals.
		paidInterest, paidFees, paidPrincipal := part.Interest, part.Fees, part.Principal
		d := Due{Number: p.Number, Penalties: zero, Fees: zero, Interest: zero, Principal: r.fixed(p.Principal.Sub(paidPrincipal))}
		switch {
		case !p.DueDate.After(asOf):
			d.Interest = r.fixed(p.Interest.Sub(paidInterest))
			d.Fees = r.fixed(p.Fees.Sub(paidFees))
		case inProgress(s, i, asOf):
			accrued := p.Interest
			if p.Days > 0 {
				elapsed := daysIn(p.FromDate, asOf)
				accrued = r.money(p.Interest.Mul(decimal.NewFromInt(int64(elapsed))).DivRound(decimal.NewFromInt(int64(p.Days)), 20))
			}
			if owed := accrued.Sub(paidInterest); owed.IsPositive() {
				d.Interest = r.fixed(owed)
			}
			d.Fees = r.fixed(p.Fees.Sub(paidFees))
		}
		if d.Principal.IsZero() && d.Interest.IsZero() && d.Fees.IsZero() {
			continue
		}
		q.Principal = q.Principal.Add(d.Principal)
		q.Interest = q.Interest.Add(d.Interest)
		q.Fees = q.Fees.Add(d.Fees)
		q.Installments = append(q.Installments, d)
	}
	q.Total = q.Principal.Add(q.Interest).Add(q.Fees)
	return q, nil
}

// inProgress reports whether period i is the one running on asOf (started on or before it, due after).
func inProgress(s *Schedule, i int, asOf time.Time) bool {
	p := s.Periods[i]
	return !p.FromDate.After(asOf) && p.DueDate.After(asOf)
}
