package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/lending"
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

// actionImportExternalLoans names an on-demand import in idempotency keys.
const actionImportExternalLoans = "import-external-loans"

// ImportExternalLoans starts an import of the WebMoney feed now, for
// operations, without waiting for the hourly schedule: the engine starts
// the same reconciliation workflow the schedule runs, over the same
// window, so an import is never a second way of reading the feed. The
// answer is the import's workflow ID. With an Idempotency-Key the ID is
// derived from the caller and the key, so a retry joins the first import
// (replayed) instead of starting another; without one each call is an
// import of its own.
func (s *Service) ImportExternalLoans(ctx context.Context, st *models.Staff, key string) (workflowID string, replayed bool, err error) {
	if err := requireRole(st, lending.RoleOperations); err != nil {
		return "", false, err
	}
	id := randomID()
	if key != "" {
		actor := lending.StaffActor(st.Username)
		claim, again, err := s.claim(ctx, keyed{actor: actor, action: actionImportExternalLoans, key: key, request: struct{}{}}, nil)
		if err != nil {
			return "", false, err
		}
		// Keyed with the deployment's secret: the ID is the same on every
		// replica, and shows neither the caller's key nor lets one guess
		// another caller's import.
		m := hmac.New(sha256.New, s.secretKey)
		m.Write([]byte(keyedUpdateID(actionImportExternalLoans, actor, key)))
		id, replayed = hex.EncodeToString(m.Sum(nil)[:16]), again
		// A replay starts the import again too: the first call may have
		// claimed the key and stopped before the engine started it, and
		// the engine starts an ID once.
		if err := s.engine.ImportExternalLoans(ctx, id); err != nil {
			if !again {
				s.unclaim(ctx, claim)
			}
			return "", false, err
		}
		return gateway.ImportWorkflowID(id), replayed, nil
	}
	if err := s.engine.ImportExternalLoans(ctx, id); err != nil {
		return "", false, err
	}
	return gateway.ImportWorkflowID(id), false, nil
}
