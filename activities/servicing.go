package activities

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
)

// ServicingInput is one servicing step of a paid-out loan to persist (see
// models.Servicing).
type ServicingInput = models.Servicing

// RecordServicing persists a servicing step: its audit event and status,
// the money that moved, and the loan's money and installments as they now
// stand. It is idempotent (models.Store.ApplyServicing).
func (a *Activities) RecordServicing(ctx context.Context, in ServicingInput) error {
	if err := a.Store.ApplyServicing(ctx, in); err != nil {
		return storeError(err)
	}
	return a.wakeWebhooks(ctx, in.Ref)
}

// Snapshot is the loan's money and installments as the database shows
// them, from the account the workflow keeps. TotalRepayable is what the
// borrower pays over the loan's life as it now stands: what was charged
// less what was waived, written off or released as unearned by a
// settlement, plus its early-repayment fee; so TotalRepayable - Repaid is
// always what is still owed. It is a pure function: the
// workflow builds the activity's input with it.
func Snapshot(acc *servicing.Account, d servicing.Delinquency) (models.LoanMoney, []models.Installment) {
	zero := decimal.Zero
	m := models.LoanMoney{
		Repaid: zero, TotalRepayable: zero, PenaltiesDue: zero, WrittenOff: zero,
		Overpaid: acc.Overpaid, Recovered: acc.Recovered,
		DaysPastDue: d.DaysPastDue, DelinquencyBucket: d.Bucket,
	}
	rows := make([]models.Installment, len(acc.Installments))
	for i, in := range acc.Installments {
		sum := func(f func(servicing.Amounts) decimal.Decimal) decimal.Decimal {
			return f(in.Principal).Add(f(in.Interest)).Add(f(in.Fees)).Add(f(in.Penalties))
		}
		row := models.Installment{
			Number: in.Number, FromDate: in.FromDate, DueDate: in.DueDate,
			Principal: in.Principal.Charged, Interest: in.Interest.Charged, Fees: in.Fees.Charged, Penalties: in.Penalties.Charged,
			Total:         sum(func(a servicing.Amounts) decimal.Decimal { return a.Charged }),
			Paid:          sum(func(a servicing.Amounts) decimal.Decimal { return a.Paid }),
			PaidPrincipal: in.Principal.Paid, PaidInterest: in.Interest.Paid, PaidFees: in.Fees.Paid, PaidPenalties: in.Penalties.Paid,
			Waived:     sum(func(a servicing.Amounts) decimal.Decimal { return a.Waived }),
			WrittenOff: sum(func(a servicing.Amounts) decimal.Decimal { return a.WrittenOff }),
			Unearned:   sum(func(a servicing.Amounts) decimal.Decimal { return a.Unearned }),
		}
		rows[i] = row
		m.Repaid = m.Repaid.Add(row.Paid)
		m.TotalRepayable = m.TotalRepayable.Add(row.Total.Sub(row.Waived).Sub(row.WrittenOff).Sub(row.Unearned))
		m.PenaltiesDue = m.PenaltiesDue.Add(in.Penalties.Outstanding())
		m.WrittenOff = m.WrittenOff.Add(row.WrittenOff)
	}
	// The borrower pays the early-repayment fee on top of the installments.
	m.Repaid = m.Repaid.Add(acc.EarlyRepaymentFees)
	m.TotalRepayable = m.TotalRepayable.Add(acc.EarlyRepaymentFees)
	return m, rows
}
