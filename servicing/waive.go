package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// Waiver is the outcome of Waive.
type Waiver struct {
	On        time.Time       `json:"on"`
	Component Component       `json:"component"`
	Amount    decimal.Decimal `json:"amount"`
	// Parts is what was waived on each installment.
	Parts   []Part  `json:"parts"`
	Accrued Accrued `json:"accrued"`
}

// Waive forgives amount of what is due on on in one component, oldest installment first: penalties
// (all charged, after accruing them through on), or the fees or interest of installments due on or
// before on. What is due, and so the payoff, drops by exactly amount; more than is due is refused.
func (a *Account) Waive(on time.Time, component Component, amount decimal.Decimal) (Waiver, error) {
	on = day(on)
	switch component {
	case Penalties, Fees, Interest:
	default:
		return Waiver{}, refuse("component", ErrUnknownComponent, string(component))
	}
	if err := a.checkAmount(amount); err != nil {
		return Waiver{}, err
	}
	c, err := a.openCopy("on", on)
	if err != nil {
		return Waiver{}, err
	}
	res := Waiver{On: on, Component: component, Amount: amount, Accrued: c.accrueTo(on)}
	hi := c.firstNotDue(on)
	if component == Penalties {
		hi = len(c.Installments)
	}
	due := c.zero()
	for i := range hi {
		due = due.Add(c.Installments[i].amounts(component).Outstanding())
	}
	if amount.GreaterThan(due) {
		return Waiver{}, refuse("amount", ErrAboveDue, "at most "+due.String()+" of "+string(component)+" is due")
	}
	waived := parts{zero: c.zero()}
	left := amount
	for i := 0; i < hi && left.IsPositive(); i++ {
		in := &c.Installments[i]
		am := in.amounts(component)
		take := decimal.Min(left, am.Outstanding())
		am.Waived = am.Waived.Add(take)
		waived.add(in.Number, component, take)
		left = left.Sub(take)
	}
	res.Parts = waived.list
	*a = *c
	return res, nil
}
