package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// Update IDs. Temporal de-duplicates Updates by ID per workflow, so a retried
// request is answered with the first call's result instead of acting twice.
const (
	updateIDCancel   = "cancel"
	updateIDReject   = "reject"
	updateIDDisburse = "disburse"
)

// transition runs an Update on the loan's workflow and answers the loan as
// stored afterwards: the workflow persists a transition before its Update
// returns, so the database already holds it.
func (s *Service) transition(ctx context.Context, ref int64, name, updateID string, arg any) (*models.Loan, error) {
	if _, err := s.engine.Update(ctx, ref, name, updateID, arg); err != nil {
		return nil, err
	}
	return s.loanByRef(ctx, ref)
}

func requireRole(st *models.Staff, role lending.Role) error {
	if st.Role != role {
		return failure.Forbidden("this action needs the " + string(role) + " role")
	}
	return nil
}

func requireReason(reason string) error {
	var errs failure.FieldErrors
	switch {
	case strings.TrimSpace(reason) == "":
		errs.Add("reason", "required")
	case len([]rune(reason)) > 1000:
		errs.Add("reason", "must be at most 1000 characters")
	}
	return errs.Err()
}

// Cancel withdraws the partner's application (from SUBMITTED or APPROVED).
func (s *Service) Cancel(ctx context.Context, p *models.Partner, ref int64, reason string) (*models.Loan, error) {
	if len([]rune(reason)) > 1000 {
		return nil, failure.Invalid("reason", "must be at most 1000 characters")
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	return s.transition(ctx, ref, workflows.UpdateCancel, updateIDCancel, workflows.DecisionRequest{Actor: partnerActor(p), Reason: reason})
}

// Approve records an underwriter's approval. Each request is an approval
// of its own unless it repeats an earlier one's idempotency key, so the
// workflow sees, and refuses with 403, a second approval by the same
// underwriter: four eyes needs two different ones.
func (s *Service) Approve(ctx context.Context, st *models.Staff, ref int64, key string) (*models.Loan, error) {
	if err := requireRole(st, lending.RoleUnderwriter); err != nil {
		return nil, err
	}
	updateID, err := keyedUpdateID(workflows.UpdateApprove, staffActor(st), key)
	if err != nil {
		return nil, err
	}
	if _, err := s.loanByRef(ctx, ref); err != nil {
		return nil, err
	}
	return s.transition(ctx, ref, workflows.UpdateApprove, updateID, workflows.DecisionRequest{Actor: staffActor(st)})
}

// Reject declines the application with the underwriter's reason.
func (s *Service) Reject(ctx context.Context, st *models.Staff, ref int64, reason string) (*models.Loan, error) {
	if err := requireRole(st, lending.RoleUnderwriter); err != nil {
		return nil, err
	}
	if err := requireReason(reason); err != nil {
		return nil, err
	}
	if _, err := s.loanByRef(ctx, ref); err != nil {
		return nil, err
	}
	return s.transition(ctx, ref, workflows.UpdateReject, updateIDReject, workflows.DecisionRequest{Actor: staffActor(st), Reason: reason})
}

// RejectDocuments sends the loan back to APPROVED for a re-upload. Documents
// can be rejected more than once in a loan's life, so the caller's key (or a
// fresh ID when it has none) identifies this rejection.
func (s *Service) RejectDocuments(ctx context.Context, st *models.Staff, ref int64, reason, key string) (*models.Loan, error) {
	if err := requireRole(st, lending.RoleOperations); err != nil {
		return nil, err
	}
	updateID, err := optionalKey(key)
	if err != nil {
		return nil, err
	}
	if err := requireReason(reason); err != nil {
		return nil, err
	}
	if _, err := s.loanByRef(ctx, ref); err != nil {
		return nil, err
	}
	return s.transition(ctx, ref, workflows.UpdateRejectDocuments, updateID, workflows.DecisionRequest{Actor: staffActor(st), Reason: reason})
}

// AuthorizeCashRelease lets the partner pay out. The workflow refuses the
// underwriter who approved the loan (segregation of duties).
func (s *Service) AuthorizeCashRelease(ctx context.Context, st *models.Staff, ref int64, key string) (*models.Loan, error) {
	if err := requireRole(st, lending.RoleOperations); err != nil {
		return nil, err
	}
	updateID, err := optionalKey(key)
	if err != nil {
		return nil, err
	}
	if _, err := s.loanByRef(ctx, ref); err != nil {
		return nil, err
	}
	return s.transition(ctx, ref, workflows.UpdateAuthorizeCashRelease, updateID, workflows.DecisionRequest{Actor: staffActor(st)})
}

func optionalKey(key string) (string, error) {
	if key == "" {
		return randomID(), nil
	}
	var errs failure.FieldErrors
	checkKey(key, &errs)
	return key, errs.Err()
}

// ConfirmDisbursement records that the partner paid the cash out on date
// (today when nil); the loan becomes ACTIVE and its schedule is fixed.
func (s *Service) ConfirmDisbursement(ctx context.Context, p *models.Partner, ref int64, date *time.Time) (*models.Loan, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	day := s.today()
	if date != nil {
		day = *date
	}
	return s.transition(ctx, ref, workflows.UpdateConfirmDisbursement, updateIDDisburse, workflows.DisbursementRequest{Actor: partnerActor(p), Date: day})
}

// RepaymentRequest is a repayment the partner took from the borrower.
type RepaymentRequest struct {
	Key    string // the partner's idempotency key
	Amount decimal.Decimal
	PaidOn time.Time
	// DecodeErrors are the fields the transport could not decode.
	DecodeErrors failure.FieldErrors
}

// Repay applies a repayment; installments are covered in order 1..n whatever
// the payment date. The key makes a retry harmless; reusing it for another
// amount is a conflict.
func (s *Service) Repay(ctx context.Context, p *models.Partner, ref int64, r RepaymentRequest) (*models.Loan, error) {
	errs := append(failure.FieldErrors(nil), r.DecodeErrors...)
	checkKey(r.Key, &errs)
	if !errs.Has("paid_on") && r.PaidOn.IsZero() {
		errs.Add("paid_on", "required")
	}
	loan, err := s.partnerLoan(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	prod, err := s.store.GetProduct(ctx, loan.ProductCode)
	switch {
	case errors.Is(err, models.ErrNotFound):
		prod = nil // amounts are then checked for sign only
	case err != nil:
		return nil, failure.Unavailable(err)
	}
	checkMoney("amount", r.Amount, prod, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	txs, err := s.store.Transactions(ctx, ref)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	for _, tx := range txs {
		if tx.Kind == lending.TxRepayment && tx.Key == r.Key && !tx.Amount.Equal(r.Amount) {
			return nil, errKeyReused
		}
	}
	return s.transition(ctx, ref, workflows.UpdateRepay, "repay-"+r.Key, workflows.RepaymentRequest{
		Actor: partnerActor(p), Key: r.Key, Amount: r.Amount, PaidOn: r.PaidOn,
	})
}
