package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// The webhook API: a partner's endpoint and its deliveries under /v1, and
// every partner's, for admins, under /backoffice/v1. A
// signing secret appears in the answer that made it (and in a replay of its
// rotation) only; no read ever carries one.

type webhookJSON struct {
	URL          string   `json:"url"`
	Events       []string `json:"events"`
	AllowPrivate bool     `json:"allow_private"`
	// PreviousSecretSigning: after a rotation, the replaced secret signs
	// beside the new one until PreviousSecretUntil (null when it no longer
	// does).
	PreviousSecretSigning bool    `json:"previous_secret_signing"`
	PreviousSecretUntil   *string `json:"previous_secret_until"`
	CreatedAt             string  `json:"created_at"`
	UpdatedAt             string  `json:"updated_at"`
}

func newWebhookJSON(ep *models.WebhookEndpoint, now time.Time) webhookJSON {
	j := webhookJSON{URL: ep.URL, Events: ep.EventNames(), AllowPrivate: ep.AllowPrivate,
		CreatedAt: instant(ep.CreatedAt), UpdatedAt: instant(ep.UpdatedAt)}
	if ep.PreviousSecret != "" && ep.PreviousSecretUntil != nil && ep.PreviousSecretUntil.After(now) {
		until := instant(*ep.PreviousSecretUntil)
		j.PreviousSecretSigning, j.PreviousSecretUntil = true, &until
	}
	return j
}

// webhookWithSecret is an endpoint with the signing secret just made for
// it.
type webhookWithSecret struct {
	webhookJSON
	Secret string `json:"secret,omitempty"`
}

// adminWebhookJSON is an endpoint as admins see it: with its partner.
type adminWebhookJSON struct {
	Partner string `json:"partner"`
	webhookJSON
}

type webhookDeliveryJSON struct {
	ID        uint              `json:"id"`
	MessageID string            `json:"message_id"`
	Type      lending.EventType `json:"type"`
	LoanRef   int64             `json:"loan_ref"`
	Status    string            `json:"status"`
	Attempts  int               `json:"attempts"`
	// LastStatusCode is null until the endpoint answered an attempt.
	LastStatusCode *int    `json:"last_status_code"`
	LastError      string  `json:"last_error"`
	LastAttemptAt  *string `json:"last_attempt_at"`
	DeliveredAt    *string `json:"delivered_at"`
	DeliverUntil   string  `json:"deliver_until"`
	CreatedAt      string  `json:"created_at"`
}

func newWebhookDeliveryJSON(ev *models.WebhookEvent) webhookDeliveryJSON {
	return webhookDeliveryJSON{
		ID: ev.ID, MessageID: ev.MessageID, Type: ev.Type, LoanRef: ev.LoanRef, Status: ev.Status, Attempts: ev.Attempts,
		LastStatusCode: optStatusCode(ev.LastStatusCode), LastError: ev.LastError, LastAttemptAt: optInstant(ev.LastAttemptAt),
		DeliveredAt: optInstant(ev.DeliveredAt), DeliverUntil: instant(ev.DeliverUntil), CreatedAt: instant(ev.CreatedAt),
	}
}

// staffWebhookDeliveryJSON is a delivery as admins list it: with its
// partner.
type staffWebhookDeliveryJSON struct {
	Partner string `json:"partner"`
	webhookDeliveryJSON
}

type webhookAttemptJSON struct {
	Attempt    int    `json:"attempt"`
	At         string `json:"at"`
	StatusCode *int   `json:"status_code"` // null: no HTTP answer (see error)
	Response   string `json:"response"`
	Error      string `json:"error"`
	DurationMS int64  `json:"duration_ms"`
}

// webhookDeliveryDetailJSON is one delivery with the exact body sent (and
// signed) on every attempt, and each attempt.
type webhookDeliveryDetailJSON struct {
	staffWebhookDeliveryJSON
	Payload    json.RawMessage      `json:"payload"`
	AttemptLog []webhookAttemptJSON `json:"attempt_log"`
}

func optStatusCode(code int) *int {
	if code == 0 {
		return nil
	}
	return &code
}

func optInstant(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := instant(*t)
	return &s
}

// readDeliveryQuery reads the paging and filters of a delivery list:
// status and loan_ref.
func readDeliveryQuery(c *gin.Context, errs *failure.FieldErrors) (f models.WebhookEventFilter, page, pageSize int) {
	page, pageSize = readPage(c, errs)
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	if v := c.Query("status"); v != "" {
		if slices.Contains(models.WebhookStatuses, v) {
			f.Status = v
		} else {
			errs.Add("status", "must be one of %s", strings.Join(models.WebhookStatuses, ", "))
		}
	}
	if v := c.Query("loan_ref"); v != "" {
		ref, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ref <= 0 {
			errs.Add("loan_ref", "must be a positive integer")
		} else {
			f.LoanRef = ref
		}
	}
	return f, page, pageSize
}

// putWebhook is PUT /v1/webhook {"url","events"}: 201 with the signing
// secret, shown only here, when it creates the endpoint; 200 without one
// when it changes it (the secret stays).
func (h *handlers) putWebhook(c *gin.Context) {
	var url string
	var events []string
	if !h.readBody(c, false, func(b *jsonObject) { url, events = b.String("url"), b.Strings("events") }) {
		return
	}
	ep, secret, err := h.svc.PutWebhook(c.Request.Context(), partnerOf(c), url, events)
	if err != nil {
		h.respondError(c, err)
		return
	}
	status := http.StatusOK
	if secret != "" {
		status = http.StatusCreated
	}
	c.JSON(status, webhookWithSecret{newWebhookJSON(ep, h.svc.Now()), secret})
}

// getWebhook is GET /v1/webhook: the partner's endpoint, never its secret.
func (h *handlers) getWebhook(c *gin.Context) {
	ep, err := h.svc.PartnerWebhook(c.Request.Context(), partnerOf(c))
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, newWebhookJSON(ep, h.svc.Now()))
}

// rotateWebhookSecret is POST /v1/webhook/rotate-secret, Idempotency-Key
// required: the new secret; the previous one signs beside it until
// previous_secret_until. A retry with the same key answers the same secret
// (Idempotent-Replayed) and rotates nothing.
func (h *handlers) rotateWebhookSecret(c *gin.Context) {
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	ep, secret, replayed, err := h.svc.RotateWebhookSecret(c.Request.Context(), partnerOf(c), c.GetHeader(idempotencyHeader))
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(replayStatus(c, replayed, http.StatusOK), webhookWithSecret{newWebhookJSON(ep, h.svc.Now()), secret})
}

// deleteWebhook is DELETE /v1/webhook: 204; the endpoint's undelivered
// events are cancelled.
func (h *handlers) deleteWebhook(c *gin.Context) {
	if err := h.svc.DeleteWebhook(c.Request.Context(), partnerOf(c)); err != nil {
		h.respondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// listWebhookDeliveries is GET /v1/webhook/deliveries: the partner's
// events and their delivery, newest first.
func (h *handlers) listWebhookDeliveries(c *gin.Context) {
	var errs failure.FieldErrors
	f, page, pageSize := readDeliveryQuery(c, &errs)
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	events, total, err := h.svc.PartnerWebhookDeliveries(c.Request.Context(), partnerOf(c), f)
	if err != nil {
		h.respondError(c, err)
		return
	}
	items := make([]webhookDeliveryJSON, len(events))
	for i := range events {
		items[i] = newWebhookDeliveryJSON(&events[i])
	}
	c.JSON(http.StatusOK, pageJSON[webhookDeliveryJSON]{Items: items, Page: page, PageSize: pageSize, Total: total})
}

// listWebhooks is GET /backoffice/v1/webhooks: every partner's endpoint.
func (h *handlers) listWebhooks(c *gin.Context) {
	list, err := h.svc.WebhookEndpoints(c.Request.Context(), adminOf(c))
	if err != nil {
		h.respondError(c, err)
		return
	}
	now := h.svc.Now()
	out := make([]adminWebhookJSON, len(list))
	for i, w := range list {
		out[i] = adminWebhookJSON{Partner: w.Partner.Username, webhookJSON: newWebhookJSON(&w.Endpoint, now)}
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": out})
}

// editWebhook is PUT /backoffice/v1/partners/{username}/webhook
// {"url","events","allow_private"}: an admin's change to the partner's
// endpoint. allow_private absent is false: the exception for a private
// address is granted in so many words, each time.
func (h *handlers) editWebhook(c *gin.Context) {
	var url string
	var events []string
	var allowPrivate bool
	if !h.readBody(c, false, func(b *jsonObject) {
		url, events = b.String("url"), b.Strings("events")
		if v := b.OptionalBool("allow_private"); v != nil {
			allowPrivate = *v
		}
	}) {
		return
	}
	username := c.Param("username")
	ep, err := h.svc.EditWebhook(c.Request.Context(), adminOf(c), username, url, events, allowPrivate)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, adminWebhookJSON{Partner: username, webhookJSON: newWebhookJSON(ep, h.svc.Now())})
}

// staffListWebhookDeliveries is GET /backoffice/v1/webhook-deliveries:
// events of every partner, or of the partner named, newest first.
func (h *handlers) staffListWebhookDeliveries(c *gin.Context) {
	ctx := c.Request.Context()
	var errs failure.FieldErrors
	f, page, pageSize := readDeliveryQuery(c, &errs)
	id, _, ok := h.partnerQuery(c, &errs)
	if !ok {
		return
	}
	f.PartnerID = id
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	events, total, err := h.svc.WebhookDeliveries(ctx, adminOf(c), f)
	if err != nil {
		h.respondError(c, err)
		return
	}
	names, err := partnerNames(ctx, h.svc, events, func(ev *models.WebhookEvent) uint { return ev.PartnerID })
	if err != nil {
		h.respondError(c, err)
		return
	}
	items := make([]staffWebhookDeliveryJSON, len(events))
	for i := range events {
		items[i] = staffWebhookDeliveryJSON{Partner: names[events[i].PartnerID], webhookDeliveryJSON: newWebhookDeliveryJSON(&events[i])}
	}
	c.JSON(http.StatusOK, pageJSON[staffWebhookDeliveryJSON]{Items: items, Page: page, PageSize: pageSize, Total: total})
}

// deliveryID reads the :id of a webhook delivery; anything but a positive
// integer is no delivery (404, answered here).
func (h *handlers) deliveryID(c *gin.Context) (uint, bool) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || id == 0 {
		h.respondError(c, failure.NotFound("no such webhook delivery"))
		return 0, false
	}
	return uint(id), true
}

// staffDelivery is ev as admins see it, with its partner's username; false
// when that could not be read (answered here).
func (h *handlers) staffDelivery(c *gin.Context, ev *models.WebhookEvent) (staffWebhookDeliveryJSON, bool) {
	names, err := h.svc.PartnerNames(c.Request.Context(), []uint{ev.PartnerID})
	if err != nil {
		h.respondError(c, err)
		return staffWebhookDeliveryJSON{}, false
	}
	return staffWebhookDeliveryJSON{Partner: names[ev.PartnerID], webhookDeliveryJSON: newWebhookDeliveryJSON(ev)}, true
}

// getWebhookDelivery is GET /backoffice/v1/webhook-deliveries/{id}: the
// event, the body it sends and every attempt.
func (h *handlers) getWebhookDelivery(c *gin.Context) {
	id, ok := h.deliveryID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	ev, attempts, err := h.svc.WebhookDelivery(ctx, adminOf(c), id)
	if err != nil {
		h.respondError(c, err)
		return
	}
	d, ok := h.staffDelivery(c, ev)
	if !ok {
		return
	}
	j := webhookDeliveryDetailJSON{staffWebhookDeliveryJSON: d, Payload: json.RawMessage(ev.Payload), AttemptLog: make([]webhookAttemptJSON, len(attempts))}
	if !json.Valid(j.Payload) {
		j.Payload = json.RawMessage("null")
	}
	for i, a := range attempts {
		j.AttemptLog[i] = webhookAttemptJSON{Attempt: a.Attempt, At: instant(a.At), StatusCode: optStatusCode(a.StatusCode),
			Response: a.Response, Error: a.Error, DurationMS: a.DurationMS}
	}
	c.JSON(http.StatusOK, j)
}

// redeliverWebhook is POST /backoffice/v1/webhook-deliveries/{id}/redeliver:
// 202 with the event, back in its partner's queue for another 72 hours,
// its delivery woken. A retry with the same Idempotency-Key answers the
// event as it now is and queues nothing.
func (h *handlers) redeliverWebhook(c *gin.Context) {
	id, ok := h.deliveryID(c)
	if !ok {
		return
	}
	if !h.readBody(c, true, func(*jsonObject) {}) {
		return
	}
	ctx, by := c.Request.Context(), adminOf(c)
	var ev *models.WebhookEvent
	replayed, err := h.svc.AdminOnce(ctx, by, c.GetHeader(idempotencyHeader), service.ActionRedeliverWebhook, fmt.Sprintf("webhook delivery %d", id), nil,
		func(ctx context.Context) (err error) {
			ev, err = h.svc.RedeliverWebhook(ctx, by, id)
			return err
		})
	if err == nil && replayed {
		ev, _, err = h.svc.WebhookDelivery(ctx, by, id)
	}
	if err != nil {
		h.respondError(c, err)
		return
	}
	if d, ok := h.staffDelivery(c, ev); ok {
		c.JSON(replayStatus(c, replayed, http.StatusAccepted), d)
	}
}
