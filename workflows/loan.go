package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// a references activity methods; the worker registers a real *Activities.
var a *activities.Activities

// loan is one workflow run's view of its loan. Handlers and the main loop
// share it; mu serialises the transitions they make, because a handler's
// activity call yields and another handler could otherwise interleave.
type loan struct {
	in      *LoanInput
	st      *LoanState
	mu      workflow.Mutex
	changes int // bumped by every state change the main loop must react to
	// inFlight is the status a transition being persisted moves to.
	inFlight lending.Status
	// ledger and lender send the loan's postings to its providers.
	ledger, lender         *outbox
	ledgerBusy, lenderBusy bool
	// waiting is what the main loop waits for, until until (zero: no
	// deadline), as the loan's current details say.
	waiting string
	until   time.Time
	// alarm is the main loop's pending timer (versionLeanHistory).
	alarm *alarm
}

// LoanWorkflow drives one loan. It returns the final view when the loan
// reaches a terminal state, or continues as new when its history grows long.
func LoanWorkflow(ctx workflow.Context, in *LoanInput) (*LoanView, error) {
	if in == nil || in.Ref == 0 {
		return nil, temporal.NewNonRetryableApplicationError("loan input without a ref", ErrTypeInvalid, nil)
	}
	l := &loan{in: in, st: in.State, mu: workflow.NewMutex(ctx)}
	fresh := l.st == nil
	if fresh {
		l.st = &LoanState{Status: lending.StatusSubmitted, StatusSince: in.SubmittedAt, Documents: map[lending.DocumentKind]uint{}, Repaid: decimal.Zero, Overpaid: decimal.Zero, LenderRepaid: decimal.Zero}
	}
	l.initJulo()
	// Updates can arrive with the start itself (an approval right after
	// submission): the lock is taken before the handlers exist, so none of
	// them runs before the submission is recorded and screened.
	if err := l.mu.Lock(ctx); err != nil {
		return nil, err
	}
	if err := l.register(ctx); err != nil {
		return nil, err
	}
	l.describe(ctx)
	l.ledger, l.lender = l.ledgerOutbox(), l.lenderOutbox()
	workflow.Go(ctx, func(ctx workflow.Context) { l.drain(ctx, l.ledger) })
	workflow.Go(ctx, func(ctx workflow.Context) { l.drain(ctx, l.lender) })
	if fresh {
		if err := l.screen(ctx); err != nil {
			return nil, err
		}
	}
	l.mu.Unlock()
	return l.run(ctx)
}

// screen records the submission and applies the auto-reject rules; the
// caller holds the lock.
func (l *loan) screen(ctx workflow.Context) error {
	if err := l.record(durable(ctx), lending.ActionSubmit, lending.PartnerActor(l.in.Partner), lending.StatusSubmitted, "", nil); err != nil {
		return err
	}
	var codes []string
	in := activities.ScreenInput{Ref: l.in.Ref, Application: lending.Application{
		Product: l.in.Product, Amount: l.in.Amount, TermMonths: l.in.TermMonths,
		IdentityNumber: l.in.Applicant.IdentityNumber, BirthDate: l.in.Applicant.BirthDate,
		MobilePhone: l.in.Applicant.MobilePhone, HomePhone: l.in.Applicant.HomePhone,
		AltContactPhone: l.in.Applicant.AltContactPhone, SubmittedAt: l.in.SubmittedAt,
	}}
	if err := persistStep(durable(ctx), "screen the application against the auto-reject rules", a.Screen, in).Get(ctx, &codes); err != nil {
		return err
	}
	if len(codes) == 0 {
		return nil
	}
	return l.record(durable(ctx), lending.ActionAutoReject, lending.System, lending.StatusAutoRejected, "", codes)
}

// run waits on people and timers until the loan reaches a terminal state.
func (l *loan) run(ctx workflow.Context) (*LoanView, error) {
	for {
		// Any waiting state can last long enough (a lender polled for weeks,
		// a loan repaid over years) to grow the history past its limit.
		if !l.st.Status.Terminal() && l.historyTooLong(ctx) {
			return nil, l.continueAsNew(ctx)
		}
		switch l.st.Status {
		case lending.StatusSubmitted:
			if l.lenderDecides() {
				if err := l.awaitLenderDecision(ctx); err != nil {
					return nil, err
				}
				continue
			}
			if l.juloOnboarding() {
				if err := l.onboardJulo(ctx); err != nil {
					return nil, err
				}
				continue
			}
			deadline := l.in.SubmittedAt.Add(l.in.ApprovalTTL)
			if err := l.expireAt(ctx, deadline, "an underwriter's decision", "approval SLA ends", "no decision within the approval SLA"); err != nil {
				return nil, err
			}
		case lending.StatusCashReleaseAuthorized:
			deadline := l.st.CashReleaseAuthorizedAt.AddDate(0, 0, l.in.Product.CashReleaseWindowDays)
			if err := l.expireAt(ctx, deadline, "the partner to pay the cash out", "cash-release window ends", "cash not paid out within the release window"); err != nil {
				return nil, err
			}
		case lending.StatusDocumentsSubmitted:
			if l.lenderDecides() {
				if err := l.awaitLenderCashRelease(ctx); err != nil {
					return nil, err
				}
				continue
			}
			fallthrough
		case lending.StatusApproved:
			what := "the partner to upload the signed documents"
			if l.st.Status == lending.StatusDocumentsSubmitted {
				what = "operations to review the documents and authorize the cash release"
				if l.awaitsBooking() {
					what = string(l.in.Product.Ledger) + " to book the loan, then operations to authorize the cash release"
				}
			}
			seen := l.changes
			if _, err := l.wait(ctx, what, "", time.Time{}, func() bool { return l.changes != seen }); err != nil {
				return nil, err
			}
		case lending.StatusActive, lending.StatusInArrears, lending.StatusOverpaid, lending.StatusWrittenOff:
			serve := l.service
			if l.st.Account != nil {
				serve = l.serviceAccount
			}
			if err := serve(ctx); err != nil {
				return nil, err
			}
		default: // terminal; the ledger catches up before the workflow ends
			if _, err := l.wait(ctx, "the providers to receive the last postings", "", time.Time{}, func() bool {
				return workflow.AllHandlersFinished(ctx) && l.ledger.idle() && l.lender.idle()
			}); err != nil {
				return nil, err
			}
			l.describe(ctx)
			return l.view(), nil
		}
	}
}

// expireAt waits for what to change the status; if it has not by the
// deadline (the timer named timer), the loan expires for reason.
func (l *loan) expireAt(ctx workflow.Context, deadline time.Time, what, timer, reason string) error {
	status, seen := l.st.Status, l.changes
	if wait := deadline.Sub(workflow.Now(ctx)); wait > 0 {
		changed, err := l.wait(ctx, what, timer, deadline, func() bool { return l.changes != seen })
		if err != nil || changed {
			return err
		}
	}
	if l.changes != seen {
		return nil
	}
	return l.systemTransition(ctx, status, lending.ActionExpire, lending.System, lending.StatusExpired, reason)
}

// service watches a paid-out loan's due dates: an installment still owed the
// day after its due date puts the loan in arrears.
func (l *loan) service(ctx workflow.Context) error {
	today := day(workflow.Now(ctx))
	next, overdue := l.nextDue(today)
	if overdue && l.st.Status == lending.StatusActive {
		if err := l.mu.Lock(ctx); err != nil {
			return err
		}
		defer l.mu.Unlock()
		if _, still := l.nextDue(day(workflow.Now(ctx))); !still || l.st.Status != lending.StatusActive {
			return nil
		}
		return l.record(durable(ctx), lending.ActionArrears, lending.System, lending.StatusInArrears, fmt.Sprintf("installment due %s unpaid", next.Format(time.DateOnly)), nil)
	}
	seen := l.changes
	if overdue || next.IsZero() {
		// In arrears, or paid in full with the closure under way: nothing
		// happens until a handler changes the loan.
		_, err := l.wait(ctx, "a repayment", "", time.Time{}, func() bool { return l.changes != seen })
		return err
	}
	due := next.Format(time.DateOnly)
	_, err := l.wait(ctx, "the installment due "+due, "installment due "+due, next.AddDate(0, 0, 1), func() bool { return l.changes != seen })
	return err
}

// nextDue answers the due date of the first installment not fully paid and
// whether it is already overdue on today.
func (l *loan) nextDue(today time.Time) (time.Time, bool) {
	for _, inst := range l.st.Installments {
		if inst.Paid.LessThan(inst.Total) {
			return inst.DueDate, today.After(inst.DueDate)
		}
	}
	return time.Time{}, false
}

func (l *loan) historyTooLong(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	if l.in.HistoryLimit > 0 {
		return info.GetCurrentHistoryLength() >= l.in.HistoryLimit
	}
	return info.GetContinueAsNewSuggested()
}

// continueAsNew hands the loan's state to a fresh run once no handler is
// in flight, so no accepted Update is lost.
func (l *loan) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && !l.ledgerBusy && !l.lenderBusy }); err != nil {
		return err
	}
	next := *l.in
	next.State = l.st
	return workflow.NewContinueAsNewError(ctx, LoanWorkflow, &next)
}

// record persists a transition and then applies it to the workflow state.
// Seq is never reused, even after a failure: the failed attempt may have
// been committed, and the database keys audit events by Seq.
func (l *loan) record(ctx workflow.Context, action lending.Action, actor lending.Actor, to lending.Status, reason string, codes []string, opts ...func(*activities.Transition)) error {
	l.st.Seq++
	t := activities.Transition{
		Ref: l.in.Ref, Seq: l.st.Seq, Actor: actor, Action: action,
		From: l.st.Status, To: to, Reason: reason, ReasonCodes: codes, At: workflow.Now(ctx),
	}
	if action == lending.ActionSubmit {
		t.From = ""
	}
	for _, o := range opts {
		o(&t)
	}
	l.inFlight = to
	err := persistStep(ctx, persisting(t.From, to, action, actor), a.RecordTransition, t).Get(ctx, nil)
	l.inFlight = ""
	if err != nil {
		return err
	}
	l.lastAction(ctx, string(action), actor)
	l.apply(ctx, to, reason, codes)
	return nil
}

// apply changes the in-memory state after its persistence succeeded.
func (l *loan) apply(ctx workflow.Context, to lending.Status, reason string, codes []string) {
	if to != l.st.Status {
		// The reason explains the status, as the database keeps it.
		l.st.Reason, l.st.ReasonCodes = reason, codes
		l.st.Status, l.st.StatusSince = to, workflow.Now(ctx)
		l.upsertStatus(ctx)
	}
	l.changes++
	l.describe(ctx)
}

// persisting names the activity that persists a step: "persist APPROVED
// (approve) by staff:ana", or "persist ledger_refused by system" when the
// status stays.
func persisting(from, to lending.Status, action lending.Action, actor lending.Actor) string {
	if from == to {
		return fmt.Sprintf("persist %s by %s", action, actor)
	}
	return fmt.Sprintf("persist %s (%s) by %s", to, action, actor)
}

func (l *loan) upsertStatus(ctx workflow.Context) {
	// Search attributes are an index for engineers, not the loan's truth: a
	// failed upsert is logged, never fatal to the loan. StatusSince rides
	// along in the same command, so histories recorded without it replay.
	if err := workflow.UpsertTypedSearchAttributes(ctx, SearchAttrLoanStatus.ValueSet(string(l.st.Status)),
		SearchAttrStatusSince.ValueSet(l.st.StatusSince)); err != nil {
		workflow.GetLogger(ctx).Warn("upsert LoanStatus failed", "error", err)
	}
}

// view is the LoanView of the current state.
func (l *loan) view() *LoanView {
	v := &LoanView{
		Ref: l.in.Ref, Status: l.st.Status, ReasonCodes: slices.Clone(l.st.ReasonCodes), Reason: l.st.Reason,
		Amount: l.in.Amount, TermMonths: l.in.TermMonths, Approvals: slices.Clone(l.st.Approvals),
		CashReleaseAuthorizedBy: l.st.CashReleaseAuthorizedBy,
		Documents:               maps.Clone(l.st.Documents), //workflowcheck:ignore a copy, whatever the order
		Installments:            slices.Clone(l.st.Installments), Repaid: l.st.Repaid, Overpaid: l.st.Overpaid,
		DisbursedOn: l.st.DisbursedOn, ClosedOn: l.st.ClosedOn,
		LedgerLoanID: l.st.LedgerLoanID, LedgerError: l.st.LedgerError, LedgerPending: len(l.st.LedgerQueue),
		LenderLoanID: l.st.LenderLoanID, LenderError: l.st.LenderError, LenderPending: len(l.st.LenderQueue),
		Julo:              l.juloView(),
		DaysPastDue:       l.st.Delinquency.DaysPastDue,
		DelinquencyBucket: l.st.Delinquency.Bucket,
		PenaltiesDue:      decimal.Zero, WrittenOff: decimal.Zero, Recovered: decimal.Zero,
	}
	if acc := l.st.Account; acc != nil {
		money, rows := activities.Snapshot(acc, l.st.Delinquency)
		v.Installments = make([]Installment, len(rows))
		for i, r := range rows {
			v.Installments[i] = Installment{Number: r.Number, FromDate: r.FromDate, DueDate: r.DueDate,
				Principal: r.Principal, Interest: r.Interest, Fees: r.Fees, Total: r.Total, Paid: r.Paid}
		}
		v.Repaid, v.Overpaid, v.PenaltiesDue, v.WrittenOff, v.Recovered = money.Repaid, money.Overpaid, money.PenaltiesDue, money.WrittenOff, money.Recovered
		v.TotalRepayable = money.TotalRepayable
		v.Remaining = acc.Totals().Outstanding.Total()
		return v
	}
	v.TotalRepayable = decimal.Zero
	for _, inst := range v.Installments {
		v.TotalRepayable = v.TotalRepayable.Add(inst.Total)
	}
	v.Remaining = decimal.Max(v.TotalRepayable.Sub(v.Repaid), decimal.Zero)
	return v
}

// durable runs activities the loop must see through: retried until the
// database answers.
func durable(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		},
	})
}

// interactive runs the activities of an Update handler. They retry for as
// long as it takes, like the main loop's: an Update that failed on a
// passing outage would be answered with that failure for ever after to
// every retry carrying its Update ID. A caller who gives up waiting (the
// API answers 503 after a minute) and retries joins the Update in flight.
func interactive(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 500 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second,
		},
	})
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// illegal is the error of a transition the loan's status does not allow.
func illegal(action string, status lending.Status) error {
	return temporal.NewApplicationError(fmt.Sprintf("cannot %s a loan in status %s", strings.ReplaceAll(action, "-", " "), status), ErrTypeIllegalTransition)
}

func invalid(msg string) error { return temporal.NewApplicationError(msg, ErrTypeInvalid) }

// invalidField is an Invalid error naming the request field at fault: the
// API answers it as that field's error.
func invalidField(field, msg string) error {
	return temporal.NewApplicationError(field+": "+msg, ErrTypeInvalid, FieldProblem{Field: field, Message: msg})
}

func forbidden(msg string) error { return temporal.NewApplicationError(msg, ErrTypeForbidden) }

// persistStep runs a step of the loan's work on its own database (fn, an
// activity of a: its screening and its writes) with the retries ctx's
// activity options give it, named summary. Since versionLeanHistory it is a
// local activity: the work is short, ours, and idempotent (writes are keyed
// by the loan's sequence numbers), the case Temporal's reference
// application persists its status changes in local activities for.
func persistStep(ctx workflow.Context, summary string, fn, arg any) workflow.Future {
	if workflow.GetVersion(ctx, versionLeanHistory, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return workflow.ExecuteActivity(step(ctx, summary), fn, arg)
	}
	opts := workflow.GetActivityOptions(ctx)
	return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		// Unset, the retries would stop when the first attempt's timeout
		// does; the write must go on until the database answers, as the
		// activity's did.
		ScheduleToCloseTimeout: retryForever,
		StartToCloseTimeout:    opts.StartToCloseTimeout, RetryPolicy: opts.RetryPolicy, Summary: summary,
	}), fn, arg)
}

// retryForever bounds the retries of a write that must not give up: longer
// than any loan lives.
const retryForever = 100 * 365 * 24 * time.Hour
