package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/loanflow/loanflow/lending"
)

// servicedStatuses are those of paid-out loans still being serviced.
var servicedStatuses = func() []lending.Status {
	var out []lending.Status
	for _, s := range lending.Statuses {
		if s.Serviced() {
			out = append(out, s)
		}
	}
	return out
}()

// Collections returns one page of the serviced loans with an installment
// past due, the longest overdue first (then by ref), and how many there
// are. The days_past_due > 0 range reads the ix_loans_days_past_due index,
// in the order the page wants, on SQLite and Postgres alike.
func (s *Store) Collections(ctx context.Context, limit, offset int) ([]Loan, int64, error) {
	q := s.db(ctx).Model(&Loan{}).Where("days_past_due > 0 AND status IN ?", servicedStatuses)
	return loanQueue(q, "collections", "days_past_due DESC, ref ASC", limit, offset)
}

// loanQueue answers one page of the loans q selects, in order, and how
// many there are.
func loanQueue(q *gorm.DB, what, order string, limit, offset int) ([]Loan, int64, error) {
	q = q.Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("models: count %s: %w", what, err)
	}
	if limit <= 0 {
		limit = DefaultListLimit
	}
	loans := []Loan{}
	if err := q.Order(order).Limit(min(limit, MaxListLimit)).Offset(max(offset, 0)).Find(&loans).Error; err != nil {
		return nil, 0, fmt.Errorf("models: list %s: %w", what, err)
	}
	return loans, total, nil
}
