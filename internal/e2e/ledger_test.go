package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/converter"

	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/lending"
	fineractsim "github.com/loanflow/loanflow/providers/fineract/sim"
	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
	julosim "github.com/loanflow/loanflow/providers/julo/sim"
	mambusim "github.com/loanflow/loanflow/providers/mambu/sim"
	"github.com/loanflow/loanflow/workflows"
)

// walkLoan runs one loan of product through every step over HTTP, repaid in
// two payments, and waits for its workflow to finish (the ledger included).
func walkLoan(t *testing.T, s *stack, product, identity string) int64 {
	t.Helper()
	app := application("2000.00", 6)
	app["product_code"] = product
	app["applicant"].(map[string]any)["identity_number"] = identity
	if product == "julo" {
		app = juloApplication(identity)
	}
	partner := func(c call) reply { c.user, c.pass = "demo", "demo-secret"; return s.do(c) }
	ok := func(r reply, status int) reply {
		t.Helper()
		require.Equal(t, status, r.status, string(r.body))
		return r
	}
	r := ok(partner(call{method: "POST", path: "/v1/loans", headers: map[string]string{"Idempotency-Key": identity}, json: app}), http.StatusCreated)
	ref := int64(r.decode(t)["ref"].(float64))
	base, bo := fmt.Sprintf("/v1/loans/%d", ref), fmt.Sprintf("/backoffice/v1/loans/%d", ref)
	waitStatus := func(want string) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			got := partner(call{method: "GET", path: base}).decode(t)["status"]
			if got == want {
				return
			}
			require.True(t, time.Now().Before(deadline), "loan %d is %v, want %s", ref, got, want)
			time.Sleep(200 * time.Millisecond)
		}
	}
	if product == "julo" {
		onboardJulo(t, s, ref, false)
	}
	lenderDecides := product == "iute"
	if lenderDecides {
		waitStatus("APPROVED")
	} else {
		approved := ok(s.do(call{method: "POST", path: bo + "/approve", user: "underwriter", pass: "underwriter-secret", json: map[string]any{}}), http.StatusOK)
		require.Equal(t, "APPROVED", approved.decode(t)["status"], string(approved.body))
	}
	ok(s.upload(base+"/documents", "signed_agreement", "a.pdf", pdfDoc), http.StatusCreated)
	ok(s.upload(base+"/documents", "bank_statement", "s.pdf", pdfDoc), http.StatusCreated)
	if lenderDecides {
		waitStatus("CASH_RELEASE_AUTHORIZED")
	} else {
		ok(s.do(call{method: "POST", path: bo + "/cash-release/authorize", user: "operations", pass: "operations-secret", json: map[string]any{}}), http.StatusOK)
	}
	ok(partner(call{method: "POST", path: base + "/disbursement", json: map[string]any{}}), http.StatusOK)
	sched := ok(partner(call{method: "GET", path: base + "/schedule"}), http.StatusOK).decode(t)
	first := sched["installments"].([]any)[0].(map[string]any)["total"].(string)
	rest := decimal.RequireFromString(sched["total"].(string)).Sub(decimal.RequireFromString(first))
	today := time.Now().UTC().Format(time.DateOnly)
	for i, amount := range []string{first, rest.StringFixed(2)} {
		ok(partner(call{method: "POST", path: base + "/repayments", headers: map[string]string{"Idempotency-Key": fmt.Sprintf("%s-pay-%d", identity, i)},
			json: map[string]any{"amount": amount, "paid_on": today}}), http.StatusOK)
	}
	require.Equal(t, "CLOSED", partner(call{method: "GET", path: base}).decode(t)["status"])
	deadline := time.Now().Add(90 * time.Second)
	for {
		d, err := s.temporal.DescribeWorkflowExecution(context.Background(), workflows.LoanWorkflowID(ref), "")
		require.NoError(t, err)
		if d.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
			break
		}
		if time.Now().After(deadline) {
			for _, pa := range d.PendingActivities {
				t.Logf("loan %d: pending %s attempt %d: %v", ref, pa.ActivityType.GetName(), pa.Attempt, pa.LastFailure)
			}
			if v, err := s.temporal.QueryWorkflow(context.Background(), workflows.LoanWorkflowID(ref), "", workflows.QueryStatus); err == nil {
				var view workflows.LoanView
				_ = v.Get(&view)
				t.Logf("loan %d: %s ledger pending %d error %q lender pending %d error %q", ref, view.Status,
					view.LedgerPending, view.LedgerError, view.LenderPending, view.LenderError)
			}
			if v, err := s.temporal.QueryWorkflow(context.Background(), workflows.LoanWorkflowID(ref), "", "__stack_trace"); err == nil {
				var trace string
				_ = v.Get(&trace)
				t.Logf("loan %d: stack\n%s", ref, trace)
			}
			t.Fatalf("loan %d: the workflow did not finish", ref)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ref
}

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
		})
	}
}

// TestFaultyProvidersNeitherDuplicateNorLose runs 50 loans to CLOSED, a
// quarter each through Fineract, Mambu, Iute and JULO, while every simulator
// fails 30 % of calls: 15 % answered 5xx, 15 % committed and then the
// connection dropped. Each ledger ends holding exactly one client, one loan,
// one disbursement and one transaction per repayment for each loan, Iute one
// loan with each repayment once, and JULO one registration per loan, its
// phone verified and its application completed.
func TestFaultyProvidersNeitherDuplicateNorLose(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 50 loans through faulty providers; skipped with -short")
	}
	s := startStackWith(t, integrations.Options{
		FineractFaults: fineractsim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 7},
		MambuFaults:    mambusim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 11},
		IuteFaults:     iutesim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 13},
		JuloFaults:     julosim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 17},
	})
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
			refs[i] = walkLoan(t, s, product, fmt.Sprintf("I%08dT", 20000000+i))
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
			require.Equal(t, [2]int{1, 2}, [2]int{l.Disbursements, l.Repayments}, ext)
		case "mambu":
			l, ok := mam.Loans[ext]
			require.True(t, ok, ext)
			require.Equal(t, [2]int{1, 2}, [2]int{l.Disbursements, l.Repayments}, ext)
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
