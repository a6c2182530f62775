package activities_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/providers/fineract"
	fineractsim "github.com/loanflow/loanflow/providers/fineract/sim"
	"github.com/loanflow/loanflow/providers/mambu"
	mambusim "github.com/loanflow/loanflow/providers/mambu/sim"
)

// loseAnswer passes requests to the server; once armed, the next POST is sent and its answer then
// dropped, as a connection cut after the ledger committed the request.
type loseAnswer struct {
	armed atomic.Bool
}

func (l *loseAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.Method == http.MethodPost && l.armed.CompareAndSwap(true, false) {
		resp.Body.Close()
		return nil, errors.New("connection reset by peer")
	}
	return resp, err
}

// mambuProduct is the product loans are booked under in the Mambu simulator, set up as loanflow
// needs it: money paid ahead pays principal first (a settlement closes the loan), overpayments are
// held until paid back.
func mambuProduct() mambusim.Product {
	p := mambusim.DefaultProduct
	p.PrepaymentRecalculationMethod, p.FuturePaymentsAcceptance = "REDUCE_AMOUNT_PER_INSTALLMENT", "ACCEPT_OVERPAYMENTS"
	return p
}

// ledgerFixture is the activity fixture's loan booked and paid out today in a simulated ledger, its
// client's answers ready to be lost.
type ledgerFixture struct {
	*fixture
	ledger   lending.Ledger
	loanID   string
	paidOut  time.Time
	lose     *loseAnswer
	fineract *fineractsim.Server
	fc       *fineract.Client
	mambu    *mambusim.Server
	mc       *mambu.Client
}

func newLedgerFixture(t *testing.T, ledger lending.Ledger) *ledgerFixture {
	t.Helper()
	f := &ledgerFixture{fixture: newFixture(t), ledger: ledger, lose: &loseAnswer{}}
	hc := &http.Client{Timeout: 5 * time.Second, Transport: f.lose}
	var ledgers activities.Ledgers
	switch ledger {
	case lending.LedgerFineract:
		f.fineract = fineractsim.New(fineractsim.Config{})
		srv := httptest.NewServer(f.fineract)
		t.Cleanup(srv.Close)
		c, err := fineract.New(fineract.Config{BaseURL: srv.URL + "/api/v1", Tenant: fineractsim.DefaultTenant,
			Username: fineractsim.DefaultUsername, Password: fineractsim.DefaultPassword, HTTPClient: hc})
		require.NoError(t, err)
		f.fc, ledgers = c, activities.Ledgers{Fineract: c, FineractOfficeID: 1,
			Products: lending.LedgerProducts{FineractProductID: fineractsim.DefaultProduct.ID}}
	case lending.LedgerMambu:
		f.mambu = mambusim.New(mambusim.Config{Products: []mambusim.Product{mambuProduct()}})
		srv := httptest.NewServer(f.mambu)
		t.Cleanup(srv.Close)
		c, err := mambu.New(mambu.Config{BaseURL: srv.URL + "/api", Username: mambusim.DefaultUsername,
			Password: mambusim.DefaultPassword, HTTPClient: hc})
		require.NoError(t, err)
		f.mc, ledgers = c, activities.Ledgers{Mambu: c, Products: lending.LedgerProducts{MambuProductKey: mambusim.DefaultProduct.EncodedKey}}
	}
	f.env.RegisterActivity(&activities.Activities{Store: f.store, Ledgers: ledgers})
	in := activities.LedgerInput{Ref: f.ref, Ledger: ledger}
	v, err := f.env.ExecuteActivity(acts.LedgerBook, in)
	require.NoError(t, err)
	require.NoError(t, v.Get(&f.loanID))
	f.paidOut = time.Now().UTC().Truncate(24 * time.Hour)
	in.LedgerLoanID, in.Amount, in.Date = f.loanID, decimal.RequireFromString("2000.00"), f.paidOut
	_, err = f.env.ExecuteActivity(acts.LedgerDisburse, in)
	require.NoError(t, err)
	return f
}

// post runs LedgerServicing for one posting of the loan.
func (f *ledgerFixture) post(kind, key, amount, component string, on time.Time) error {
	in := activities.LedgerServicingInput{Ref: f.ref, Ledger: f.ledger, LedgerLoanID: f.loanID, Kind: kind, Key: key,
		Component: component, Date: on, Note: "staff's reason"}
	if amount != "" {
		in.Amount = decimal.RequireFromString(amount)
	}
	_, err := f.env.ExecuteActivity(acts.LedgerServicing, in)
	return err
}

// repay posts a repayment of the loan as the workflow's ledger steps do.
func (f *ledgerFixture) repay(t *testing.T, key, amount string, on time.Time) {
	t.Helper()
	_, err := f.env.ExecuteActivity(acts.LedgerRepay, activities.LedgerInput{Ref: f.ref, Ledger: f.ledger,
		LedgerLoanID: f.loanID, Key: key, Amount: decimal.RequireFromString(amount), Date: on})
	require.NoError(t, err)
}

// ledgerCounts is what the ledger holds for the loan, the same way for both ledgers.
type ledgerCounts struct {
	Closed, WrittenOff                                          bool
	Repayments, Payoffs, WriteOffs, Waivers, Refunds, Penalties int
}

func (f *ledgerFixture) counts() ledgerCounts {
	ext := "loanflow-" + strconv.FormatInt(f.ref, 10)
	if f.fineract != nil {
		s := f.fineract.Stats().Loans[ext]
		return ledgerCounts{Closed: s.Status == fineract.StatusClosedObligationsMet, WrittenOff: s.Status == fineract.StatusClosedWrittenOff,
			Repayments: s.Repayments, Payoffs: s.Foreclosures, WriteOffs: s.WriteOffs,
			Waivers: s.InterestWaivers + s.ChargeWaivers, Refunds: s.Refunds, Penalties: s.Charges}
	}
	s := f.mambu.Stats().Loans[ext]
	// A Mambu settlement is a repayment, and the CLOSE that follows it.
	return ledgerCounts{Closed: s.State == mambu.StateClosed, WrittenOff: s.State == mambu.StateClosedWrittenOff,
		Repayments: s.Repayments, WriteOffs: s.WriteOffs, Waivers: s.InterestAdjustments + s.FeeAdjustments,
		Refunds: s.PaymentsMade, Penalties: s.Fees}
}

// overpaid is what the ledger holds of the borrower's money beyond what the loan owed.
func (f *ledgerFixture) overpaid(t *testing.T, repaid decimal.Decimal) decimal.Decimal {
	t.Helper()
	ctx := context.Background()
	if f.fc != nil {
		id, err := strconv.ParseInt(f.loanID, 10, 64)
		require.NoError(t, err)
		l, err := f.fc.GetLoan(ctx, id)
		require.NoError(t, err)
		return l.TotalOverpaid
	}
	insts, err := f.mc.GetSchedule(ctx, f.loanID)
	require.NoError(t, err)
	for _, in := range insts {
		repaid = repaid.Sub(in.TotalDue())
	}
	return repaid
}

var ledgers = []lending.Ledger{lending.LedgerFineract, lending.LedgerMambu}

// Each posting lands once, also when the answer to its write is lost and the activity's step retries
// it, and again when the whole activity runs a second time.
func TestLedgerServicingPostsEachKindOnce(t *testing.T) {
	type posting struct{ kind, key, amount, component string }
	tests := []struct {
		name     string
		setup    func(t *testing.T, f *ledgerFixture)
		postings func(t *testing.T, f *ledgerFixture) []posting
		// on is the postings' date, in days after the pay-out.
		on   int
		want ledgerCounts
	}{
		{name: "a settlement on the day of the pay-out closes the loan",
			postings: func(*testing.T, *ledgerFixture) []posting {
				return []posting{{activities.LedgerPayoff, "pay-1", "2000.00", ""}}
			},
			want: ledgerCounts{Closed: true, Payoffs: 1}},
		{name: "a write-off",
			postings: func(*testing.T, *ledgerFixture) []posting {
				return []posting{{activities.LedgerWriteOff, "wo", "2000.00", ""}}
			},
			on: 40, want: ledgerCounts{WrittenOff: true, WriteOffs: 1}},
		{name: "penalties charged, then waived",
			postings: func(*testing.T, *ledgerFixture) []posting {
				return []posting{
					{activities.LedgerPenalty, "penalty-late_fee-1-a", "25", "late_fee"},
					{activities.LedgerPenalty, "penalty-penalty_interest-1-a", "1.37", "penalty_interest"},
					{activities.LedgerWaive, "w1", "26.37", "penalties"},
				}
			},
			on: 40, want: ledgerCounts{Penalties: 2, Waivers: 2}},
		{name: "interest waived once due",
			postings: func(*testing.T, *ledgerFixture) []posting {
				return []posting{{activities.LedgerWaive, "w1", "10", "interest"}}
			},
			on: 40, want: ledgerCounts{Waivers: 1}},
		{name: "an overpayment paid back",
			setup: func(t *testing.T, f *ledgerFixture) { f.repay(t, "pay-1", "5000", f.paidOut.AddDate(0, 0, 1)) },
			postings: func(t *testing.T, f *ledgerFixture) []posting {
				return []posting{{activities.LedgerRefund, "r1", f.overpaid(t, decimal.NewFromInt(5000)).String(), ""}}
			},
			on: 2, want: ledgerCounts{Closed: true, Repayments: 1, Refunds: 1}},
	}
	for _, ledger := range ledgers {
		for _, tt := range tests {
			t.Run(string(ledger)+": "+tt.name, func(t *testing.T) {
				f := newLedgerFixture(t, ledger)
				if tt.setup != nil {
					tt.setup(t, f)
				}
				on := f.paidOut.AddDate(0, 0, tt.on)
				for _, p := range tt.postings(t, f) {
					f.lose.armed.Store(true)
					require.NoError(t, f.post(p.kind, p.key, p.amount, p.component, on), "%s %s", p.kind, p.key)
					require.False(t, f.lose.armed.Load(), "the posting's answer was lost")
					require.NoError(t, f.post(p.kind, p.key, p.amount, p.component, on), "the activity again")
				}
				want := tt.want
				if ledger == lending.LedgerMambu {
					want.Repayments += want.Payoffs
					want.Payoffs = 0
				}
				require.Equal(t, want, f.counts())
			})
		}
	}
}

func TestLedgerServicingRefusals(t *testing.T) {
	for _, ledger := range ledgers {
		t.Run(string(ledger), func(t *testing.T) {
			f := newLedgerFixture(t, ledger)
			on := f.paidOut.AddDate(0, 0, 40)
			for _, p := range []struct{ kind, amount, component, message string }{
				{activities.LedgerWaive, "5", "penalties", "whole"},
				{activities.LedgerWaive, "5", "principal", "cannot waive \"principal\""},
				{"reschedule", "5", "", "unknown servicing posting \"reschedule\""},
			} {
				err := f.post(p.kind, "k-"+p.kind+p.component, p.amount, p.component, on)
				require.ErrorContains(t, err, activities.ErrTypeProviderRefused, "%s %s", p.kind, p.component)
				require.ErrorContains(t, err, p.message)
			}
			require.NoError(t, f.post(activities.LedgerWriteOff, "wo", "", "", on))
			err := f.post(activities.LedgerPenalty, "late", "5", "late_fee", on)
			require.ErrorContains(t, err, activities.ErrTypeProviderRefused, "a written-off loan takes no penalty")
			require.Equal(t, ledgerCounts{WrittenOff: true, WriteOffs: 1}, f.counts())
		})
	}
}

// The settlement books only what settles the loan, so an overpayment never reaches the ledger: its
// refund has nothing to move there.
func TestLedgerRefundAfterASettlementPostsNothing(t *testing.T) {
	for _, ledger := range ledgers {
		t.Run(string(ledger), func(t *testing.T) {
			f := newLedgerFixture(t, ledger)
			require.NoError(t, f.post(activities.LedgerPayoff, "pay-1", "2000.00", "", f.paidOut))
			require.NoError(t, f.post(activities.LedgerRefund, "r1", "150", "", f.paidOut))
			c := f.counts()
			require.True(t, c.Closed)
			require.Zero(t, c.Refunds)
		})
	}
}

// Fineract works a foreclosure out itself; a settlement it books at another amount than ours is a
// finding on the loan.
func TestFineractSettlementAtAnotherAmountIsAFinding(t *testing.T) {
	f := newLedgerFixture(t, lending.LedgerFineract)
	require.NoError(t, f.post(activities.LedgerPayoff, "pay-1", "2000.01", "", f.paidOut))
	findings, err := f.store.Findings(context.Background(), f.ref)
	require.NoError(t, err)
	require.Len(t, findings, 1)
	require.Equal(t, "payoff", findings[0].Field)
	require.Equal(t, "2000.01", findings[0].Ours.String())
	require.Equal(t, "2000", findings[0].Theirs.String())
}
