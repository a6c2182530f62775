package mambu_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/mambu"
	"github.com/loanflow/loanflow/providers/mambu/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

// servicedProduct is V3's product as a tenant set up for loanflow has it: money paid ahead pays
// principal first, and overpayments are held.
func servicedProduct() sim.Product {
	p := sim.DefaultProduct
	p.PrepaymentRecalculationMethod = "REDUCE_AMOUNT_PER_INSTALLMENT"
	p.FuturePaymentsAcceptance = "ACCEPT_OVERPAYMENTS"
	return p
}

// activeLoan creates V3 under id for its own client and pays it out on 2019-12-01: 2500 at 1 %, its
// first installment 207.31 + 2.15 due 2020-01-01, the second 207.49 + 1.97 due 2020-02-01.
func activeLoan(t *testing.T, f *fixture, id string) {
	t.Helper()
	ctx := context.Background()
	c, err := f.client.CreateClient(ctx, newClient("cust-"+id))
	require.NoError(t, err)
	_, err = f.client.CreateLoan(ctx, v3(c.EncodedKey, id))
	require.NoError(t, err)
	require.NoError(t, f.client.Approve(ctx, id, ""))
	_, err = f.client.Disburse(ctx, id, mambu.Disbursement{Identifier: id + "-disb", ValueDate: ptr(day(2019, 12, 1))})
	require.NoError(t, err)
}

func repayOn(t *testing.T, f *fixture, id, identifier, amount string, on time.Time) *mambu.Transaction {
	t.Helper()
	tx, err := f.client.Repay(context.Background(), id, mambu.Repayment{Identifier: identifier, Amount: dec(amount), ValueDate: on})
	require.NoError(t, err)
	return tx
}

func TestPayoffIsARepaymentThenAClose(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{Products: []sim.Product{servicedProduct()}}, nil)
	activeLoan(t, f, "LF-1")
	repayOn(t, f, "LF-1", "LF-1-r1", "209.46", day(2020, 1, 1))

	// The settlement pays all the principal and the interest accrued to 2020-01-16.
	tx := repayOn(t, f, "LF-1", "LF-1-payoff", "2293.64", day(2020, 1, 16))
	require.Equal(t, "2292.69", tx.PrincipalPaid.String(), "money paid ahead pays principal first")
	require.Equal(t, "0.95", tx.InterestPaid.String())
	l, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateActive, l.AccountState, "the later installments' interest, never applied, keeps it open")

	require.NoError(t, f.client.EnsureClosed(ctx, "LF-1", mambu.Closure{Identifier: "LF-1-payoff-close", ValueDate: day(2020, 1, 16)}))
	require.NoError(t, f.client.EnsureClosed(ctx, "LF-1", mambu.Closure{Identifier: "LF-1-payoff-close", ValueDate: day(2020, 1, 16)}))
	l, err = f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateClosed, l.AccountState)
	inst, err := f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "0.95", inst[1].InterestDue.String(), "the interest not applied is forgiven")
	require.Equal(t, "PAID", inst[11].State)

	t.Run("a product without prepayment recalculation keeps later interest due", func(t *testing.T) {
		f := newFixture(t, sim.Config{}, nil)
		activeLoan(t, f, "LF-2")
		repayOn(t, f, "LF-2", "LF-2-r1", "209.46", day(2020, 1, 1))
		tx := repayOn(t, f, "LF-2", "LF-2-payoff", "2293.64", day(2020, 1, 16))
		require.Equal(t, "11.63", tx.InterestPaid.String(), "the later installments are paid whole, their interest with them")
		err := f.client.Close(ctx, "LF-2", mambu.Closure{Identifier: "LF-2-close", ValueDate: day(2020, 1, 16)})
		providertest.RequireRefused(t, err, 400, mambu.CodeInvalidAccountState, "CLOSE is not allowed: the account still owes 10.68")
	})
}

func TestWriteOffClosesTheAccountAsWrittenOff(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{}, nil)
	activeLoan(t, f, "LF-1")
	repayOn(t, f, "LF-1", "LF-1-r1", "209.46", day(2020, 1, 1))
	tx, err := f.client.WriteOff(ctx, "LF-1", mambu.Closure{Identifier: "LF-1-wo", ValueDate: day(2020, 2, 15), Notes: "gone"})
	require.NoError(t, err)
	require.Equal(t, mambu.TypeWriteOff, tx.Type)
	require.Equal(t, "2294.66", tx.Amount.String(), "the principal and the interest applied by then: 2292.69 + 1.97")
	l, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateClosedWrittenOff, l.AccountState)
	_, err = f.client.Repay(ctx, "LF-1", mambu.Repayment{Identifier: "LF-1-r2", Amount: dec("10"), ValueDate: day(2020, 2, 16)})
	providertest.RequireRefused(t, err, 400, mambu.CodeInvalidAccountState, "REPAYMENT is not allowed for an account in state CLOSED_WRITTEN_OFF")
	require.NoError(t, f.client.EnsureWrittenOff(ctx, "LF-1", mambu.Closure{Identifier: "LF-1-wo", ValueDate: day(2020, 2, 15)}))
	require.Equal(t, 1, f.srv.Stats().Loans["LF-1"].WriteOffs)
}

func TestFeesAndTheirWaiver(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{}, nil)
	activeLoan(t, f, "LF-1")
	for i, amount := range []string{"10", "20", "5"} {
		fee := mambu.Fee{Identifier: fmt.Sprintf("LF-1-fee%d", i), Amount: dec(amount), ValueDate: day(2020, 1, 5+i)}
		for range 2 {
			require.NoError(t, f.client.EnsureTransaction(func() error { _, err := f.client.ApplyFee(ctx, "LF-1", fee); return err }))
		}
	}
	l, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "35", l.FeesBalance.String())
	inst, err := f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "35", inst[0].FeesDue.String(), "on the oldest installment not paid")

	err = f.client.EnsureFeesWaived(ctx, "LF-1", mambu.FeesWaiver{Identifier: "LF-1-w1", Amount: dec("15"), ValueDate: day(2020, 1, 10)})
	providertest.RequireRefused(t, err, 409, mambu.CodeFeesNotWhole, "[10 20 5]")
	for range 2 {
		require.NoError(t, f.client.EnsureFeesWaived(ctx, "LF-1", mambu.FeesWaiver{Identifier: "LF-1-w2", Amount: dec("30"), ValueDate: day(2020, 1, 10), Notes: "goodwill"}))
	}
	require.Equal(t, sim.LoanStats{EncodedKey: l.EncodedKey, State: mambu.StateActive, Disbursements: 1, Fees: 3, FeeAdjustments: 2},
		f.srv.Stats().Loans["LF-1"])
	inst, err = f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "5", inst[0].FeesDue.String())

	txs, err := f.client.GetTransactions(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.TypeFeeAdjustment, txs[0].Type)
	require.Equal(t, "LF-1-w2: goodwill", txs[0].Comment)
	// Newest first: two adjustments, then the fees of 5, 20 and 10.
	feeOfFive := txs[2]
	require.Equal(t, mambu.TypeFee, txs[4].Type)
	require.NotEmpty(t, txs[4].ReversalTransactionKey)
	_, err = f.client.AdjustFee(ctx, "LF-1", mambu.FeeAdjustment{Identifier: "LF-1-w3", OriginalTransactionID: txs[4].EncodedKey, ValueDate: day(2020, 1, 10)})
	providertest.RequireRefused(t, err, 400, mambu.CodeInvalidParameters, "was already adjusted")

	// Once paid, a fee cannot be taken back.
	repayOn(t, f, "LF-1", "LF-1-r1", "214.46", day(2020, 1, 1))
	_, err = f.client.AdjustFee(ctx, "LF-1", mambu.FeeAdjustment{Identifier: "LF-1-w4", OriginalTransactionID: feeOfFive.EncodedKey, ValueDate: day(2020, 1, 10)})
	providertest.RequireRefused(t, err, 400, mambu.CodeInvalidParameters, "has been paid")
}

func TestInterestAdjustmentForgivesInterestApplied(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{}, nil)
	activeLoan(t, f, "LF-1")
	// By 2020-02-05 two installments' interest is applied: 2.15 + 1.97.
	_, err := f.client.AdjustInterest(ctx, "LF-1", mambu.InterestAdjustment{Identifier: "LF-1-i1", Amount: dec("4.13"), ValueDate: day(2020, 2, 5)})
	providertest.RequireRefused(t, err, 400, mambu.CodeInvalidParameters, "interest applied and unpaid of 4.12")
	tx, err := f.client.AdjustInterest(ctx, "LF-1", mambu.InterestAdjustment{Identifier: "LF-1-i1", Amount: dec("3"), ValueDate: day(2020, 2, 5)})
	require.NoError(t, err)
	require.Equal(t, mambu.TypeInterestAdjustment, tx.Type)
	inst, err := f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, "0", inst[0].InterestDue.String(), "oldest installment first")
	require.Equal(t, "1.12", inst[1].InterestDue.String())
}

func TestPaymentMadePaysAnOverpaymentBack(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{Products: []sim.Product{servicedProduct()}}, nil)
	activeLoan(t, f, "LF-1")
	inst, err := f.client.GetSchedule(ctx, "LF-1")
	require.NoError(t, err)
	total := dec("50")
	for _, i := range inst {
		total = total.Add(i.TotalDue())
	}
	repayOn(t, f, "LF-1", "LF-1-r1", total.String(), day(2020, 1, 1))
	l, err := f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateActive, l.AccountState, "it holds 50 of the client's money")
	_, err = f.client.PaymentMade(ctx, "LF-1", mambu.Payment{Identifier: "LF-1-back", Amount: dec("50.01"), ValueDate: day(2020, 1, 2)})
	providertest.RequireRefused(t, err, 400, mambu.CodeInvalidParameters, "amount exceeds the overpayment of 50")
	_, err = f.client.PaymentMade(ctx, "LF-1", mambu.Payment{Identifier: "LF-1-back", Amount: dec("50"), ValueDate: day(2020, 1, 2)})
	require.NoError(t, err)
	l, err = f.client.GetLoan(ctx, "LF-1")
	require.NoError(t, err)
	require.Equal(t, mambu.StateClosed, l.AccountState)
}

func TestServicingRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{}, nil)
	pending(t, f)
	activeLoan(t, f, "LF-2")
	on := day(2020, 1, 10)
	providertest.RequireRefusals(t, []providertest.Refusal{
		// By 2020-01-10 it owes all its principal and the first installment's interest.
		{Name: "close an account that owes", Call: func() error {
			return f.client.Close(ctx, "LF-2", mambu.Closure{Identifier: "x1", ValueDate: on})
		}, Status: 400, Code: mambu.CodeInvalidAccountState, Message: "still owes 2502.15"},
		{Name: "write off an account not paid out", Call: func() error {
			_, err := f.client.WriteOff(ctx, "LF-1", mambu.Closure{Identifier: "x2", ValueDate: on})
			return err
		}, Status: 400, Code: mambu.CodeInvalidAccountState, Message: "WRITE_OFF is not allowed for an account in state PENDING_APPROVAL"},
		{Name: "fee on an account not paid out", Call: func() error {
			_, err := f.client.ApplyFee(ctx, "LF-1", mambu.Fee{Identifier: "x3", Amount: dec("1"), ValueDate: on})
			return err
		}, Status: 400, Code: mambu.CodeInvalidAccountState, Message: "FEE is not allowed"},
		{Name: "adjust no fee", Call: func() error {
			_, err := f.client.AdjustFee(ctx, "LF-2", mambu.FeeAdjustment{Identifier: "x4", OriginalTransactionID: "nope", ValueDate: on})
			return err
		}, Status: 400, Code: mambu.CodeInvalidParameters, Message: "must name a FEE"},
		{Name: "payment made with nothing overpaid", Call: func() error {
			_, err := f.client.PaymentMade(ctx, "LF-2", mambu.Payment{Identifier: "x5", Amount: dec("1"), ValueDate: on})
			return err
		}, Status: 400, Code: mambu.CodeInvalidParameters, Message: "exceeds the overpayment of 0"},
		{Name: "waive fees with none applied", Call: func() error {
			return f.client.EnsureFeesWaived(ctx, "LF-2", mambu.FeesWaiver{Identifier: "x6", Amount: dec("1"), ValueDate: on})
		}, Status: 409, Code: mambu.CodeFeesNotWhole, Message: "fees not adjusted are []"},
	})
	require.Equal(t, sim.LoanStats{EncodedKey: f.srv.Stats().Loans["LF-2"].EncodedKey, State: mambu.StateActive, Disbursements: 1},
		f.srv.Stats().Loans["LF-2"], "no refusal booked anything")
}

// A post whose answer is lost has committed: the Ensure step that follows books nothing again.
func TestServicingRetryAfterALostAnswerPostsOnce(t *testing.T) {
	ctx := context.Background()
	on := day(2020, 2, 5)
	tests := []struct {
		name   string
		setup  func(t *testing.T, f *fixture)
		post   func(f *fixture) error
		ensure func(f *fixture) error
		// tx, for a transaction posted under its identifier, stands for post, and for ensure through
		// EnsureTransaction.
		tx   func(f *fixture) error
		want func(sim.LoanStats) int
	}{
		{name: "fee",
			tx: func(f *fixture) error {
				_, err := f.client.ApplyFee(ctx, "LF-1", mambu.Fee{Identifier: "e", Amount: dec("10"), ValueDate: on})
				return err
			},
			want: func(s sim.LoanStats) int { return s.Fees }},
		{name: "fee waiver",
			setup: func(t *testing.T, f *fixture) {
				_, err := f.client.ApplyFee(ctx, "LF-1", mambu.Fee{Identifier: "fee", Amount: dec("10"), ValueDate: on})
				require.NoError(t, err)
			},
			// The waiver's adjustment of the loan's only fee (transaction 2, after the pay-out) loses its answer.
			post: func(f *fixture) error {
				_, err := f.client.AdjustFee(ctx, "LF-1", mambu.FeeAdjustment{Identifier: "e-2", OriginalTransactionID: "2", ValueDate: on, Notes: "e: waived"})
				return err
			},
			ensure: func(f *fixture) error {
				return f.client.EnsureFeesWaived(ctx, "LF-1", mambu.FeesWaiver{Identifier: "e", Amount: dec("10"), ValueDate: on, Notes: "waived"})
			},
			want: func(s sim.LoanStats) int { return s.FeeAdjustments }},
		{name: "interest adjustment",
			tx: func(f *fixture) error {
				_, err := f.client.AdjustInterest(ctx, "LF-1", mambu.InterestAdjustment{Identifier: "e", Amount: dec("1"), ValueDate: on})
				return err
			},
			want: func(s sim.LoanStats) int { return s.InterestAdjustments }},
		{name: "write-off",
			post: func(f *fixture) error {
				_, err := f.client.WriteOff(ctx, "LF-1", mambu.Closure{Identifier: "e", ValueDate: on})
				return err
			},
			ensure: func(f *fixture) error {
				return f.client.EnsureWrittenOff(ctx, "LF-1", mambu.Closure{Identifier: "e", ValueDate: on})
			},
			want: func(s sim.LoanStats) int { return s.WriteOffs }},
		{name: "payment made",
			setup: func(t *testing.T, f *fixture) { repayOn(t, f, "LF-1", "r", "2600", day(2020, 1, 1)) },
			tx: func(f *fixture) error {
				_, err := f.client.PaymentMade(ctx, "LF-1", mambu.Payment{Identifier: "e", Amount: dec("10"), ValueDate: on})
				return err
			},
			want: func(s sim.LoanStats) int { return s.PaymentsMade }},
		{name: "close",
			setup: func(t *testing.T, f *fixture) { repayOn(t, f, "LF-1", "r", "2502.15", day(2020, 1, 1)) },
			post: func(f *fixture) error {
				return f.client.Close(ctx, "LF-1", mambu.Closure{Identifier: "e", ValueDate: day(2020, 1, 1)})
			},
			ensure: func(f *fixture) error {
				return f.client.EnsureClosed(ctx, "LF-1", mambu.Closure{Identifier: "e", ValueDate: day(2020, 1, 1)})
			},
			want: func(s sim.LoanStats) int {
				if s.State == mambu.StateClosed {
					return 1
				}
				return 0
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sim.Config{Products: []sim.Product{servicedProduct()}}, nil)
			activeLoan(t, f, "LF-1")
			if tt.setup != nil {
				tt.setup(t, f)
			}
			if tt.tx != nil {
				tt.post = tt.tx
				tt.ensure = func(f *fixture) error { return f.client.EnsureTransaction(func() error { return tt.tx(f) }) }
			}
			f.srv.SetFaults(sim.Faults{DropAfterCommitRate: 1})
			err := tt.post(f)
			require.True(t, providers.IsAmbiguous(err), "%v", err)
			f.srv.SetFaults(sim.Faults{})
			require.NoError(t, tt.ensure(f))
			require.Equal(t, 1, tt.want(f.srv.Stats().Loans["LF-1"]))
		})
	}
}

// With 30 % of the calls failing, accounts serviced side by side get exactly one of each posting:
// fees, their waiver, an interest adjustment, then a settlement and its close, a write-off, or an
// overpayment paid back.
func TestServicingExactlyOnceUnderFaults(t *testing.T) {
	f := newFixture(t, sim.Config{Products: []sim.Product{servicedProduct()}}, nil)
	const loans = 9
	for i := range loans {
		activeLoan(t, f, "LF-"+strconv.Itoa(i))
	}
	ctx := context.Background()
	on := day(2020, 2, 5)
	// 3000 pays the loan (its schedule less the 1 of interest forgiven) and leaves the rest overpaid.
	sched, err := f.client.GetSchedule(ctx, "LF-0")
	require.NoError(t, err)
	overpaidBy3000 := dec("3001")
	for _, inst := range sched {
		overpaidBy3000 = overpaidBy3000.Sub(inst.TotalDue())
	}
	providertest.BookUnderFaults(t, f.srv.SetFaults, 13, loans, func(rt *providertest.Retrier, i int) error {
		id := "LF-" + strconv.Itoa(i)
		post := func(what string, fn func() error) func() error {
			return func() error { return rt.Do(id+" "+what, func() error { return f.client.EnsureTransaction(fn) }) }
		}
		steps := []func() error{
			post("fee 1", func() error {
				_, err := f.client.ApplyFee(ctx, id, mambu.Fee{Identifier: id + "-f1", Amount: dec("10"), ValueDate: on})
				return err
			}),
			post("fee 2", func() error {
				_, err := f.client.ApplyFee(ctx, id, mambu.Fee{Identifier: id + "-f2", Amount: dec("4"), ValueDate: on})
				return err
			}),
			func() error {
				return rt.Do(id+" waiver", func() error {
					return f.client.EnsureFeesWaived(ctx, id, mambu.FeesWaiver{Identifier: id + "-w", Amount: dec("14"), ValueDate: on})
				})
			},
			post("interest", func() error {
				_, err := f.client.AdjustInterest(ctx, id, mambu.InterestAdjustment{Identifier: id + "-i", Amount: dec("1"), ValueDate: on})
				return err
			}),
		}
		switch i % 3 {
		case 0:
			steps = append(steps, post("payoff", func() error {
				// 2500 of principal and 3.12 of the interest applied (2.15 + 1.97 - 1), nothing accrued on 02-01.
				_, err := f.client.Repay(ctx, id, mambu.Repayment{Identifier: id + "-payoff", Amount: dec("2503.12"), ValueDate: on})
				return err
			}), func() error {
				return rt.Do(id+" close", func() error {
					return f.client.EnsureClosed(ctx, id, mambu.Closure{Identifier: id + "-close", ValueDate: on})
				})
			})
		case 1:
			steps = append(steps, func() error {
				return rt.Do(id+" write-off", func() error {
					return f.client.EnsureWrittenOff(ctx, id, mambu.Closure{Identifier: id + "-wo", ValueDate: on})
				})
			})
		case 2:
			steps = append(steps, post("pay", func() error {
				_, err := f.client.Repay(ctx, id, mambu.Repayment{Identifier: id + "-pay", Amount: dec("3000"), ValueDate: on})
				return err
			}), func() error {
				return rt.Do(id+" refund", func() error {
					l, err := f.client.GetLoan(ctx, id)
					if err != nil || l.AccountState == mambu.StateClosed {
						return err
					}
					return f.client.EnsureTransaction(func() error {
						_, err := f.client.PaymentMade(ctx, id, mambu.Payment{Identifier: id + "-refund", Amount: overpaidBy3000, ValueDate: on})
						return err
					})
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
		st := f.srv.Stats().Loans["LF-"+strconv.Itoa(i)]
		want := sim.LoanStats{EncodedKey: st.EncodedKey, Disbursements: 1, Fees: 2, FeeAdjustments: 2, InterestAdjustments: 1}
		switch i % 3 {
		case 0:
			want.State, want.Repayments = mambu.StateClosed, 1
		case 1:
			want.State, want.WriteOffs = mambu.StateClosedWrittenOff, 1
		case 2:
			want.State, want.Repayments, want.PaymentsMade = mambu.StateClosed, 1, 1
		}
		require.Equal(t, want, st, "loan %d", i)
	}
}
