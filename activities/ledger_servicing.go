package activities

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/lending"
)

// Servicing postings, in the order a serviced loan's life produces them.
const (
	LedgerPayoff   = "payoff"   // the loan settled early: Amount paid on Date settles it in full
	LedgerWriteOff = "writeoff" // the rest of the loan written off on Date
	LedgerWaive    = "waive"    // Amount of Component ("interest" | "fees" | "penalties") waived on Date
	LedgerRefund   = "refund"   // Amount of an overpayment paid back to the borrower on Date
	LedgerPenalty  = "penalty"  // Amount of penalty charged on Date (Component "late_fee" | "penalty_interest")
)

// LedgerServicingInput is one servicing posting for a loan booked in a ledger.
type LedgerServicingInput struct {
	Ref          int64
	Ledger       lending.Ledger
	LedgerLoanID string
	Kind         string // one of the Ledger* servicing postings
	Key          string // unique per loan and posting: the ledger transaction's external id
	Amount       decimal.Decimal
	Component    string
	Date         time.Time
	Note         string // the reason staff gave, shown in the ledger
}

// LedgerServicing posts one servicing event to the loan's ledger.
func (a *Activities) LedgerServicing(ctx context.Context, in LedgerServicingInput) error {
	return temporal.NewNonRetryableApplicationError("servicing postings are not yet supported by "+string(in.Ledger), ErrTypeProviderRefused, nil)
}
