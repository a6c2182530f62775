package sim

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simbook"
	"github.com/loanflow/loanflow/schedule"
)

// reschedule makes the schedule of principal paid out on disbursedOn the loan's: one row per period,
// nothing paid yet. Terms the schedule engine refuses are the request's problems.
func (l *loan) reschedule(disbursedOn time.Time, principal decimal.Decimal) *reply {
	s, err := schedule.Generate(l.terms(disbursedOn, principal))
	if err != nil {
		rep := scheduleProblems(err)
		return &rep
	}
	l.sched, l.insts = s, simbook.FromSchedule(s)
	return nil
}

func (l *loan) outstanding() schedule.Part { return l.insts.Totals().Outstanding }

// pay allocates amount with the loan's strategy (mifos-standard: penalties, fees, interest, principal,
// oldest row first) and books it on the rows and their charges. It answers what the payment covered
// and what was left over.
func (l *loan) pay(amount decimal.Decimal) (schedule.Part, decimal.Decimal) {
	return l.payOn(l.insts.Dues(), amount)
}

func (l *loan) payOn(dues []schedule.Due, amount decimal.Decimal) (schedule.Part, decimal.Decimal) {
	parts, over := l.insts.Pay(dues, amount)
	for _, part := range parts {
		l.settleCharges(part.Number, true, part.Penalties)
		l.settleCharges(part.Number, false, part.Fees)
	}
	return simbook.Sum(parts), over
}

// unpay takes amount back from what was paid in advance of on, latest row first, principal before
// interest, fees and penalties, as Fineract's refund of an active loan does.
func (l *loan) unpay(amount decimal.Decimal, on time.Time) schedule.Part {
	var back schedule.Part
	left := amount
	for i := len(l.insts) - 1; i >= 0 && left.IsPositive(); i-- {
		in := l.insts[i]
		if !in.DueDate.After(on) {
			break
		}
		take := func(paid *decimal.Decimal, got *decimal.Decimal) {
			t := decimal.Min(*paid, left)
			*paid, *got, left = paid.Sub(t), got.Add(t), left.Sub(t)
		}
		take(&in.Paid.Principal, &back.Principal)
		take(&in.Paid.Interest, &back.Interest)
		fees, penalties := back.Fees, back.Penalties
		take(&in.Paid.Fees, &back.Fees)
		take(&in.Paid.Penalties, &back.Penalties)
		l.settleCharges(in.Number, false, fees.Sub(back.Fees))
		l.settleCharges(in.Number, true, penalties.Sub(back.Penalties))
	}
	return back
}

// writeOff writes off everything outstanding, the interest of rows not yet due included, as Fineract
// does for a loan without interest recalculation.
func (l *loan) writeOff() schedule.Part {
	for _, c := range l.charges {
		c.writtenOff = c.outstanding()
	}
	return l.insts.WriteOff()
}

// forecloseOn replaces the rows due on or after on by one row due on on, as Fineract's
// updateInstallmentsPostDate does: it carries their principal, the interest of the row in progress
// accrued pro rata to on (what a foreclosure charges instead of the whole period's), and the charges
// due by on; charges due later lapse. What was paid on the replaced rows is applied again to the new
// one, so interest paid in advance pays principal, and anything beyond the new row is overpaid.
func (l *loan) forecloseOn(on time.Time) {
	keep, from := 0, l.actualDisbursement
	for keep < len(l.insts) && l.insts[keep].DueDate.Before(on) {
		from = l.insts[keep].DueDate
		keep++
	}
	if keep == len(l.insts) {
		return
	}
	n := &simbook.Row{Number: keep + 1, FromDate: from, DueDate: on, Days: simbook.DaysBetween(from, on)}
	n.Charged.Number = n.Number
	paid := decimal.Zero
	for _, in := range l.insts[keep:] {
		n.Charged.Principal = n.Charged.Principal.Add(in.Charged.Principal)
		switch {
		case !in.DueDate.After(on):
			n.Charged.Interest = n.Charged.Interest.Add(in.Charged.Interest)
			n.Charged.Fees = n.Charged.Fees.Add(in.Charged.Fees.Sub(l.chargesOn(in.Number, false)))
		case in.FromDate.Before(on) && in.Days > 0:
			accrued := in.Charged.Interest.Mul(decimal.NewFromInt(int64(simbook.DaysBetween(in.FromDate, on)))).
				DivRound(decimal.NewFromInt(int64(in.Days)), 20).RoundBank(l.product.DecimalPlaces)
			n.Charged.Interest = n.Charged.Interest.Add(accrued)
		}
		n.Waived.Interest = n.Waived.Interest.Add(in.Waived.Interest)
		paid = paid.Add(in.Paid.Total())
	}
	n.Waived.Interest = decimal.Min(n.Waived.Interest, n.Charged.Interest)
	for _, c := range l.charges {
		if !c.active || c.installment <= keep {
			continue
		}
		c.paid = decimal.Zero
		if c.due.After(on) {
			c.active = false
			continue
		}
		c.installment = n.Number
		n.Charged, n.Waived = c.add(n.Charged, c.amount), c.add(n.Waived, c.waived)
	}
	l.insts = append(l.insts[:keep:keep], n)
	_, over := l.payOn(l.insts[keep:].Dues(), paid)
	l.overpaid = l.overpaid.Add(over)
}
