package activities

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/mambu"
	"github.com/loanflow/loanflow/servicing"
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
	Key          string // unique per loan and posting: the ledger transaction's external id, so a retry never posts twice
	Amount       decimal.Decimal
	Component    string
	Date         time.Time
	Note         string // the reason staff gave, shown in the ledger
}

// servicingID is the id the ledger knows a servicing posting by. The kind is part of it: a key is
// unique per kind of posting only, and a settlement's key is a repayment's.
func servicingID(in LedgerServicingInput) string {
	return externalID(in.Ref) + "-" + in.Kind + "-" + in.Key
}

// LedgerServicing posts one servicing event to the loan's ledger. Like the other ledger
// steps: retryable failures are returned as they are (the activity retries), refusals as
// non-retryable ErrTypeProviderRefused errors carrying the ledger's message, and after an
// ambiguous failure (the answer lost) the activity looks the transaction up by Key before
// posting again, so nothing is posted twice.
//
// Fineract: a payoff is a foreclosure, a write-off a writeoff, an interest waiver a waiveInterest, a
// fee or penalty waiver the waiver of whole loan charges, oldest first; a refund is a
// creditBalanceRefund of an overpaid loan or a refundByCash of an active one; a penalty is a loan
// charge. Mambu: a payoff is a REPAYMENT and then a CLOSE, a write-off a WRITE_OFF, an interest waiver
// an INTEREST_APPLIED_ADJUSTMENT, a fee or penalty waiver FEE_ADJUSTMENTs of whole fees, oldest first;
// a refund a PAYMENT_MADE; a penalty a FEE (Mambu v1 posts no penalty).
func (a *Activities) LedgerServicing(ctx context.Context, in LedgerServicingInput) error {
	switch in.Ledger {
	case lending.LedgerFineract:
		return a.fineractServicing(ctx, in)
	case lending.LedgerMambu:
		return a.mambuServicing(ctx, in)
	}
	return unknownLedger(in.Ledger)
}

func (a *Activities) fineractServicing(ctx context.Context, in LedgerServicingInput) error {
	c, id, err := a.fineractLoan(in.LedgerLoanID)
	if err != nil {
		return err
	}
	ext, on := servicingID(in), day(in.Date)
	money := fineract.Repayment{ExternalID: ext, TransactionDate: on, TransactionAmount: in.Amount, Note: in.Note}
	post := func(fn func() (*fineract.CommandResult, error)) error {
		return providerError(step(ctx, func() error {
			_, err := c.EnsureTransaction(ctx, id, ext, fn)
			return err
		}))
	}
	switch in.Kind {
	case LedgerPayoff:
		if err := post(func() (*fineract.CommandResult, error) {
			return c.Foreclose(ctx, id, fineract.Foreclosure{ExternalID: ext, TransactionDate: on, Note: in.Note})
		}); err != nil {
			return err
		}
		var tx *fineract.Transaction
		if err := step(ctx, func() (err error) {
			tx, err = c.FindTransactionByExternalID(ctx, id, ext)
			return err
		}); err != nil {
			return providerError(err)
		}
		return a.settledAt(ctx, in, tx.Amount)
	case LedgerWriteOff:
		return post(func() (*fineract.CommandResult, error) {
			return c.WriteOff(ctx, id, fineract.WriteOff{ExternalID: ext, TransactionDate: on, Note: in.Note})
		})
	case LedgerWaive:
		switch servicing.Component(in.Component) {
		case servicing.Interest:
			return post(func() (*fineract.CommandResult, error) {
				return c.WaiveInterest(ctx, id, fineract.InterestWaiver(money))
			})
		case servicing.Fees, servicing.Penalties:
			w := fineract.ChargesWaiver{Penalties: in.Component == string(servicing.Penalties), Amount: in.Amount, ExternalID: ext}
			return providerError(step(ctx, func() error { return c.EnsureChargesWaived(ctx, id, w) }))
		}
		return unknownComponent(in)
	case LedgerRefund:
		return providerError(step(ctx, func() error {
			l, err := c.GetLoan(ctx, id)
			if err != nil {
				return err
			}
			refund := c.RefundByCash
			switch l.Status.ID {
			case fineract.StatusOverpaid:
				refund = c.CreditBalanceRefund
			case fineract.StatusClosedObligationsMet:
				// The loan holds no money of the borrower's: our settlement booked only what
				// settled it, so the overpayment never reached the ledger, or this refund, posted
				// before its answer was lost, paid the credit back and closed the loan.
				return nil
			}
			_, err = c.EnsureTransaction(ctx, id, ext, func() (*fineract.CommandResult, error) {
				return refund(ctx, id, fineract.Refund(money))
			})
			return err
		}))
	case LedgerPenalty:
		return providerError(step(ctx, func() error {
			_, err := c.EnsureCharge(ctx, id, fineract.NewCharge{ExternalID: ext, Amount: in.Amount, DueDate: on})
			return err
		}))
	}
	return unknownKind(in)
}

// settledAt records, as a finding on the loan, a settlement the ledger booked at another amount than
// ours: Fineract computes a foreclosure itself (interest pro rata to the day within the period, no
// early-repayment fee), and staff must see any cent that differs.
func (a *Activities) settledAt(ctx context.Context, in LedgerServicingInput, theirs decimal.Decimal) error {
	if theirs.Equal(in.Amount) {
		return nil
	}
	_, err := a.Store.AddFindings(ctx, []models.ReconciliationFinding{{LoanRef: in.Ref, Provider: in.Ledger,
		Field: "payoff", Ours: in.Amount, Theirs: theirs, FoundAt: time.Now().UTC()}})
	return storeError(err)
}

func (a *Activities) mambuServicing(ctx context.Context, in LedgerServicingInput) error {
	c, err := a.mambu()
	if err != nil {
		return err
	}
	id, ext, on := in.LedgerLoanID, servicingID(in), day(in.Date)
	notes := cmp.Or(in.Note, in.Component)
	money := mambu.Repayment{Identifier: ext, Amount: in.Amount, ValueDate: on, Notes: notes}
	closure := mambu.Closure{Identifier: ext, ValueDate: on, Notes: notes}
	post := func(fn func() error) error {
		return providerError(step(ctx, func() error { return c.EnsureTransaction(fn) }))
	}
	switch in.Kind {
	case LedgerPayoff:
		if err := post(func() error { _, err := c.Repay(ctx, id, money); return err }); err != nil {
			return err
		}
		// Mambu closes an account repaid in full by itself; one settled early still has the
		// later installments' interest scheduled, never applied, which CLOSE forgives.
		closure.Identifier = ext + "-close"
		return providerError(step(ctx, func() error { return c.EnsureClosed(ctx, id, closure) }))
	case LedgerWriteOff:
		return providerError(step(ctx, func() error { return c.EnsureWrittenOff(ctx, id, closure) }))
	case LedgerWaive:
		switch servicing.Component(in.Component) {
		case servicing.Interest:
			return post(func() error { _, err := c.AdjustInterest(ctx, id, mambu.InterestAdjustment(money)); return err })
		case servicing.Fees, servicing.Penalties:
			// Penalties are booked as fees in Mambu (see LedgerPenalty), and loanflow books no
			// other fee there: either waiver takes the oldest fees back.
			w := mambu.FeesWaiver{Identifier: ext, Amount: in.Amount, ValueDate: on, Notes: in.Note}
			return providerError(step(ctx, func() error { return c.EnsureFeesWaived(ctx, id, w) }))
		}
		return unknownComponent(in)
	case LedgerRefund:
		return providerError(step(ctx, func() error {
			l, err := c.GetLoan(ctx, id)
			if err != nil || l.AccountState == mambu.StateClosed {
				// Closed, the account holds none of the borrower's money: the overpayment never
				// reached it, or this refund already paid it back and closed it.
				return err
			}
			return c.EnsureTransaction(func() error { _, err := c.PaymentMade(ctx, id, mambu.Payment(money)); return err })
		}))
	case LedgerPenalty:
		return post(func() error {
			_, err := c.ApplyFee(ctx, id, mambu.Fee{Identifier: ext, Amount: in.Amount, ValueDate: on, Notes: notes})
			return err
		})
	}
	return unknownKind(in)
}

func unknownKind(in LedgerServicingInput) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf("unknown servicing posting %q", in.Kind), ErrTypeProviderRefused, nil)
}

func unknownComponent(in LedgerServicingInput) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s cannot waive %q", in.Ledger, in.Component), ErrTypeProviderRefused, nil)
}
