package service

import (
	"context"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// ListProducts lists every product, active or not, by code.
func (s *Service) ListProducts(ctx context.Context, by Admin) ([]models.Product, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	list, err := s.store.ListProducts(ctx)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return list, nil
}
