package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ConsoleSession is one signed-in back-office browser. The cookie holds a
// random token; ID is the hex SHA-256 of it, so reading this table gives
// no one a session to replay.
type ConsoleSession struct {
	ID        string `gorm:"primaryKey"`
	StaffID   uint   `gorm:"not null;index"`
	CSRFToken string `gorm:"column:csrf_token;not null"`
	// Flash is a one-time message for the next page (after a redirect).
	Flash     string    `gorm:"not null"`
	ClientIP  string    `gorm:"not null"`
	UserAgent string    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
	// LastSeenAt drives the idle timeout; ExpiresAt is the absolute one.
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null"`
}

// TableName fixes the table the migrations create.
func (ConsoleSession) TableName() string { return "console_sessions" }

// dbTime is an instant as both dialects store it: UTC, microseconds.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// CreateConsoleSession stores a new session.
func (s *Store) CreateConsoleSession(ctx context.Context, sess *ConsoleSession) error {
	sess.CreatedAt = dbTime(sess.CreatedAt)
	sess.LastSeenAt = dbTime(sess.LastSeenAt)
	sess.ExpiresAt = dbTime(sess.ExpiresAt)
	return writeErr("create console session", s.db(ctx).Create(sess).Error)
}

// GetConsoleSession reads a session by ID (the token's hash).
func (s *Store) GetConsoleSession(ctx context.Context, id string) (*ConsoleSession, error) {
	return takeOne[ConsoleSession](s.db(ctx), "get console session", "id = ?", id)
}

// TouchConsoleSession records activity on the session, pushing its idle
// deadline back.
func (s *Store) TouchConsoleSession(ctx context.Context, id string, at time.Time) error {
	err := s.db(ctx).Model(&ConsoleSession{}).Where("id = ?", id).Update("last_seen_at", dbTime(at)).Error
	return writeErr("touch console session", err)
}

// SetConsoleSessionFlash sets (or, with "", clears) the session's one-time
// message.
func (s *Store) SetConsoleSessionFlash(ctx context.Context, id, flash string) error {
	err := s.db(ctx).Model(&ConsoleSession{}).Where("id = ?", id).Update("flash", flash).Error
	return writeErr("set console session flash", err)
}

// DeleteConsoleSession ends one session; an unknown ID is not an error.
func (s *Store) DeleteConsoleSession(ctx context.Context, id string) error {
	return writeErr("delete console session", s.db(ctx).Where("id = ?", id).Delete(&ConsoleSession{}).Error)
}

// PurgeConsoleSessions deletes the sessions past their absolute expiry at
// now or idle since before idleSince, and answers how many went.
func (s *Store) PurgeConsoleSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	res := s.db(ctx).Where("expires_at <= ? OR last_seen_at < ?", dbTime(now), dbTime(idleSince)).Delete(&ConsoleSession{})
	if res.Error != nil {
		return 0, fmt.Errorf("models: purge console sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// endStaffSessions deletes a staff member's sessions but keep (which may be
// empty), inside tx.
func endStaffSessions(tx *gorm.DB, staffID uint, keep string) error {
	q := tx.Where("staff_id = ?", staffID)
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	if err := q.Delete(&ConsoleSession{}).Error; err != nil {
		return fmt.Errorf("end sessions of staff %d: %w", staffID, err)
	}
	return nil
}

// CountStaffConsoleSessions counts a staff member's session rows, expired
// ones not yet purged included.
func (s *Store) CountStaffConsoleSessions(ctx context.Context, staffID uint) (int64, error) {
	var n int64
	if err := s.db(ctx).Model(&ConsoleSession{}).Where("staff_id = ?", staffID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count console sessions: %w", err)
	}
	return n, nil
}
