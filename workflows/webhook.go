package workflows

import (
	"fmt"
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

// WebhookDeliveryWorkflow delivers a partner's webhook events, written by
// the loans' own writes into the outbox, one at a time in the order they
// were written, so a partner hears of each loan's changes in order. Each
// event is tried with exponential back-off until its time is up (72 h
// from when it was written), then marked failed and the next one goes.
// It is at least once: a partner de-duplicates on the webhook-id.
func WebhookDeliveryWorkflow(ctx workflow.Context, in *WebhookDeliveryInput) error {
	kicks := workflow.GetSignalChannel(ctx, SignalWebhookKick)
	look := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
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
			// The kicks are read and dropped: the next run reads the outbox
			// first, which is all they asked for.
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
			RetryPolicy: &temporal.RetryPolicy{
				InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Hour,
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
