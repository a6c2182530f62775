package mambu

import (
	"context"
	"errors"
	"fmt"
	"net/http"

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
	tx, err := c.Repay(ctx, loanID, r)
	if IsIdentifierUsed(err) {
		return nil, nil
	}
	return tx, err
}

func disbursedOrLater(state string) bool {
	switch state {
	case StateActive, StateActiveInArrears, StateClosed, StateClosedWrittenOff:
		return true
	}
	return false
}
