package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
)

// The Updates that service a paid-out loan: a settlement at the payoff
// quote, a refund of an overpayment, a waiver, a write-off and a payment
// holiday. Each validator refuses an illegal call before it reaches
// history; each handler changes the account, persists it with the step's
// audit event and money, and queues the ledger's posting.

// ErrTypeQuoteMismatch: a settlement's amount is not the payoff quote for
// its date (409); the error's details hold the quote.
const ErrTypeQuoteMismatch = "QuoteMismatch"

// refusal turns a servicing refusal into the Update's error: bad input is
// Invalid (naming the field), the loan's state an illegal transition.
func refusal(err error) error {
	var se *servicing.Error
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case errors.Is(err, servicing.ErrQuoteMismatch) && se.Quote != nil:
		// The quote goes by value: details are read back into a Quote.
		return temporal.NewApplicationError(strings.TrimPrefix(se.Error(), "servicing: "), ErrTypeQuoteMismatch, *se.Quote)
	case errors.Is(err, servicing.ErrClosed), errors.Is(err, servicing.ErrWrittenOff):
		return temporal.NewApplicationError(strings.TrimPrefix(se.Error(), "servicing: "), ErrTypeIllegalTransition)
	case errors.Is(err, servicing.ErrReschedule):
		return err // a bug, retried until fixed rather than answered as the caller's fault
	}
	if se.Field != "" {
		msg := se.Err.Error()
		if se.Detail != "" {
			msg += " (" + se.Detail + ")"
		}
		return invalidField(se.Field, strings.TrimPrefix(msg, "servicing: "))
	}
	return invalid(strings.TrimPrefix(se.Error(), "servicing: "))
}

func knownStrategy(s string) error {
	switch s {
	case "", servicing.StrategyNextInstallments, servicing.StrategyReduceInstallment, servicing.StrategyReduceTerm:
		return nil
	}
	return invalidField("prepayment_strategy", "unknown prepayment strategy "+s)
}

// serviceable refuses a servicing Update on a loan that is not paid out or
// whose money is not an account.
func (l *loan) serviceable(action string, statuses ...lending.Status) (*servicing.Account, error) {
	acc := l.account()
	if acc == nil || !l.statusIs(statuses...) {
		return nil, illegal(action, l.st.Status)
	}
	return acc, nil
}

// keyedServiceable checks what every keyed servicing request needs (see serviceable) and an actor and
// an idempotency key. A retry of a request already applied needs nothing more: its handler answers
// the current view.
func (l *loan) keyedServiceable(action string, actor lending.Actor, key string, statuses ...lending.Status) (acc *servicing.Account, retry bool, err error) {
	if slices.Contains(l.st.Applied, key) {
		return nil, true, nil
	}
	if acc, err = l.serviceable(action, statuses...); err != nil {
		return nil, false, err
	}
	if err := requireActor(actor); err != nil {
		return nil, false, err
	}
	if strings.TrimSpace(key) == "" {
		return nil, false, invalid("idempotency key is required")
	}
	return acc, false, nil
}

// today is the workflow's calendar day.
func today(ctx workflow.Context) time.Time { return day(workflow.Now(ctx)) }

// moneyDate is a payment's date: today when none was given, the pay-out
// day when it is earlier (the Iute rule lets a repayment carry any date;
// money cannot have come in before the loan went out).
func (l *loan) moneyDate(ctx workflow.Context, d time.Time) time.Time {
	if d.IsZero() {
		return today(ctx)
	}
	d = day(d)
	if l.st.DisbursedOn != nil && d.Before(*l.st.DisbursedOn) {
		return *l.st.DisbursedOn
	}
	return d
}

// repayAccount applies a repayment to the account: what is due first, the
// rest by the strategy; on a written-off loan it is a recovery.
func (l *loan) repayAccount(ctx workflow.Context, req RepaymentRequest) error {
	acc := l.st.Account
	paidOn := l.moneyDate(ctx, req.PaidOn)
	res, err := acc.Repay(req.Amount, paidOn, req.Strategy)
	if err != nil {
		return refusal(err)
	}
	l.st.Repayments = append(l.st.Repayments, req.Key)
	kind := lending.TxRepayment
	if res.Recovered.IsPositive() {
		kind = lending.TxRecovery
	}
	txs := append(l.penaltyTransactions(ctx, res.Accrued), models.Transaction{
		Key: req.Key, Kind: kind, Amount: req.Amount, Overpayment: res.Overpayment, ValueDate: paidOn, CreatedAt: workflow.Now(ctx),
	})
	applied := req.Amount.Sub(res.Overpayment)
	switch {
	case res.Settlement != nil:
		l.enqueueLedgerServicing(activities.LedgerPayoff, req.Key, applied, "", paidOn, "")
	case res.Recovered.IsPositive():
		// A written-off loan takes no repayment in the ledger: recoveries
		// are ours to account for.
	default:
		// The whole amount: money beyond what the loan claims leaves the
		// ledger's loan overpaid too, for the refund to pay back there.
		l.ledgerRepayment(req.Key, req.Amount, paidOn)
	}
	l.lenderRepayment(applied, paidOn)
	action, reason := l.moneyAction(today(ctx), res.Settlement != nil)
	return l.persist(interactive(ctx), action, req.Actor, reason, txs)
}

// moneyAction is the audit action of a step that moved money, when it
// moves the loan to another status ("" when it does not).
func (l *loan) moneyAction(today time.Time, settled bool) (lending.Action, string) {
	to := l.statusOfAccount(today)
	if to == l.st.Status {
		return "", ""
	}
	switch to {
	case lending.StatusClosed:
		if settled {
			return lending.ActionSettle, "paid off early"
		}
		if l.st.Status == lending.StatusWrittenOff {
			return lending.ActionRecover, "recovered in full"
		}
		return lending.ActionClose, "fully repaid"
	case lending.StatusOverpaid:
		return lending.ActionOverpay, "paid " + l.st.Account.Overpaid.String() + " beyond what the loan claims"
	case lending.StatusActive:
		return lending.ActionCure, "arrears repaid"
	}
	return lending.ActionArrears, ""
}

// penaltyTransactions records the penalties an operation charged before it
// applied its money, and queues their ledger postings.
func (l *loan) penaltyTransactions(ctx workflow.Context, acc servicing.Accrued) []models.Transaction {
	var txs []models.Transaction
	for _, c := range acc.Charges {
		for _, part := range []struct {
			component string
			amount    decimal.Decimal
		}{{"late_fee", c.LateFee}, {"penalty_interest", c.PenaltyInterest}} {
			if !part.amount.IsPositive() {
				continue
			}
			key := fmt.Sprintf("penalty-%s-%d-%s", part.component, c.Number, acc.AsOf.Format("20060102"))
			txs = append(txs, models.Transaction{Key: key, Kind: lending.TxPenalty, Amount: part.amount, Overpayment: decimal.Zero,
				ValueDate: acc.AsOf, CreatedAt: workflow.Now(ctx)})
			l.enqueueLedgerServicing(activities.LedgerPenalty, key, part.amount, part.component, acc.AsOf, "")
		}
	}
	return txs
}

// payoff is the QueryPayoff handler: what settles the loan on asOf.
func (l *loan) payoff(asOf time.Time) (*servicing.Quote, error) {
	acc := l.account()
	if acc == nil || !l.st.Status.Repayable() {
		return nil, illegal("quote the payoff of", l.st.Status)
	}
	q, err := acc.Quote(asOf)
	if err != nil {
		return nil, refusal(err)
	}
	return &q, nil
}

func (l *loan) validateSettle(ctx workflow.Context, req SettleRequest) error {
	acc, retry, err := l.keyedServiceable("pay off", req.Actor, req.Key, lending.StatusActive, lending.StatusInArrears)
	if retry || err != nil {
		return err
	}
	q, err := acc.Quote(l.moneyDate(ctx, req.PaidOn))
	if err != nil {
		return refusal(err)
	}
	if !q.Total.Equal(req.Amount) {
		return refusal(&servicing.Error{Field: "amount", Err: servicing.ErrQuoteMismatch, Quote: &q})
	}
	return nil
}

func (l *loan) settle(ctx workflow.Context, req SettleRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateSettle(ctx, req) }, func() error {
		if slices.Contains(l.st.Applied, req.Key) || !l.serviced(ctx) {
			return nil
		}
		paidOn := l.moneyDate(ctx, req.PaidOn)
		res, err := l.st.Account.Settle(req.Amount, paidOn)
		if err != nil {
			return refusal(err)
		}
		l.st.Applied = append(l.st.Applied, req.Key)
		txs := append(l.penaltyTransactions(ctx, res.Accrued), models.Transaction{
			Key: req.Key, Kind: lending.TxSettlement, Amount: req.Amount, Overpayment: decimal.Zero, ValueDate: paidOn, CreatedAt: workflow.Now(ctx),
		})
		l.enqueueLedgerServicing(activities.LedgerPayoff, req.Key, req.Amount, "", paidOn, "")
		l.lenderRepayment(req.Amount, paidOn)
		action, reason := l.moneyAction(today(ctx), true)
		return l.persist(interactive(ctx), action, req.Actor, reason, txs)
	})
}

func (l *loan) validateRefund(req RefundRequest) error {
	acc, retry, err := l.keyedServiceable("refund", req.Actor, req.Key, lending.StatusOverpaid)
	if retry || err != nil {
		return err
	}
	if req.Amount.GreaterThan(acc.Overpaid) {
		return invalidField("amount", fmt.Sprintf("%s is above the overpaid balance of %s", req.Amount, acc.Overpaid))
	}
	return nil
}

func (l *loan) refund(ctx workflow.Context, req RefundRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateRefund(req) }, func() error {
		if slices.Contains(l.st.Applied, req.Key) || !l.serviced(ctx) {
			return nil
		}
		if _, err := l.st.Account.Refund(req.Amount); err != nil {
			return refusal(err)
		}
		l.st.Applied = append(l.st.Applied, req.Key)
		on := today(ctx)
		txs := []models.Transaction{{Key: req.Key, Kind: lending.TxRefund, Amount: req.Amount, Overpayment: decimal.Zero, ValueDate: on, CreatedAt: workflow.Now(ctx)}}
		l.enqueueLedgerServicing(activities.LedgerRefund, req.Key, req.Amount, "", on, req.Reason)
		action := lending.ActionRefund
		if to := l.statusOfAccount(on); to == lending.StatusClosed {
			action = lending.ActionClose
		}
		return l.persist(interactive(ctx), action, req.Actor, req.Reason, txs)
	})
}

func (l *loan) validateWaive(ctx workflow.Context, req WaiveRequest) error {
	acc, retry, err := l.keyedServiceable("waive", req.Actor, req.Key, lending.StatusActive, lending.StatusInArrears)
	if retry || err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return invalidField("reason", "required")
	}
	// Try it on a copy: what is due depends on the day.
	var probe servicing.Account
	probe = *acc
	probe.Installments = slices.Clone(acc.Installments)
	_, err = probe.Waive(today(ctx), servicing.Component(req.Component), req.Amount)
	return refusal(err)
}

func (l *loan) waive(ctx workflow.Context, req WaiveRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateWaive(ctx, req) }, func() error {
		if slices.Contains(l.st.Applied, req.Key) || !l.serviced(ctx) {
			return nil
		}
		on := today(ctx)
		res, err := l.st.Account.Waive(on, servicing.Component(req.Component), req.Amount)
		if err != nil {
			return refusal(err)
		}
		l.st.Applied = append(l.st.Applied, req.Key)
		txs := append(l.penaltyTransactions(ctx, res.Accrued), models.Transaction{
			Key: req.Key, Kind: lending.TxWaiver, Amount: req.Amount, Overpayment: decimal.Zero, ValueDate: on, CreatedAt: workflow.Now(ctx),
		})
		l.enqueueLedgerServicing(activities.LedgerWaive, req.Key, req.Amount, req.Component, on, req.Reason)
		reason := fmt.Sprintf("%s %s waived: %s", req.Amount, req.Component, req.Reason)
		if action, _ := l.moneyAction(on, false); action != "" {
			return l.persist(interactive(ctx), action, req.Actor, reason, txs)
		}
		return l.persist(interactive(ctx), lending.ActionWaive, req.Actor, reason, txs)
	})
}

// fourEyes answers whether actor's approval of a four-eyes action is the
// one that carries it: above the product's threshold, the second of two
// different approvers. A repeat approver is refused.
func (l *loan) fourEyes(approvals []lending.Actor, actor lending.Actor) (bool, error) {
	if slices.Contains(approvals, actor) {
		return false, forbidden("four eyes: a second, different staff member must approve this")
	}
	return len(approvals)+1 >= l.in.Product.ApprovalsNeeded(l.in.Amount), nil
}

// validateFourEyes is what a four-eyes servicing action checks before
// anything else: a paid-out loan the action is legal on, an actor, a
// reason, and an approver who has not approved it already.
func (l *loan) validateFourEyes(action string, approvals []lending.Actor, actor lending.Actor, reason string) error {
	if _, err := l.serviceable(action, lending.StatusActive, lending.StatusInArrears); err != nil {
		return err
	}
	if err := requireActor(actor); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return invalidField("reason", "required")
	}
	_, err := l.fourEyes(approvals, actor)
	return err
}

// approveFourEyes answers whether actor's approval carries a four-eyes
// action; one that does not is recorded and audited as the first (with its
// reason), and the action waits for the next.
func (l *loan) approveFourEyes(ctx workflow.Context, action string, approvals *[]lending.Actor, first lending.Action, actor lending.Actor, reason string) (bool, error) {
	if !l.serviced(ctx) {
		return false, illegal(action, l.st.Status)
	}
	if carried, _ := l.fourEyes(*approvals, actor); carried {
		return true, nil
	}
	*approvals = append(*approvals, actor)
	return false, l.record(interactive(ctx), first, actor, l.st.Status, reason, nil)
}

func (l *loan) validateWriteOff(req DecisionRequest) error {
	return l.validateFourEyes("write off", l.st.WriteOffApprovals, req.Actor, req.Reason)
}

func (l *loan) writeOff(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateWriteOff(req) }, func() error {
		if carried, err := l.approveFourEyes(ctx, "write off", &l.st.WriteOffApprovals, lending.ActionWriteOffFirst, req.Actor, req.Reason); !carried {
			return err
		}
		on := today(ctx)
		res, err := l.st.Account.WriteOff(on)
		if err != nil {
			return refusal(err)
		}
		l.st.WriteOffApprovals = append(l.st.WriteOffApprovals, req.Actor)
		key := fmt.Sprintf("write-off-%s", on.Format("20060102"))
		txs := append(l.penaltyTransactions(ctx, res.Accrued), models.Transaction{
			Key: key, Kind: lending.TxWriteOff, Amount: res.Total, Overpayment: res.Overpayment, ValueDate: on, CreatedAt: workflow.Now(ctx),
		})
		l.enqueueLedgerServicing(activities.LedgerWriteOff, key, res.Total, "", on, req.Reason)
		return l.persist(interactive(ctx), lending.ActionWriteOff, req.Actor, req.Reason, txs)
	})
}

func (l *loan) validateReschedule(req RescheduleRequest) error {
	if req.Periods < 1 {
		return invalidField("defer_periods", "must be at least 1")
	}
	return l.validateFourEyes("reschedule", l.st.RescheduleApprovals, req.Actor, req.Reason)
}

func (l *loan) reschedule(ctx workflow.Context, req RescheduleRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateReschedule(req) }, func() error {
		if carried, err := l.approveFourEyes(ctx, "reschedule", &l.st.RescheduleApprovals, lending.ActionRescheduleFirst, req.Actor, req.Reason); !carried {
			return err
		}
		on := today(ctx)
		res, err := l.st.Account.Defer(on, req.Periods, "")
		if err != nil {
			return refusal(err)
		}
		// A later holiday needs its own approvals.
		l.st.RescheduleApprovals = nil
		reason := fmt.Sprintf("%d period(s) deferred, %s of interest: %s", req.Periods, res.Interest, req.Reason)
		if action, _ := l.moneyAction(on, false); action != "" {
			return l.persist(interactive(ctx), action, req.Actor, reason, l.penaltyTransactions(ctx, res.Accrued))
		}
		return l.persist(interactive(ctx), lending.ActionReschedule, req.Actor, reason, l.penaltyTransactions(ctx, res.Accrued))
	})
}
