package service

import (
	"context"
	"time"

	"github.com/loanflow/loanflow/internal/failure"
)

// A loan row is inserted before its workflow starts (the partner's key must
// find it when it retries), so a crash in between leaves a SUBMITTED loan no
// workflow drives: it would never be decided nor expire, and would count
// against the applicant's open loans. The sweep starts their workflows.
const (
	// orphanAge is how old a loan with nothing recorded must be before the
	// sweep starts its workflow: a fresh one's is usually starting.
	orphanAge = 30 * time.Second
	// orphanSweepEvery: with orphanAge, no loan waits more than a minute.
	orphanSweepEvery = 20 * time.Second
	// orphanBatch bounds one sweep's work.
	orphanBatch = 200
)

// RestartOrphans starts the workflow of every loan older than orphanAge
// that has recorded nothing yet, and answers how many it started. Starting
// a workflow that runs already does nothing, so sweeps may overlap (one
// per API replica).
func (s *Service) RestartOrphans(ctx context.Context) (int, error) {
	loans, err := s.store.OrphanLoans(ctx, s.now().Add(-orphanAge), orphanBatch)
	if err != nil {
		return 0, failure.Unavailable(err)
	}
	started := 0
	for i := range loans {
		l := &loans[i]
		p, err := s.store.PartnerByID(ctx, l.PartnerID)
		if err != nil {
			return started, failure.Unavailable(err)
		}
		prod, err := s.store.GetProduct(ctx, l.ProductCode)
		if err != nil {
			return started, failure.Unavailable(err)
		}
		if err := s.engine.StartLoan(ctx, s.loanInput(p, l, prod, l.CreatedAt)); err != nil {
			return started, err
		}
		s.log.Warn("started the workflow of an orphan loan", "ref", l.Ref, "created_at", l.CreatedAt)
		started++
	}
	return started, nil
}

// SweepOrphans runs RestartOrphans every orphanSweepEvery until ctx ends.
func (s *Service) SweepOrphans(ctx context.Context) {
	t := time.NewTicker(orphanSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.RestartOrphans(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("orphan loan sweep failed", "error", err)
			}
		}
	}
}
