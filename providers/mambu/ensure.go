package mambu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers"
)

// The Ensure* methods make one lifecycle step idempotent: each attempt reads what Mambu already holds
// under our ids or in the account state and writes only what is missing; for money transactions the
// identifier makes Mambu itself refuse a second booking, which is read as done. Retrying one after any
// retryable error, ambiguous or not, books nothing twice.

// EnsureClient returns the client with nc.ID, creating it if Mambu has none.
func (c *Client) EnsureClient(ctx context.Context, nc NewClient) (*ClientRecord, error) {
	if nc.ID == "" {
		return nil, errors.New("mambu: EnsureClient: ID is required")
	}
	found, err := c.GetClient(ctx, nc.ID)
	if err == nil {
		return found, nil
	}
	if !IsNotFound(err) {
		return nil, err
	}
	created, err := c.CreateClient(ctx, nc)
	if err == nil {
		return created, nil
	}
	// A refusal may only say the id is taken, by the lost earlier attempt: look once more.
	if pe, ok := providers.AsError(err); ok && !pe.Retryable {
		if again, getErr := c.GetClient(ctx, nc.ID); getErr == nil {
			return again, nil
		}
	}
	return nil, err
}

// EnsureLoan returns the loan account with nl.ID, creating it if Mambu has none. An account under that
// id held by another client is a non-retryable conflict.
func (c *Client) EnsureLoan(ctx context.Context, nl NewLoan) (*LoanAccount, error) {
	if nl.ID == "" {
		return nil, errors.New("mambu: EnsureLoan: ID is required")
	}
	found, err := c.GetLoan(ctx, nl.ID)
	if err != nil {
		if !IsNotFound(err) {
			return nil, err
		}
		if found, err = c.CreateLoan(ctx, nl); err != nil {
			return nil, err
		}
	}
	if found.AccountHolderKey != nl.ClientKey {
		return nil, &providers.Error{Provider: Provider, Op: "EnsureLoan", Status: http.StatusConflict, Code: CodeAccountHolderConflict,
			Message: fmt.Sprintf("loan account %q is held by %s, not %s", nl.ID, found.AccountHolderKey, nl.ClientKey)}
	}
	return found, nil
}

// EnsureApproved approves the loan unless its state shows it already was. A loan that can no longer be
// approved gets Mambu's own refusal.
func (c *Client) EnsureApproved(ctx context.Context, loanID, notes string) error {
	l, err := c.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if l.AccountState == StateApproved || disbursedOrLater(l.AccountState) {
		return nil
	}
	return c.Approve(ctx, loanID, notes)
}

// EnsureDisbursed disburses the loan unless its state shows it already was. d.Identifier is required:
// it is what stops a second disbursement if the state read races a lost first one.
func (c *Client) EnsureDisbursed(ctx context.Context, loanID string, d Disbursement) error {
	if d.Identifier == "" {
		return errors.New("mambu: EnsureDisbursed: Identifier is required")
	}
	l, err := c.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if disbursedOrLater(l.AccountState) {
		return nil
	}
	_, err = c.Disburse(ctx, loanID, d)
	if IsIdentifierUsed(err) {
		return nil
	}
	return err
}

// EnsureRepayment posts the repayment unless a transaction with r.Identifier was already posted. It
// returns the new transaction, or nil when an earlier attempt had booked it: Mambu's refusal does not
// say which transaction that was.
func (c *Client) EnsureRepayment(ctx context.Context, loanID string, r Repayment) (*Transaction, error) {
	if r.Identifier == "" {
		return nil, errors.New("mambu: EnsureRepayment: Identifier is required")
	}
	var tx *Transaction
	err := c.EnsureTransaction(func() (err error) {
		tx, err = c.Repay(ctx, loanID, r)
		return err
	})
	return tx, err
}

// EnsureTransaction runs post, which posts a money transaction under its identifier (a repayment, a
// fee, an adjustment, a payment made), and reads Mambu's refusal of an identifier already used as
// done: the earlier, possibly lost, attempt booked it.
func (c *Client) EnsureTransaction(post func() error) error {
	if err := post(); !IsIdentifierUsed(err) {
		return err
	}
	return nil
}

// EnsureClosed closes the account unless its state shows it already is.
func (c *Client) EnsureClosed(ctx context.Context, loanID string, cl Closure) error {
	l, err := c.GetLoan(ctx, loanID)
	if err != nil || l.AccountState == StateClosed {
		return err
	}
	return c.EnsureTransaction(func() error { return c.Close(ctx, loanID, cl) })
}

// EnsureWrittenOff writes the account off unless its state shows it already was.
func (c *Client) EnsureWrittenOff(ctx context.Context, loanID string, w Closure) error {
	l, err := c.GetLoan(ctx, loanID)
	if err != nil || l.AccountState == StateClosedWrittenOff {
		return err
	}
	return c.EnsureTransaction(func() error { _, err := c.WriteOff(ctx, loanID, w); return err })
}

// CodeFeesNotWhole marks a fee waiver that whole fees cannot make up: Mambu adjusts a fee whole, and
// the amount is not what the oldest fees not yet adjusted come to.
const CodeFeesNotWhole = "fees_not_whole"

// FeesWaiver waives Amount of an account's fees in whole fees, the oldest first, each taken back by a
// FEE_ADJUSTMENT. Identifier names the waiver: Mambu answers no transaction's identifier, so each
// adjustment's notes start with it, which is how a retry tells what the waiver already adjusted.
type FeesWaiver struct {
	Identifier string
	Amount     decimal.Decimal
	ValueDate  time.Time
	Notes      string
}

// EnsureFeesWaived waives w.Amount of the account's fees, oldest first, except what the waiver's
// adjustments already took back: a retry after a lost answer adjusts only the rest. When the rest is
// not what the oldest fees not yet adjusted come to, nothing is adjusted and the refusal
// (CodeFeesNotWhole) says what they come to.
func (c *Client) EnsureFeesWaived(ctx context.Context, loanID string, w FeesWaiver) error {
	if w.Identifier == "" {
		return errors.New("mambu: EnsureFeesWaived: Identifier is required")
	}
	txs, err := c.GetTransactions(ctx, loanID)
	if err != nil {
		return err
	}
	notes := w.Identifier + ": " + w.Notes
	done := decimal.Zero
	var fees []Transaction
	for _, tx := range txs {
		switch {
		case tx.Type == TypeFeeAdjustment && strings.HasPrefix(tx.Comment, w.Identifier+":"):
			done = done.Add(tx.Amount)
		case tx.Type == TypeFee && tx.ReversalTransactionKey == "":
			fees = append(fees, tx)
		}
	}
	left := w.Amount.Sub(done)
	if !left.IsPositive() {
		return nil
	}
	// Transactions are listed newest first.
	slices.Reverse(fees)
	var plan []Transaction
	sum := decimal.Zero
	for _, fee := range fees {
		next := sum.Add(fee.Amount)
		if next.GreaterThan(left) {
			break
		}
		plan, sum = append(plan, fee), next
	}
	if !sum.Equal(left) {
		amounts := make([]string, 0, len(fees))
		for _, fee := range fees[:min(len(fees), 10)] {
			amounts = append(amounts, fee.Amount.String())
		}
		return &providers.Error{Provider: Provider, Op: "EnsureFeesWaived", Status: http.StatusConflict, Code: CodeFeesNotWhole,
			Message: fmt.Sprintf("Mambu adjusts whole fees, oldest first: the fees not adjusted are [%s]; %s cannot be made of them",
				strings.Join(amounts, " "), left)}
	}
	for _, fee := range plan {
		a := FeeAdjustment{Identifier: w.Identifier + "-" + strconv.FormatInt(fee.TransactionID, 10),
			OriginalTransactionID: fee.EncodedKey, ValueDate: w.ValueDate, Notes: notes}
		if err := c.EnsureTransaction(func() error { _, err := c.AdjustFee(ctx, loanID, a); return err }); err != nil {
			return err
		}
	}
	return nil
}

func disbursedOrLater(state string) bool {
	switch state {
	case StateActive, StateActiveInArrears, StateClosed, StateClosedWrittenOff:
		return true
	}
	return false
}
