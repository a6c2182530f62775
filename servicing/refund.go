package servicing

import "github.com/shopspring/decimal"

// Refund is the outcome of Refund.
type Refund struct {
	Amount decimal.Decimal `json:"amount"`
	// Overpaid is what is still held after it.
	Overpaid decimal.Decimal `json:"overpaid"`
}

// Refund pays amount of the overpaid balance back to the borrower; more than is held is refused.
func (a *Account) Refund(amount decimal.Decimal) (Refund, error) {
	if err := a.checkAmount(amount); err != nil {
		return Refund{}, err
	}
	if amount.GreaterThan(a.Overpaid) {
		return Refund{}, refuse("amount", ErrAboveOverpaid, "the overpaid balance is "+a.Overpaid.String())
	}
	a.Overpaid = a.Overpaid.Sub(amount)
	a.Refunded = a.Refunded.Add(amount)
	return Refund{Amount: amount, Overpaid: a.Overpaid}, nil
}
