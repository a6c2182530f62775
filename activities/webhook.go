package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/internal/webhook"
	"github.com/loanflow/loanflow/models"
)

// WebhookKicker wakes the delivery of a partner's webhooks (the gateway
// signals its delivery workflow, starting it when it is not running).
type WebhookKicker interface {
	KickWebhooks(ctx context.Context, partnerID uint) error
}

// wakeWebhooks wakes the delivery of the loan's undelivered events after
// a write. It runs on every attempt of the writing activity, so a kick
// lost to a crash after the commit is sent by the retry.
func (a *Activities) wakeWebhooks(ctx context.Context, ref int64) error {
	if a.Webhooks == nil {
		return nil
	}
	partner, ok, err := a.Store.LoanHasPendingWebhooks(ctx, ref)
	if err != nil || !ok {
		return err
	}
	return a.Webhooks.KickWebhooks(ctx, partner)
}

// Webhooks delivers partners' webhook events, one at a time and in order
// per partner (workflows.WebhookDeliveryWorkflow drives them).
type Webhooks struct {
	Store   *models.Store
	Secrets *webhook.Secrets
	Sender  *webhook.Sender
	// Now is the wall clock (time.Now when nil).
	Now func() time.Time
}

// WebhookDue is an event waiting for delivery, its loan, and until when
// it is tried.
type WebhookDue struct {
	ID      uint
	LoanRef int64
	Until   time.Time
}

// ErrTypeWebhookRefused marks an attempt the endpoint did not take (no
// 2xx, no answer): retried until the event's time is up.
const ErrTypeWebhookRefused = "WebhookRefused"

// ErrTypeWebhookUnsigned marks an attempt not made: the endpoint's signing
// secret could not be opened with the deployment's keys.
const ErrTypeWebhookUnsigned = "WebhookUnsigned"

// webhookBatch is how many events one look at the outbox takes.
const webhookBatch = 100

// PendingWebhooks lists the partner's next events to deliver, in order.
// Delivery workflows started before per-loan delivery still call it.
func (w *Webhooks) PendingWebhooks(ctx context.Context, partnerID uint) ([]WebhookDue, error) {
	evs, err := w.Store.PendingWebhookEvents(ctx, partnerID, webhookBatch)
	return dues(evs), err
}

// NextWebhooks lists, for at most limit of the partner's loans not in
// busy, the loan's oldest undelivered event.
func (w *Webhooks) NextWebhooks(ctx context.Context, partnerID uint, busy []int64, limit int) ([]WebhookDue, error) {
	evs, err := w.Store.NextWebhookEvents(ctx, partnerID, busy, limit)
	return dues(evs), err
}

func dues(evs []models.WebhookEvent) []WebhookDue {
	out := make([]WebhookDue, len(evs))
	for i, e := range evs {
		out[i] = WebhookDue{ID: e.ID, LoanRef: e.LoanRef, Until: e.DeliverUntil}
	}
	return out
}

// DeliverWebhook makes one attempt at a pending event and records it. It
// fails (to be retried) unless the endpoint answers 2xx; an event no
// longer pending (delivered, or cancelled with its endpoint) is done.
func (w *Webhooks) DeliverWebhook(ctx context.Context, id uint) error {
	ev, err := w.Store.WebhookEvent(ctx, id, 0)
	if err != nil || ev.Status != models.WebhookPending {
		return err
	}
	ep, err := w.Store.WebhookEndpoint(ctx, ev.PartnerID)
	if errors.Is(err, models.ErrNotFound) {
		// Deleted: nothing to send it to, ever. DeleteWebhookEndpoint
		// cancels what it sees; this is the rest.
		return w.Store.CancelWebhookEvent(ctx, id)
	}
	if err != nil {
		return err
	}
	now := w.now()
	// A secret that does not open is this deployment's keys, not the
	// event: retried (and seen in the console) until an operator fixes
	// LOANFLOW_PAYLOAD_KEYS, never the whole backlog failed at once.
	secrets, err := w.signingSecrets(ep, now)
	if err != nil {
		return temporal.NewApplicationError("cannot sign: "+err.Error(), ErrTypeWebhookUnsigned)
	}
	h, err := webhook.Headers(ev.MessageID, now, []byte(ev.Payload), secrets...)
	if err != nil {
		return temporal.NewApplicationError("cannot sign: "+err.Error(), ErrTypeWebhookUnsigned)
	}
	ans, sendErr := w.Sender.Send(ctx, ep.URL, ep.AllowPrivate, h, []byte(ev.Payload))
	attempt := models.WebhookAttempt{
		EventID: ev.ID, Attempt: ev.Attempts + 1, At: now, StatusCode: ans.StatusCode,
		Response: ans.Body, DurationMS: ans.Duration.Milliseconds(),
	}
	if sendErr != nil {
		attempt.Error = sendErr.Error()
	} else if !ans.OK() {
		attempt.Error = fmt.Sprintf("the endpoint answered %d", ans.StatusCode)
	}
	if err := w.Store.RecordWebhookAttempt(ctx, attempt, sendErr == nil && ans.OK()); err != nil {
		return err
	}
	if attempt.Error != "" {
		return temporal.NewApplicationError(attempt.Error, ErrTypeWebhookRefused)
	}
	return nil
}

// FailWebhook gives up on an event its time ran out for.
func (w *Webhooks) FailWebhook(ctx context.Context, id uint, reason string) error {
	return w.Store.FailWebhookEvent(ctx, id, reason)
}

// signingSecrets are the secrets that sign now: the current one, and the
// one it replaced until its time is up.
func (w *Webhooks) signingSecrets(ep *models.WebhookEndpoint, now time.Time) ([]string, error) {
	cur, err := w.Secrets.Open(ep.Secret)
	if err != nil {
		return nil, err
	}
	out := []string{cur}
	if ep.PreviousSecret != "" && ep.PreviousSecretUntil != nil && now.Before(*ep.PreviousSecretUntil) {
		prev, err := w.Secrets.Open(ep.PreviousSecret)
		if err != nil {
			return nil, err
		}
		out = append(out, prev)
	}
	return out, nil
}

func (w *Webhooks) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}
