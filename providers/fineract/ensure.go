package fineract

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers"
)

// CodeExternalIDConflict marks an externalId already used by a resource that is not the one asked for
// (another client's loan under our ref): retrying cannot fix it.
const CodeExternalIDConflict = "externalId_conflict"

// The Ensure* methods make one lifecycle step idempotent. Each attempt first reads what Fineract already
// holds under our external id or in the loan's status, and writes only when the step is still missing;
// a duplicate refusal (the earlier, lost, request did commit) is turned into a second read. Retrying one
// after any retryable error, ambiguous or not, books nothing twice.

// ensure returns what find finds, creating it with create when find answers that there is none; a
// duplicate refusal (the earlier, lost, create did commit) is read as done and found again.
func ensure[T any](find, create func() (T, error)) (T, error) {
	found, err := find()
	if !providers.IsNotFound(err) {
		return found, err
	}
	created, err := create()
	if IsDuplicate(err) {
		return find()
	}
	return created, err
}

// EnsureClient returns the id of the client with nc.ExternalID, creating it if Fineract has none.
func (c *Client) EnsureClient(ctx context.Context, nc NewClient) (int64, error) {
	if nc.ExternalID == "" {
		return 0, errors.New("fineract: EnsureClient: ExternalID is required")
	}
	return ensure(func() (int64, error) {
		found, err := c.FindClientByExternalID(ctx, nc.ExternalID)
		if err != nil {
			return 0, err
		}
		return found.ID, nil
	}, func() (int64, error) {
		res, err := c.CreateClient(ctx, nc)
		if err != nil {
			return 0, err
		}
		return res.ClientID, nil
	})
}

// EnsureLoan returns the id of the loan with app.ExternalID, submitting the application if Fineract has
// none. A loan under that externalId that belongs to another client is a non-retryable conflict.
func (c *Client) EnsureLoan(ctx context.Context, app LoanApplication) (int64, error) {
	if app.ExternalID == "" {
		return 0, errors.New("fineract: EnsureLoan: ExternalID is required")
	}
	return ensure(func() (int64, error) {
		found, err := c.FindLoanByExternalID(ctx, app.ExternalID)
		if err != nil {
			return 0, err
		}
		return c.sameClient(found, app)
	}, func() (int64, error) {
		res, err := c.SubmitLoanApplication(ctx, app)
		if err != nil {
			return 0, err
		}
		return res.LoanID, nil
	})
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
	return c.ensureStatus(ctx, loanID, approvedOrLater, func() error { _, err := c.ApproveLoan(ctx, loanID, a); return err })
}

// EnsureDisbursed disburses the loan unless its status shows it already was. Fineract refuses to
// disburse a loan that is not approved; that refusal is returned as is.
func (c *Client) EnsureDisbursed(ctx context.Context, loanID int64, d Disbursal) error {
	return c.ensureStatus(ctx, loanID, disbursedOrLater, func() error { _, err := c.DisburseLoan(ctx, loanID, d); return err })
}

// ensureStatus runs step unless the loan's status already is one reached is true of.
func (c *Client) ensureStatus(ctx context.Context, loanID int64, reached func(status int) bool, step func() error) error {
	l, err := c.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if reached(l.Status.ID) {
		return nil
	}
	return step()
}

// EnsureRepayment returns the id of the loan's transaction with r.ExternalID, posting the repayment if
// there is none.
func (c *Client) EnsureRepayment(ctx context.Context, loanID int64, r Repayment) (int64, error) {
	return c.EnsureTransaction(ctx, loanID, r.ExternalID, func() (*CommandResult, error) { return c.MakeRepayment(ctx, loanID, r) })
}

// EnsureTransaction returns the id of the loan's transaction with externalID, posting it with post (a
// repayment, a foreclosure, a waiver, a write-off, a refund carrying that externalID) if there is none.
func (c *Client) EnsureTransaction(ctx context.Context, loanID int64, externalID string, post func() (*CommandResult, error)) (int64, error) {
	if externalID == "" {
		return 0, errors.New("fineract: EnsureTransaction: externalID is required")
	}
	find := func() (int64, error) {
		tx, err := c.FindTransactionByExternalID(ctx, loanID, externalID)
		if err != nil {
			return 0, err
		}
		return tx.ID, nil
	}
	return ensure(find, func() (int64, error) {
		res, err := post()
		switch {
		case err != nil:
			return 0, err
		case res.ResourceID == 0:
			// Fineract answered without the transaction (a foreclosure, before 1.8): read it.
			return find()
		}
		return res.ResourceID, nil
	})
}

// EnsureCharge returns the id of the loan charge with nc.ExternalID, applying the charge if the loan has
// none.
func (c *Client) EnsureCharge(ctx context.Context, loanID int64, nc NewCharge) (int64, error) {
	if nc.ExternalID == "" {
		return 0, errors.New("fineract: EnsureCharge: ExternalID is required")
	}
	return ensure(func() (int64, error) {
		charges, err := c.LoanCharges(ctx, loanID)
		if err != nil {
			return 0, err
		}
		for _, ch := range charges {
			if ch.ExternalID == nc.ExternalID {
				return ch.ID, nil
			}
		}
		return 0, notFound("EnsureCharge", fmt.Sprintf("loan %d has no charge with externalId %q", loanID, nc.ExternalID))
	}, func() (int64, error) {
		res, err := c.AddCharge(ctx, loanID, nc)
		if err != nil {
			return 0, err
		}
		return res.ResourceID, nil
	})
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

// CodeChargesNotWhole marks a fee or penalty waiver that whole charges cannot make up: Fineract waives a
// charge whole, and the amount is not what the oldest unpaid charges owe.
const CodeChargesNotWhole = "charges_not_whole"

// ChargesWaiver waives Amount of a loan's penalties (or fees, Penalties false) in whole charges, the
// oldest due first. ExternalID names the waiver; its transactions are ExternalID-1, ExternalID-2, …
type ChargesWaiver struct {
	Penalties  bool
	Amount     decimal.Decimal
	ExternalID string
}

// EnsureChargesWaived waives w.Amount of the loan's unpaid penalty (or fee) charges, oldest first,
// except what the waiver's transactions already waived: a retry after a lost answer waives only the
// rest. When the rest is not what the oldest unpaid charges owe, nothing is waived and the refusal
// (CodeChargesNotWhole) says what they owe.
func (c *Client) EnsureChargesWaived(ctx context.Context, loanID int64, w ChargesWaiver) error {
	const op = "EnsureChargesWaived"
	if w.ExternalID == "" {
		return errors.New("fineract: EnsureChargesWaived: ExternalID is required")
	}
	l, err := c.GetLoan(ctx, loanID, AssociationTransactions)
	if err != nil {
		return err
	}
	prefix, done, n := w.ExternalID+"-", decimal.Zero, 0
	for _, tx := range l.Transactions {
		rest, ours := strings.CutPrefix(tx.ExternalID, prefix)
		k, err := strconv.Atoi(rest)
		if ours && err == nil && tx.Type.ID == TransactionWaiveCharges && !tx.ManuallyReversed {
			done, n = done.Add(tx.Amount), max(n, k)
		}
	}
	left := w.Amount.Sub(done)
	if !left.IsPositive() {
		return nil
	}
	charges, err := c.LoanCharges(ctx, loanID)
	if err != nil {
		return err
	}
	var unpaid []LoanCharge
	for _, ch := range charges {
		if ch.Penalty == w.Penalties && !ch.Waived && ch.AmountOutstanding.IsPositive() {
			unpaid = append(unpaid, ch)
		}
	}
	slices.SortStableFunc(unpaid, func(a, b LoanCharge) int {
		return cmp.Or(a.DueDate.Compare(b.DueDate.Time), cmp.Compare(a.ID, b.ID))
	})
	var plan []LoanCharge
	sum := decimal.Zero
	for _, ch := range unpaid {
		if next := sum.Add(ch.AmountOutstanding); !next.GreaterThan(left) {
			plan, sum = append(plan, ch), next
			continue
		}
		break
	}
	if !sum.Equal(left) {
		what := "fee"
		if w.Penalties {
			what = "penalty"
		}
		owed := make([]string, 0, len(unpaid))
		for _, ch := range unpaid[:min(len(unpaid), 10)] {
			owed = append(owed, ch.AmountOutstanding.String())
		}
		return &providers.Error{Provider: Provider, Op: op, Status: http.StatusConflict, Code: CodeChargesNotWhole,
			Message: fmt.Sprintf("Fineract waives whole charges, oldest first: the unpaid %s charges owe [%s]; %s cannot be made of them",
				what, strings.Join(owed, " "), left)}
	}
	for _, ch := range plan {
		n++
		if _, err := c.WaiveCharge(ctx, loanID, ch.ID, prefix+strconv.Itoa(n)); err != nil {
			return err
		}
	}
	return nil
}
