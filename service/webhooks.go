package service

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/webhook"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// Admin actions on webhooks, in the console's audit log.
const (
	ActionEditWebhook      = "edit_webhook"
	ActionRedeliverWebhook = "redeliver_webhook"
)

// WebhookPreviousSecretKept is how long a replaced signing secret goes on
// signing beside the new one.
const WebhookPreviousSecretKept = 24 * time.Hour

// actionRotateWebhookSecret names a rotation in idempotency keys.
const actionRotateWebhookSecret = "rotate-webhook-secret"

// WebhookDeps are what the webhook endpoints need: the sealing of their
// secrets and the URL policy. Zero, secrets are sealed with a key drawn for
// this process (tests) and the production policy applies.
type WebhookDeps struct {
	Secrets *webhook.Secrets
	Policy  webhook.Policy
}

// checkWebhook names what is wrong with an endpoint's URL and events.
func (s *Service) checkWebhook(url string, events []string, allowPrivate bool) ([]lending.EventType, failure.FieldErrors) {
	var errs failure.FieldErrors
	if url == "" {
		errs.Add("url", "is required")
	} else if err := s.webhooks.Policy.CheckURL(url, allowPrivate); err != nil {
		errs.Add("url", "%s", err.Error())
	}
	var types []lending.EventType
	if len(events) == 0 {
		errs.Add("events", "name at least one of %s", eventList())
	}
	for i, e := range events {
		t := lending.EventType(e)
		switch {
		case !t.Valid():
			errs.Add(fmt.Sprintf("events[%d]", i), "must be one of %s", eventList())
		case slices.Contains(types, t):
			errs.Add(fmt.Sprintf("events[%d]", i), "is listed twice")
		default:
			types = append(types, t)
		}
	}
	return types, errs
}

func eventList() string {
	s := make([]string, len(lending.EventTypes))
	for i, t := range lending.EventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// PutWebhook sets the partner's endpoint: its URL and the events it
// wants. Creating one answers its signing secret, the only time it is
// shown; changing one keeps its secret (secret ""). It is idempotent.
func (s *Service) PutWebhook(ctx context.Context, p *models.Partner, url string, events []string) (ep *models.WebhookEndpoint, secret string, err error) {
	url = strings.TrimSpace(url)
	var created bool
	err = s.store.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		cur, err := st.WebhookEndpoint(ctx, p.ID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return failure.Unavailable(err)
		}
		// An admin's private-address exception admits the host it was
		// granted for: pointed elsewhere, the endpoint loses it.
		allowPrivate := cur != nil && cur.AllowPrivate && sameHost(cur.URL, url)
		types, errs := s.checkWebhook(url, events, allowPrivate)
		if len(errs) > 0 {
			return errs.Err()
		}
		e := models.WebhookEndpoint{PartnerID: p.ID, URL: url, Events: models.JoinEventTypes(types), AllowPrivate: allowPrivate}
		if cur == nil {
			secret = webhook.NewSecret()
			e.Secret = s.webhooks.Secrets.Seal(secret)
		}
		ep, created, err = st.PutWebhookEndpoint(ctx, e, s.now())
		if err != nil {
			return failure.Unavailable(err)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if !created {
		secret = ""
	}
	return ep, secret, nil
}

// sameHost reports whether two endpoint URLs are on the same host and port.
func sameHost(a, b string) bool {
	ua, errA := neturl.Parse(a)
	ub, errB := neturl.Parse(b)
	return errA == nil && errB == nil && strings.EqualFold(ua.Host, ub.Host)
}

// errNoWebhook answers a partner that has no endpoint.
func errNoWebhook() error {
	return failure.NotFound("no webhook endpoint is set: PUT /v1/webhook sets one")
}

// PartnerWebhook is the partner's endpoint.
func (s *Service) PartnerWebhook(ctx context.Context, p *models.Partner) (*models.WebhookEndpoint, error) {
	ep, err := s.store.WebhookEndpoint(ctx, p.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errNoWebhook()
	}
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return ep, nil
}

// RotateWebhookSecret gives the partner's endpoint a new signing secret,
// answered once; the old one goes on signing beside it for a day, so the
// partner can switch without losing a webhook. The Idempotency-Key is
// required and claimed as every keyed request's is: the rotation and its
// key are stored together, so a retry with the same key never rotates
// again. It answers the secret the first rotation made (replayed) while
// that secret is the endpoint's; once a later rotation (or a new endpoint)
// replaced it, a retry is a conflict, never a third rotation.
func (s *Service) RotateWebhookSecret(ctx context.Context, p *models.Partner, key string) (ep *models.WebhookEndpoint, secret string, replayed bool, err error) {
	var errs failure.FieldErrors
	checkKey(key, &errs)
	if err := errs.Err(); err != nil {
		return nil, "", false, err
	}
	if _, err := s.PartnerWebhook(ctx, p); err != nil {
		return nil, "", false, err
	}
	secret = webhook.NewSecret()
	sealed, now := s.webhooks.Secrets.Seal(secret), s.now()
	_, replayed, err = s.claim(ctx, keyed{actor: partnerActor(p), action: actionRotateWebhookSecret, key: key, request: struct{}{}},
		func(tx *gorm.DB, _ *models.IdempotencyKey) error {
			var err error
			ep, _, err = s.store.WithTx(tx).RotateWebhookSecret(ctx, p.ID, sealed, key, now.Add(WebhookPreviousSecretKept), now)
			return err
		})
	if errors.Is(err, models.ErrNotFound) { // removed meanwhile
		return nil, "", false, errNoWebhook()
	}
	if err != nil {
		return nil, "", false, err
	}
	if !replayed {
		return ep, secret, false, nil
	}
	if ep, err = s.PartnerWebhook(ctx, p); err != nil {
		return nil, "", false, err
	}
	if ep.RotationKey != key {
		return nil, "", false, failure.Conflict("the secret this key's rotation made was replaced since: rotate again with a new Idempotency-Key")
	}
	if secret, err = s.webhooks.Secrets.Open(ep.Secret); err != nil {
		return nil, "", false, failure.Unavailable(err)
	}
	return ep, secret, true, nil
}

// DeleteWebhook removes the partner's endpoint; its undelivered events
// are cancelled. Deleting none is NotFound.
func (s *Service) DeleteWebhook(ctx context.Context, p *models.Partner) error {
	deleted, err := s.store.DeleteWebhookEndpoint(ctx, p.ID)
	if err != nil {
		return failure.Unavailable(err)
	}
	if !deleted {
		return errNoWebhook()
	}
	return nil
}

// PartnerWebhookDeliveries lists the partner's events and their delivery,
// newest first.
func (s *Service) PartnerWebhookDeliveries(ctx context.Context, p *models.Partner, f models.WebhookEventFilter) ([]models.WebhookEvent, int64, error) {
	f.PartnerID = p.ID
	return s.webhookDeliveries(ctx, f)
}

func (s *Service) webhookDeliveries(ctx context.Context, f models.WebhookEventFilter) ([]models.WebhookEvent, int64, error) {
	if f.Status != "" && !slices.Contains(models.WebhookStatuses, f.Status) {
		return nil, 0, failure.Invalid("status", "must be one of %s", strings.Join(models.WebhookStatuses, ", "))
	}
	out, total, err := s.store.WebhookEvents(ctx, f)
	if err != nil {
		return nil, 0, failure.Unavailable(err)
	}
	return out, total, nil
}

// AdminWebhook is an endpoint with its partner, for admins.
type AdminWebhook struct {
	Endpoint models.WebhookEndpoint
	Partner  models.Partner
}

// WebhookEndpoints lists every partner's endpoint, for admins.
func (s *Service) WebhookEndpoints(ctx context.Context, by Admin) ([]AdminWebhook, error) {
	eps, err := adminList(ctx, by, s.store.WebhookEndpoints)
	if err != nil {
		return nil, err
	}
	partners, err := s.store.ListPartners(ctx)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	out := make([]AdminWebhook, 0, len(eps))
	for _, e := range eps {
		for _, p := range partners {
			if p.ID == e.PartnerID {
				out = append(out, AdminWebhook{Endpoint: e, Partner: p})
			}
		}
	}
	return out, nil
}

// EditWebhook is an admin's change to a partner's endpoint: its URL, its
// events, and whether it may be on a private address (the SSRF exception
// only an admin grants).
func (s *Service) EditWebhook(ctx context.Context, by Admin, username, url string, events []string, allowPrivate bool) (*models.WebhookEndpoint, error) {
	p, err := s.partnerTarget(ctx, by, ActionEditWebhook, username)
	if err != nil {
		return nil, err
	}
	target := "webhook of partner " + p.Username
	if _, err := s.store.WebhookEndpoint(ctx, p.ID); err != nil {
		return nil, s.found(ctx, by, ActionEditWebhook, target, "webhook endpoint", err)
	}
	url = strings.TrimSpace(url)
	types, errs := s.checkWebhook(url, events, allowPrivate)
	if len(errs) > 0 {
		return nil, s.refusedInput(ctx, by, ActionEditWebhook, target, errs)
	}
	// One transaction: an endpoint deleted meanwhile is not made anew
	// (without a secret) by the put.
	var ep *models.WebhookEndpoint
	err = s.store.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		if _, err := st.WebhookEndpoint(ctx, p.ID); err != nil {
			return err
		}
		var err error
		ep, _, err = st.PutWebhookEndpoint(ctx, models.WebhookEndpoint{PartnerID: p.ID, URL: url, Events: models.JoinEventTypes(types), AllowPrivate: allowPrivate}, s.now())
		return err
	})
	if err != nil {
		return nil, s.found(ctx, by, ActionEditWebhook, target, "webhook endpoint", err)
	}
	s.audit(ctx, by, ActionEditWebhook, target, fmt.Sprintf("%s, events %s, private addresses %t", url, ep.Events, allowPrivate))
	return ep, nil
}

// WebhookDeliveries lists events and their delivery, newest first, for
// admins.
func (s *Service) WebhookDeliveries(ctx context.Context, by Admin, f models.WebhookEventFilter) ([]models.WebhookEvent, int64, error) {
	if err := requireAdmin(by); err != nil {
		return nil, 0, err
	}
	return s.webhookDeliveries(ctx, f)
}

// WebhookDelivery is one event with its attempts, for admins.
func (s *Service) WebhookDelivery(ctx context.Context, by Admin, id uint) (*models.WebhookEvent, []models.WebhookAttempt, error) {
	if err := requireAdmin(by); err != nil {
		return nil, nil, err
	}
	ev, err := s.store.WebhookEvent(ctx, id, 0)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, failure.NotFound("no such webhook delivery")
	}
	if err != nil {
		return nil, nil, failure.Unavailable(err)
	}
	attempts, err := s.store.WebhookAttempts(ctx, id)
	if err != nil {
		return nil, nil, failure.Unavailable(err)
	}
	return ev, attempts, nil
}

// RedeliverWebhook sends a delivered or failed event again, with a fresh
// 72 hours, and wakes its partner's delivery. The event keeps its
// webhook-id: a partner that took it already sees a duplicate.
func (s *Service) RedeliverWebhook(ctx context.Context, by Admin, id uint) (*models.WebhookEvent, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	target := fmt.Sprintf("webhook delivery %d", id)
	ev, err := s.store.RedeliverWebhookEvent(ctx, id, s.now().Add(models.WebhookDeliveryWindow))
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, s.refused(ctx, by, ActionRedeliverWebhook, target, "no such delivery", failure.NotFound("no such webhook delivery"))
	case errors.Is(err, models.ErrConflict):
		return nil, s.refused(ctx, by, ActionRedeliverWebhook, target, "no endpoint", failure.Conflict("the partner has no webhook endpoint to deliver to"))
	case err != nil:
		return nil, failure.Unavailable(err)
	}
	if err := s.engine.KickWebhooks(ctx, ev.PartnerID); err != nil {
		return nil, err
	}
	s.audit(ctx, by, ActionRedeliverWebhook, target, string(ev.Type)+" of loan "+fmt.Sprint(ev.LoanRef))
	return ev, nil
}

// audit records an admin's action that succeeded.
func (s *Service) audit(ctx context.Context, by Admin, action, target, detail string) {
	ev := s.adminEvent(by, action, target, models.OutcomeOK, detail)
	if err := s.store.RecordConsoleEvent(context.WithoutCancel(ctx), ev); err != nil {
		s.log.ErrorContext(ctx, "admin audit write failed", "action", action, "actor", by.Staff.Username, "target", target, "error", err)
	}
}
