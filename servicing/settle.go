package servicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// Settlement is what closing the loan early did.
type Settlement struct {
	Quote Quote `json:"quote"`
	// Unearned is the interest and fees the schedule charged for time the credit will not run, no
	// longer owed.
	Unearned Breakdown `json:"unearned"`
	// CapitalizedReleased is capitalized holiday interest not yet accrued, taken out of the principal.
	CapitalizedReleased decimal.Decimal `json:"capitalized_released"`
	EarlyRepaymentFee   decimal.Decimal `json:"early_repayment_fee"`
}

// SettleResult is the outcome of Settle.
type SettleResult struct {
	PaidOn time.Time       `json:"paid_on"`
	Amount decimal.Decimal `json:"amount"`
	Settlement
	// Parts is what each installment received, by component, including money paid in advance that
	// was taken back (Reallocated) and applied again.
	Parts       []Part `json:"parts"`
	Reallocated []Part `json:"reallocated,omitempty"`
	// Overpayment is credit beyond everything owed, now held for a refund.
	Overpayment decimal.Decimal `json:"overpayment"`
	Accrued     Accrued         `json:"accrued"`
}

// Settle closes the loan on paidOn with amount, which must be exactly the Quote for paidOn (zero only
// when the quote is); any other amount is refused with an *Error carrying the quote. The loan is then
// fully paid: interest and fees for the time it will not run are recorded unearned, so every
// installment still adds up.
func (a *Account) Settle(amount decimal.Decimal, paidOn time.Time) (SettleResult, error) {
	paidOn = day(paidOn)
	if amount.IsNegative() {
		return SettleResult{}, refuse("amount", ErrInvalidAmount, amount.String())
	}
	if err := a.checkScale(amount); err != nil {
		return SettleResult{}, err
	}
	c, err := a.openCopy("paid_on", paidOn)
	if err != nil {
		return SettleResult{}, err
	}
	res := SettleResult{PaidOn: paidOn, Amount: amount, Accrued: c.accrueTo(paidOn)}
	cl := c.prepareClose(paidOn, true)
	q, _ := c.quoteOf(paidOn, cl)
	if !amount.Equal(q.Total) {
		return SettleResult{}, &Error{Field: "amount", Err: ErrQuoteMismatch, Detail: "the payoff on " + paidOn.Format(time.DateOnly) + " is " + q.Total.String(), Quote: &q}
	}
	applied := parts{zero: c.zero()}
	res.Settlement = c.settle(paidOn, cl, q, amount, &applied)
	res.Overpayment = c.Overpaid.Sub(a.Overpaid)
	res.Parts, res.Reallocated = applied.list, cl.reallocated.list
	c.Received = c.Received.Add(amount)
	*a = *c
	return res, nil
}

// settle pays off an account prepared by prepareClose with money (at least the quote less its fee).
func (a *Account) settle(on time.Time, cl closing, q Quote, money decimal.Decimal, applied *parts) Settlement {
	fee, _ := a.payOff(cl, money, applied)
	a.SettledOn = &on
	return Settlement{Quote: q, Unearned: cl.unearned, CapitalizedReleased: cl.released, EarlyRepaymentFee: fee}
}
