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
	q := s.db(ctx).Model(&Loan{}).Where("days_past_due > 0 AND status IN ?", servicedStatuses).
		Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("models: count collections: %w", err)
	}
	if limit <= 0 {
		limit = DefaultListLimit
	}
	loans := []Loan{}
	err := q.Order("days_past_due DESC, ref ASC").Limit(min(limit, MaxListLimit)).Offset(max(offset, 0)).Find(&loans).Error
	if err != nil {
		return nil, 0, fmt.Errorf("models: list collections: %w", err)
	}
	return loans, total, nil
}
