package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"

	"github.com/loanflow/loanflow/workflows"
)

// walkLoan runs one loan of product through every step over HTTP, repaid in
// two payments, and waits for its workflow to finish (the ledger included).
func walkLoan(t *testing.T, s *stack, product, identity string) int64 {
	return walkLoanTo(t, s, product, identity, endRepaid)
}

// ending is how a walked loan's life after pay-out ends.
type ending int

const (
	endRepaid    ending = iota // its installments in two repayments
	endSettled                 // the first installment, then the payoff quote
	endRefunded                // overpaid by 10.00, which operations refunds
	endRecovered               // written off, then recovered in full
	endings
)

// walkLoanTo walks a loan through origination and pay-out, ends its life as
// end says, and waits for its workflow to finish (the ledger included).
func walkLoanTo(t *testing.T, s *stack, product, identity string, end ending) int64 {
	t.Helper()
	ref := submitLoan(t, s, product, identity)
	releaseCash(t, s, ref, product)
	sched := payOut(t, s, ref)
	first := sched.Installments[0].Total
	key := func(what string) string { return identity + "-" + what }
	switch end {
	case endRepaid:
		for i, amount := range []decimal.Decimal{first, sched.Total.Sub(first)} {
			repay(t, s, ref, key(fmt.Sprintf("pay-%d", i)), amount)
		}
	case endSettled:
		repay(t, s, ref, key("pay-0"), first)
		settle(t, s, ref, key("settle"))
	case endRefunded:
		extra := decimal.RequireFromString("10.00")
		require.Equal(t, "OVERPAID", repay(t, s, ref, key("pay-all"), sched.Total.Add(extra)))
		staffAction(t, s, ref, "refunds", key("refund"), map[string]any{"amount": extra.StringFixed(2), "reason": "paid once too often"})
	case endRecovered:
		written := staffAction(t, s, ref, "write-off", key("write-off"), map[string]any{"reason": "the borrower cannot be found"})
		require.Equal(t, "WRITTEN_OFF", written["status"])
		repay(t, s, ref, key("recovery"), decimal.RequireFromString(written["written_off"].(string)))
	}
	require.Equal(t, "CLOSED", loanStatus(t, s, ref))
	awaitWorkflowEnd(t, s, ref)
	assertExplained(t, s, ref, applicationFor(product, identity))
	return ref
}

// settle pays the loan off at today's payoff quote.
func settle(t *testing.T, s *stack, ref int64, key string) {
	t.Helper()
	path := fmt.Sprintf("/v1/loans/%d/payoff", ref)
	q := s.do(call{method: "GET", path: path, user: "demo", pass: "demo-secret"})
	require.Equal(t, http.StatusOK, q.status, string(q.body))
	r := s.do(call{method: "POST", path: path, user: "demo", pass: "demo-secret",
		headers: map[string]string{"Idempotency-Key": key}, json: map[string]any{"amount": q.decode(t)["total"]}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
}

// staffAction posts a back-office action on the loan as operations and
// answers the loan it left.
func staffAction(t *testing.T, s *stack, ref int64, action, key string, body map[string]any) map[string]any {
	t.Helper()
	r := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/%s", ref, action), user: "operations", pass: "operations-secret",
		headers: map[string]string{"Idempotency-Key": key}, json: body})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	return r.decode(t)
}

// submitLoan files an application of product; identity makes the applicant
// (for JULO, the customer) one the stack has not seen.
func submitLoan(t *testing.T, s *stack, product, identity string) int64 {
	t.Helper()
	app := applicationFor(product, identity)
	r := s.do(call{method: "POST", path: "/v1/loans", user: "demo", pass: "demo-secret", headers: map[string]string{"Idempotency-Key": identity}, json: app})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	return int64(r.decode(t)["ref"].(float64))
}

// applicationFor is the application submitLoan files.
func applicationFor(product, identity string) map[string]any {
	if product == "julo" {
		return juloApplication(identity)
	}
	app := application("2000.00", 6)
	app["product_code"] = product
	app["applicant"].(map[string]any)["identity_number"] = identity
	return app
}

// releaseCash takes a submitted loan to CASH_RELEASE_AUTHORIZED: JULO's
// onboarding, the approval (ours, or the lender's), both documents and the
// cash release (ours, or the lender's).
func releaseCash(t *testing.T, s *stack, ref int64, product string) {
	t.Helper()
	base, bo := fmt.Sprintf("/v1/loans/%d", ref), fmt.Sprintf("/backoffice/v1/loans/%d", ref)
	ok := func(r reply, status int) reply {
		t.Helper()
		require.Equal(t, status, r.status, string(r.body))
		return r
	}
	if product == "julo" {
		onboardJulo(t, s, ref, false)
	}
	lenderDecides := product == "iute"
	if lenderDecides {
		waitStatus(t, s, ref, "APPROVED")
	} else {
		approved := ok(s.do(call{method: "POST", path: bo + "/approve", user: "underwriter", pass: "underwriter-secret", json: map[string]any{}}), http.StatusOK)
		require.Equal(t, "APPROVED", approved.decode(t)["status"], string(approved.body))
	}
	ok(s.upload(base+"/documents", "signed_agreement", "a.pdf", pdfDoc), http.StatusCreated)
	ok(s.upload(base+"/documents", "bank_statement", "s.pdf", pdfDoc), http.StatusCreated)
	if lenderDecides {
		waitStatus(t, s, ref, "CASH_RELEASE_AUTHORIZED")
	} else {
		awaitBooked(t, s, ref)
		ok(s.do(call{method: "POST", path: bo + "/cash-release/authorize", user: "operations", pass: "operations-secret", json: map[string]any{}}), http.StatusOK)
	}
}

// awaitBooked waits until the loan's ledger, if it has one, holds it: its
// cash release cannot be authorized before, as operations see in the
// console.
func awaitBooked(t *testing.T, s *stack, ref int64) {
	t.Helper()
	// Longer than eventually's wait: with faults injected a booking's
	// several calls may each be retried.
	deadline := time.Now().Add(90 * time.Second)
	for {
		loan := storedLoan(t, s, ref)
		if !loan.Ledger.Books() || loan.LedgerLoanID != "" {
			return
		}
		require.True(t, time.Now().Before(deadline), "loan %d: not booked in %s (%s%s)", ref, loan.Ledger, loan.ProviderError, loan.ProviderWaiting)
		time.Sleep(50 * time.Millisecond)
	}
}

// schedule is what the partner is told the loan repays.
type schedule struct {
	Total        decimal.Decimal
	Installments []installment
}

type installment struct {
	Due   string
	Total decimal.Decimal
}

// payOut confirms the pay-out of an authorized loan and answers its
// schedule.
func payOut(t *testing.T, s *stack, ref int64) schedule {
	t.Helper()
	base := fmt.Sprintf("/v1/loans/%d", ref)
	r := s.do(call{method: "POST", path: base + "/disbursement", user: "demo", pass: "demo-secret", json: map[string]any{}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r = s.do(call{method: "GET", path: base + "/schedule", user: "demo", pass: "demo-secret"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	raw := r.decode(t)
	sched := schedule{Total: decimal.RequireFromString(raw["total"].(string))}
	for _, i := range raw["installments"].([]any) {
		inst := i.(map[string]any)
		sched.Installments = append(sched.Installments, installment{Due: inst["due_date"].(string), Total: decimal.RequireFromString(inst["total"].(string))})
	}
	return sched
}

// repay pays amount today under key and answers the loan's status after it.
func repay(t *testing.T, s *stack, ref int64, key string, amount decimal.Decimal) string {
	t.Helper()
	r := s.do(call{method: "POST", path: fmt.Sprintf("/v1/loans/%d/repayments", ref), user: "demo", pass: "demo-secret",
		headers: map[string]string{"Idempotency-Key": key},
		json:    map[string]any{"amount": amount.StringFixed(2), "paid_on": time.Now().UTC().Format(time.DateOnly)}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	return r.decode(t)["status"].(string)
}

// repayInTwo pays a paid-out loan's first installment, then the rest, under
// the idempotency keys key-0 and key-1.
func repayInTwo(t *testing.T, s *stack, ref int64, sched schedule, key string) {
	t.Helper()
	first := sched.Installments[0].Total
	require.Equal(t, "ACTIVE", repay(t, s, ref, key+"-0", first))
	repay(t, s, ref, key+"-1", sched.Total.Sub(first))
}

// loanStatus is the loan's status as its partner reads it.
func loanStatus(t *testing.T, s *stack, ref int64) string {
	t.Helper()
	r := s.do(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d", ref), user: "demo", pass: "demo-secret"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	return r.decode(t)["status"].(string)
}

// waitStatus polls the loan until it is in status want.
func waitStatus(t *testing.T, s *stack, ref int64, want string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		got := loanStatus(t, s, ref)
		if got == want {
			return
		}
		require.True(t, time.Now().Before(deadline), "loan %d is %s, want %s", ref, got, want)
		time.Sleep(200 * time.Millisecond)
	}
}

// awaitWorkflowEnd waits for the loan's workflow to complete, and says
// where it is stuck if it does not.
func awaitWorkflowEnd(t *testing.T, s *stack, ref int64) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		d, err := s.temporal.DescribeWorkflowExecution(context.Background(), workflows.LoanWorkflowID(ref), "")
		require.NoError(t, err)
		if d.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
			return
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
}
