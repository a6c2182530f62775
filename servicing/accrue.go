package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// PenaltyCharge is what one installment drew when penalties were accrued.
type PenaltyCharge struct {
	Number          int             `json:"number"`
	LateFee         decimal.Decimal `json:"late_fee"`
	PenaltyInterest decimal.Decimal `json:"penalty_interest"`
}

// Accrued is the outcome of charging penalties through AsOf.
type Accrued struct {
	AsOf    time.Time       `json:"as_of"`
	Charges []PenaltyCharge `json:"charges,omitempty"`
	Total   decimal.Decimal `json:"total"`
}

// AccrueTo charges the penalties due through asOf: the late fee, once, on every installment still
// unpaid more than PenaltyGraceDays after its due date, and penalty interest at PenaltyRate on its
// overdue principal for every day after the grace days. Penalty interest is counted exactly from its
// start and only the cumulative figure is rounded; what is charged is that figure less what was
// charged before, so daily accrual never drifts. All penalties ever charged stay within
// PenaltyCapPercent of the principal. Accruing to a date already accrued changes nothing, and an open
// loan only is accrued.
func (a *Account) AccrueTo(asOf time.Time) (Accrued, error) {
	asOf = day(asOf)
	if err := a.checkDate("as_of", asOf); err != nil {
		return Accrued{}, err
	}
	return a.accrueTo(asOf), nil
}

func (a *Account) accrueTo(asOf time.Time) Accrued {
	zero := a.zero()
	res := Accrued{AsOf: asOf, Total: zero}
	if !asOf.After(a.PenaltiesAccruedTo) || a.State() != StateOpen {
		return res
	}
	p := a.Policy
	m, dc := a.money(), a.dayCount()
	headroom := a.penaltyHeadroom()
	charge := func(in *Installment, amount decimal.Decimal) decimal.Decimal {
		if headroom != nil {
			amount = decimal.Min(amount, *headroom)
			*headroom = headroom.Sub(amount)
		}
		in.Penalties.Charged = in.Penalties.Charged.Add(amount)
		return amount
	}
	for i := range a.Installments {
		in := &a.Installments[i]
		start := in.DueDate.AddDate(0, 0, p.PenaltyGraceDays)
		if !asOf.After(start) {
			continue
		}
		pc := PenaltyCharge{Number: in.Number, LateFee: zero, PenaltyInterest: zero}
		if p.LateFee.IsPositive() && !in.LateFeeCharged && in.scheduledOutstanding().IsPositive() {
			pc.LateFee = charge(in, m.Round(p.LateFee))
			in.LateFeeCharged = true
		}
		if p.PenaltyRate.IsPositive() {
			in.PenaltyAccrual.count(dc, in.Principal.Outstanding(), start, asOf)
			cumulative := in.PenaltyAccrual.interest(dc, m, p.PenaltyRate)
			if owed := cumulative.Sub(in.PenaltyInterest); owed.IsPositive() {
				pc.PenaltyInterest = charge(in, owed)
				in.PenaltyInterest = in.PenaltyInterest.Add(pc.PenaltyInterest)
			}
		}
		if total := pc.LateFee.Add(pc.PenaltyInterest); total.IsPositive() {
			res.Charges = append(res.Charges, pc)
			res.Total = res.Total.Add(total)
		}
	}
	a.PenaltiesAccruedTo = asOf
	return res
}

// penaltyHeadroom is what the cap still allows, nil when there is no cap.
func (a *Account) penaltyHeadroom() *decimal.Decimal {
	if !a.Policy.PenaltyCapPercent.IsPositive() {
		return nil
	}
	m := a.money()
	left := m.Quotient(a.Principal.Mul(a.Policy.PenaltyCapPercent), decimal.NewFromInt(100))
	for i := range a.Installments {
		left = left.Sub(a.Installments[i].Penalties.Charged)
	}
	left = decimal.Max(left, a.zero())
	return &left
}
