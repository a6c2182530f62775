package workflows

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/models"
)

// Ledger steps, in the order a loan's life produces them.
const (
	ledgerBook      = "book"
	ledgerDisburse  = "disburse"
	ledgerRepay     = "repay"
	ledgerReconcile = "reconcile"
)

// booksInLedger tells whether the loan's product posts it to a ledger.
func (l *loan) booksInLedger() bool {
	return l.in.Product.Ledger != "" && l.in.Product.Ledger != activities.LedgerNone
}

// enqueueLedger queues a posting; the ledger goroutine sends it. Our own
// state has already moved: the ledger follows, it never blocks a partner.
func (l *loan) enqueueLedger(steps ...LedgerStep) {
	if l.booksInLedger() {
		l.st.LedgerQueue = append(l.st.LedgerQueue, steps...)
	}
}

// ledgerIdle reports that nothing more will be posted now: the queue is
// empty, or a refusal stopped it, and no posting is in flight.
func (l *loan) ledgerIdle() bool {
	return !l.ledgerBusy && (len(l.st.LedgerQueue) == 0 || l.st.LedgerError != "")
}

// syncLedger posts the queued steps one at a time, in order, retrying
// transient failures for as long as it takes. A refusal stops the sync and
// is recorded on the loan for staff to resolve.
func (l *loan) syncLedger(ctx workflow.Context) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second,
		},
	})
	for {
		err := workflow.Await(ctx, func() bool { return len(l.st.LedgerQueue) > 0 && l.st.LedgerError == "" })
		if err != nil {
			return
		}
		step := l.st.LedgerQueue[0]
		in := activities.LedgerInput{
			Ref: l.in.Ref, Ledger: l.in.Product.Ledger, LedgerLoanID: l.st.LedgerLoanID,
			Key: step.Key, Amount: step.Amount, Date: step.Date,
		}
		l.ledgerBusy = true
		switch step.Kind {
		case ledgerBook:
			var id string
			if err = workflow.ExecuteActivity(ctx, a.LedgerBook, in).Get(ctx, &id); err == nil {
				l.st.LedgerLoanID = id
			}
		case ledgerDisburse:
			err = workflow.ExecuteActivity(ctx, a.LedgerDisburse, in).Get(ctx, nil)
		case ledgerRepay:
			err = workflow.ExecuteActivity(ctx, a.LedgerRepay, in).Get(ctx, nil)
		case ledgerReconcile:
			err = workflow.ExecuteActivity(ctx, a.LedgerReconcile, in).Get(ctx, nil)
		}
		l.ledgerBusy = false
		if err == nil {
			l.st.LedgerQueue = l.st.LedgerQueue[1:]
			continue
		}
		if ctx.Err() != nil {
			return
		}
		l.ledgerRefused(ctx, step, err)
	}
}

// ledgerRefused stops the sync and records the provider's message on the
// loan and in its audit trail.
func (l *loan) ledgerRefused(ctx workflow.Context, step LedgerStep, err error) {
	msg := err.Error()
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		msg = appErr.Message()
	}
	l.st.LedgerError = msg
	if lockErr := l.mu.Lock(ctx); lockErr != nil {
		return
	}
	defer l.mu.Unlock()
	reason := l.in.Product.Ledger + " refused " + step.Kind + ": " + msg
	if recErr := l.record(durable(ctx), "ledger_refused", systemActor, l.st.Status, reason, nil,
		func(t *activities.Transition) { t.ProviderError = &reason }); recErr != nil {
		workflow.GetLogger(ctx).Error("recording the ledger refusal failed", "error", recErr)
	}
}

// ledgerSteps after a transition: booking at approval, the pay-out with a
// reconciliation of the ledger's schedule against ours.
func (l *loan) ledgerAfter(to string, date time.Time) {
	switch to {
	case models.StatusApproved:
		if l.st.LedgerLoanID == "" && !l.queued(ledgerBook) {
			l.enqueueLedger(LedgerStep{Kind: ledgerBook})
		}
	case models.StatusActive:
		l.enqueueLedger(LedgerStep{Kind: ledgerDisburse, Amount: l.in.Amount, Date: date}, LedgerStep{Kind: ledgerReconcile})
	}
}

func (l *loan) queued(kind string) bool {
	for _, s := range l.st.LedgerQueue {
		if s.Kind == kind {
			return true
		}
	}
	return false
}

// ledgerRepayment queues a repayment's posting (what it applied, not the
// overpayment, which the ledger's loan cannot take).
func (l *loan) ledgerRepayment(key string, applied decimal.Decimal, paidOn time.Time) {
	if applied.IsPositive() {
		l.enqueueLedger(LedgerStep{Kind: ledgerRepay, Key: key, Amount: applied, Date: paidOn})
	}
}
