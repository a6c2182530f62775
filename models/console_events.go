package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Outcomes of a console event.
const (
	OutcomeOK          = "ok"           // done
	OutcomeDenied      = "denied"       // wrong role, segregation of duties, four eyes, CSRF
	OutcomeRefused     = "refused"      // bad input, or the loan's state does not allow it
	OutcomeFailed      = "failed"       // wrong credentials, or an outage
	OutcomeRateLimited = "rate_limited" // too many failed sign-ins
)

// ConsoleEvent is one entry of the back-office console's audit log: a
// sign-in attempt, an admin change, or a loan action, whatever its outcome.
// Actor is the staff username ("" when nobody is signed in); Target names
// what was acted on ("loan 90001", "staff alice", or the username a sign-in
// tried).
type ConsoleEvent struct {
	ID       uint      `gorm:"primaryKey"`
	At       time.Time `gorm:"not null"`
	Actor    string    `gorm:"not null"`
	ClientIP string    `gorm:"not null"`
	Action   string    `gorm:"not null"`
	Target   string    `gorm:"not null"`
	Outcome  string    `gorm:"not null"`
	Detail   string    `gorm:"not null"`
}

// TableName fixes the table the migrations create.
func (ConsoleEvent) TableName() string { return "console_events" }

// RecordConsoleEvent appends an event to the console audit log.
func (s *Store) RecordConsoleEvent(ctx context.Context, ev *ConsoleEvent) error {
	return writeErr("record console event", recordConsoleEvent(s.db(ctx), ev))
}

func recordConsoleEvent(tx *gorm.DB, ev *ConsoleEvent) error {
	ev.ID = 0
	if ev.At.IsZero() {
		ev.At = tx.NowFunc()
	}
	ev.At = dbTime(ev.At)
	return tx.Create(ev).Error
}

// ConsoleEventFilter selects console events; zero fields do not filter.
type ConsoleEventFilter struct {
	Action, Outcome, Actor, Target, ClientIP string
	// Since is inclusive.
	Since *time.Time
	// Limit defaults to DefaultListLimit and is capped at MaxListLimit.
	Limit, Offset int
}

func (s *Store) consoleEvents(ctx context.Context, f ConsoleEventFilter) *gorm.DB {
	q := s.db(ctx).Model(&ConsoleEvent{})
	for _, c := range []struct{ col, v string }{
		{"action", f.Action}, {"outcome", f.Outcome}, {"actor", f.Actor}, {"target", f.Target}, {"client_ip", f.ClientIP},
	} {
		if c.v != "" {
			q = q.Where(c.col+" = ?", c.v)
		}
	}
	if f.Since != nil {
		q = q.Where("at >= ?", dbTime(*f.Since))
	}
	return q
}

// CountConsoleEvents counts the events matching f (paging ignored).
func (s *Store) CountConsoleEvents(ctx context.Context, f ConsoleEventFilter) (int64, error) {
	var n int64
	if err := s.consoleEvents(ctx, f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count console events: %w", err)
	}
	return n, nil
}

// ListConsoleEvents returns one page of the events matching f, newest
// first, and how many match over all pages.
func (s *Store) ListConsoleEvents(ctx context.Context, f ConsoleEventFilter) ([]ConsoleEvent, int64, error) {
	return page[ConsoleEvent](s.consoleEvents(ctx, f), "console events", "at DESC, id DESC", f.Limit, f.Offset)
}
