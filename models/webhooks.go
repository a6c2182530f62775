package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/loanflow/loanflow/lending"
)

// Delivery states of a webhook event.
const (
	WebhookPending   = "pending"   // waiting for its turn or being retried
	WebhookDelivered = "delivered" // the endpoint answered 2xx
	WebhookFailed    = "failed"    // no 2xx before its deliver_until
	WebhookCancelled = "cancelled" // the endpoint was removed before delivery
)

// WebhookStatuses lists the delivery states, in the order of an event's
// life: what a delivery list filters on.
var WebhookStatuses = []string{WebhookPending, WebhookDelivered, WebhookFailed, WebhookCancelled}

// WebhookEndpoint is a partner's webhook endpoint. Secret and
// PreviousSecret are sealed (internal/webhook.Secrets): the store never
// sees them in clear.
type WebhookEndpoint struct {
	PartnerID           uint   `gorm:"primaryKey;autoIncrement:false"`
	URL                 string `gorm:"column:url;not null"`
	Events              string `gorm:"not null"` // event types, comma separated
	Secret              string `gorm:"not null"`
	PreviousSecret      string `gorm:"not null"`
	PreviousSecretUntil *time.Time
	RotationKey         string `gorm:"not null"`
	// AllowPrivate lets the endpoint be on a private or loopback address:
	// only an admin sets it.
	AllowPrivate bool `gorm:"not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName fixes the table the migrations create.
func (WebhookEndpoint) TableName() string { return "webhook_endpoints" }

// EventTypes is what the endpoint subscribes to.
func (e WebhookEndpoint) EventTypes() []lending.EventType {
	names := e.EventNames()
	out := make([]lending.EventType, len(names))
	for i, s := range names {
		out[i] = lending.EventType(s)
	}
	return out
}

// EventNames is EventTypes as the strings the APIs and forms carry.
func (e WebhookEndpoint) EventNames() []string {
	out := []string{}
	for _, s := range strings.Split(e.Events, ",") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Subscribes reports whether the endpoint wants events of type t.
func (e WebhookEndpoint) Subscribes(t lending.EventType) bool {
	return slices.Contains(e.EventTypes(), t)
}

// JoinEventTypes is the stored form of a subscription.
func JoinEventTypes(types []lending.EventType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// WebhookEvent is one event for a partner's endpoint and its delivery.
// MessageID is the webhook-id partners de-duplicate on; Payload the exact
// body sent (and signed) on every attempt.
type WebhookEvent struct {
	ID             uint   `gorm:"primaryKey"`
	MessageID      string `gorm:"not null"`
	PartnerID      uint   `gorm:"not null"`
	LoanRef        int64  `gorm:"not null"`
	Type           lending.EventType
	Payload        string `gorm:"not null"`
	Status         string `gorm:"not null"`
	Attempts       int    `gorm:"not null"`
	LastStatusCode int    `gorm:"not null"`
	LastError      string `gorm:"not null"`
	LastAttemptAt  *time.Time
	DeliveredAt    *time.Time
	DeliverUntil   time.Time `gorm:"not null"`
	CreatedAt      time.Time `gorm:"not null"`
}

// TableName fixes the table the migrations create.
func (WebhookEvent) TableName() string { return "webhook_events" }

// WebhookAttempt is one delivery attempt and the endpoint's answer
// (Response: the start of its body).
type WebhookAttempt struct {
	ID         uint      `gorm:"primaryKey"`
	EventID    uint      `gorm:"not null"`
	Attempt    int       `gorm:"not null"`
	At         time.Time `gorm:"not null"`
	StatusCode int       `gorm:"not null"`
	Response   string    `gorm:"not null"`
	Error      string    `gorm:"not null"`
	DurationMS int64     `gorm:"column:duration_ms;not null"`
}

// TableName fixes the table the migrations create.
func (WebhookAttempt) TableName() string { return "webhook_attempts" }

// WebhookEndpoint reads the partner's endpoint; none is ErrNotFound.
func (s *Store) WebhookEndpoint(ctx context.Context, partnerID uint) (*WebhookEndpoint, error) {
	return takeOne[WebhookEndpoint](s.db(ctx), "webhook endpoint", "partner_id = ?", partnerID)
}

// WebhookEndpoints lists every partner's endpoint, by partner.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error) {
	return listRows[WebhookEndpoint](s.db(ctx).Model(&WebhookEndpoint{}), "partner_id", "list webhook endpoints")
}

// PutWebhookEndpoint creates the partner's endpoint from e, or changes the
// URL, events and AllowPrivate of the one it has (its secrets stay);
// created says which. The stored endpoint is returned.
func (s *Store) PutWebhookEndpoint(ctx context.Context, e WebhookEndpoint, now time.Time) (out *WebhookEndpoint, created bool, err error) {
	now = dbTime(now)
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		e.CreatedAt, e.UpdatedAt = now, now
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&e)
		if res.Error != nil {
			return res.Error
		}
		created = res.RowsAffected == 1
		if !created {
			if err := tx.Model(&WebhookEndpoint{}).Where("partner_id = ?", e.PartnerID).
				Updates(map[string]any{"url": e.URL, "events": e.Events, "allow_private": e.AllowPrivate, "updated_at": now}).Error; err != nil {
				return err
			}
		}
		out, err = takeOne[WebhookEndpoint](tx, "webhook endpoint", "partner_id = ?", e.PartnerID)
		return err
	})
	if err != nil {
		return nil, false, writeErr("put webhook endpoint", err)
	}
	return out, created, nil
}

// RotateWebhookSecret makes sealed the partner's signing secret; the one it
// replaces keeps signing until keepUntil. A rotation repeated with the
// same non-empty key changes nothing (rotated false), so the caller can
// answer the secret the first one made.
func (s *Store) RotateWebhookSecret(ctx context.Context, partnerID uint, sealed, key string, keepUntil, now time.Time) (out *WebhookEndpoint, rotated bool, err error) {
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := takeOne[WebhookEndpoint](tx.Clauses(clause.Locking{Strength: "UPDATE"}), "webhook endpoint", "partner_id = ?", partnerID)
		if err != nil {
			return err
		}
		if key != "" && cur.RotationKey == key {
			out = cur
			return nil
		}
		until := dbTime(keepUntil)
		if err := tx.Model(&WebhookEndpoint{}).Where("partner_id = ?", partnerID).Updates(map[string]any{
			"secret": sealed, "previous_secret": cur.Secret, "previous_secret_until": until,
			"rotation_key": key, "updated_at": dbTime(now),
		}).Error; err != nil {
			return err
		}
		rotated = true
		out, err = takeOne[WebhookEndpoint](tx, "webhook endpoint", "partner_id = ?", partnerID)
		return err
	})
	if err != nil {
		return nil, false, writeErr("rotate webhook secret", err)
	}
	return out, rotated, nil
}

// DeleteWebhookEndpoint removes the partner's endpoint and cancels its
// undelivered events; deleted is false when there was none. The endpoint
// goes first: its delete waits for the loan writes that hold its row (see
// openOutbox), so the cancel after it sees their events too.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, partnerID uint) (deleted bool, err error) {
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("partner_id = ?", partnerID).Delete(&WebhookEndpoint{})
		if res.Error != nil {
			return res.Error
		}
		deleted = res.RowsAffected > 0
		return cancelPendingWebhooks(tx, "partner_id = ?", partnerID)
	})
	return deleted, writeErr("delete webhook endpoint", err)
}

// CancelWebhookEvent cancels a pending event whose endpoint is gone.
func (s *Store) CancelWebhookEvent(ctx context.Context, id uint) error {
	return writeErr("cancel webhook event", cancelPendingWebhooks(s.db(ctx), "id = ?", id))
}

func cancelPendingWebhooks(tx *gorm.DB, where string, arg any) error {
	return tx.Model(&WebhookEvent{}).Where(where, arg).Where(pendingOnly).Update("status", WebhookCancelled).Error
}

// pendingOnly selects pending events, written as a literal so that
// PostgreSQL's generic plans still use the partial indexes on it.
const pendingOnly = "status = '" + WebhookPending + "'"

// PendingWebhookEvents is the partner's next undelivered events, oldest
// first: the order they are delivered in.
func (s *Store) PendingWebhookEvents(ctx context.Context, partnerID uint, limit int) ([]WebhookEvent, error) {
	return listRows[WebhookEvent](s.db(ctx).Where("partner_id = ?", partnerID).Where(pendingOnly).Limit(limit),
		"id", "list pending webhook events")
}

// NextWebhookEvents is, for each of the partner's loans with undelivered
// events and not in busy, its oldest one, oldest first, at most limit: the
// events that may go now, one per loan so that each loan's are delivered
// in the order they were written.
func (s *Store) NextWebhookEvents(ctx context.Context, partnerID uint, busy []int64, limit int) ([]WebhookEvent, error) {
	heads := s.db(ctx).Model(&WebhookEvent{}).Select("MIN(id)").Where("partner_id = ?", partnerID).Where(pendingOnly)
	if len(busy) > 0 {
		heads = heads.Where("loan_ref NOT IN ?", busy)
	}
	return listRows[WebhookEvent](s.db(ctx).Where("id IN (?)", heads.Group("loan_ref")).Limit(limit), "id", "next webhook events")
}

// PartnersWithPendingWebhooks lists the partners with undelivered events.
func (s *Store) PartnersWithPendingWebhooks(ctx context.Context) ([]uint, error) {
	var ids []uint
	err := s.db(ctx).Model(&WebhookEvent{}).Where(pendingOnly).Distinct().Order("partner_id").Pluck("partner_id", &ids).Error
	return ids, readErr("partners with pending webhooks", err)
}

// LoanHasPendingWebhooks answers the partner of the loan's undelivered
// events (ok false when it has none): the delivery to wake after a write.
func (s *Store) LoanHasPendingWebhooks(ctx context.Context, ref int64) (partnerID uint, ok bool, err error) {
	var ids []uint
	err = s.db(ctx).Model(&WebhookEvent{}).Where("loan_ref = ?", ref).Where(pendingOnly).Limit(1).Pluck("partner_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, false, readErr("pending webhooks of a loan", err)
	}
	return ids[0], true, nil
}

// WebhookEvent reads one event; partnerID 0 reads any partner's.
func (s *Store) WebhookEvent(ctx context.Context, id uint, partnerID uint) (*WebhookEvent, error) {
	q := s.db(ctx)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	return takeOne[WebhookEvent](q, "webhook event", "id = ?", id)
}

// WebhookEventFilter selects events to list; zero fields select all.
type WebhookEventFilter struct {
	PartnerID uint
	LoanRef   int64
	Status    string
	Limit     int
	Offset    int
}

// WebhookEvents lists events, newest first, and how many the filter
// selects.
func (s *Store) WebhookEvents(ctx context.Context, f WebhookEventFilter) ([]WebhookEvent, int64, error) {
	q := s.db(ctx).Model(&WebhookEvent{})
	if f.PartnerID != 0 {
		q = q.Where("partner_id = ?", f.PartnerID)
	}
	if f.LoanRef != 0 {
		q = q.Where("loan_ref = ?", f.LoanRef)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return page[WebhookEvent](q, "webhook events", "id DESC", f.Limit, f.Offset)
}

// WebhookAttempts lists an event's attempts, first first.
func (s *Store) WebhookAttempts(ctx context.Context, eventID uint) ([]WebhookAttempt, error) {
	return listRows[WebhookAttempt](s.db(ctx).Where("event_id = ?", eventID), "attempt", "list webhook attempts")
}

// RecordWebhookAttempt stores an attempt at a pending event; a 2xx
// answer delivers it. An attempt already recorded under its number (a
// retried activity) is not written twice.
func (s *Store) RecordWebhookAttempt(ctx context.Context, a WebhookAttempt, delivered bool) error {
	a.ID, a.At = 0, dbTime(a.At)
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&a)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		updates := map[string]any{
			"attempts": a.Attempt, "last_status_code": a.StatusCode, "last_error": a.Error, "last_attempt_at": a.At,
		}
		if delivered {
			updates["status"], updates["delivered_at"] = WebhookDelivered, a.At
		}
		return tx.Model(&WebhookEvent{}).Where("id = ? AND status = ?", a.EventID, WebhookPending).Updates(updates).Error
	})
	return writeErr(fmt.Sprintf("record webhook attempt %d/%d", a.EventID, a.Attempt), err)
}

// FailWebhookEvent gives up on a pending event.
func (s *Store) FailWebhookEvent(ctx context.Context, id uint, reason string) error {
	err := s.db(ctx).Model(&WebhookEvent{}).Where("id = ? AND status = ?", id, WebhookPending).
		Updates(map[string]any{"status": WebhookFailed, "last_error": reason}).Error
	return writeErr("fail webhook event", err)
}

// RedeliverWebhookEvent puts a delivered or failed event back in its
// partner's queue, to be tried until until. A pending one is left as it
// is; a cancelled one, or one whose partner has no endpoint, is
// ErrConflict.
func (s *Store) RedeliverWebhookEvent(ctx context.Context, id uint, until time.Time) (*WebhookEvent, error) {
	var out *WebhookEvent
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := takeOne[WebhookEvent](tx, "webhook event", "id = ?", id)
		if err != nil {
			return err
		}
		var endpoints int64
		if err := tx.Model(&WebhookEndpoint{}).Where("partner_id = ?", ev.PartnerID).Count(&endpoints).Error; err != nil {
			return err
		}
		if ev.Status == WebhookCancelled || endpoints == 0 {
			return fmt.Errorf("webhook event %d: the partner has no endpoint: %w", id, ErrConflict)
		}
		if ev.Status != WebhookPending {
			if err := tx.Model(&WebhookEvent{}).Where("id = ?", id).Updates(map[string]any{
				"status": WebhookPending, "deliver_until": dbTime(until), "delivered_at": nil, "last_error": "",
			}).Error; err != nil {
				return err
			}
		}
		out, err = takeOne[WebhookEvent](tx, "webhook event", "id = ?", id)
		return err
	})
	if err != nil {
		return nil, writeErr("redeliver webhook event", err)
	}
	return out, nil
}
