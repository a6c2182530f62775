package service

import (
	"context"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// LoanByIdempotencyKey finds the partner's loan submitted with key; a key
// never used is a failure.KindNotFound *Error.
func (s *Service) LoanByIdempotencyKey(ctx context.Context, p *models.Partner, key string) (*models.Loan, error) {
	return foundLoan(s.store.FindLoanByIdempotencyKey(ctx, p.ID, key))
}

// Documents lists the documents of one of the partner's loans, without
// their content, in upload order.
func (s *Service) Documents(ctx context.Context, p *models.Partner, ref int64) ([]models.Document, error) {
	return ofPartnerLoan(ctx, s, p, ref, s.store.Documents)
}

// Transactions lists the pay-out and the repayments of one of the partner's
// loans, oldest first.
func (s *Service) Transactions(ctx context.Context, p *models.Partner, ref int64) ([]models.Transaction, error) {
	return ofPartnerLoan(ctx, s, p, ref, s.store.Transactions)
}

// ofPartnerLoan reads something of one of the partner's loans.
func ofPartnerLoan[T any](ctx context.Context, s *Service, p *models.Partner, ref int64, read func(context.Context, int64) (T, error)) (T, error) {
	var zero T
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return zero, err
	}
	v, err := read(ctx, ref)
	if err != nil {
		return zero, failure.Unavailable(err)
	}
	return v, nil
}
