package api

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/models"
)

// StaffSchedule is any loan's repayment schedule, for the back office: the
// fixed one once paid out, before that the one it would have if paid out
// today. A loan that ended before pay-out has none (a KindConflict error).
func (s *Service) StaffSchedule(ctx context.Context, _ *models.Staff, ref int64) (*RepaymentSchedule, error) {
	loan, err := s.loanByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	pl, err := s.installments(ctx, loan)
	if err != nil {
		return nil, err
	}
	rs := &RepaymentSchedule{Loan: loan, Installments: pl.rows, Projected: pl.projected, Total: decimal.Zero, Repaid: decimal.Zero}
	for _, r := range pl.rows {
		rs.Total = rs.Total.Add(r.Total)
		rs.Repaid = rs.Repaid.Add(r.Paid)
	}
	rs.Remaining = rs.Total.Sub(rs.Repaid)
	return rs, nil
}
