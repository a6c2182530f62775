package schedule

import (
	"errors"

	"github.com/shopspring/decimal"
)

// Due is what is still outstanding on one installment.
type Due struct {
	Number                               int
	Penalties, Fees, Interest, Principal decimal.Decimal
}

// Part is what one payment covers of one installment.
type Part struct {
	Number                               int
	Penalties, Fees, Interest, Principal decimal.Decimal
}

// Total is the whole amount applied to the installment.
func (p Part) Total() decimal.Decimal {
	return p.Penalties.Add(p.Fees).Add(p.Interest).Add(p.Principal)
}

// Allocation splits one payment over installments; Overpayment is what is left after all of them.
type Allocation struct {
	Parts       []Part
	Overpayment decimal.Decimal
}

// ErrNegativePayment is returned for a payment below zero.
var ErrNegativePayment = errors.New("schedule: payment amount must not be negative")

// ErrNegativeDue is returned when an outstanding component is below zero.
var ErrNegativeDue = errors.New("schedule: outstanding amounts must not be negative")

// Allocate applies a payment with Fineract's mifos-standard strategy (the Iute rule): installments in
// the order given (oldest first, 1..n), and within each one penalties, then fees, then interest, then
// principal, as far as the money lasts. The date of the payment does not matter: an early payment pays
// the next installment's charges and interest before its principal. Fully paid installments are
// skipped; only installments that receive money get a Part. Whatever is left is the overpayment, so the
// parts plus the overpayment always equal the amount.
func Allocate(outstanding []Due, amount decimal.Decimal) (Allocation, error) {
	if amount.IsNegative() {
		return Allocation{}, ErrNegativePayment
	}
	left := amount
	var parts []Part
	for _, d := range outstanding {
		if d.Penalties.IsNegative() || d.Fees.IsNegative() || d.Interest.IsNegative() || d.Principal.IsNegative() {
			return Allocation{}, ErrNegativeDue
		}
	}
	for _, d := range outstanding {
		if !left.IsPositive() {
			break
		}
		p := Part{Number: d.Number}
		p.Penalties, left = take(d.Penalties, left)
		p.Fees, left = take(d.Fees, left)
		p.Interest, left = take(d.Interest, left)
		p.Principal, left = take(d.Principal, left)
		if p.Total().IsPositive() {
			parts = append(parts, p)
		}
	}
	return Allocation{Parts: parts, Overpayment: left}, nil
}

// take pays as much of due as the money left allows.
func take(due, left decimal.Decimal) (paid, rest decimal.Decimal) {
	if left.GreaterThanOrEqual(due) {
		return due, left.Sub(due)
	}
	return left, decimal.Zero
}

// Outstanding lists what is still due on each installment of s after the payments made so far have
// been allocated with Allocate's rule, with no penalties. Fully paid installments are left out.
func Outstanding(s *Schedule, paid decimal.Decimal) ([]Due, error) {
	dues, byNumber, err := paidOn(s, paid)
	if err != nil {
		return nil, err
	}
	out := make([]Due, 0, len(dues))
	for _, d := range dues {
		if part, ok := byNumber[d.Number]; ok {
			d.Penalties = d.Penalties.Sub(part.Penalties)
			d.Fees = d.Fees.Sub(part.Fees)
			d.Interest = d.Interest.Sub(part.Interest)
			d.Principal = d.Principal.Sub(part.Principal)
		}
		if d.Fees.IsZero() && d.Interest.IsZero() && d.Principal.IsZero() && d.Penalties.IsZero() {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// paidOn allocates paid to s's installments with Allocate's rule, with no penalties: what each
// installment is due, and what was paid on it by installment number (none: a zero Part).
func paidOn(s *Schedule, paid decimal.Decimal) ([]Due, map[int]Part, error) {
	dues := make([]Due, len(s.Periods))
	for i, p := range s.Periods {
		dues[i] = Due{Number: p.Number, Penalties: decimal.Zero, Fees: p.Fees, Interest: p.Interest, Principal: p.Principal}
	}
	a, err := Allocate(dues, paid)
	if err != nil {
		return nil, nil, err
	}
	parts := make(map[int]Part, len(a.Parts))
	for _, part := range a.Parts {
		parts[part.Number] = part
	}
	return dues, parts, nil
}
