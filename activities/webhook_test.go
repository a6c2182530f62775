package activities_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/testkit/hookreceiver"
	"github.com/loanflow/loanflow/internal/webhook"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// kicks records which partners' deliveries were woken.
type kicks struct {
	mu       sync.Mutex
	partners []uint
}

func (k *kicks) KickWebhooks(_ context.Context, partnerID uint) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.partners = append(k.partners, partnerID)
	return nil
}

// hooked is the fixture's loan with its partner subscribed to status
// changes at endpoint, and activity environments running the loan's and
// the delivery's activities.
type hooked struct {
	*fixture
	partner  *models.Partner
	secrets  *webhook.Secrets
	kicks    *kicks
	delivery *testsuite.TestActivityEnvironment
}

func newHooked(t *testing.T, endpoint, secret string) *hooked {
	f := newFixture(t)
	ctx := context.Background()
	p, err := f.store.PartnerByUsername(ctx, "demo")
	require.NoError(t, err)
	h := &hooked{fixture: f, partner: p, secrets: webhook.NewProcessSecrets(), kicks: &kicks{}}
	_, _, err = f.store.PutWebhookEndpoint(ctx, models.WebhookEndpoint{PartnerID: p.ID, URL: endpoint,
		Events: string(lending.EventStatusChanged), Secret: h.secrets.Seal(secret)}, time.Now())
	require.NoError(t, err)
	var suite testsuite.WorkflowTestSuite
	f.env = suite.NewTestActivityEnvironment()
	f.env.RegisterActivity(&activities.Activities{Store: f.store, Webhooks: h.kicks})
	h.delivery = suite.NewTestActivityEnvironment()
	h.delivery.RegisterActivity(&activities.Webhooks{Store: f.store, Secrets: h.secrets, Sender: webhook.NewSender(webhook.Policy{Dev: true})})
	return h
}

// approve records the loan's approval and answers the event it wrote.
func (h *hooked) approve(t *testing.T) models.WebhookEvent {
	_, err := h.env.ExecuteActivity(acts.RecordTransition, activities.Transition{Ref: h.ref, Seq: 1, Actor: "staff:underwriter",
		Action: lending.ActionApprove, From: lending.StatusSubmitted, To: lending.StatusApproved, At: time.Now().UTC()})
	require.NoError(t, err)
	pending, err := h.store.PendingWebhookEvents(context.Background(), h.partner.ID, 10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	return pending[0]
}

func (h *hooked) deliver(id uint) error {
	_, err := h.delivery.ExecuteActivity(whActs.DeliverWebhook, id)
	return err
}

var whActs *activities.Webhooks

func TestDeliverWebhookRecordsEachAttempt(t *testing.T) {
	secret := webhook.NewSecret()
	rc := hookreceiver.New(1)
	rc.Trust(secret)
	srv := httptest.NewServer(rc)
	defer srv.Close()
	h := newHooked(t, srv.URL, secret)
	ev := h.approve(t)
	require.Equal(t, []uint{h.partner.ID}, h.kicks.partners, "the write woke the partner's delivery")

	// Refused: a retryable failure, the attempt and the answer kept.
	err := h.deliver(ev.ID)
	var app *temporal.ApplicationError
	require.True(t, errors.As(err, &app), "%v", err)
	require.Equal(t, activities.ErrTypeWebhookRefused, app.Type())
	require.False(t, app.NonRetryable())
	require.NoError(t, h.deliver(ev.ID))

	ctx := context.Background()
	got, err := h.store.WebhookEvent(ctx, ev.ID, 0)
	require.NoError(t, err)
	require.Equal(t, models.WebhookDelivered, got.Status)
	attempts, err := h.store.WebhookAttempts(ctx, ev.ID)
	require.NoError(t, err)
	require.Len(t, attempts, 2)
	require.Equal(t, 503, attempts[0].StatusCode)
	require.Contains(t, attempts[0].Response, "down for maintenance")
	require.Equal(t, 204, attempts[1].StatusCode)
	require.Equal(t, []string{"SUBMITTED→APPROVED"}, hookreceiver.Lived(rc.Taken()))
	require.Empty(t, rc.Forged())

	// Delivered: another try sends nothing.
	require.NoError(t, h.deliver(ev.ID))
	require.Equal(t, 2, rc.Requests())
}

// An event whose endpoint is gone is cancelled, not left pending for its
// delivery to find again and again.
func TestDeliverWebhookCancelsAnEventWithoutEndpoint(t *testing.T) {
	h := newHooked(t, "http://127.0.0.1:9/never", webhook.NewSecret())
	ev := h.approve(t)
	ctx := context.Background()
	// As a delete racing the loan's write could leave it, before the lock
	// that prevents it: the endpoint gone, the event pending.
	require.NoError(t, h.store.DB.Exec("DELETE FROM webhook_endpoints").Error)
	require.NoError(t, h.deliver(ev.ID))
	got, err := h.store.WebhookEvent(ctx, ev.ID, 0)
	require.NoError(t, err)
	require.Equal(t, models.WebhookCancelled, got.Status)
	pending, err := h.store.PendingWebhookEvents(ctx, h.partner.ID, 10)
	require.NoError(t, err)
	require.Empty(t, pending)
}

// A secret this deployment's keys cannot open is retried, never the
// event failed at once: the keys are the operator's to fix.
func TestDeliverWebhookRetriesAnUnsealableSecret(t *testing.T) {
	h := newHooked(t, "http://127.0.0.1:9/never", webhook.NewSecret())
	ev := h.approve(t)
	require.NoError(t, h.store.DB.Exec("UPDATE webhook_endpoints SET secret = 'v1:gone:AAAA'").Error)
	err := h.deliver(ev.ID)
	var app *temporal.ApplicationError
	require.True(t, errors.As(err, &app), "%v", err)
	require.Equal(t, activities.ErrTypeWebhookUnsigned, app.Type())
	require.False(t, app.NonRetryable())
	got, err := h.store.WebhookEvent(context.Background(), ev.ID, 0)
	require.NoError(t, err)
	require.Equal(t, models.WebhookPending, got.Status)
	require.Zero(t, got.Attempts, "nothing was sent")
}
