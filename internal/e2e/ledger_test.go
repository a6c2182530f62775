package e2e_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"

	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/fineract"
	fineractsim "github.com/loanflow/loanflow/providers/fineract/sim"
	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
	julosim "github.com/loanflow/loanflow/providers/julo/sim"
	mambusim "github.com/loanflow/loanflow/providers/mambu/sim"
	"github.com/loanflow/loanflow/workflows"
)

func TestLoanBookedInEachLedger(t *testing.T) {
	s := startStack(t)
	for _, ledger := range []string{"fineract", "mambu"} {
		t.Run(ledger, func(t *testing.T) {
			ref := walkLoan(t, s, ledger, "I1000000"+strconv.Itoa(len(ledger))+"T")
			ext := "loanflow-" + strconv.FormatInt(ref, 10)
			switch ledger {
			case "fineract":
				st := s.providers.Sims.Fineract.Stats()
				require.Equal(t, 1, st.Clients)
				require.Len(t, st.Loans, 1)
				l := st.Loans[ext]
				require.Equal(t, 1, l.Disbursements)
				require.Equal(t, 2, l.Repayments)
				require.Equal(t, 600, l.Status, "Fineract closed the loan: obligations met")
			case "mambu":
				st := s.providers.Sims.Mambu.Stats()
				require.Equal(t, 1, st.Clients)
				l := st.Loans[ext]
				require.Equal(t, 1, l.Disbursements)
				require.Equal(t, 2, l.Repayments)
				require.Equal(t, "CLOSED", l.State)
			}
			loan, err := s.store.GetLoan(context.Background(), ref)
			require.NoError(t, err)
			require.Equal(t, lending.Ledger(ledger), loan.Ledger)
			require.NotEmpty(t, loan.LedgerLoanID)
			require.Empty(t, loan.ProviderError)
			findings, err := s.store.Findings(context.Background(), ref)
			require.NoError(t, err)
			require.Empty(t, findings, "the ledger's schedule agrees with ours to the minor unit")

			d, err := s.temporal.DescribeWorkflowExecution(context.Background(), workflows.LoanWorkflowID(ref), "")
			require.NoError(t, err)
			var sa string
			require.NoError(t, converter.GetDefaultDataConverter().FromPayload(d.WorkflowExecutionInfo.SearchAttributes.IndexedFields["Ledger"], &sa))
			require.Equal(t, ledger, sa)
			recordHistory(t, s, ref, ledger+"-loan")
		})
	}
}

// TestLedgerRefusalIsRecordedOnTheLoan: someone at the ledger posts a
// Fineract loan's whole repayment by hand, which closes it there. Fineract
// refuses our posting of the partner's first repayment: the refusal is
// shown on the loan and stops its ledger sync, while the partner goes on
// repaying and the loan closes with us.
func TestLedgerRefusalIsRecordedOnTheLoan(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	ref, sched, ext := closedInFineractByHand(t, s, "I40000001T")

	first := sched.Installments[0].Total
	require.Equal(t, "ACTIVE", repay(t, s, ref, "refused-pay-0", first))
	const refusal = "fineract refused repay: fineract: Loan Repayment is not allowed. Loan Account is not active."
	var loan *models.Loan
	eventually(t, "the refusal on the loan", func() bool {
		var err error
		loan, err = s.store.GetLoan(ctx, ref)
		require.NoError(t, err)
		return loan.ProviderError != ""
	})
	require.Equal(t, refusal, loan.ProviderError)
	require.Equal(t, "CLOSED", repay(t, s, ref, "refused-pay-1", sched.Total.Sub(first)))
	awaitWorkflowEnd(t, s, ref)

	require.Equal(t, 1, s.providers.Sims.Fineract.Stats().Loans[ext].Repayments, "only the repayment posted by hand")
	loan, err := s.store.GetLoan(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, lending.StatusClosed, loan.Status)
	require.Equal(t, refusal, loan.ProviderError)
	trail, err := s.store.AuditTrail(ctx, ref)
	require.NoError(t, err)
	var actions []string
	for _, ev := range trail {
		actions = append(actions, string(ev.Action))
	}
	require.Equal(t, []string{"ledger_refused", "close"}, actions[len(actions)-2:])
	recordHistory(t, s, ref, "ledger-refused")
}

// TestFaultyProvidersNeitherDuplicateNorLose runs 50 loans to CLOSED, a
// quarter each through Fineract, Mambu, Iute and JULO, while every simulator
// fails 30 % of calls: 15 % answered 5xx, 15 % committed and then the
// connection dropped. The ledger loans end repaid, settled at the payoff
// quote, overpaid and refunded, or written off and recovered. Each ledger
// ends holding exactly one client, one loan, one disbursement and each of
// the loan's postings (repayments, payoff, refund, write-off) once, Iute one
// loan with each repayment once, and JULO one registration per loan, its
// phone verified and its application completed.
func TestFaultyProvidersNeitherDuplicateNorLose(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 50 loans through faulty providers; skipped with -short")
	}
	s := startStackWith(t, stackOptions{faults: integrations.Options{
		FineractFaults: fineractsim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 7},
		MambuFaults:    mambusim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 11},
		IuteFaults:     iutesim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 13},
		JuloFaults:     julosim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 17},
	}})
	const loans = 50
	products := []string{"fineract", "mambu", "iute", "julo"}
	refs := make([]int64, loans)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 6)
	for i := range loans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			product := products[i%len(products)]
			refs[i] = walkLoanTo(t, s, product, fmt.Sprintf("I%08dT", 20000000+i), endOf(i))
		}()
	}
	wg.Wait()

	fin, mam, iu := s.providers.Sims.Fineract.Stats(), s.providers.Sims.Mambu.Stats(), s.providers.Sims.Iute
	per := map[string]int{}
	for i := range loans {
		per[products[i%len(products)]]++
	}
	require.Equal(t, per["fineract"], fin.Clients)
	require.Equal(t, per["mambu"], mam.Clients)
	require.Len(t, fin.Loans, per["fineract"])
	require.Len(t, mam.Loans, per["mambu"])
	require.Equal(t, per["iute"], iu.Loans())
	ju := s.providers.Sims.Julo
	require.Equal(t, per["julo"], ju.Registrations())
	require.Positive(t, ju.FaultStats().Drops, "JULO dropped answers after committing")
	for i, ref := range refs {
		require.NotZero(t, ref, "loan %d did not finish", i)
		ext := "loanflow-" + strconv.FormatInt(ref, 10)
		loan, err := s.store.GetLoan(context.Background(), ref)
		require.NoError(t, err)
		require.Equal(t, lending.StatusClosed, loan.Status)
		require.Empty(t, loan.ProviderError, "ref %d", ref)
		switch products[i%len(products)] {
		case "fineract":
			l, ok := fin.Loans[ext]
			require.True(t, ok, ext)
			want := fineractsim.LoanStats{ID: l.ID, Status: l.Status, Disbursements: 1}
			switch endOf(i) {
			case endRepaid:
				want.Repayments = 2
			case endSettled:
				want.Repayments, want.Foreclosures = 1, 1
			case endRefunded:
				want.Repayments, want.Refunds = 1, 1
			case endRecovered:
				want.WriteOffs = 1 // recoveries are ours to account for
			}
			require.Equal(t, want, l, "%s ended %d", ext, endOf(i))
		case "mambu":
			l, ok := mam.Loans[ext]
			require.True(t, ok, ext)
			want := mambusim.LoanStats{EncodedKey: l.EncodedKey, State: l.State, Disbursements: 1}
			switch endOf(i) {
			case endRepaid:
				want.Repayments = 2
			case endSettled:
				want.Repayments = 2 // the installment, then the payoff before its CLOSE
			case endRefunded:
				want.Repayments, want.PaymentsMade = 1, 1
			case endRecovered:
				want.WriteOffs = 1
			}
			require.Equal(t, want, l, "%s ended %d", ext, endOf(i))
		case "iute":
			iuteRef, err := strconv.ParseInt(loan.LenderLoanID, 10, 64)
			require.NoError(t, err)
			require.Equal(t, 2, iu.Repayments(iuteRef), "ref %d", ref)
			il, _ := iu.Loan(iuteRef)
			require.Equal(t, iutesim.StateRepaid, il.State, "ref %d", ref)
		case "julo":
			xid, err := strconv.ParseInt(loan.LenderLoanID, 10, 64)
			require.NoError(t, err)
			app, ok := ju.Application(xid)
			require.True(t, ok, "ref %d", ref)
			require.Equal(t, strings.ToLower(fmt.Sprintf("I%08dT", 20000000+i))+"@example.com", app.Email, "ref %d", ref)
			require.True(t, app.OTPValidated, "ref %d", ref)
			require.Positive(t, app.Images["ktp_self"], "ref %d", ref)
			require.Positive(t, app.Images["selfie"], "ref %d", ref)
			require.Positive(t, app.Completed, "ref %d", ref)
		}
	}
}

// endOf is how the fault test's loan i ends: the ledger loans (the first
// two products of every four) take every ending in turn, the lenders' are
// repaid.
func endOf(i int) ending {
	if i%4 >= 2 {
		return endRepaid
	}
	return ending(i/4) % endings
}

// TestLedgerRefusalOfTheClosingRepayment: the by-hand repayment again, but
// the partner's one repayment settles the whole loan with us. Fineract
// refuses its posting after the loan has closed; the refusal is still
// recorded before the workflow ends.
func TestLedgerRefusalOfTheClosingRepayment(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	ref, sched, _ := closedInFineractByHand(t, s, "I40000002T")

	require.Equal(t, "CLOSED", repay(t, s, ref, "closing-pay", sched.Total))
	awaitWorkflowEnd(t, s, ref)
	loan, err := s.store.GetLoan(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, lending.StatusClosed, loan.Status)
	require.Equal(t, "fineract refused repay: fineract: Loan Repayment is not allowed. Loan Account is not active.", loan.ProviderError)
	trail, err := s.store.AuditTrail(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, lending.ActionLedgerRefused, trail[len(trail)-1].Action, "the refusal is the last audit event")
	recordHistory(t, s, ref, "ledger-refused-after-close")
}

// closedInFineractByHand pays out a Fineract loan, then has someone at the
// ledger post its whole repayment by hand, which closes it there. It returns
// the loan's ref, its schedule and its externalId in Fineract.
func closedInFineractByHand(t *testing.T, s *stack, identity string) (int64, schedule, string) {
	t.Helper()
	ctx := context.Background()
	ref := submitLoan(t, s, "fineract", identity)
	releaseCash(t, s, ref, "fineract")
	sched := payOut(t, s, ref)
	ext := "loanflow-" + strconv.FormatInt(ref, 10)
	eventually(t, "the pay-out booked in Fineract", func() bool {
		return s.providers.Sims.Fineract.Stats().Loans[ext].Disbursements == 1
	})
	loan, err := s.store.GetLoan(ctx, ref)
	require.NoError(t, err)
	ledgerID, err := strconv.ParseInt(loan.LedgerLoanID, 10, 64)
	require.NoError(t, err)
	_, err = s.providers.Ledgers.Fineract.MakeRepayment(ctx, ledgerID, fineract.Repayment{
		ExternalID: "by-hand", TransactionDate: time.Now().UTC(), TransactionAmount: sched.Total,
	})
	require.NoError(t, err)
	return ref, sched, ext
}
