package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// A front end whose protocol has no idempotency key (the Iute façade) cannot
// tell a retried repayment from a second, genuine one of the same amount on
// the same day. It books the first and holds the second for operations to
// book or dismiss: money is never dropped silently.

// HoldRepayment records, on one of the partner's loans, a repayment that
// equals the booked repayment similarTo (its key).
func (s *Service) HoldRepayment(ctx context.Context, p *models.Partner, ref int64, amount decimal.Decimal, paidOn time.Time, similarTo string) (*models.HeldRepayment, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	h := &models.HeldRepayment{
		LoanRef: ref, Amount: amount, PaidOn: lending.Day(paidOn), ReceivedBy: partnerActor(p),
		SimilarTo: similarTo, CreatedAt: s.now().UTC(),
	}
	if err := s.store.HoldRepayment(ctx, h); err != nil {
		return nil, failure.Unavailable(err)
	}
	s.log.Warn("repayment held as a possible duplicate", "ref", ref, "held", h.ID, "similar_to", similarTo)
	return h, nil
}

// BookHeldRepayment books a held repayment as the genuine payment it was:
// it is applied like any repayment, under a key of its own, and marked
// booked. Operations only.
func (s *Service) BookHeldRepayment(ctx context.Context, st *models.Staff, ref int64, id uint) (Outcome, error) {
	h, err := s.pendingHeld(ctx, st, ref, id)
	if err != nil {
		return Outcome{}, err
	}
	// The key is the hold's own: booking it again (a retry, a second click)
	// joins the first Update and books nothing twice.
	key := fmt.Sprintf("held-%d", h.ID)
	req := workflows.RepaymentRequest{Actor: staffActor(st), Key: key, Amount: h.Amount, PaidOn: h.PaidOn}
	loan, err := s.transition(ctx, ref, workflows.UpdateRepay, key, req)
	if err != nil {
		return Outcome{}, err
	}
	if _, err := s.store.ResolveHeldRepayment(ctx, ref, id, models.HeldBooked, staffActor(st), s.now().UTC()); err != nil && !errors.Is(err, models.ErrResolved) {
		return Outcome{}, failure.Unavailable(err)
	}
	return Outcome{Loan: loan}, nil
}

// DismissHeldRepayment marks a held repayment a duplicate of the one it
// equals: nothing is booked. Operations only.
func (s *Service) DismissHeldRepayment(ctx context.Context, st *models.Staff, ref int64, id uint) error {
	if _, err := s.pendingHeld(ctx, st, ref, id); err != nil {
		return err
	}
	_, err := s.store.ResolveHeldRepayment(ctx, ref, id, models.HeldDismissed, staffActor(st), s.now().UTC())
	switch {
	case errors.Is(err, models.ErrResolved):
		return errHeldResolved
	case err != nil:
		return failure.Unavailable(err)
	}
	return nil
}

var errHeldResolved = failure.Conflict("the held repayment was booked or dismissed already")

// pendingHeld reads a held repayment operations may still resolve.
func (s *Service) pendingHeld(ctx context.Context, st *models.Staff, ref int64, id uint) (*models.HeldRepayment, error) {
	if err := requireRole(st, lending.RoleOperations); err != nil {
		return nil, err
	}
	held, err := s.store.HeldRepayments(ctx, ref)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	for i := range held {
		if held[i].ID != id {
			continue
		}
		if held[i].Status != models.HeldPending {
			return nil, errHeldResolved
		}
		return &held[i], nil
	}
	return nil, failure.NotFound("no such held repayment")
}
