package iutefacade

import (
	"context"
	"net/url"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// TestRepaymentBeyondTheBalanceIsKept: insert repayment of more than the
// loan still claims leaves it OVERPAID, the money held for a refund rather
// than dropped; loan info shows it fully repaid in the seed's shape.
func TestRepaymentBeyondTheBalanceIsKept(t *testing.T) {
	e := newEnv(t)
	ref := e.active()
	info := xmlOK(t, e.get(&demo, pathInfo, refQuery(ref))).child(t, "loan")
	total := decimal.RequireFromString(info.child(t, "total_balance").text)

	pay := url.Values{"loanRef": {"90000"}, "date": {"26062018"}, "amount": {total.Add(decimal.NewFromInt(40)).String()}, "partner_type": {"post"}}
	emptyOK(t, e.get(&demo, pathRepayment, pay))
	require.Equal(t, lending.StatusOverpaid, e.status(ref))
	require.Equal(t, "40.00", e.loan(ref)["overpaid"])

	after := xmlOK(t, e.get(&demo, pathInfo, refQuery(ref))).child(t, "loan")
	require.Equal(t, iutewire.FormatAmount(total), after.child(t, "repaid").text)
	require.Equal(t, "0.0", after.child(t, "remaining_balance").text)
}

// TestLoanInfoCountsPenalties: an installment's penalties are part of what
// is still to be paid on it, and of the balance.
func TestLoanInfoCountsPenalties(t *testing.T) {
	e := newEnv(t)
	ref := e.active()
	ctx := context.Background()
	rows, err := e.store.Installments(ctx, ref)
	require.NoError(t, err)
	loan, err := e.store.GetLoan(ctx, ref)
	require.NoError(t, err)
	// What the workflow writes once the first installment is overdue: a
	// late fee of 50.00 charged on it.
	late := decimal.RequireFromString("50.00")
	rows[0].Penalties, rows[0].Total = late, rows[0].Total.Add(late)
	require.NoError(t, e.store.ApplyServicing(ctx, models.Servicing{Ref: ref, Seq: loan.ServicingSeq + 100, Installments: rows,
		Money: models.LoanMoney{Repaid: decimal.Zero, TotalRepayable: loan.TotalRepayable.Add(late), PenaltiesDue: late,
			Overpaid: decimal.Zero, WrittenOff: decimal.Zero, Recovered: decimal.Zero, DaysPastDue: 10, DelinquencyBucket: "1-30"}}))

	info := xmlOK(t, e.get(&demo, pathInfo, refQuery(ref))).child(t, "loan")
	first := info.child(t, "installment_table").children[0]
	require.Equal(t, iutewire.FormatAmount(rows[0].Total), first.child(t, "to_be_paid").text)
	require.Equal(t, iutewire.FormatAmount(loan.TotalRepayable.Add(late)), info.child(t, "remaining_balance").text)
}
