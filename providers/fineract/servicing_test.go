package fineract_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/fineract/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

// V1's first installment: 2000 interest and 7455.96 principal, due 2011-10-20; the second asks
// 1850.88 interest (2 % of 92544.04) over the 31 days to 2011-11-20. The simulator's V1 asks 113471.53
// in all, 13471.53 of it interest: its last installment charges 185.41 of interest on 9270.56, where
// the seed's keeps the installment at the EMI (fineract-doc-examples.md, V1 and V4).
const (
	v1FirstInstallment = "9455.96"
	v1TotalRepayment   = "113471.53"
)

// active books V1 under ref and pays it out on 2011-09-20.
func active(t *testing.T, f *fixture, ref string) int64 {
	t.Helper()
	ctx := context.Background()
	_, loanID := booked(t, f, ref)
	_, err := f.client.ApproveLoan(ctx, loanID, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
	require.NoError(t, err)
	_, err = f.client.DisburseLoan(ctx, loanID, fineract.Disbursal{ActualDisbursementDate: day(2011, 9, 20)})
	require.NoError(t, err)
	return loanID
}

func repay(t *testing.T, f *fixture, loanID int64, ext, amount string, on time.Time) {
	t.Helper()
	_, err := f.client.MakeRepayment(context.Background(), loanID, fineract.Repayment{ExternalID: ext, TransactionDate: on,
		TransactionAmount: dec(amount)})
	require.NoError(t, err)
}

func transaction(t *testing.T, f *fixture, loanID int64, ext string) *fineract.Transaction {
	t.Helper()
	tx, err := f.client.FindTransactionByExternalID(context.Background(), loanID, ext)
	require.NoError(t, err)
	return tx
}

// firstInstallmentRepaid is a fresh simulator holding loan LF-1 of V1, paid out, its first
// installment repaid on its due date.
func firstInstallmentRepaid(t *testing.T) (*fixture, int64) {
	t.Helper()
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	loanID := active(t, f, "LF-1")
	repay(t, f, loanID, "LF-1-r1", v1FirstInstallment, day(2011, 10, 20))
	return f, loanID
}

func TestForeclosureChargesInterestOnlyToItsDate(t *testing.T) {
	f, loanID := firstInstallmentRepaid(t)
	ctx := context.Background()

	_, err := f.client.Foreclose(ctx, loanID, fineract.Foreclosure{ExternalID: "LF-1-payoff", TransactionDate: day(2011, 11, 5), Note: "settled"})
	require.NoError(t, err)
	// 16 of the second installment's 31 days: 1850.88 × 16 / 31 = 955.29, on 92544.04 of principal.
	tx := transaction(t, f, loanID, "LF-1-payoff")
	require.True(t, tx.Type.Repayment, "a foreclosure books a repayment")
	require.Equal(t, "93499.33", tx.Amount.String())
	require.Equal(t, "92544.04", tx.PrincipalPortion.String())
	require.Equal(t, "955.29", tx.InterestPortion.String())

	l, err := f.client.GetLoanWithSchedule(ctx, loanID)
	require.NoError(t, err)
	require.Equal(t, fineract.StatusClosedObligationsMet, l.Status.ID)
	inst := l.RepaymentSchedule.Installments()
	require.Len(t, inst, 2, "the later installments become one, due on the foreclosure date")
	require.Equal(t, day(2011, 11, 5), inst[1].DueDate.Time)
	require.Equal(t, "955.29", inst[1].InterestDue.String())
	require.True(t, l.Summary.TotalOutstanding.IsZero())
	require.Equal(t, sim.LoanStats{ID: loanID, Status: fineract.StatusClosedObligationsMet, Disbursements: 1, Repayments: 1, Foreclosures: 1},
		f.srv.Stats().Loans["LF-1"])
}

func TestWriteOffWritesOffAllTheLoanOwes(t *testing.T) {
	f, loanID := firstInstallmentRepaid(t)
	ctx := context.Background()

	res, err := f.client.WriteOff(ctx, loanID, fineract.WriteOff{ExternalID: "LF-1-wo", TransactionDate: day(2011, 12, 1), Note: "gone"})
	require.NoError(t, err)
	require.Contains(t, string(res.Changes), `"id":601`)
	tx := transaction(t, f, loanID, "LF-1-wo")
	require.True(t, tx.Type.WriteOff)
	require.Equal(t, dec(v1TotalRepayment).Sub(dec(v1FirstInstallment)).String(), tx.Amount.String(),
		"without interest recalculation the later installments' interest is written off too")
	require.Equal(t, "92544.04", tx.PrincipalPortion.String())
	l, err := f.client.GetLoan(ctx, loanID)
	require.NoError(t, err)
	require.Equal(t, fineract.StatusClosedWrittenOff, l.Status.ID)
	require.True(t, l.Status.ClosedWrittenOff)
	require.Equal(t, tx.Amount.String(), l.Summary.TotalWrittenOff.String())

	_, err = f.client.MakeRepayment(ctx, loanID, fineract.Repayment{ExternalID: "LF-1-r2", TransactionDate: day(2011, 12, 2), TransactionAmount: dec("10")})
	providertest.RequireRefused(t, err, 403, "error.msg.loan.repayment.account.is.not.active", "not active")
}

func TestInterestWaiverLowersWhatIsOwed(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	ctx := context.Background()
	loanID := active(t, f, "LF-1")
	_, err := f.client.WaiveInterest(ctx, loanID, fineract.InterestWaiver{ExternalID: "LF-1-w1", TransactionDate: day(2011, 10, 25),
		TransactionAmount: dec("500"), Note: "goodwill"})
	require.NoError(t, err)
	l, err := f.client.GetLoanWithSchedule(ctx, loanID)
	require.NoError(t, err)
	require.Equal(t, "500", l.Summary.InterestWaived.String())
	require.Equal(t, "12971.53", l.Summary.InterestOutstanding.String())
	require.Equal(t, "8955.96", l.RepaymentSchedule.Installments()[0].TotalOutstandingForPeriod.String(), "the oldest installment's interest first")
	require.True(t, transaction(t, f, loanID, "LF-1-w1").Type.WaiveInterest)
}

func TestRefunds(t *testing.T) {
	ctx := context.Background()
	t.Run("by cash: what was paid in advance", func(t *testing.T) {
		f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
		loanID := active(t, f, "LF-1")
		repay(t, f, loanID, "LF-1-r1", "10455.96", day(2011, 10, 20))
		_, err := f.client.RefundByCash(ctx, loanID, fineract.Refund{ExternalID: "LF-1-f1", TransactionDate: day(2011, 10, 21), TransactionAmount: dec("1000")})
		require.NoError(t, err)
		l, err := f.client.GetLoan(ctx, loanID)
		require.NoError(t, err)
		require.Equal(t, dec(v1TotalRepayment).Sub(dec(v1FirstInstallment)).String(), l.Summary.TotalOutstanding.String())
		_, err = f.client.RefundByCash(ctx, loanID, fineract.Refund{ExternalID: "LF-1-f2", TransactionDate: day(2011, 10, 21), TransactionAmount: dec("1")})
		providertest.RequireRefused(t, err, 403, "error.msg.loan.refund.amount.invalid", "not paid in advance")
	})
	t.Run("credit balance: an overpaid loan's credit", func(t *testing.T) {
		f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
		loanID := active(t, f, "LF-1")
		repay(t, f, loanID, "LF-1-r1", "120000", day(2011, 10, 20))
		l, err := f.client.GetLoan(ctx, loanID)
		require.NoError(t, err)
		require.Equal(t, fineract.StatusOverpaid, l.Status.ID)
		require.Equal(t, "6528.47", l.TotalOverpaid.String())
		_, err = f.client.CreditBalanceRefund(ctx, loanID, fineract.Refund{ExternalID: "LF-1-f1", TransactionDate: day(2011, 10, 21), TransactionAmount: dec("6528.48")})
		providertest.RequireRefused(t, err, 400, "error.msg.transactionAmount.invalid.must.be.>zero.and<=overpaidamount", "6528.47")
		_, err = f.client.CreditBalanceRefund(ctx, loanID, fineract.Refund{ExternalID: "LF-1-f1", TransactionDate: day(2011, 10, 21), TransactionAmount: dec("6528.47")})
		require.NoError(t, err)
		l, err = f.client.GetLoan(ctx, loanID)
		require.NoError(t, err)
		require.Equal(t, fineract.StatusClosedObligationsMet, l.Status.ID, "no credit left: closed")
		require.Equal(t, 1, f.srv.Stats().Loans["LF-1"].Refunds)
	})
}

func TestPenaltyChargesAndTheirWaiver(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	ctx := context.Background()
	loanID := active(t, f, "LF-1")
	for i, p := range []struct {
		amount string
		due    time.Time
	}{{"10", day(2011, 10, 25)}, {"20", day(2011, 10, 26)}, {"5", day(2011, 10, 27)}} {
		id, err := f.client.EnsureCharge(ctx, loanID, fineract.NewCharge{ExternalID: fmt.Sprintf("LF-1-p%d", i), Amount: dec(p.amount), DueDate: p.due})
		require.NoError(t, err)
		again, err := f.client.EnsureCharge(ctx, loanID, fineract.NewCharge{ExternalID: fmt.Sprintf("LF-1-p%d", i), Amount: dec(p.amount), DueDate: p.due})
		require.NoError(t, err)
		require.Equal(t, id, again, "applied once")
	}
	charges, err := f.client.LoanCharges(ctx, loanID)
	require.NoError(t, err)
	require.Len(t, charges, 3)
	require.True(t, charges[0].Penalty, "the default charge is the simulator's penalty")
	require.Equal(t, int64(fineract.DefaultPenaltyChargeID), charges[0].ChargeID)
	require.Equal(t, "LF-1-p0", charges[0].ExternalID)
	l, err := f.client.GetLoanWithSchedule(ctx, loanID)
	require.NoError(t, err)
	require.Equal(t, "35", l.Summary.PenaltyChargesOutstanding.String())
	require.Equal(t, "35", l.RepaymentSchedule.Installments()[1].PenaltyChargesDue.String(), "due within the second period")

	// 15 is not what the oldest whole charges owe (10, then 30): nothing is waived.
	err = f.client.EnsureChargesWaived(ctx, loanID, fineract.ChargesWaiver{Penalties: true, Amount: dec("15"), ExternalID: "LF-1-w1"})
	providertest.RequireRefused(t, err, 409, fineract.CodeChargesNotWhole, "[10 20 5]")
	for range 2 {
		require.NoError(t, f.client.EnsureChargesWaived(ctx, loanID, fineract.ChargesWaiver{Penalties: true, Amount: dec("30"), ExternalID: "LF-1-w2"}))
	}
	charges, err = f.client.LoanCharges(ctx, loanID)
	require.NoError(t, err)
	require.True(t, charges[0].Waived)
	require.True(t, charges[1].Waived)
	require.False(t, charges[2].Waived, "the newest charge is left")
	require.Equal(t, 2, f.srv.Stats().Loans["LF-1"].ChargeWaivers)

	_, err = f.client.WaiveCharge(ctx, loanID, charges[0].ID, "LF-1-w3")
	providertest.RequireRefused(t, err, 403, "error.msg.loan.charge.already.waived", "already been waived")

	// A penalty due after the maturity date gets an installment of its own.
	_, err = f.client.AddCharge(ctx, loanID, fineract.NewCharge{ExternalID: "LF-1-late", Amount: dec("7"), DueDate: day(2012, 10, 1)})
	require.NoError(t, err)
	l, err = f.client.GetLoanWithSchedule(ctx, loanID)
	require.NoError(t, err)
	inst := l.RepaymentSchedule.Installments()
	require.Len(t, inst, 13)
	require.Equal(t, day(2012, 10, 1), inst[12].DueDate.Time)
	require.Equal(t, "7", inst[12].PenaltyChargesDue.String())
}

func TestServicingRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	_, approvedOnly := booked(t, f, "LF-a")
	_, err := f.client.ApproveLoan(ctx, approvedOnly, fineract.Approval{ApprovedOnDate: day(2011, 9, 10)})
	require.NoError(t, err)
	loanID := active(t, f, "LF-1")
	closedID := active(t, f, "LF-c")
	repay(t, f, closedID, "LF-c-r1", v1TotalRepayment, day(2011, 10, 20))
	on := day(2011, 10, 25)

	providertest.RequireRefusals(t, []providertest.Refusal{
		{Name: "foreclose a loan not paid out", Call: func() error {
			_, err := f.client.Foreclose(ctx, approvedOnly, fineract.Foreclosure{ExternalID: "x1", TransactionDate: on})
			return err
		}, Status: 403, Code: "error.msg.loan.foreclosure.account.is.not.active", Message: "Loan foreclosure is not allowed"},
		{Name: "write off a closed loan", Call: func() error {
			_, err := f.client.WriteOff(ctx, closedID, fineract.WriteOff{ExternalID: "x2", TransactionDate: on})
			return err
		}, Status: 403, Code: "error.msg.loan.writtenoff.account.is.not.active", Message: "Loan Written off is not allowed"},
		{Name: "waive more interest than is owed", Call: func() error {
			_, err := f.client.WaiveInterest(ctx, loanID, fineract.InterestWaiver{ExternalID: "x3", TransactionDate: on, TransactionAmount: dec("13471.54")})
			return err
		}, Status: 403, Code: "error.msg.loan.waive.interest.amount.exceeds.total.outstanding.interest", Message: "cannot be greater"},
		{Name: "refund by cash with nothing paid in advance", Call: func() error {
			_, err := f.client.RefundByCash(ctx, loanID, fineract.Refund{ExternalID: "x4", TransactionDate: on, TransactionAmount: dec("1")})
			return err
		}, Status: 403, Code: "error.msg.loan.refund.amount.invalid", Message: "not paid in advance"},
		{Name: "credit balance refund of a loan not overpaid", Call: func() error {
			_, err := f.client.CreditBalanceRefund(ctx, loanID, fineract.Refund{ExternalID: "x5", TransactionDate: on, TransactionAmount: dec("1")})
			return err
		}, Status: 403, Code: "error.msg.loan.credit.balance.refund.account.is.not.overpaid", Message: "not Overpaid"},
		{Name: "unknown charge", Call: func() error {
			_, err := f.client.AddCharge(ctx, loanID, fineract.NewCharge{ChargeID: 9, ExternalID: "x6", Amount: dec("1"), DueDate: on})
			return err
		}, Status: 404, Code: "error.msg.charge.id.invalid", Message: "Charge with identifier 9 does not exist"},
		{Name: "charge on a closed loan", Call: func() error {
			_, err := f.client.AddCharge(ctx, closedID, fineract.NewCharge{ExternalID: "x7", Amount: dec("1"), DueDate: on})
			return err
		}, Status: 403, Code: "error.msg.loanCharge.cannot.be.added.as.loan.is.closed", Message: "already closed"},
		{Name: "charge due before the pay-out", Call: func() error {
			_, err := f.client.AddCharge(ctx, loanID, fineract.NewCharge{ExternalID: "x8", Amount: dec("1"), DueDate: day(2011, 9, 1)})
			return err
		}, Status: 403, Code: "error.msg.loanCharge.cannot.be.added.as.date.is.before.last.transaction.date", Message: "can not be added"},
		{Name: "waiver of fees with none charged", Call: func() error {
			return f.client.EnsureChargesWaived(ctx, loanID, fineract.ChargesWaiver{Amount: dec("1"), ExternalID: "x9"})
		}, Status: 409, Code: fineract.CodeChargesNotWhole, Message: "fee charges owe []"},
	})
	st := f.srv.Stats().Loans["LF-1"]
	require.Equal(t, sim.LoanStats{ID: loanID, Status: fineract.StatusActive, Disbursements: 1}, st, "no refusal booked anything")
}

// A call whose answer is lost has committed: the Ensure step that follows finds it and posts nothing
// again.
func TestServicingRetryAfterALostAnswerPostsOnce(t *testing.T) {
	ctx := context.Background()
	on := day(2011, 10, 25)
	tests := []struct {
		name   string
		setup  func(t *testing.T, f *fixture, loanID int64)
		post   func(f *fixture, loanID int64) error
		ensure func(f *fixture, loanID int64) error
		// tx, for a transaction command, stands for post, and for ensure through EnsureTransaction
		// under its externalId "e".
		tx   func(f *fixture, loanID int64) (*fineract.CommandResult, error)
		want func(sim.LoanStats) int
	}{
		{name: "foreclosure",
			tx: func(f *fixture, id int64) (*fineract.CommandResult, error) {
				return f.client.Foreclose(ctx, id, fineract.Foreclosure{ExternalID: "e", TransactionDate: on})
			},
			want: func(s sim.LoanStats) int { return s.Foreclosures }},
		{name: "write-off",
			tx: func(f *fixture, id int64) (*fineract.CommandResult, error) {
				return f.client.WriteOff(ctx, id, fineract.WriteOff{ExternalID: "e", TransactionDate: on})
			},
			want: func(s sim.LoanStats) int { return s.WriteOffs }},
		{name: "interest waiver",
			tx: func(f *fixture, id int64) (*fineract.CommandResult, error) {
				return f.client.WaiveInterest(ctx, id, fineract.InterestWaiver{ExternalID: "e", TransactionDate: on, TransactionAmount: dec("10")})
			},
			want: func(s sim.LoanStats) int { return s.InterestWaivers }},
		{name: "refund by cash",
			setup: func(t *testing.T, f *fixture, id int64) { repay(t, f, id, "r", "10455.96", day(2011, 10, 20)) },
			tx: func(f *fixture, id int64) (*fineract.CommandResult, error) {
				return f.client.RefundByCash(ctx, id, fineract.Refund{ExternalID: "e", TransactionDate: on, TransactionAmount: dec("600")})
			},
			want: func(s sim.LoanStats) int { return s.Refunds }},
		{name: "credit balance refund",
			setup: func(t *testing.T, f *fixture, id int64) { repay(t, f, id, "r", "120000", day(2011, 10, 20)) },
			tx: func(f *fixture, id int64) (*fineract.CommandResult, error) {
				return f.client.CreditBalanceRefund(ctx, id, fineract.Refund{ExternalID: "e", TransactionDate: on, TransactionAmount: dec("100")})
			},
			want: func(s sim.LoanStats) int { return s.Refunds }},
		{name: "penalty charge",
			post: func(f *fixture, id int64) error {
				_, err := f.client.AddCharge(ctx, id, fineract.NewCharge{ExternalID: "e", Amount: dec("10"), DueDate: on})
				return err
			},
			ensure: func(f *fixture, id int64) error {
				_, err := f.client.EnsureCharge(ctx, id, fineract.NewCharge{ExternalID: "e", Amount: dec("10"), DueDate: on})
				return err
			},
			want: func(s sim.LoanStats) int { return s.Charges }},
		{name: "charge waiver",
			setup: func(t *testing.T, f *fixture, id int64) {
				_, err := f.client.AddCharge(ctx, id, fineract.NewCharge{ExternalID: "p", Amount: dec("10"), DueDate: on})
				require.NoError(t, err)
			},
			// The waiver's first transaction, of the loan's only charge (id 1), loses its answer.
			post: func(f *fixture, id int64) error {
				_, err := f.client.WaiveCharge(ctx, id, 1, "e-1")
				return err
			},
			ensure: func(f *fixture, id int64) error {
				return f.client.EnsureChargesWaived(ctx, id, fineract.ChargesWaiver{Penalties: true, Amount: dec("10"), ExternalID: "e"})
			},
			want: func(s sim.LoanStats) int { return s.ChargeWaivers }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
			loanID := active(t, f, "LF-1")
			if tt.setup != nil {
				tt.setup(t, f, loanID)
			}
			if tt.tx != nil {
				tt.post = func(f *fixture, id int64) error { _, err := tt.tx(f, id); return err }
				tt.ensure = func(f *fixture, id int64) error {
					_, err := f.client.EnsureTransaction(ctx, id, "e", func() (*fineract.CommandResult, error) { return tt.tx(f, id) })
					return err
				}
			}
			f.srv.SetFaults(sim.Faults{DropAfterCommitRate: 1})
			err := tt.post(f, loanID)
			require.True(t, providers.IsAmbiguous(err), "%v", err)
			f.srv.SetFaults(sim.Faults{})
			require.NoError(t, tt.ensure(f, loanID))
			require.Equal(t, 1, tt.want(f.srv.Stats().Loans["LF-1"]))
		})
	}
}

// With 30 % of the calls failing, loans serviced side by side get exactly one of each posting: penalty
// charges, a penalty waiver, an interest waiver, then a foreclosure, a write-off, or an overpayment and
// its refund.
func TestServicingExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{monthlyProduct}}, nil)
	const loans = 9
	ids := make([]int64, loans)
	for i := range loans {
		ids[i] = active(t, f, fmt.Sprintf("LF-%d", i))
	}
	ctx := context.Background()
	on := day(2011, 10, 25)
	providertest.BookUnderFaults(t, f.srv.SetFaults, 5, loans, func(rt *providertest.Retrier, i int) error {
		id, ext := ids[i], fmt.Sprintf("LF-%d", i)
		tx := func(what string, post func() (*fineract.CommandResult, error)) error {
			return rt.Do(ext+" "+what, func() error { _, err := f.client.EnsureTransaction(ctx, id, ext+"-"+what, post); return err })
		}
		steps := []func() error{
			func() error {
				return rt.Do(ext+" penalty 1", func() error {
					_, err := f.client.EnsureCharge(ctx, id, fineract.NewCharge{ExternalID: ext + "-p1", Amount: dec("10"), DueDate: on})
					return err
				})
			},
			func() error {
				return rt.Do(ext+" penalty 2", func() error {
					_, err := f.client.EnsureCharge(ctx, id, fineract.NewCharge{ExternalID: ext + "-p2", Amount: dec("4"), DueDate: on})
					return err
				})
			},
			func() error {
				return rt.Do(ext+" waiver", func() error {
					return f.client.EnsureChargesWaived(ctx, id, fineract.ChargesWaiver{Penalties: true, Amount: dec("14"), ExternalID: ext + "-w"})
				})
			},
			func() error {
				return tx("wi", func() (*fineract.CommandResult, error) {
					return f.client.WaiveInterest(ctx, id, fineract.InterestWaiver{ExternalID: ext + "-wi", TransactionDate: on, TransactionAmount: dec("100")})
				})
			},
		}
		switch i % 3 {
		case 0:
			steps = append(steps, func() error {
				return tx("payoff", func() (*fineract.CommandResult, error) {
					return f.client.Foreclose(ctx, id, fineract.Foreclosure{ExternalID: ext + "-payoff", TransactionDate: on})
				})
			})
		case 1:
			steps = append(steps, func() error {
				return tx("wo", func() (*fineract.CommandResult, error) {
					return f.client.WriteOff(ctx, id, fineract.WriteOff{ExternalID: ext + "-wo", TransactionDate: on})
				})
			})
		case 2:
			steps = append(steps, func() error {
				return tx("pay", func() (*fineract.CommandResult, error) {
					return f.client.MakeRepayment(ctx, id, fineract.Repayment{ExternalID: ext + "-pay", TransactionDate: on, TransactionAmount: dec("120000")})
				})
			}, func() error {
				return tx("refund", func() (*fineract.CommandResult, error) {
					return f.client.CreditBalanceRefund(ctx, id, fineract.Refund{ExternalID: ext + "-refund", TransactionDate: on, TransactionAmount: dec("6628.47")})
				})
			})
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	for i := range loans {
		st := f.srv.Stats().Loans[fmt.Sprintf("LF-%d", i)]
		want := sim.LoanStats{ID: ids[i], Disbursements: 1, Charges: 2, ChargeWaivers: 2, InterestWaivers: 1}
		switch i % 3 {
		case 0:
			want.Status, want.Foreclosures = fineract.StatusClosedObligationsMet, 1
		case 1:
			want.Status, want.WriteOffs = fineract.StatusClosedWrittenOff, 1
		case 2:
			// 120000 less the 113371.53 left to pay after the 100 of interest waived.
			want.Status, want.Repayments, want.Refunds = fineract.StatusClosedObligationsMet, 1, 1
		}
		require.Equal(t, want, st, "loan %d", i)
	}
}
