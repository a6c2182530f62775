package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/webmoney"
)

// ExternalSources are the feeds external loans come from; the state names
// a filter accepts are theirs.
var ExternalSources = []string{webmoney.Provider}

// ExternalLoanScale is the scale of external loans' amounts: the WebMoney
// Debt service states them to the cent.
const ExternalLoanScale = 2

var errExternalLoanNotFound = failure.NotFound("no such external loan")

// ParseExternalState reads a feed's loan state as its documented code or
// as the name the feed answers in state_name.
func ParseExternalState(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		st := webmoney.State(n)
		return n, st.Valid()
	}
	st, ok := webmoney.ParseState(strings.ToLower(s))
	return int(st), ok
}

// ExternalStateDescription explains a feed's loan state.
func ExternalStateDescription(state int) string { return webmoney.State(state).Description() }

// ExternalLoans is a page of the loans the reconciliation feeds report,
// newest issued first, and how many match f in all.
func (s *Service) ExternalLoans(ctx context.Context, st *models.Staff, f models.ExternalLoanFilter) ([]models.ExternalLoan, int64, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, 0, err
	}
	loans, total, err := s.store.ListExternalLoans(ctx, f)
	if err != nil {
		return nil, 0, failure.Unavailable(err)
	}
	return loans, total, nil
}

// ExternalLoan is one external loan with its state changes, oldest first.
func (s *Service) ExternalLoan(ctx context.Context, st *models.Staff, source, id string) (*models.ExternalLoan, []models.ExternalLoanEvent, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, nil, err
	}
	known := false
	for _, src := range ExternalSources {
		known = known || src == source
	}
	if !known {
		return nil, nil, errExternalLoanNotFound
	}
	loan, err := s.store.GetExternalLoan(ctx, source, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, errExternalLoanNotFound
	}
	if err != nil {
		return nil, nil, failure.Unavailable(err)
	}
	events, err := s.store.ExternalLoanEvents(ctx, source, id)
	if err != nil {
		return nil, nil, failure.Unavailable(err)
	}
	return loan, events, nil
}
