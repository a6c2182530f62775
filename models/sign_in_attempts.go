package models

import (
	"context"
	"fmt"
	"time"
)

// Outcomes of a sign-in attempt.
const (
	AttemptPending = "pending" // reserved; its password is being checked
	AttemptFailed  = "failed"
	AttemptOK      = "ok"
)

// SignInAttempt is one password check of a console sign-in, kept while it
// counts against the guessing limits (internal/auth). A pending attempt
// counts as a failure until it is settled, so parallel attempts see each
// other before any password is checked.
type SignInAttempt struct {
	ID       uint      `gorm:"primaryKey"`
	At       time.Time `gorm:"not null"`
	Username string    `gorm:"not null"`
	ClientIP string    `gorm:"not null"`
	Outcome  string    `gorm:"not null"`
}

// TableName fixes the table the migrations create.
func (SignInAttempt) TableName() string { return "sign_in_attempts" }

// SignInCounts are the attempts since a time not known to have succeeded,
// the reserving one included.
type SignInCounts struct {
	// UserIP counts the attempt's username from its address since that
	// user's last successful sign-in (from any address).
	UserIP int64
	// IP counts every username from the attempt's address.
	IP int64
}

// ReserveSignInAttempt stores a as pending, then counts (SignInCounts) the
// attempts since since. Inserting before counting makes the reservation
// atomic across connections and replicas without a lock: of attempts made
// at once, the k-th to be stored counts at least k, so no more than a limit
// of them can find their count within it.
func (s *Store) ReserveSignInAttempt(ctx context.Context, a *SignInAttempt, since time.Time) (SignInCounts, error) {
	a.ID, a.At, a.Outcome = 0, dbTime(a.At), AttemptPending
	if err := s.db(ctx).Create(a).Error; err != nil {
		return SignInCounts{}, writeErr("reserve sign-in attempt", err)
	}
	since = dbTime(since)
	var n SignInCounts
	err := s.db(ctx).Raw(`SELECT
  (SELECT count(*) FROM sign_in_attempts
    WHERE username = ? AND client_ip = ? AND outcome <> ? AND at >= ?
      AND id > COALESCE((SELECT max(id) FROM sign_in_attempts WHERE username = ? AND outcome = ? AND at >= ?), 0)) AS user_ip,
  (SELECT count(*) FROM sign_in_attempts WHERE client_ip = ? AND outcome <> ? AND at >= ?) AS ip`,
		a.Username, a.ClientIP, AttemptOK, since, a.Username, AttemptOK, since,
		a.ClientIP, AttemptOK, since).Scan(&n).Error
	if err != nil {
		return SignInCounts{}, fmt.Errorf("models: count sign-in attempts: %w", err)
	}
	return n, nil
}

// SettleSignInAttempt records the outcome of a checked attempt.
func (s *Store) SettleSignInAttempt(ctx context.Context, id uint, outcome string) error {
	return writeErr("settle sign-in attempt",
		s.db(ctx).Model(&SignInAttempt{}).Where("id = ?", id).Update("outcome", outcome).Error)
}

// DropSignInAttempt deletes an attempt whose password was never checked:
// it was refused, or the check could not be made.
func (s *Store) DropSignInAttempt(ctx context.Context, id uint) error {
	return writeErr("drop sign-in attempt", s.db(ctx).Delete(&SignInAttempt{}, id).Error)
}

// PurgeSignInAttempts deletes the attempts before t, which count no more.
func (s *Store) PurgeSignInAttempts(ctx context.Context, t time.Time) error {
	return writeErr("purge sign-in attempts", s.db(ctx).Where("at < ?", dbTime(t)).Delete(&SignInAttempt{}).Error)
}
