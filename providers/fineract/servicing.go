package fineract

import (
	"context"
	"time"
)

// Foreclosure settles an active loan early (command=foreclosure, L4971-4992). Fineract works out what
// the loan owes on TransactionDate, all its principal, the interest accrued to that date, and the fees
// and penalties due by then, books it as one repayment under ExternalID and closes the loan; interest
// for the rest of the term is not charged. That is an early settlement, where a repayment of the
// prepayLoan quote is not: without interest recalculation Fineract would keep the later installments'
// interest due after it.
type Foreclosure struct {
	ExternalID      string
	TransactionDate time.Time
	Note            string
}

// WriteOff writes off all a loan still owes on TransactionDate (command=writeoff, L5018-5055); the loan
// is then closed as written off (StatusClosedWrittenOff).
type WriteOff Foreclosure

// InterestWaiver forgives TransactionAmount of a loan's outstanding interest (command=waiveInterest,
// L4993-5017); Fineract refuses more than is outstanding.
type InterestWaiver Repayment

// Refund pays TransactionAmount back to the borrower: by RefundByCash from an active loan paid in
// advance, by CreditBalanceRefund from an overpaid one.
type Refund Repayment

// noAmountBody is a transaction command that carries a date but no amount: a foreclosure, a write-off.
type noAmountBody struct {
	TransactionDate string `json:"transactionDate"`
	ExternalID      string `json:"externalId,omitempty"`
	Note            string `json:"note,omitempty"`
	Locale          string `json:"locale"`
	DateFormat      string `json:"dateFormat"`
}

func (f Foreclosure) body() noAmountBody {
	return noAmountBody{TransactionDate: formatDate(f.TransactionDate), ExternalID: f.ExternalID, Note: f.Note,
		Locale: Locale, DateFormat: DateFormat}
}

// Foreclose settles an active loan on f.TransactionDate. The answer's ResourceID is the repayment
// transaction Fineract booked (versions that leave it out list it in Changes), so a retry looks
// f.ExternalID up first (EnsureTransaction).
func (c *Client) Foreclose(ctx context.Context, loanID int64, f Foreclosure) (*CommandResult, error) {
	return c.transactionCommand(ctx, "Foreclose", loanID, "foreclosure", f.body())
}

// WriteOff writes an active loan off; the answer's ResourceID is the write-off transaction.
func (c *Client) WriteOff(ctx context.Context, loanID int64, w WriteOff) (*CommandResult, error) {
	return c.transactionCommand(ctx, "WriteOff", loanID, "writeoff", Foreclosure(w).body())
}

// WaiveInterest waives part of an active loan's interest; the answer's ResourceID is the waiver
// transaction.
func (c *Client) WaiveInterest(ctx context.Context, loanID int64, w InterestWaiver) (*CommandResult, error) {
	return c.transactionCommand(ctx, "WaiveInterest", loanID, "waiveInterest", Repayment(w).body())
}

// RefundByCash pays back money paid in advance on an active loan (installments not yet due); Fineract
// refuses more than was paid in advance, and any loan that is not active.
func (c *Client) RefundByCash(ctx context.Context, loanID int64, r Refund) (*CommandResult, error) {
	return c.transactionCommand(ctx, "RefundByCash", loanID, "refundByCash", Repayment(r).body())
}

// CreditBalanceRefund pays back part of an overpaid loan's credit (command=creditBalanceRefund, which
// the seed predates); once none is left the loan is closed. Fineract refuses it for a loan that is not
// overpaid.
func (c *Client) CreditBalanceRefund(ctx context.Context, loanID int64, r Refund) (*CommandResult, error) {
	return c.transactionCommand(ctx, "CreditBalanceRefund", loanID, "creditBalanceRefund", Repayment(r).body())
}
