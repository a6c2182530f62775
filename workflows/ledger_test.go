package workflows_test

import (
	"errors"
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

func TestLedgerRefusalIsRecordedAndTheLoanGoesOn(t *testing.T) {
	h := newHarness(t)
	h.ledgerFail = map[string]error{"book": temporal.NewNonRetryableApplicationError(
		"fineract: Client with externalId loanflow-I12356789T is closed", activities.ErrTypeProviderRefused, nil)}
	payout := walkToActive(h)
	h.send(6*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: restAfter(t, "0")})
	view := h.run(ledgerInput("fineract"))

	require.Equal(t, lending.StatusActive, ok(t, payout).Status)
	require.Equal(t, lending.StatusClosed, view.Status)
	require.Contains(t, view.LedgerError, "is closed")
	require.Empty(t, h.ledger, "nothing is posted after the refusal")
	var refusal *activities.Transition
	for i := range h.transitions {
		if h.transitions[i].Action == "ledger_refused" {
			refusal = &h.transitions[i]
		}
	}
	require.NotNil(t, refusal, "the refusal is in the audit trail")
	require.Equal(t, lending.StatusApproved, refusal.From)
	require.Equal(t, refusal.From, refusal.To)
	require.Contains(t, *refusal.ProviderError, "fineract refused book")
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
