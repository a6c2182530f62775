package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// outbox sends a provider the postings a loan's life produces, one at a
// time and in order, retrying transient failures for as long as it takes.
// Our own state has already moved when a posting is queued: a provider
// follows the loan, it never blocks a partner. A refusal stops the outbox
// and is recorded on the loan for staff to resolve.
type outbox struct {
	provider string         // e.g. "fineract", for the audit trail
	action   lending.Action // the audit action of a refusal
	queue    *[]Posting
	refusal  *string
	busy     *bool
	post     func(ctx workflow.Context, p Posting) error
}

// idle: nothing will be sent now; the queue is empty or stopped by a
// refusal, and no call is in flight.
func (o *outbox) idle() bool {
	return !*o.busy && (len(*o.queue) == 0 || *o.refusal != "")
}

// drain runs for the life of the workflow run.
func (l *loan) drain(ctx workflow.Context, o *outbox) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second,
		},
	})
	for {
		if err := workflow.Await(ctx, func() bool { return len(*o.queue) > 0 && *o.refusal == "" }); err != nil {
			return
		}
		p := (*o.queue)[0]
		*o.busy = true
		err := o.post(ctx, p)
		if err == nil {
			*o.busy = false
			*o.queue = (*o.queue)[1:]
			continue
		}
		if ctx.Err() != nil {
			*o.busy = false
			return
		}
		// The outbox stays busy until the refusal is on record: idle, it
		// would let a loan whose last posting was refused end (or continue
		// as new) before the refusal's audit event is written.
		if workflow.GetVersion(ctx, versionRefusalKeepsOutboxBusy, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			*o.busy = false
		}
		l.refused(ctx, o, p, err)
		*o.busy = false
	}
}

// refused stops the outbox and records the provider's message on the loan
// and in its audit trail.
func (l *loan) refused(ctx workflow.Context, o *outbox, p Posting, err error) {
	msg := err.Error()
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		msg = appErr.Message()
	}
	*o.refusal = msg
	if lockErr := l.mu.Lock(ctx); lockErr != nil {
		return
	}
	defer l.mu.Unlock()
	reason := o.provider + " refused " + string(p.Kind) + ": " + msg
	if recErr := l.record(durable(ctx), o.action, lending.System, l.st.Status, reason, nil,
		func(t *activities.Transition) { t.ProviderError = &reason }); recErr != nil {
		workflow.GetLogger(ctx).Error("recording a provider's refusal failed", "provider", o.provider, "error", recErr)
	}
}

// isRefusal: the error is a non-retryable refusal (a provider's, or ours),
// not a failure that retrying could cure.
func isRefusal(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.NonRetryable()
}

func refusalMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	return err.Error()
}

// postingSummary names a posting's activity: "post repayment 369.20 to
// fineract". A staff note is left out: it is free text.
func (l *loan) postingSummary(p Posting, provider string) string {
	amount := lending.FormatMoney(p.Amount, l.in.Product.CurrencyDecimals)
	switch p.Kind {
	case ledgerBook:
		return "book the loan at " + provider
	case ledgerRepay: // a lender's repayment report too
		return "post repayment " + amount + " to " + provider
	case ledgerDisburse:
		return "post the pay-out of " + amount + " to " + provider
	case ledgerReconcile:
		return "check " + provider + "'s schedule against ours"
	case lenderUpload:
		return "upload the documents to " + provider
	case lenderConfirm:
		return "confirm the pay-out to " + provider
	case lenderCancel:
		return "cancel the application at " + provider
	}
	what := string(p.Kind)
	if p.Component != "" {
		what += " of " + p.Component
	}
	if p.Amount.IsZero() {
		return "post " + what + " to " + provider
	}
	return "post " + what + " " + amount + " to " + provider
}
