package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/internal/metrics"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
)

// ErrTypeSchedule marks terms the schedule engine refuses: not retryable.
const ErrTypeSchedule = "ScheduleRejected"

// ActivateInput fixes a paid-out loan's schedule.
type ActivateInput struct {
	Transition  Transition // the CASH_RELEASE_AUTHORIZED -> ACTIVE change
	Product     lending.Product
	Amount      decimal.Decimal
	TermMonths  int
	DisbursedOn time.Time
	// Key is the disbursement's idempotency key.
	Key string
}

// ActivateResult is the schedule the loan now repays.
type ActivateResult struct {
	Periods        []schedule.Period
	TotalRepayable decimal.Decimal
	APR            decimal.Decimal
}

// Activate computes the schedule from the pay-out date and stores it with
// the disbursement and the transition to ACTIVE, all in one database
// transaction. The schedule is a pure function of its input, so a retry
// computes and (idempotently) stores the same one.
func (a *Activities) Activate(ctx context.Context, in ActivateInput) (*ActivateResult, error) {
	s, err := in.Product.Quote(in.Amount, in.TermMonths, in.DisbursedOn)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("schedule: %v", err), ErrTypeSchedule, err)
	}
	installments := make([]models.Installment, len(s.Periods))
	for i, p := range s.Periods {
		installments[i] = models.Installment{
			LoanRef: in.Transition.Ref, Number: p.Number, FromDate: p.FromDate, DueDate: p.DueDate,
			Principal: p.Principal, Interest: p.Interest, Fees: p.Fees, Total: p.Total, Paid: decimal.Zero,
		}
	}
	disbursedOn := day(in.DisbursedOn)
	act := models.Activation{
		Transition:   in.Transition,
		Installments: installments,
		Disbursement: models.Transaction{
			LoanRef: in.Transition.Ref, Key: in.Key, Kind: lending.TxDisbursement,
			Amount: s.NetDisbursed, Overpayment: decimal.Zero, ValueDate: disbursedOn, CreatedAt: in.Transition.At,
		},
		DisbursedOn:    disbursedOn,
		TotalRepayable: s.TotalRepayment,
		APR:            s.APR,
	}
	if len(s.Periods) > 0 {
		act.FirstRepaymentDate = s.Periods[0].DueDate
		act.InstallmentAmount = s.Periods[0].Total
	}
	applied, err := a.Store.ActivateLoan(ctx, act)
	if err != nil {
		return nil, storeError(err)
	}
	if applied {
		metrics.Transition(in.Transition.From, in.Transition.To)
		metrics.Disbursed(in.Product.Currency, s.NetDisbursed)
	}
	if err := a.wakeWebhooks(ctx, in.Transition.Ref); err != nil {
		return nil, err
	}
	return &ActivateResult{Periods: s.Periods, TotalRepayable: s.TotalRepayment, APR: s.APR}, nil
}

// RepaymentInput records one repayment as the workflow allocated it.
type RepaymentInput struct {
	Ref         int64
	Key         string
	Amount      decimal.Decimal
	Overpayment decimal.Decimal
	PaidOn      time.Time
	At          time.Time
	// Paid maps an installment number to its new paid total.
	Paid   map[int]decimal.Decimal
	Repaid decimal.Decimal
}

// RecordRepayment stores the repayment and the installments it covered in
// one database transaction; the (loan, key) uniqueness makes a retry a no-op.
func (a *Activities) RecordRepayment(ctx context.Context, in RepaymentInput) error {
	applied, err := a.Store.ApplyRepayment(ctx, models.Repayment{
		Tx: models.Transaction{
			LoanRef: in.Ref, Key: in.Key, Kind: lending.TxRepayment, Amount: in.Amount,
			Overpayment: in.Overpayment, ValueDate: day(in.PaidOn), CreatedAt: in.At,
		},
		Paid:   in.Paid,
		Repaid: in.Repaid,
	})
	if err != nil {
		return storeError(err)
	}
	// The metric is no reason to fail a repayment that is recorded.
	if loan, err := a.Store.GetLoan(ctx, in.Ref); err == nil && applied {
		metrics.Repaid(loan.Currency, in.Amount)
	}
	return a.wakeWebhooks(ctx, in.Ref)
}
