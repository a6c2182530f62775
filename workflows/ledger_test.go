package workflows_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

func isNonRetryable(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.NonRetryable()
}

func amountOf(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.StringFixed(2)
}

func ledgerInput(ledger lending.Ledger) *workflows.LoanInput {
	in := input("2000.00", 6)
	in.Product.Code, in.Product.Ledger = string(ledger), ledger
	return in
}

func TestLedgerFollowsTheLoan(t *testing.T) {
	h := newHarness(t)
	h.ledgerFail = map[string]error{"repay": errors.New("connection reset")} // one transient failure
	walkToActive(h)
	h.send(6*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: decimal.RequireFromString("100.00")})
	h.send(7*time.Hour, workflows.UpdateRepay, "r2", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r2", Amount: restAfter(t, "100.00")})
	view := h.run(ledgerInput("fineract"))

	require.Equal(t, lending.StatusClosed, view.Status)
	require.Equal(t, "L-77", view.LedgerLoanID)
	require.Zero(t, view.LedgerPending, "the workflow ends only once the ledger has everything")
	total := view.TotalRepayable.Sub(decimal.RequireFromString("100.00"))
	require.Equal(t, []string{
		"book",
		"disburse L-77  2000.00",
		"reconcile L-77",
		"repay L-77 r1 100.00",
		"repay L-77 r2 " + total.StringFixed(2), // the overpayment stays with us
	}, h.ledger)
}

// TestARefusedBookingHoldsThePayout: the ledger is the system of record.
// While it refuses to book the loan, the cash release cannot be authorized
// (the money would go out unbooked); once the cause is fixed and operations
// retry, the booking lands and the loan goes on to pay-out and closure.
func TestARefusedBookingHoldsThePayout(t *testing.T) {
	h := newHarness(t)
	h.ledgerFail = map[string]error{"book": temporal.NewNonRetryableApplicationError(
		"fineract: Client with externalId loanflow-I12356789T is closed", activities.ErrTypeProviderRefused, nil)}
	h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(3*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	held := h.send(4*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth-1", staff("ops"))
	h.env.RegisterDelayedCallback(func() { // the client is reopened in Fineract
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.ledgerFail, "book")
	}, 4*time.Hour+30*time.Minute)
	retried := h.send(5*time.Hour, workflows.UpdateRetryProvider, "retry-1", staff("ops"))
	again := h.send(6*time.Hour, workflows.UpdateRetryProvider, "retry-2", staff("ops"))
	authorized := h.send(7*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth-2", staff("ops"))
	payout := h.send(8*time.Hour, workflows.UpdateConfirmDisbursement, "disburse", workflows.DisbursementRequest{Actor: "partner:demo"})
	h.send(9*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: restAfter(t, "0")})
	view := h.run(ledgerInput("fineract"))

	require.ErrorContains(t, held.rejected, "the cash release waits for fineract to book the loan, which fineract refused")
	require.ErrorContains(t, held.rejected, "is closed")
	require.Equal(t, lending.StatusDocumentsSubmitted, ok(t, retried).Status)
	require.Empty(t, ok(t, retried).LedgerError, "the retry clears the refusal")
	require.ErrorContains(t, again.rejected, "nothing to retry", "the booking went through: nothing is refused any more")
	require.Equal(t, lending.StatusCashReleaseAuthorized, ok(t, authorized).Status)
	require.Equal(t, lending.StatusActive, ok(t, payout).Status)
	require.Equal(t, lending.StatusClosed, view.Status)
	require.Equal(t, "L-77", view.LedgerLoanID)
	require.Equal(t, []string{"book", "disburse L-77  2000.00", "reconcile L-77"}, h.ledger[:3], "booked before the pay-out")

	var actions []lending.Action
	for _, tr := range h.transitions {
		actions = append(actions, tr.Action)
		if tr.Action == lending.ActionProviderRetry {
			require.Equal(t, "", *tr.ProviderError, "the retry clears the refusal on the loan row")
			require.Equal(t, lending.Actor("staff:ops"), tr.Actor)
		}
	}
	require.Subset(t, actions, []lending.Action{lending.ActionLedgerRefused, lending.ActionProviderRetry})
	require.Less(t, slices.Index(actions, lending.ActionProviderRetry), slices.Index(actions, lending.ActionAuthorizeRelease))
}

// TestALenderCannotReleaseAnUnbookedLoan: a loan its lender decides is
// also booked before its cash release, whatever the lender answers.
func TestALenderCannotReleaseAnUnbookedLoan(t *testing.T) {
	h := newHarness(t)
	h.ledgerFail = map[string]error{"book": temporal.NewNonRetryableApplicationError(
		"fineract: loan product 1 is closed", activities.ErrTypeProviderRefused, nil)}
	h.send(1*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	heldAt := h.statusAt(24 * time.Hour)
	h.env.RegisterDelayedCallback(func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.ledgerFail, "book")
	}, 25*time.Hour)
	h.send(26*time.Hour, workflows.UpdateRetryProvider, "retry-1", staff("ops"))
	releasedAt := h.statusAt(27 * time.Hour)
	in := ledgerInput("fineract")
	in.Product.Lender = lending.LenderIute
	view := h.run(in) // the partner never pays out: the release window ends it

	require.Equal(t, lending.StatusExpired, view.Status)
	require.Equal(t, lending.StatusDocumentsSubmitted, *heldAt, "the lender allows the release, the ledger does not hold the loan")
	require.Equal(t, lending.StatusCashReleaseAuthorized, *releasedAt)
}

func TestNoLedgerPostsNothing(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	h.send(6*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: restAfter(t, "0")})
	require.Equal(t, lending.StatusClosed, h.run(input("2000.00", 6)).Status)
	require.Empty(t, h.ledger)
}

// TestLedgerRefusalOfTheLastPostingIsRecorded: a refusal of the posting
// that closes the loan lands after the loan's last transition; it is still
// recorded on the loan before the workflow ends, not lost with it.
func TestLedgerRefusalOfTheLastPostingIsRecorded(t *testing.T) {
	h := newHarness(t)
	h.ledgerFail = map[string]error{"repay": temporal.NewNonRetryableApplicationError(
		"fineract: Loan Account is not active", activities.ErrTypeProviderRefused, nil)}
	walkToActive(h)
	h.send(6*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: restAfter(t, "0")})
	view := h.run(ledgerInput("fineract"))

	require.Equal(t, lending.StatusClosed, view.Status)
	require.Contains(t, view.LedgerError, "not active")
	last := h.transitions[len(h.transitions)-1]
	require.Equal(t, lending.ActionLedgerRefused, last.Action, "the refusal is the loan's last audit event")
	require.Contains(t, *last.ProviderError, "fineract refused repay")
}
