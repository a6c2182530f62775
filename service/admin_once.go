package service

import (
	"context"
	"errors"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// AdminOnce runs an admin's change at most once per idempotency key, as
// every POST of the JSON APIs is: the key is claimed for this action, its
// target and the request before change runs, so of concurrent retries
// exactly one runs it; a retry answers replayed (change does not run
// again), the same key for another request is a 409, and a change refused
// gives its key back. An empty key means none: change just runs.
//
// A replay cannot repeat a generated password or secret: only their hashes
// are kept. The caller answers the account as it now is, and an admin who
// lost the secret resets or rotates it again.
func (s *Service) AdminOnce(ctx context.Context, by Admin, key, action, target string, request any, change func(ctx context.Context) error) (replayed bool, err error) {
	if err := requireAdmin(by); err != nil {
		return false, err
	}
	if key == "" {
		return false, change(ctx)
	}
	claim, replayed, err := s.claim(ctx, keyed{
		actor: lending.StaffActor(by.Staff.Username), action: "admin/" + action + "/" + target, key: key, request: request,
	}, nil)
	if err != nil || replayed {
		return replayed, err
	}
	if err := change(ctx); err != nil {
		s.unclaim(ctx, claim)
		return false, err
	}
	return false, nil
}

// StaffMember reads a back-office user, for an admin.
func (s *Service) StaffMember(ctx context.Context, by Admin, username string) (*models.Staff, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	st, err := s.store.StaffByUsername(ctx, username)
	return st, readFailed(err, "no such staff member")
}

// PartnerAccount reads a partner, for an admin.
func (s *Service) PartnerAccount(ctx context.Context, by Admin, username string) (*models.Partner, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	p, err := s.store.PartnerByUsername(ctx, username)
	return p, readFailed(err, "no such partner")
}

func readFailed(err error, notFound string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, models.ErrNotFound):
		return failure.NotFound(notFound)
	default:
		return failure.Unavailable(err)
	}
}
