// Package simbook is the books of a loan in a ledger simulator: its schedule rows and what became of
// each (charged, then paid, waived or written off, per component), which the Fineract and Mambu
// simulators keep the same way and each move by its own ledger's rules.
package simbook

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// Row is one installment of a loan and what became of it. Charged is what the row asks: the
// schedule's principal, interest and fees, plus the charges a ledger puts on it. Transactions move
// parts of that to Paid, Waived or WrittenOff; the rest is Outstanding.
type Row struct {
	Number   int
	FromDate time.Time
	DueDate  time.Time
	Days     int
	// Additional rows exist only to carry charges due after the maturity date.
	Additional bool

	Charged, Paid, Waived, WrittenOff schedule.Part
}

// Outstanding is what the row still asks.
func (r *Row) Outstanding() schedule.Part {
	return Minus(Minus(Minus(r.Charged, r.Paid), r.Waived), r.WrittenOff)
}

// Plus adds b to a, component by component.
func Plus(a, b schedule.Part) schedule.Part {
	return schedule.Part{Number: a.Number, Penalties: a.Penalties.Add(b.Penalties), Fees: a.Fees.Add(b.Fees),
		Interest: a.Interest.Add(b.Interest), Principal: a.Principal.Add(b.Principal)}
}

// Minus takes b from a, component by component.
func Minus(a, b schedule.Part) schedule.Part {
	return schedule.Part{Number: a.Number, Penalties: a.Penalties.Sub(b.Penalties), Fees: a.Fees.Sub(b.Fees),
		Interest: a.Interest.Sub(b.Interest), Principal: a.Principal.Sub(b.Principal)}
}

// Rows are a loan's installments, oldest first, numbered from 1.
type Rows []*Row

// FromSchedule is one row per period of s, nothing paid yet.
func FromSchedule(s *schedule.Schedule) Rows {
	rows := make(Rows, len(s.Periods))
	for i, p := range s.Periods {
		rows[i] = &Row{Number: p.Number, FromDate: p.FromDate, DueDate: p.DueDate, Days: p.Days,
			Charged: schedule.Part{Number: p.Number, Principal: p.Principal, Interest: p.Interest, Fees: p.Fees}}
	}
	return rows
}

// Totals are the sums of the rows' figures.
type Totals struct{ Charged, Paid, Waived, WrittenOff, Outstanding schedule.Part }

// Totals sums the rows.
func (rs Rows) Totals() Totals {
	var t Totals
	for _, r := range rs {
		t.Charged, t.Paid = Plus(t.Charged, r.Charged), Plus(t.Paid, r.Paid)
		t.Waived, t.WrittenOff = Plus(t.Waived, r.Waived), Plus(t.WrittenOff, r.WrittenOff)
		t.Outstanding = Plus(t.Outstanding, r.Outstanding())
	}
	return t
}

// Dues lists what each row still asks, for schedule.Allocate.
func (rs Rows) Dues() []schedule.Due {
	dues := make([]schedule.Due, len(rs))
	for i, r := range rs {
		o := r.Outstanding()
		dues[i] = schedule.Due{Number: r.Number, Penalties: o.Penalties, Fees: o.Fees, Interest: o.Interest, Principal: o.Principal}
	}
	return dues
}

// Pay allocates amount over dues (a subset of the rows' Dues, in the order to pay them) with
// schedule.Allocate's rule and books it as paid. It answers the parts paid and what was left over.
func (rs Rows) Pay(dues []schedule.Due, amount decimal.Decimal) ([]schedule.Part, decimal.Decimal) {
	// The dues are never negative and the amounts the simulators pay are checked, so Allocate cannot fail.
	alloc, _ := schedule.Allocate(dues, amount)
	for _, part := range alloc.Parts {
		r := rs[part.Number-1]
		r.Paid = Plus(r.Paid, part)
	}
	return alloc.Parts, alloc.Overpayment
}

// Sum adds parts up.
func Sum(parts []schedule.Part) schedule.Part {
	var total schedule.Part
	for _, p := range parts {
		total = Plus(total, p)
	}
	return total
}

// PaidInAdvance is what was paid on rows not yet due on on.
func (rs Rows) PaidInAdvance(on time.Time) decimal.Decimal {
	total := decimal.Zero
	for _, r := range rs {
		if r.DueDate.After(on) {
			total = total.Add(r.Paid.Total())
		}
	}
	return total
}

// WriteOff writes off everything outstanding and answers what that was.
func (rs Rows) WriteOff() schedule.Part {
	var total schedule.Part
	for _, r := range rs {
		o := r.Outstanding()
		r.WrittenOff = Plus(r.WrittenOff, o)
		total = Plus(total, o)
	}
	return total
}

// WaiveInterest forgives amount of the interest of rows due on or before through (all rows when through
// is zero), oldest first; it answers what it could not forgive.
func (rs Rows) WaiveInterest(amount decimal.Decimal, through time.Time) decimal.Decimal {
	left := amount
	for _, r := range rs {
		if !through.IsZero() && r.DueDate.After(through) {
			break
		}
		t := decimal.Min(r.Outstanding().Interest, left)
		r.Waived.Interest, left = r.Waived.Interest.Add(t), left.Sub(t)
	}
	return left
}

// DaysBetween counts the days from a to b.
func DaysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
