package mambu

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Closure closes a loan account whose balance is settled (CLOSE), or writes off what it still owes
// (WRITE_OFF), on ValueDate. Identifier de-duplicates the transaction.
type Closure struct {
	Identifier string
	ValueDate  time.Time
	Notes      string
}

// Fee applies a manual fee (FEE) of Amount. Installment, when positive, numbers the installment that
// carries it; otherwise Mambu puts it on the oldest installment not paid in full. Mambu v1 posts no
// penalty (PENALTY_APPLIED comes only from the product's own penalty calculation), so a penalty is
// applied as a fee.
type Fee struct {
	Identifier  string
	Amount      decimal.Decimal
	ValueDate   time.Time
	Installment int
	Notes       string
}

// FeeAdjustment takes back a whole FEE (FEE_ADJUSTMENT): OriginalTransactionID is the fee's id or
// encoded key, as for a PENALTY_ADJUSTMENT (L27280).
type FeeAdjustment struct {
	Identifier            string
	OriginalTransactionID string
	ValueDate             time.Time
	Notes                 string
}

// InterestAdjustment takes Amount off the interest applied and unpaid (INTEREST_APPLIED_ADJUSTMENT):
// Mambu v1's way of forgiving interest.
type InterestAdjustment Repayment

// Payment pays Amount back to the client (PAYMENT_MADE), out of money the account holds beyond what
// it owed.
type Payment Repayment

// Close closes an account that owes nothing more: Mambu closes one repaid in full by itself, but an
// early settlement leaves the interest of later installments, never applied, which CLOSE forgives.
// Mambu refuses an account that still owes anything applied.
func (c *Client) Close(ctx context.Context, loanID string, cl Closure) error {
	b := transactionBody{Type: TypeClose, ValueDate: formatDate(cl.ValueDate), Notes: cl.Notes}
	return c.post(ctx, "Close", loanID, cl.Identifier, b, nil)
}

// WriteOff writes off what the account owes on w.ValueDate and closes it as written off.
func (c *Client) WriteOff(ctx context.Context, loanID string, w Closure) (*Transaction, error) {
	b := transactionBody{Type: TypeWriteOff, ValueDate: formatDate(w.ValueDate), Notes: w.Notes}
	return c.postTransaction(ctx, "WriteOff", loanID, w.Identifier, b)
}

// ApplyFee applies a fee to an active account.
func (c *Client) ApplyFee(ctx context.Context, loanID string, f Fee) (*Transaction, error) {
	n := amount(f.Amount)
	b := transactionBody{Type: TypeFee, Amount: &n, ValueDate: formatDate(f.ValueDate), Notes: f.Notes}
	if f.Installment > 0 {
		b.Repayment = f.Installment
	}
	return c.postTransaction(ctx, "ApplyFee", loanID, f.Identifier, b)
}

// AdjustFee takes a fee back whole; Mambu refuses one already adjusted or paid.
func (c *Client) AdjustFee(ctx context.Context, loanID string, a FeeAdjustment) (*Transaction, error) {
	b := transactionBody{Type: TypeFeeAdjustment, OriginalTransactionID: a.OriginalTransactionID,
		ValueDate: formatDate(a.ValueDate), Notes: a.Notes}
	return c.postTransaction(ctx, "AdjustFee", loanID, a.Identifier, b)
}

// AdjustInterest forgives interest applied and unpaid; Mambu refuses more than that.
func (c *Client) AdjustInterest(ctx context.Context, loanID string, a InterestAdjustment) (*Transaction, error) {
	n := amount(a.Amount)
	b := transactionBody{Type: TypeInterestAdjustment, Amount: &n, ValueDate: formatDate(a.ValueDate), Notes: a.Notes}
	return c.postTransaction(ctx, "AdjustInterest", loanID, a.Identifier, b)
}

// PaymentMade pays an overpayment back to the client; Mambu refuses more than the account holds.
func (c *Client) PaymentMade(ctx context.Context, loanID string, p Payment) (*Transaction, error) {
	n := amount(p.Amount)
	b := transactionBody{Type: TypePaymentMade, Amount: &n, ValueDate: formatDate(p.ValueDate), Notes: p.Notes}
	return c.postTransaction(ctx, "PaymentMade", loanID, p.Identifier, b)
}

func (c *Client) postTransaction(ctx context.Context, op, loanID, identifier string, b transactionBody) (*Transaction, error) {
	var tx Transaction
	if err := c.post(ctx, op, loanID, identifier, b, &tx); err != nil {
		return nil, err
	}
	return &tx, nil
}
