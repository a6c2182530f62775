package console

import (
	"bytes"
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
)

// webhookPageSize is how many deliveries a page lists.
const webhookPageSize = 50

// webhookForm is an endpoint's edit form, as stored or as typed.
type webhookForm struct {
	URL          string
	Events       []string
	AllowPrivate bool
}

// Has reports whether the form ticks event type t.
func (f webhookForm) Has(t lending.EventType) bool { return slices.Contains(f.Events, string(t)) }

// webhookRow is one partner's endpoint and its edit form. It holds what
// the page shows and nothing more: the endpoint's sealed secrets stay out
// of the template.
type webhookRow struct {
	Partner      models.Partner
	URL          string
	Events       []lending.EventType
	AllowPrivate bool
	UpdatedAt    time.Time
	Form         webhookForm
	Errors       map[string]string
}

type webhooksView struct {
	Endpoints  []webhookRow
	EventTypes []lending.EventType
}

func (c *console) webhooksView(gc *gin.Context) (*webhooksView, bool) {
	eps, err := c.svc.WebhookEndpoints(gc.Request.Context(), adminOf(gc))
	if err != nil {
		c.adminFailed(gc, err, "webhook endpoints")
		return nil, false
	}
	v := &webhooksView{EventTypes: lending.EventTypes}
	for _, e := range eps {
		v.Endpoints = append(v.Endpoints, webhookRow{
			Partner: e.Partner, URL: e.Endpoint.URL, Events: e.Endpoint.EventTypes(), AllowPrivate: e.Endpoint.AllowPrivate,
			UpdatedAt: e.Endpoint.UpdatedAt, Errors: map[string]string{},
			Form: webhookForm{URL: e.Endpoint.URL, Events: e.Endpoint.EventNames(), AllowPrivate: e.Endpoint.AllowPrivate},
		})
	}
	return v, true
}

// showWebhooks renders the endpoints page as fill leaves it.
func (c *console) showWebhooks(gc *gin.Context, status int, fill func(*webhooksView), errMsg string) {
	showAccounts(c, gc, "admin_webhooks", "Webhooks", c.webhooksView, status, fill, errMsg)
}

func (c *console) webhooksPage(gc *gin.Context) {
	c.showWebhooks(gc, http.StatusOK, func(*webhooksView) {}, "")
}

// webhookFieldErrors are the service's problems with an endpoint as the
// form shows them: each listed event's under the events checkboxes.
func webhookFieldErrors(err error) (map[string]string, bool) {
	errs, ok := fieldErrors(err, nil)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for name, msg := range errs {
		if strings.HasPrefix(name, "events[") {
			name = "events"
		}
		if out[name] == "" {
			out[name] = msg
		}
	}
	return out, true
}

// editWebhook changes a partner's endpoint: its URL, its events and
// whether it may be on a private address. Its signing secret stays.
func (c *console) editWebhook(gc *gin.Context) {
	username := gc.Param("username")
	form := gc.Request.PostForm
	f := webhookForm{URL: strings.TrimSpace(form.Get("url")), Events: form["events"], AllowPrivate: form.Get("allow_private") == "on"}
	ep, err := c.svc.EditWebhook(gc.Request.Context(), adminOf(gc), username, f.URL, f.Events, f.AllowPrivate)
	if err == nil {
		private := "not allowed"
		if ep.AllowPrivate {
			private = "allowed"
		}
		c.redirectWithFlash(gc, Prefix+"/admin/webhooks", fmt.Sprintf(
			"The webhook of partner %s is saved: %s, %d event types, private addresses %s. Its signing secret is unchanged.",
			username, ep.URL, len(ep.EventTypes()), private))
		return
	}
	errs, ok := webhookFieldErrors(err)
	if !ok {
		c.adminFailed(gc, err, "webhook endpoint")
		return
	}
	c.showWebhooks(gc, http.StatusBadRequest, func(v *webhooksView) {
		for i := range v.Endpoints {
			if v.Endpoints[i].Partner.Username == username {
				v.Endpoints[i].Form, v.Endpoints[i].Errors = f, errs
			}
		}
	}, "The webhook of partner "+username+" was not changed.")
}

// delivery is an event and its delivery, with its partner's username.
type delivery struct {
	models.WebhookEvent
	Partner string
}

// Tone is the badge colour of the delivery's status.
func (d delivery) Tone() string {
	switch d.Status {
	case models.WebhookDelivered:
		return "good"
	case models.WebhookFailed:
		return "bad"
	case models.WebhookPending:
		return "waiting"
	}
	return "ended"
}

// LastAt is when it was delivered, or else last tried; zero when never.
func (d delivery) LastAt() time.Time {
	switch {
	case d.DeliveredAt != nil:
		return *d.DeliveredAt
	case d.LastAttemptAt != nil:
		return *d.LastAttemptAt
	}
	return time.Time{}
}

// Redeliverable: an admin may send a delivered or failed event again.
func (d delivery) Redeliverable() bool {
	return d.Status == models.WebhookDelivered || d.Status == models.WebhookFailed
}

// deliveriesView is the deliveries listing and its filters, as typed.
type deliveriesView struct {
	Filter   struct{ Status, Loan, Partner string }
	Errors   map[string]string
	Rows     []delivery
	Statuses []string
	Partners []models.Partner
	pager
}

// partners lists the partners, and maps their ids to their usernames.
func (c *console) partners(gc *gin.Context) ([]models.Partner, map[uint]string, bool) {
	list, err := c.svc.ListPartners(gc.Request.Context(), adminOf(gc))
	if err != nil {
		c.adminFailed(gc, err, "partners")
		return nil, nil, false
	}
	names := map[uint]string{}
	for _, p := range list {
		names[p.ID] = p.Username
	}
	return list, names, true
}

// deliveriesPage lists webhook events and their delivery, newest first.
func (c *console) deliveriesPage(gc *gin.Context) {
	ctx := gc.Request.Context()
	v := deliveriesView{Errors: map[string]string{}, Statuses: models.WebhookStatuses}
	v.Filter.Status, v.Filter.Partner = gc.Query("status"), gc.Query("partner")
	v.Filter.Loan = strings.TrimSpace(gc.Query("loan"))
	partners, names, ok := c.partners(gc)
	if !ok {
		return
	}
	v.Partners = partners
	var f models.WebhookEventFilter
	if v.Filter.Status != "" {
		if slices.Contains(models.WebhookStatuses, v.Filter.Status) {
			f.Status = v.Filter.Status
		} else {
			v.Errors["status"] = "Unknown status."
		}
	}
	if v.Filter.Loan != "" {
		ref, err := strconv.ParseInt(v.Filter.Loan, 10, 64)
		if err != nil || ref <= 0 {
			v.Errors["loan"] = "Enter a loan number, such as 90001."
		}
		f.LoanRef = ref
	}
	if v.Filter.Partner != "" {
		i := slices.IndexFunc(partners, func(p models.Partner) bool { return p.Username == v.Filter.Partner })
		if i < 0 {
			v.Errors["partner"] = "Unknown partner."
		} else {
			f.PartnerID = partners[i].ID
		}
	}
	v.pager, f.Offset = newPager(gc, webhookPageSize)
	f.Limit = webhookPageSize
	const title = "Webhook deliveries"
	if len(v.Errors) > 0 {
		c.render(gc, http.StatusBadRequest, "admin_webhook_deliveries", title, v, "Some filters are not valid; fix them to see the list.")
		return
	}
	events, total, err := c.svc.WebhookDeliveries(ctx, adminOf(gc), f)
	if err != nil {
		if errs, ok := fieldErrors(err, nil); ok {
			v.Errors = errs
			c.render(gc, http.StatusBadRequest, "admin_webhook_deliveries", title, v, "Some filters are not valid; fix them to see the list.")
			return
		}
		c.adminFailed(gc, err, "webhook deliveries")
		return
	}
	for _, ev := range events {
		v.Rows = append(v.Rows, delivery{WebhookEvent: ev, Partner: names[ev.PartnerID]})
	}
	v.shown(gc, f.Offset, len(v.Rows), total)
	c.render(gc, http.StatusOK, "admin_webhook_deliveries", title, v, "")
}

// deliveryView is one event: what was sent and every attempt.
type deliveryView struct {
	Delivery delivery
	// Payload is the body sent, indented for reading.
	Payload  string
	Attempts []models.WebhookAttempt
}

// deliveryID reads :id; anything but a positive number is no delivery.
func deliveryID(gc *gin.Context) (uint, bool) {
	id, err := strconv.ParseUint(gc.Param("id"), 10, 32)
	return uint(id), err == nil && id > 0
}

// prettyJSON indents a JSON body; a body that is not JSON is shown as it is.
func prettyJSON(body string) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(body), "", "  "); err != nil {
		return body
	}
	return buf.String()
}

// deliveryPage shows one event, its payload and its attempts with the
// endpoint's answers.
func (c *console) deliveryPage(gc *gin.Context) {
	id, ok := deliveryID(gc)
	if !ok {
		c.notFound(gc, "webhook delivery")
		return
	}
	ctx := gc.Request.Context()
	ev, attempts, err := c.svc.WebhookDelivery(ctx, adminOf(gc), id)
	if err != nil {
		c.adminFailed(gc, err, "webhook delivery")
		return
	}
	names, err := c.svc.PartnerNames(ctx, []uint{ev.PartnerID})
	if err != nil {
		c.adminFailed(gc, err, "webhook delivery")
		return
	}
	v := deliveryView{Delivery: delivery{WebhookEvent: *ev, Partner: names[ev.PartnerID]}, Payload: prettyJSON(ev.Payload), Attempts: attempts}
	c.render(gc, http.StatusOK, "admin_webhook_delivery", fmt.Sprintf("Webhook delivery %d", ev.ID), v, "")
}

// redeliverWebhook sends a delivered or failed event again and wakes its
// partner's delivery. One already waiting to be delivered is left as it
// is (a form sent twice changes nothing more), and its delivery is woken.
func (c *console) redeliverWebhook(gc *gin.Context) {
	ev, ok := targetOf(c, gc, actionRedeliverWebhook, "webhook delivery", "webhook delivery",
		func(ctx context.Context, id uint) (*models.WebhookEvent, error) {
			return c.store.WebhookEvent(ctx, id, 0)
		})
	if !ok {
		return
	}
	wasPending := ev.Status == models.WebhookPending
	ev, err := c.svc.RedeliverWebhook(gc.Request.Context(), adminOf(gc), ev.ID)
	if err != nil {
		if failure.KindOf(err) == failure.KindConflict {
			c.renderError(gc, http.StatusConflict, "Not redelivered", sentence(failure.As(err).Detail))
			return
		}
		c.adminFailed(gc, err, "webhook delivery")
		return
	}
	msg := fmt.Sprintf("Delivery %d (%s of loan %d) is queued again with the same webhook-id, to be tried until %s; its partner's delivery was woken.",
		ev.ID, ev.Type, ev.LoanRef, c.formatInstant(ev.DeliverUntil))
	if wasPending {
		msg = fmt.Sprintf("Delivery %d is waiting to be delivered already; it was left as it is, and its partner's delivery was woken.", ev.ID)
	}
	c.redirectWithFlash(gc, fmt.Sprintf("%s/admin/webhooks/deliveries/%d", Prefix, ev.ID), msg)
}
