package service

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// The use cases of a paid-out loan: the payoff quote and settlement
// (partners), refunds, waivers and write-offs (operations), payment
// holidays (underwriters). Each checks the caller and the input here and
// leaves the loan's rules (the status, the quote, what is due, four eyes)
// to the workflow's validators.

// maxPayoffHorizon is how far ahead a payoff may be quoted.
const maxPayoffHorizon = 90 * 24 * time.Hour

// Payoff is a payoff quote and the loan it is of.
type Payoff struct {
	Quote *servicing.Quote
	Loan  *models.Loan
}

// Payoff is what settles the loan on asOf (today when nil): what the
// partner quotes to a borrower who asks to pay off early.
func (s *Service) Payoff(ctx context.Context, who Caller, ref int64, asOf *time.Time) (*Payoff, error) {
	loan, err := s.loanFor(ctx, who, ref)
	if err != nil {
		return nil, err
	}
	day := s.today()
	if asOf != nil {
		day = lending.Day(*asOf)
	}
	if err := checkPayoffDate(loan, day, s.today()); err != nil {
		return nil, err
	}
	q, err := s.engine.Payoff(ctx, ref, day)
	if err != nil {
		return nil, err
	}
	return &Payoff{Quote: q, Loan: loan}, nil
}

// checkPayoffDate refuses a quote before the pay-out or too far ahead:
// both would be a figure no borrower can pay.
func checkPayoffDate(loan *models.Loan, day, today time.Time) error {
	if loan.DisbursedOn == nil {
		return failure.Conflict("the loan is " + string(loan.Status) + ": only a paid-out loan has a payoff")
	}
	if day.Before(lending.Day(*loan.DisbursedOn)) {
		return failure.Invalid("as_of", "must not be before the pay-out on %s", loan.DisbursedOn.Format(time.DateOnly))
	}
	if day.After(today.Add(maxPayoffHorizon)) {
		return failure.Invalid("as_of", "must be at most 90 days ahead")
	}
	return nil
}

// SettlementRequest pays a loan off: Amount must be the payoff quote for
// PaidOn.
type SettlementRequest struct {
	Key          string
	Amount       decimal.Decimal
	PaidOn       *time.Time // today when nil
	DecodeErrors failure.FieldErrors
}

// Settle pays the partner's loan off at the payoff quote; the loan is
// CLOSED. An amount that is not the quote is a conflict carrying the quote.
func (s *Service) Settle(ctx context.Context, p *models.Partner, ref int64, r SettlementRequest) (Outcome, error) {
	errs := append(failure.FieldErrors(nil), r.DecodeErrors...)
	checkKey(r.Key, &errs)
	loan, err := s.partnerLoan(ctx, p, ref)
	if err != nil {
		return Outcome{}, err
	}
	checkMoney("amount", r.Amount, s.productOf(ctx, loan), &errs)
	day := s.today()
	if r.PaidOn != nil {
		day = lending.Day(*r.PaidOn)
	}
	if !errs.Has("paid_on") && day.After(s.today()) {
		errs.Add("paid_on", "must not be in the future")
	}
	if err := errs.Err(); err != nil {
		return Outcome{}, err
	}
	actor := partnerActor(p)
	req := workflows.SettleRequest{Actor: actor, Key: keyedUpdateID(workflows.UpdateSettle, actor, r.Key), Amount: r.Amount, PaidOn: day}
	return s.run(ctx, update{name: workflows.UpdateSettle, actor: actor, ref: ref, key: r.Key,
		request: struct{ Amount, PaidOn string }{r.Amount.String(), day.Format(time.DateOnly)}, arg: req})
}

// productOf is the loan's product, nil when it is gone (amounts are then
// checked for sign only).
func (s *Service) productOf(ctx context.Context, loan *models.Loan) *models.Product {
	prod, err := s.store.GetProduct(ctx, loan.ProductCode)
	if err != nil {
		return nil
	}
	return prod
}

// MoneyAction is a staff member's action that moves an amount of a loan:
// a refund, a waiver.
type MoneyAction struct {
	Key       string
	Amount    decimal.Decimal
	Component string // a waiver's: interest, fees or penalties
	Reason    string
	// DecodeErrors are the fields the transport could not decode.
	DecodeErrors failure.FieldErrors
}

// checkedMoneyAction reads the loan for operations and checks the action's key,
// amount and reason; the errors collected so far come first.
func (s *Service) checkedMoneyAction(ctx context.Context, st *models.Staff, ref int64, r MoneyAction, errs *failure.FieldErrors) error {
	if err := requireRole(st, lending.RoleOperations); err != nil {
		return err
	}
	loan, err := s.loanByRef(ctx, ref)
	if err != nil {
		return err
	}
	checkKey(r.Key, errs)
	checkMoney("amount", r.Amount, s.productOf(ctx, loan), errs)
	if msg := textProblem(r.Reason, true, maxReasonLen); msg != "" {
		errs.Add("reason", "%s", msg)
	}
	return errs.Err()
}

// Refund records that operations paid Amount of an OVERPAID loan's
// overpaid balance back to the borrower; at zero the loan is CLOSED.
func (s *Service) Refund(ctx context.Context, st *models.Staff, ref int64, r MoneyAction) (Outcome, error) {
	errs := append(failure.FieldErrors(nil), r.DecodeErrors...)
	if err := s.checkedMoneyAction(ctx, st, ref, r, &errs); err != nil {
		return Outcome{}, err
	}
	actor := staffActor(st)
	req := workflows.RefundRequest{Actor: actor, Key: keyedUpdateID(workflows.UpdateRefund, actor, r.Key), Amount: r.Amount, Reason: r.Reason}
	return s.run(ctx, update{name: workflows.UpdateRefund, actor: actor, ref: ref, key: r.Key,
		request: struct{ Amount, Reason string }{r.Amount.String(), r.Reason}, arg: req})
}

// waivable are the components a waiver may forgive: principal is written
// off, never waived.
var waivable = []servicing.Component{servicing.Penalties, servicing.Fees, servicing.Interest}

// Waive forgives Amount of a component of what the loan has due.
func (s *Service) Waive(ctx context.Context, st *models.Staff, ref int64, r MoneyAction) (Outcome, error) {
	errs := append(failure.FieldErrors(nil), r.DecodeErrors...)
	if !errs.Has("component") {
		switch {
		case r.Component == "":
			errs.Add("component", "required")
		case !isWaivable(r.Component):
			errs.Add("component", "must be one of penalties, fees, interest")
		}
	}
	if err := s.checkedMoneyAction(ctx, st, ref, r, &errs); err != nil {
		return Outcome{}, err
	}
	actor := staffActor(st)
	req := workflows.WaiveRequest{Actor: actor, Key: keyedUpdateID(workflows.UpdateWaive, actor, r.Key),
		Component: r.Component, Amount: r.Amount, Reason: r.Reason}
	return s.run(ctx, update{name: workflows.UpdateWaive, actor: actor, ref: ref, key: r.Key,
		request: struct{ Component, Amount, Reason string }{r.Component, r.Amount.String(), r.Reason}, arg: req})
}

func isWaivable(c string) bool {
	for _, w := range waivable {
		if string(w) == c {
			return true
		}
	}
	return false
}

// WriteOff writes the rest of the loan off (operations). Above the
// product's four-eyes threshold it takes two different staff members: the
// first one's request is recorded and the loan waits for the second.
// Each request is an approval of its own unless it repeats a key.
func (s *Service) WriteOff(ctx context.Context, st *models.Staff, ref int64, reason, key string) (Outcome, error) {
	return s.decide(ctx, decision{staff: st, role: lending.RoleOperations, ref: ref, name: workflows.UpdateWriteOff,
		reason: reason, needsReason: true, key: key})
}

// maxDeferPeriods bounds a payment holiday: a longer one is a
// restructuring, not a holiday.
const maxDeferPeriods = 12

// Reschedule grants a payment holiday (underwriters): every unpaid
// installment moves periods later, with four eyes above the product's
// threshold like a write-off.
func (s *Service) Reschedule(ctx context.Context, st *models.Staff, ref int64, periods int, reason, key string) (Outcome, error) {
	if err := requireRole(st, lending.RoleUnderwriter); err != nil {
		return Outcome{}, err
	}
	var errs failure.FieldErrors
	if periods < 1 || periods > maxDeferPeriods {
		errs.Add("defer_periods", "must be between 1 and %d", maxDeferPeriods)
	}
	if msg := textProblem(reason, true, maxReasonLen); msg != "" {
		errs.Add("reason", "%s", msg)
	}
	if err := errs.Err(); err != nil {
		return Outcome{}, err
	}
	if _, err := s.loanByRef(ctx, ref); err != nil {
		return Outcome{}, err
	}
	req := workflows.RescheduleRequest{Actor: staffActor(st), Periods: periods, Reason: reason}
	return s.run(ctx, update{name: workflows.UpdateReschedule, actor: req.Actor, ref: ref, key: key,
		request: struct {
			Periods int
			Reason  string
		}{periods, reason}, arg: req})
}

// knownStrategy reports whether s names a prepayment strategy ("" is the
// product's).
func knownStrategy(s string) bool {
	switch s {
	case "", servicing.StrategyNextInstallments, servicing.StrategyReduceInstallment, servicing.StrategyReduceTerm:
		return true
	}
	return false
}
