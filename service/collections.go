package service

import (
	"context"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// Collections is the back office's collections queue: the serviced loans
// with an installment past due, the longest overdue first.
func (s *Service) Collections(ctx context.Context, st *models.Staff, limit, offset int) ([]models.Loan, int64, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, 0, err
	}
	loans, total, err := s.store.Collections(ctx, limit, offset)
	if err != nil {
		return nil, 0, failure.Unavailable(err)
	}
	return loans, total, nil
}
