package models

import (
	"context"

	"github.com/loanflow/loanflow/lending"
)

// LoansByDelinquencyBucket counts the loans being repaid by their
// delinquency bucket (current, 1-30, …): the portfolio's health at a
// glance. Loans written off, overpaid or ended are not in it.
func (s *Store) LoansByDelinquencyBucket(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		DelinquencyBucket string
		N                 int64
	}
	var collectable []lending.Status
	for _, st := range lending.Statuses {
		if st.Collectable() {
			collectable = append(collectable, st)
		}
	}
	err := s.db(ctx).Model(&Loan{}).
		Select("delinquency_bucket, count(*) AS n").
		Where("status IN ?", collectable).
		Group("delinquency_bucket").
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.DelinquencyBucket] = r.N
	}
	return out, nil
}
