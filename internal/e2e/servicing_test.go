package e2e_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestServicingEndsOverHTTP: a Fineract loan ends each way a serviced loan
// can end, and each way's history is kept for the replay test.
func TestServicingEndsOverHTTP(t *testing.T) {
	s := startStack(t)
	for end, name := range map[ending]string{endSettled: "settled", endRefunded: "overpaid-refunded", endRecovered: "written-off-recovered"} {
		ref := walkLoanTo(t, s, "fineract", fmt.Sprintf("I8%07dT", end), end)
		recordHistory(t, s, ref, "serviced-"+name)
	}
}

// TestArrearsWaivedAndDeferred: a loan in arrears has part of its penalties
// waived by operations and a payment holiday granted by an underwriter,
// which cures it; it is then settled.
func TestArrearsWaivedAndDeferred(t *testing.T) {
	s := startStackWith(t, stackOptions{worker: payOutInThePast})
	ref := submitLoan(t, s, "consumer", "I81000001T")
	releaseCash(t, s, ref, "consumer")
	sched := payOut(t, s, ref)
	waitStatus(t, s, ref, "IN_ARREARS")

	waived := staffAction(t, s, ref, "waivers", "waive-1", map[string]any{"component": "penalties", "amount": "10.00", "reason": "first time late"})
	require.Equal(t, "IN_ARREARS", waived["status"])
	r := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/reschedule", ref), user: "underwriter", pass: "underwriter-secret",
		headers: map[string]string{"Idempotency-Key": "holiday-1"}, json: map[string]any{"defer_periods": 1, "reason": "lost their job"}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	moved := r.decode(t)
	require.Equal(t, "ACTIVE", moved["status"], "nothing is overdue once the installments moved")
	require.EqualValues(t, 0, moved["days_past_due"])

	after := s.do(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d/schedule", ref), user: "demo", pass: "demo-secret"}).decode(t)
	require.NotEqual(t, sched.Installments[0].Due, after["installments"].([]any)[0].(map[string]any)["due_date"])

	settle(t, s, ref, "settle-after-holiday")
	require.Equal(t, "CLOSED", loanStatus(t, s, ref))
	awaitWorkflowEnd(t, s, ref)
	recordHistory(t, s, ref, "arrears-waived-deferred-settled")
}
