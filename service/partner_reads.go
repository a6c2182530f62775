package service

import (
	"context"
	"errors"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// LoanByIdempotencyKey finds the partner's loan submitted with key; a key
// never used is a failure.KindNotFound *Error.
func (s *Service) LoanByIdempotencyKey(ctx context.Context, p *models.Partner, key string) (*models.Loan, error) {
	loan, err := s.store.FindLoanByIdempotencyKey(ctx, p.ID, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errLoanNotFound
	}
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return loan, nil
}

// Documents lists the documents of one of the partner's loans, without
// their content, in upload order.
func (s *Service) Documents(ctx context.Context, p *models.Partner, ref int64) ([]models.Document, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	docs, err := s.store.Documents(ctx, ref)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return docs, nil
}

// Transactions lists the pay-out and the repayments of one of the partner's
// loans, oldest first.
func (s *Service) Transactions(ctx context.Context, p *models.Partner, ref int64) ([]models.Transaction, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	txs, err := s.store.Transactions(ctx, ref)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return txs, nil
}
