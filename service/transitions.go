package service

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// Outcome is what an action left: the loan as stored after it, and whether
// the request replayed an earlier one with the same idempotency key (the
// first one's answer is given again; nothing happened twice).
type Outcome struct {
	Loan     *models.Loan
	Replayed bool
}

// update is one Update a caller asks of a loan's workflow.
type update struct {
	name  string // workflows.Update*
	actor lending.Actor
	ref   int64
	// key is the caller's idempotency key, "" when it sent none; request
	// is what it asked, the same key must come with the same request.
	key     string
	request any
	// fixedID is the Update ID without a key, for actions a loan takes at
	// most once (a retry is the same action); "" makes each request an
	// action of its own.
	fixedID string
	arg     any
}

// run claims the caller's key, if any, and runs the Update on the loan's
// workflow. The answer is the loan as stored afterwards: the workflow
// persists a transition before its Update returns, so the database already
// holds it.
func (s *Service) run(ctx context.Context, u update) (Outcome, error) {
	updateID, replayed := u.fixedID, false
	var claim *models.IdempotencyKey
	if u.key != "" {
		var err error
		claim, replayed, err = s.claim(ctx, keyed{actor: u.actor, action: u.name, ref: u.ref, key: u.key, request: u.request}, nil)
		if err != nil {
			return Outcome{}, err
		}
		updateID = keyedUpdateID(u.name, u.actor, u.key)
	} else if updateID == "" {
		updateID = randomID()
	}
	loan, err := s.transition(ctx, u.ref, u.name, updateID, u.arg)
	switch {
	case err == nil:
		return Outcome{Loan: loan, Replayed: replayed}, nil
	case replayed && errors.Is(err, gateway.ErrLoanClosed):
		// The first request's action ended the loan (a cancellation, the
		// repayment that closed it): its workflow takes no more Updates,
		// and the retry is answered with the loan it left.
		loan, err := s.loanByRef(ctx, u.ref)
		return Outcome{Loan: loan, Replayed: true}, err
	case claim != nil && !replayed && failure.KindOf(err) != failure.KindUnavailable:
		// A definite refusal: the key is given back, for the request
		// fixed. After an outage it is kept, as the Update may have run.
		s.unclaim(ctx, claim)
	}
	return Outcome{}, err
}

// transition runs an Update on the loan's workflow and answers the loan as
// stored afterwards.
func (s *Service) transition(ctx context.Context, ref int64, name, updateID string, arg any) (*models.Loan, error) {
	if _, err := s.engine.Update(ctx, ref, name, updateID, arg); err != nil {
		return nil, err
	}
	return s.loanByRef(ctx, ref)
}

// requireLoanReader admits the staff who may read loans (lending.Role's
// ReadsLoans): the same rule on every front end.
func requireLoanReader(st *models.Staff) error {
	if st == nil || !st.Role.ReadsLoans() {
		return failure.Forbidden("reading loans needs the underwriter or operations role")
	}
	return nil
}

func requireRole(st *models.Staff, role lending.Role) error {
	if st.Role != role {
		return failure.Forbidden("this action needs the " + string(role) + " role")
	}
	return nil
}

// maxReasonLen bounds a reason given for an action.
const maxReasonLen = 1000

// checkReason applies the text rule to a reason, required or not.
func checkReason(reason string, required bool) error {
	if msg := textProblem(reason, required, maxReasonLen); msg != "" {
		return failure.Invalid("reason", "%s", msg)
	}
	return nil
}

func requireReason(reason string) error { return checkReason(reason, true) }

// Cancel withdraws the partner's application (from SUBMITTED or APPROVED).
func (s *Service) Cancel(ctx context.Context, p *models.Partner, ref int64, reason, key string) (Outcome, error) {
	if err := checkReason(reason, false); err != nil {
		return Outcome{}, err
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return Outcome{}, err
	}
	req := workflows.DecisionRequest{Actor: partnerActor(p), Reason: reason}
	return s.run(ctx, update{name: workflows.UpdateCancel, actor: req.Actor, ref: ref, key: key, request: reason, fixedID: "cancel", arg: req})
}

// Approve records an underwriter's approval. Each request is an approval
// of its own unless it repeats an earlier one's idempotency key, so the
// workflow sees, and refuses with 403, a second approval by the same
// underwriter: four eyes needs two different ones.
func (s *Service) Approve(ctx context.Context, st *models.Staff, ref int64, key string) (Outcome, error) {
	return s.decide(ctx, decision{staff: st, role: lending.RoleUnderwriter, ref: ref, name: workflows.UpdateApprove, key: key})
}

// decision is a staff member's decision on a loan: an Update taking a
// DecisionRequest, allowed to one role, with a reason when required.
type decision struct {
	staff        *models.Staff
	role         lending.Role
	ref          int64
	name         string // workflows.Update*
	reason       string
	needsReason  bool
	key, fixedID string
}

// decide checks the role, the reason and that the loan exists, and runs
// the decision's Update.
func (s *Service) decide(ctx context.Context, d decision) (Outcome, error) {
	if err := requireRole(d.staff, d.role); err != nil {
		return Outcome{}, err
	}
	var request any
	if d.needsReason {
		if err := requireReason(d.reason); err != nil {
			return Outcome{}, err
		}
		request = d.reason
	}
	if _, err := s.loanByRef(ctx, d.ref); err != nil {
		return Outcome{}, err
	}
	req := workflows.DecisionRequest{Actor: staffActor(d.staff), Reason: d.reason}
	return s.run(ctx, update{name: d.name, actor: req.Actor, ref: d.ref, key: d.key, request: request, fixedID: d.fixedID, arg: req})
}

// Reject declines the application with the underwriter's reason.
func (s *Service) Reject(ctx context.Context, st *models.Staff, ref int64, reason, key string) (Outcome, error) {
	return s.decide(ctx, decision{staff: st, role: lending.RoleUnderwriter, ref: ref, name: workflows.UpdateReject,
		reason: reason, needsReason: true, key: key, fixedID: "reject"})
}

// RejectDocuments sends the loan back to APPROVED for a re-upload.
// Documents can be rejected more than once in a loan's life: each request
// is a rejection of its own unless it repeats a key.
func (s *Service) RejectDocuments(ctx context.Context, st *models.Staff, ref int64, reason, key string) (Outcome, error) {
	return s.decide(ctx, decision{staff: st, role: lending.RoleOperations, ref: ref, name: workflows.UpdateRejectDocuments,
		reason: reason, needsReason: true, key: key})
}

// AuthorizeCashRelease lets the partner pay out. The workflow refuses the
// underwriter who approved the loan (segregation of duties).
func (s *Service) AuthorizeCashRelease(ctx context.Context, st *models.Staff, ref int64, key string) (Outcome, error) {
	return s.decide(ctx, decision{staff: st, role: lending.RoleOperations, ref: ref, name: workflows.UpdateAuthorizeCashRelease, key: key})
}

// ConfirmDisbursement records that the partner paid the cash out on date
// (today when nil); the loan becomes ACTIVE and its schedule is fixed.
func (s *Service) ConfirmDisbursement(ctx context.Context, p *models.Partner, ref int64, date *time.Time, key string) (Outcome, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return Outcome{}, err
	}
	day := s.today()
	if date != nil {
		day = *date
	}
	req := workflows.DisbursementRequest{Actor: partnerActor(p), Date: day}
	return s.run(ctx, update{name: workflows.UpdateConfirmDisbursement, actor: req.Actor, ref: ref, key: key,
		request: day.Format(time.DateOnly), fixedID: "disburse", arg: req})
}

// RepaymentRequest is a repayment the partner took from the borrower.
type RepaymentRequest struct {
	Key    string // the partner's idempotency key
	Amount decimal.Decimal
	PaidOn time.Time
	// Strategy is what money beyond what is due does (a servicing
	// prepayment strategy); empty: the product's.
	Strategy string
	// DecodeErrors are the fields the transport could not decode.
	DecodeErrors failure.FieldErrors
}

// Repay applies a repayment: what is due first, in the product's
// allocation order, and money beyond that by the strategy. The key, required, makes a retry harmless; reusing it
// for another repayment is a conflict.
func (s *Service) Repay(ctx context.Context, p *models.Partner, ref int64, r RepaymentRequest) (Outcome, error) {
	errs := append(failure.FieldErrors(nil), r.DecodeErrors...)
	checkKey(r.Key, &errs)
	if !errs.Has("paid_on") && r.PaidOn.IsZero() {
		errs.Add("paid_on", "required")
	}
	if !errs.Has("prepayment_strategy") && !knownStrategy(r.Strategy) {
		errs.Add("prepayment_strategy", "must be one of %s, %s, %s", servicing.StrategyNextInstallments,
			servicing.StrategyReduceInstallment, servicing.StrategyReduceTerm)
	}
	loan, err := s.partnerLoan(ctx, p, ref)
	if err != nil {
		return Outcome{}, err
	}
	checkMoney("amount", r.Amount, s.productOf(ctx, loan), &errs)
	if err := errs.Err(); err != nil {
		return Outcome{}, err
	}
	req := workflows.RepaymentRequest{Actor: partnerActor(p), Key: r.Key, Amount: r.Amount, PaidOn: r.PaidOn, Strategy: r.Strategy}
	// The strategy is part of the request only when given, so that keys
	// used before it existed still match their retries.
	request := any(struct{ Amount, PaidOn string }{r.Amount.String(), r.PaidOn.Format(time.DateOnly)})
	if r.Strategy != "" {
		request = struct{ Amount, PaidOn, Strategy string }{r.Amount.String(), r.PaidOn.Format(time.DateOnly), r.Strategy}
	}
	return s.run(ctx, update{name: workflows.UpdateRepay, actor: req.Actor, ref: ref, key: r.Key, request: request, arg: req})
}
