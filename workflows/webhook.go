package workflows

import (
	"fmt"
	"math"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
)

// WebhookDeliveryWorkflowName is the registered name of
// WebhookDeliveryWorkflow.
const WebhookDeliveryWorkflowName = "WebhookDelivery"

// SignalWebhookKick tells a partner's delivery workflow that its outbox
// has new events. It carries nothing: the workflow reads the outbox.
const SignalWebhookKick = "kick"

// WebhookWorkflowID is the delivery workflow of a partner's endpoint. No
// client chooses it, and no loan's ID ("loan-<ref>") can equal it.
func WebhookWorkflowID(partnerID uint) string { return fmt.Sprintf("webhooks-partner-%d", partnerID) }

// WebhookDeliveryInput names the partner whose events the workflow
// delivers.
type WebhookDeliveryInput struct {
	PartnerID uint
}

// webhookIdle is how long a delivery workflow waits for a kick with its
// outbox empty before it ends; the next kick starts it again.
const webhookIdle = time.Hour

// webhookRunLength is how many events one run delivers before it continues
// as new, keeping its history short.
const webhookRunLength = 200

// whActs references the webhook delivery activities; the worker registers
// a real *activities.Webhooks.
var whActs *activities.Webhooks

// webhookParallel is how many of a partner's loans have an event on its
// way to the endpoint at once.
const webhookParallel = 4

// WebhookDeliveryWorkflow delivers a partner's webhook events, written by
// the loans' own writes into the outbox, in the order they were written
// for each loan: a loan's next event goes only once the one before is
// delivered or failed, while up to webhookParallel loans' events are on
// their way at once. Each event is tried with exponential back-off until
// its time is up (72 h from when it was written), then marked failed and
// its loan's next one goes. It is at least once: a partner de-duplicates
// on the webhook-id.
func WebhookDeliveryWorkflow(ctx workflow.Context, in *WebhookDeliveryInput) error {
	kicks := workflow.GetSignalChannel(ctx, SignalWebhookKick)
	look := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	if workflow.GetVersion(ctx, versionPerLoanWebhooks, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return deliverInWrittenOrder(ctx, look, kicks, in)
	}
	d := &perLoan{ctx: ctx, look: look, partner: in.PartnerID, sel: workflow.NewSelector(ctx)}
	d.sel.AddReceive(kicks, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); d.stale = true })
	d.stale = true // the outbox is read first
	for {
		if err := d.fill(); err != nil {
			return err
		}
		if len(d.inflight) == 0 {
			if d.ending() {
				// The kicks are read and dropped: the next run reads the
				// outbox first, which is all they asked for.
				for kicks.ReceiveAsync(nil) {
				}
				return workflow.NewContinueAsNewError(ctx, WebhookDeliveryWorkflowName, in)
			}
			if !d.stale {
				if !waitForKick(ctx, kicks) {
					return nil
				}
				d.stale = true
			}
			continue
		}
		d.sel.Select(ctx) // a delivery done, or a kick
		if d.err != nil {
			return d.err
		}
	}
}

// perLoan is the state of a run that delivers per loan.
type perLoan struct {
	ctx, look workflow.Context
	partner   uint
	sel       workflow.Selector
	inflight  []int64 // loans with an event on its way, ascending
	// stale: the outbox may hold events for loans not in flight (a kick
	// came, or a delivery ended) and is to be read again.
	stale     bool
	delivered int
	err       error
}

// ending reports whether the run is to continue as new: it starts no more
// deliveries, and continues once those under way are done.
func (d *perLoan) ending() bool {
	return d.delivered >= webhookRunLength || workflow.GetInfo(d.ctx).GetContinueAsNewSuggested()
}

// fill starts the next event of as many loans as there is room for.
func (d *perLoan) fill() error {
	if !d.stale || d.ending() || len(d.inflight) >= webhookParallel {
		return nil
	}
	d.stale = false
	var due []activities.WebhookDue
	if err := workflow.ExecuteActivity(d.look, whActs.NextWebhooks, d.partner, d.inflight, webhookParallel-len(d.inflight)).Get(d.ctx, &due); err != nil {
		return err
	}
	for _, e := range due {
		d.inflight = append(d.inflight, e.LoanRef)
		slices.Sort(d.inflight)
		done, settle := workflow.NewFuture(d.ctx)
		workflow.Go(d.ctx, func(ctx workflow.Context) { settle.Set(nil, deliver(ctx, d.look, e)) })
		d.sel.AddFuture(done, func(f workflow.Future) {
			d.inflight = slices.DeleteFunc(d.inflight, func(ref int64) bool { return ref == e.LoanRef })
			d.delivered++
			d.stale = true // the loan's next event may go now
			if err := f.Get(d.ctx, nil); err != nil && d.err == nil {
				d.err = err
			}
		})
	}
	return nil
}

// deliverInWrittenOrder is the delivery of runs started before per-loan
// delivery: one event at a time, in the order they were written.
func deliverInWrittenOrder(ctx, look workflow.Context, kicks workflow.ReceiveChannel, in *WebhookDeliveryInput) error {
	delivered := 0
	for {
		for kicks.ReceiveAsync(nil) {
		}
		var due []activities.WebhookDue
		if err := workflow.ExecuteActivity(look, whActs.PendingWebhooks, in.PartnerID).Get(ctx, &due); err != nil {
			return err
		}
		if len(due) == 0 {
			if !waitForKick(ctx, kicks) {
				return nil
			}
			continue
		}
		for _, d := range due {
			if err := deliver(ctx, look, d); err != nil {
				return err
			}
			delivered++
		}
		if delivered >= webhookRunLength || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			for kicks.ReceiveAsync(nil) {
			}
			return workflow.NewContinueAsNewError(ctx, WebhookDeliveryWorkflowName, in)
		}
	}
}

// waitForKick waits for new events; false when none came for webhookIdle.
func waitForKick(ctx workflow.Context, kicks workflow.ReceiveChannel) bool {
	kicked := false
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timer := workflow.NewTimerWithOptions(tctx, webhookIdle, workflow.TimerOptions{Summary: "idle: no webhooks to send"})
	s := workflow.NewSelector(ctx)
	s.AddReceive(kicks, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); kicked = true })
	s.AddFuture(timer, func(workflow.Future) {})
	s.Select(ctx)
	// A kick that came with the timer's firing is not lost to it.
	for kicks.ReceiveAsync(nil) {
		kicked = true
	}
	return kicked
}

// deliver tries one event until it is taken or its time is up, then marks
// it failed.
func deliver(ctx, look workflow.Context, d activities.WebhookDue) error {
	left := d.Until.Sub(workflow.Now(ctx))
	var sendErr error
	if left > 0 {
		send := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			// The sender's 10 s per attempt, and the database around it.
			StartToCloseTimeout:    20 * time.Second,
			ScheduleToCloseTimeout: left,
			// Attempts are bounded by the event's time, not counted (a
			// count set here also keeps the SDK's test environment from
			// capping them at ten).
			RetryPolicy: &temporal.RetryPolicy{
				InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Hour, MaximumAttempts: math.MaxInt32,
			},
			Summary: fmt.Sprintf("send webhook %d", d.ID),
		})
		if sendErr = workflow.ExecuteActivity(send, whActs.DeliverWebhook, d.ID).Get(ctx, nil); sendErr == nil {
			return nil
		}
	}
	reason := "not delivered within 72 hours"
	if sendErr != nil {
		reason += ": " + rootMessage(sendErr)
	}
	return workflow.ExecuteActivity(look, whActs.FailWebhook, d.ID, reason).Get(ctx, nil)
}

// rootMessage is the message of the innermost error: the endpoint's
// answer rather than Temporal's wrapping of it.
func rootMessage(err error) string {
	for {
		var next error
		if u, ok := err.(interface{ Unwrap() error }); ok {
			next = u.Unwrap()
		}
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
