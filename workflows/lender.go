package workflows

import (
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// Lender postings.
const (
	lenderUpload  PostingKind = "upload"
	lenderConfirm PostingKind = "confirm"
	lenderRepay   PostingKind = "repay"
	lenderCancel  PostingKind = "cancel"
	// lenderPoll is not queued: it names a refused poll in the audit trail.
	lenderPoll PostingKind = "poll"
)

// Polling an external lender: quickly at first, then backing off, so a
// week-long wait costs hundreds of history events, not tens of thousands.
const (
	firstPoll = 5 * time.Second
	maxPoll   = 10 * time.Minute
)

// lenderDecides: the product's external lender, not our underwriters and
// operations, approves the application and authorizes the cash release.
func (l *loan) lenderDecides() bool { return l.in.Product.Lender.Decides() }

// lenderInput is the activities' view of the loan at its lender.
func (l *loan) lenderInput() activities.LenderInput {
	return activities.LenderInput{Ref: l.in.Ref, LenderLoanID: l.st.LenderLoanID, Documents: l.st.Documents, RepaidBefore: l.st.LenderRepaid}
}

// lenderActivities send the lender postings that carry nothing but the loan's LenderInput, by kind.
var lenderActivities = map[PostingKind]any{
	lenderUpload: a.IuteUploadFiles, lenderConfirm: a.IuteConfirm, lenderCancel: a.IuteCancel,
}

// lenderOutbox sends the postings to the product's lender.
func (l *loan) lenderOutbox() *outbox {
	return &outbox{
		provider: string(l.in.Product.Lender), action: lending.ActionLenderRefused,
		queue: &l.st.LenderQueue, refusal: &l.st.LenderError, busy: &l.lenderBusy,
		post: func(ctx workflow.Context, p Posting) error {
			ctx = step(ctx, l.postingSummary(p, string(l.in.Product.Lender)))
			in := l.lenderInput()
			if activity, plain := lenderActivities[p.Kind]; plain {
				return workflow.ExecuteActivity(ctx, activity, in).Get(ctx, nil)
			}
			if p.Kind != lenderRepay {
				return nil
			}
			in.Amount, in.Date = p.Amount, p.Date
			err := workflow.ExecuteActivity(ctx, a.IuteRepay, in).Get(ctx, nil)
			if err == nil {
				l.st.LenderRepaid = l.st.LenderRepaid.Add(p.Amount)
			}
			return err
		},
	}
}

// enqueueLender queues a posting for a lender that decides.
func (l *loan) enqueueLender(p Posting) {
	if l.lenderDecides() && l.st.LenderLoanID != "" {
		l.st.LenderQueue = append(l.st.LenderQueue, p)
	}
}

// awaitLenderDecision files the application with the lender and polls for
// its decision until it comes, the partner cancels, or the approval SLA
// runs out.
func (l *loan) awaitLenderDecision(ctx workflow.Context) error {
	deadline := l.in.SubmittedAt.Add(l.in.ApprovalTTL)
	if l.st.LenderLoanID == "" {
		var id string
		if err := workflow.ExecuteActivity(step(durable(ctx), "file the application with "+l.lenderName()), a.IuteSubmit, l.lenderInput()).Get(ctx, &id); err != nil {
			if !isRefusal(err) {
				return err
			}
			return l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionLenderReject, lending.LenderActor(l.in.Product.Lender), lending.StatusRejected, refusalMessage(err))
		}
		l.st.LenderLoanID = id
		if l.st.Status != lending.StatusSubmitted { // cancelled while we filed
			l.enqueueLender(Posting{Kind: lenderCancel})
			return nil
		}
	}
	return l.poll(ctx, deadline, l.lenderName()+"'s decision", func() (bool, error) {
		var d activities.LenderDecision
		if err := workflow.ExecuteActivity(step(durable(ctx), "ask "+l.lenderName()+" for its decision"), a.IuteDecision, l.lenderInput()).Get(ctx, &d); err != nil {
			return false, err
		}
		switch d.Decision {
		case activities.DecisionApproved:
			if err := l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionLenderApprove, lending.LenderActor(l.in.Product.Lender), lending.StatusApproved, ""); err != nil {
				return false, err
			}
			var doc uint
			if err := workflow.ExecuteActivity(step(durable(ctx), "fetch "+l.lenderName()+"'s agreement"), a.IuteAgreement, l.lenderInput()).Get(ctx, &doc); err == nil {
				l.st.Documents[lending.DocLenderAgreement] = doc
			} else if !isRefusal(err) {
				return false, err
			}
			return true, nil
		case activities.DecisionRejected:
			return true, l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionLenderReject, lending.LenderActor(l.in.Product.Lender), lending.StatusRejected, d.Message)
		}
		return false, nil
	}, func() error {
		l.enqueueLender(Posting{Kind: lenderCancel})
		return l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionExpire, lending.System, lending.StatusExpired, "no decision from the lender within the approval SLA")
	})
}

// awaitLenderCashRelease polls the lender until it authorizes the pay-out
// of the documents sent to it.
func (l *loan) awaitLenderCashRelease(ctx workflow.Context) error {
	// A long wait, bounded by the documents being rejected or the partner
	// cancelling (which moves the status).
	deadline := workflow.Now(ctx).Add(30 * 24 * time.Hour)
	return l.poll(ctx, deadline, l.lenderName()+"'s cash-release authorization", func() (bool, error) {
		if !l.lender.idle() || l.st.LenderError != "" || l.heldForBooking(ctx) {
			return false, nil // the files are still on their way, or were refused, or the ledger does not hold the loan yet
		}
		var allowed bool
		if err := workflow.ExecuteActivity(step(durable(ctx), "ask "+l.lenderName()+" whether the cash may be paid out"), a.IuteCashRelease, l.lenderInput()).Get(ctx, &allowed); err != nil {
			return false, err
		}
		if !allowed {
			return false, nil
		}
		return true, l.systemTransition(ctx, lending.StatusDocumentsSubmitted, lending.ActionLenderAuthorizeRelease, lending.LenderActor(l.in.Product.Lender), lending.StatusCashReleaseAuthorized, "",
			func(t *activities.Transition) {
				by := lending.LenderActor(l.in.Product.Lender)
				t.CashReleaseAuthorizedBy = &by
			})
	}, func() error { return nil })
}

// poll calls check with a backing-off interval until it reports done, a
// handler changes the loan, or deadline passes (then onDeadline runs). A
// refused check is recorded like a refused posting. what is what the loan
// waits for meanwhile.
func (l *loan) poll(ctx workflow.Context, deadline time.Time, what string, check func() (bool, error), onDeadline func() error) error {
	status := l.st.Status
	for interval := firstPoll; l.st.Status == status; interval = min(2*interval, maxPoll) {
		done, err := check()
		if err != nil {
			if !isRefusal(err) {
				return err
			}
			l.refused(ctx, l.lender, Posting{Kind: lenderPoll}, err)
			seen := l.changes
			// Staff resolve it by moving the loan on, or retry the poll
			// (UpdateRetryProvider clears the refusal).
			_, err := l.wait(ctx, "staff to resolve "+l.lenderName()+"'s refusal", "", time.Time{}, func() bool {
				return l.changes != seen && (l.st.Status != status || l.st.LenderError == "")
			})
			return err
		}
		if done || l.st.Status != status || l.historyTooLong(ctx) {
			return nil // the run loop continues as new when the history is long
		}
		now := workflow.Now(ctx)
		if !now.Before(deadline) {
			return onDeadline()
		}
		seen := l.changes
		next := now.Add(min(interval, deadline.Sub(now)))
		if _, err := l.wait(ctx, what+" (polled)", "poll "+l.lenderName()+" again", next, func() bool { return l.changes != seen }); err != nil {
			return err
		}
	}
	return nil
}

// systemTransition moves the loan from one status to another on behalf of
// a timer or a provider, unless a handler moved it first.
func (l *loan) systemTransition(ctx workflow.Context, from lending.Status, action lending.Action, actor lending.Actor, to lending.Status, reason string, opts ...func(*activities.Transition)) error {
	if err := l.mu.Lock(ctx); err != nil {
		return err
	}
	defer l.mu.Unlock()
	if l.st.Status != from {
		return nil
	}
	if err := l.record(durable(ctx), action, actor, to, reason, nil, opts...); err != nil {
		return err
	}
	if to == lending.StatusCashReleaseAuthorized {
		l.st.CashReleaseAuthorizedBy, l.st.CashReleaseAuthorizedAt = actor, workflow.Now(ctx)
	}
	l.ledgerAfter(to, workflow.Now(ctx))
	return nil
}

// lenderName is the product's lender as the UI names it.
func (l *loan) lenderName() string { return string(l.in.Product.Lender) }

// lenderRepayment queues a repayment's report to the lender.
func (l *loan) lenderRepayment(applied decimal.Decimal, paidOn time.Time) {
	if applied.IsPositive() {
		l.enqueueLender(Posting{Kind: lenderRepay, Amount: applied, Date: paidOn})
	}
}
