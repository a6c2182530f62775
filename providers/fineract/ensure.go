package fineract

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/loanflow/loanflow/providers"
)

// CodeExternalIDConflict marks an externalId already used by a resource that is not the one asked for
// (another client's loan under our ref): retrying cannot fix it.
const CodeExternalIDConflict = "externalId_conflict"

// The Ensure* methods make one lifecycle step idempotent. Each attempt first reads what Fineract already
// holds under our external id or in the loan's status, and writes only when the step is still missing;
// a duplicate refusal (the earlier, lost, request did commit) is turned into a second read. Retrying one
// after any retryable error, ambiguous or not, books nothing twice.

// EnsureClient returns the id of the client with nc.ExternalID, creating it if Fineract has none.
func (c *Client) EnsureClient(ctx context.Context, nc NewClient) (int64, error) {
	if nc.ExternalID == "" {
		return 0, errors.New("fineract: EnsureClient: ExternalID is required")
	}
	found, err := c.FindClientByExternalID(ctx, nc.ExternalID)
	if err == nil {
		return found.ID, nil
	}
	if !providers.IsNotFound(err) {
		return 0, err
	}
	res, err := c.CreateClient(ctx, nc)
	if err == nil {
		return res.ClientID, nil
	}
	if !IsDuplicate(err) {
		return 0, err
	}
	found, err = c.FindClientByExternalID(ctx, nc.ExternalID)
	if err != nil {
		return 0, err
	}
	return found.ID, nil
}

// EnsureLoan returns the id of the loan with app.ExternalID, submitting the application if Fineract has
// none. A loan under that externalId that belongs to another client is a non-retryable conflict.
func (c *Client) EnsureLoan(ctx context.Context, app LoanApplication) (int64, error) {
	if app.ExternalID == "" {
		return 0, errors.New("fineract: EnsureLoan: ExternalID is required")
	}
	found, err := c.FindLoanByExternalID(ctx, app.ExternalID)
	if err == nil {
		return c.sameClient(found, app)
	}
	if !providers.IsNotFound(err) {
		return 0, err
	}
	res, err := c.SubmitLoanApplication(ctx, app)
	if err == nil {
		return res.LoanID, nil
	}
	if !IsDuplicate(err) {
		return 0, err
	}
	found, err = c.FindLoanByExternalID(ctx, app.ExternalID)
	if err != nil {
		return 0, err
	}
	return c.sameClient(found, app)
}

func (c *Client) sameClient(l *Loan, app LoanApplication) (int64, error) {
	if l.ClientID != app.ClientID {
		return 0, &providers.Error{Provider: Provider, Op: "EnsureLoan", Status: http.StatusConflict, Code: CodeExternalIDConflict,
			Message: fmt.Sprintf("loan externalId %q belongs to client %d, not %d", app.ExternalID, l.ClientID, app.ClientID)}
	}
	return l.ID, nil
}

// EnsureApproved approves the loan unless its status shows it already was. A loan that can no longer be
// approved (rejected, withdrawn) gets Fineract's own refusal.
func (c *Client) EnsureApproved(ctx context.Context, loanID int64, a Approval) error {
	l, err := c.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if approvedOrLater(l.Status.ID) {
		return nil
	}
	_, err = c.ApproveLoan(ctx, loanID, a)
	return err
}

// EnsureDisbursed disburses the loan unless its status shows it already was. Fineract refuses to
// disburse a loan that is not approved; that refusal is returned as is.
func (c *Client) EnsureDisbursed(ctx context.Context, loanID int64, d Disbursal) error {
	l, err := c.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if disbursedOrLater(l.Status.ID) {
		return nil
	}
	_, err = c.DisburseLoan(ctx, loanID, d)
	return err
}

// EnsureRepayment returns the id of the loan's transaction with r.ExternalID, posting the repayment if
// there is none.
func (c *Client) EnsureRepayment(ctx context.Context, loanID int64, r Repayment) (int64, error) {
	if r.ExternalID == "" {
		return 0, errors.New("fineract: EnsureRepayment: ExternalID is required")
	}
	tx, err := c.FindTransactionByExternalID(ctx, loanID, r.ExternalID)
	if err == nil {
		return tx.ID, nil
	}
	if !providers.IsNotFound(err) {
		return 0, err
	}
	res, err := c.MakeRepayment(ctx, loanID, r)
	if err == nil {
		return res.ResourceID, nil
	}
	if !IsDuplicate(err) {
		return 0, err
	}
	tx, err = c.FindTransactionByExternalID(ctx, loanID, r.ExternalID)
	if err != nil {
		return 0, err
	}
	return tx.ID, nil
}

func approvedOrLater(status int) bool {
	return status == StatusApproved || disbursedOrLater(status)
}

func disbursedOrLater(status int) bool {
	switch status {
	case StatusActive, StatusClosedObligationsMet, StatusClosedWrittenOff, StatusClosedRescheduled, StatusOverpaid:
		return true
	}
	return false
}
