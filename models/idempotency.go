package models

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/loanflow/loanflow/lending"
)

// IdempotencyKey is a caller's key claimed for one action on one loan:
// the same key sent again must carry the same request (RequestHash).
// ResourceID is what the action created, for an answer replayed later (a
// document's ID).
type IdempotencyKey struct {
	ID          uint          `gorm:"primaryKey"`
	Actor       lending.Actor `gorm:"not null"`
	Key         string        `gorm:"column:idempotency_key;not null"`
	Action      string        `gorm:"not null"`
	LoanRef     int64         `gorm:"not null"`
	RequestHash string        `gorm:"not null"`
	ResourceID  uint          `gorm:"not null"`
	CreatedAt   time.Time     `gorm:"not null"`
}

// ClaimKey records k unless its actor already used its key; then it
// answers the earlier claim (and claimed false), whatever it was for. The
// unique index decides, so of many concurrent claims exactly one wins.
// create, when given, runs in the claim's transaction and may set
// k.ResourceID: what the action stores and its key stand or fall together.
func (s *Store) ClaimKey(ctx context.Context, k *IdempotencyKey, create func(tx *gorm.DB) error) (earlier *IdempotencyKey, claimed bool, err error) {
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if create != nil {
			if err := create(tx); err != nil {
				return err
			}
		}
		return tx.Create(k).Error
	})
	if err == nil {
		return k, true, nil
	}
	if !isUniqueViolation(err) {
		return nil, false, writeErr("claim idempotency key", err)
	}
	var prev IdempotencyKey
	if err := s.db(ctx).Where("actor = ? AND idempotency_key = ?", k.Actor, k.Key).Take(&prev).Error; err != nil {
		return nil, false, readErr("read idempotency key", err)
	}
	return &prev, false, nil
}

// Held repayment states.
const (
	HeldPending   = "pending"
	HeldBooked    = "booked"
	HeldDismissed = "dismissed"
)

// HeldRepayment is a repayment the Iute façade received that equals one it
// booked moments before: a retry or a second genuine payment, which the
// Iute protocol cannot tell apart. It waits for operations to book or
// dismiss it.
type HeldRepayment struct {
	ID         uint            `gorm:"primaryKey"`
	LoanRef    int64           `gorm:"not null"`
	Amount     decimal.Decimal `gorm:"not null"`
	PaidOn     time.Time       `gorm:"not null"`
	ReceivedBy lending.Actor   `gorm:"not null"`
	// SimilarTo is the key of the booked repayment it equals.
	SimilarTo  string        `gorm:"not null"`
	Status     string        `gorm:"not null"`
	ResolvedBy lending.Actor `gorm:"not null"`
	ResolvedAt *time.Time
	CreatedAt  time.Time `gorm:"not null"`
}

// HoldRepayment records h as pending.
func (s *Store) HoldRepayment(ctx context.Context, h *HeldRepayment) error {
	h.Status = HeldPending
	if err := s.db(ctx).Create(h).Error; err != nil {
		return writeErr("hold repayment", missingLoan(h.LoanRef, err))
	}
	return nil
}

// HeldRepayments lists a loan's held repayments, oldest first.
func (s *Store) HeldRepayments(ctx context.Context, ref int64) ([]HeldRepayment, error) {
	var out []HeldRepayment
	err := s.db(ctx).Where("loan_ref = ?", ref).Order("id").Find(&out).Error
	return out, readErr("list held repayments", err)
}

// ErrResolved: the held repayment was booked or dismissed already.
var ErrResolved = errors.New("models: already resolved")

// ResolveHeldRepayment moves a pending held repayment of loan ref to
// status; one that is not pending any more is ErrResolved.
func (s *Store) ResolveHeldRepayment(ctx context.Context, ref int64, id uint, status string, by lending.Actor, at time.Time) (*HeldRepayment, error) {
	var h HeldRepayment
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND loan_ref = ?", id, ref).Take(&h).Error; err != nil {
			return err
		}
		if h.Status != HeldPending {
			return ErrResolved
		}
		res := tx.Model(&HeldRepayment{}).Where("id = ? AND status = ?", id, HeldPending).
			Updates(map[string]any{"status": status, "resolved_by": by, "resolved_at": at})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrResolved
		}
		h.Status, h.ResolvedBy, h.ResolvedAt = status, by, &at
		return nil
	})
	if errors.Is(err, ErrResolved) {
		return &h, ErrResolved
	}
	if err != nil {
		return nil, readErr("resolve held repayment", err)
	}
	return &h, nil
}
