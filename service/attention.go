package service

import (
	"context"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// Attention is the back office's "needs attention" queue: the loans a
// provider refused (a booking, a posting, a poll) or keeps waiting for the
// operator (credentials refused, an unknown ledger product).
func (s *Service) Attention(ctx context.Context, st *models.Staff, limit, offset int) ([]models.Loan, int64, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, 0, err
	}
	loans, total, err := s.store.Attention(ctx, limit, offset)
	if err != nil {
		return nil, 0, failure.Unavailable(err)
	}
	return loans, total, nil
}

// RetryProvider sends the provider's refused step of the loan again, once
// operations have fixed its cause. Each request is a retry of its own
// unless it repeats an idempotency key; with nothing refused it is a 409.
func (s *Service) RetryProvider(ctx context.Context, st *models.Staff, ref int64, key string) (Outcome, error) {
	return s.decide(ctx, decision{staff: st, role: lending.RoleOperations, ref: ref, name: workflows.UpdateRetryProvider, key: key})
}

// LenderResolution is what operations read in the lender's portal about a
// step whose outcome was unknown (see workflows.LenderResolution).
type LenderResolution struct {
	ApplicationXID string
	PhoneVerified  *bool
}

// ResolveLender settles a JULO step whose answer was lost: the application
// JULO registered the customer under, or whether JULO verified the phone.
// The workflow names the field it needs; with nothing unknown it is a 409.
func (s *Service) ResolveLender(ctx context.Context, st *models.Staff, ref int64, r LenderResolution, key string) (Outcome, error) {
	if err := requireRole(st, lending.RoleOperations); err != nil {
		return Outcome{}, err
	}
	if _, err := s.loanByRef(ctx, ref); err != nil {
		return Outcome{}, err
	}
	req := workflows.LenderResolution{Actor: staffActor(st), ApplicationXID: r.ApplicationXID, PhoneVerified: r.PhoneVerified}
	return s.run(ctx, update{name: workflows.UpdateResolveLender, actor: req.Actor, ref: ref, key: key,
		request: struct {
			XID      string
			Verified *bool
		}{r.ApplicationXID, r.PhoneVerified}, arg: req})
}
