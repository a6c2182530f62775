package workflows_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

func iuteInput() *workflows.LoanInput {
	in := input("2000.00", 6)
	in.Product.Code, in.Product.Lender = "iute", lending.LenderIute
	return in
}

// TestIuteDecidesTheLoan: the application is filed with Iute, whose
// decision and cash-release authorization drive our state; our staff cannot
// decide in its place; the pay-out and repayments are reported to Iute.
func TestIuteDecidesTheLoan(t *testing.T) {
	h := newHarness(t)
	h.decisions = []string{activities.DecisionPending, activities.DecisionPending} // approved on the third look
	h.releases = []bool{false}
	staffApprove := h.send(time.Second, workflows.UpdateApprove, "approve-u1", staff("u1"))
	approved := h.statusAt(time.Minute)
	h.send(time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	staffAuthorize := h.send(2*time.Hour+time.Second, workflows.UpdateAuthorizeCashRelease, "auth", staff("ops"))
	authorized := h.statusAt(3 * time.Hour)
	h.send(4*time.Hour, workflows.UpdateConfirmDisbursement, "disburse", workflows.DisbursementRequest{Actor: "partner:demo"})
	h.send(5*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: decimal.RequireFromString("100.00")})
	h.send(6*time.Hour, workflows.UpdateRepay, "r2", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r2", Amount: restAfter(t, "100.00")})
	view := h.run(iuteInput())

	require.Equal(t, workflows.ErrTypeIllegalTransition, errType(t, staffApprove.rejected))
	require.Equal(t, workflows.ErrTypeIllegalTransition, errType(t, staffAuthorize.rejected))
	require.Equal(t, lending.StatusApproved, *approved)
	require.Equal(t, lending.StatusCashReleaseAuthorized, *authorized)
	require.Equal(t, lending.StatusClosed, view.Status)
	require.Equal(t, "7001", view.LenderLoanID)
	require.Equal(t, uint(50), view.Documents[lending.DocLenderAgreement])
	require.Equal(t, lending.Actor("lender:iute"), view.CashReleaseAuthorizedBy)
	rest := view.TotalRepayable.Sub(decimal.RequireFromString("100.00")).StringFixed(2)
	require.Equal(t, []string{
		"submit", "decision 7001", "decision 7001", "decision 7001", "agreement",
		"upload 1 2", "cash-release?", "cash-release?",
		"confirm", "repay 100.00 after 0.00", "repay " + rest + " after 100.00",
	}, h.lender)
	var actors []string
	for _, tr := range h.transitions {
		actors = append(actors, string(tr.Actor)+" "+string(tr.To))
	}
	require.Contains(t, actors, "lender:iute APPROVED")
	require.Contains(t, actors, "lender:iute CASH_RELEASE_AUTHORIZED")
}

func TestIuteRejectionAndCancellation(t *testing.T) {
	t.Run("Iute rejects", func(t *testing.T) {
		h := newHarness(t)
		h.decisions = []string{activities.DecisionPending, activities.DecisionRejected}
		view := h.run(iuteInput())
		require.Equal(t, lending.StatusRejected, view.Status)
		require.Equal(t, "rejected by Iute Credit", view.Reason)
	})
	t.Run("the partner cancels while Iute decides", func(t *testing.T) {
		h := newHarness(t)
		h.decisions = []string{activities.DecisionPending, activities.DecisionPending, activities.DecisionPending}
		h.send(7*time.Second, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		view := h.run(iuteInput())
		require.Equal(t, lending.StatusCancelled, view.Status)
		require.Equal(t, "cancel", h.lender[len(h.lender)-1], "the application is withdrawn at Iute too")
	})
	t.Run("no decision within the SLA", func(t *testing.T) {
		h := newHarness(t)
		h.decisions = make([]string, 2000)
		for i := range h.decisions {
			h.decisions[i] = activities.DecisionPending
		}
		view := h.run(iuteInput())
		require.Equal(t, lending.StatusExpired, view.Status)
		require.Equal(t, "cancel", h.lender[len(h.lender)-1])
		// Backing off to ten minutes: a week of waiting is about a thousand looks, not a hundred thousand.
		require.Less(t, len(h.lender), 1100)
	})
}

// TestUpdateDuringATransitionInFlight: the database says CASH_RELEASE_AUTHORIZED
// as soon as the transition is persisted, before the workflow applies it; a
// partner confirming the pay-out in that window is not refused.
func TestUpdateDuringATransitionInFlight(t *testing.T) {
	h := newHarness(t)
	h.slowTo = lending.StatusCashReleaseAuthorized
	h.send(time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	// The lender's authorization is being persisted from about 2h00m05s to 2h01m05s.
	early := h.send(2*time.Hour+30*time.Second, workflows.UpdateConfirmDisbursement, "disburse", workflows.DisbursementRequest{Actor: "partner:demo"})
	h.send(3*time.Hour, workflows.UpdateRepay, "r", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r", Amount: restAfter(t, "0")})
	view := h.run(iuteInput())
	require.NoError(t, early.rejected)
	require.Equal(t, lending.StatusActive, ok(t, early).Status)
	require.Equal(t, lending.StatusClosed, view.Status)
}

// TestWaitingForTheLenderContinuesAsNew: weeks of polling a lender grow the
// history; the loan continues as new in SUBMITTED with its lender ref.
func TestWaitingForTheLenderContinuesAsNew(t *testing.T) {
	h := newHarness(t)
	h.decisions = make([]string, 100)
	for i := range h.decisions {
		h.decisions[i] = activities.DecisionPending
	}
	h.env.RegisterDelayedCallback(func() { h.env.SetCurrentHistoryLength(900) }, time.Hour)
	in := iuteInput()
	in.HistoryLimit = 800
	h.env.ExecuteWorkflow(workflows.LoanWorkflowName, in)
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(h.env.GetWorkflowError(), &can), "want continue-as-new, got %v", h.env.GetWorkflowError())
	var next workflows.LoanInput
	require.NoError(t, converterGet(can, &next))
	require.Equal(t, lending.StatusSubmitted, next.State.Status)
	require.Equal(t, "7001", next.State.LenderLoanID, "the application is not filed again")
}

func TestRepaymentDatedBeforeThePayoutIsPostedOnThePayoutDate(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	h.send(6*time.Hour, workflows.UpdateRepay, "r0", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r0",
		Amount: decimal.RequireFromString("10.00"), PaidOn: start.AddDate(0, 0, -3)})
	h.send(7*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: restAfter(t, "10.00")})
	h.run(ledgerInput("fineract"))
	require.Contains(t, h.ledger, "repay L-77 r0 10.00")
	require.Equal(t, "2026-03-10", h.ledgerDates["r0"], "a ledger refuses dates before the pay-out")
}
