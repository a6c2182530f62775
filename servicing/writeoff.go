package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// WriteOff is the outcome of writing the loan off.
type WriteOff struct {
	On time.Time `json:"on"`
	// Amount is what was written off, by component.
	Amount Breakdown       `json:"amount"`
	Total  decimal.Decimal `json:"total"`
	// Unearned is interest and fees for time after On, never owed.
	Unearned            Breakdown       `json:"unearned"`
	CapitalizedReleased decimal.Decimal `json:"capitalized_released"`
	// Reallocated is money paid in advance on installments not yet due, taken back; Parts is where it
	// went against what was owed, and Overpayment what was left of it.
	Reallocated []Part          `json:"reallocated,omitempty"`
	Parts       []Part          `json:"parts,omitempty"`
	Overpayment decimal.Decimal `json:"overpayment"`
	Accrued     Accrued         `json:"accrued"`
}

// WriteOff writes off everything the loan still owes on on: what a payoff would charge then, without
// the early-repayment fee (penalties accrued through on, interest accrued to on; later interest and
// fees are unearned). Money paid in advance on installments not yet due pays what is owed first.
// Afterwards Repay books recoveries and the loan stays written off.
func (a *Account) WriteOff(on time.Time) (WriteOff, error) {
	on = day(on)
	c, err := a.openCopy("on", on)
	if err != nil {
		return WriteOff{}, err
	}
	res := WriteOff{On: on, Accrued: c.accrueTo(on)}
	cl := c.prepareClose(on, false)
	applied := parts{zero: c.zero()}
	_, res.Overpayment = c.payOff(cl, c.zero(), &applied)
	res.Amount = breakdown(c.zero())
	for i := range c.Installments {
		in := &c.Installments[i]
		for _, comp := range []Component{Principal, Interest, Fees, Penalties} {
			am := in.amounts(comp)
			owed := am.Outstanding()
			am.WrittenOff = am.WrittenOff.Add(owed)
			res.Amount.add(comp, owed)
		}
	}
	res.Total = res.Amount.Total()
	res.Unearned, res.CapitalizedReleased = cl.unearned, cl.released
	res.Reallocated, res.Parts = cl.reallocated.list, applied.list
	c.WrittenOffOn = &on
	*a = *c
	return res, nil
}
