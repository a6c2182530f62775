package workflows_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

// storedPaths are the workflow paths with a history in testdata/, each
// <path>.history.json recorded from a real run by the end-to-end tests:
//
//	LOANFLOW_RECORD_HISTORY=$PWD/workflows/testdata go test ./internal/e2e/ -run <test>
//
// A history is kept when the workflow changes, not re-recorded: loans
// started before the change are still running on it.
var storedPaths = []string{
	"whole-loan",                 // our own funds, no ledger, to CLOSED
	"auto-rejected",              // the rules reject the application
	"cancelled",                  // the partner cancels an approved loan
	"julo-loan",                  // JULO onboarding, a wrong OTP then the right one, to CLOSED
	"iute-loan",                  // Iute decides and releases the cash, is told of each repayment
	"fineract-loan",              // booked, paid out, repaid and reconciled in Fineract
	"mambu-loan",                 // the same in Mambu
	"ledger-refused",             // Fineract refuses a repayment: the ledger sync stops, the loan closes
	"ledger-refused-after-close", // Fineract refuses the closing repayment: recorded before the end (version refusal-keeps-outbox-busy)
	"approval-expired",           // no decision within the approval TTL
	"cash-release-expired",       // not paid out within the product's cash-release window
	"arrears-cured",              // an installment overdue, IN_ARREARS, repaid back to ACTIVE, CLOSED
	"continued-as-new",           // the first run, continued as new while being repaid
	"continued-as-new-closed",    // the run it continued as, to CLOSED
	// Serviced on an account (version servicing):
	"arrears-penalties-settled",       // overdue with penalties, cured penalties first, settled at the payoff quote
	"arrears-waived-deferred-settled", // in arrears, penalties partly waived, a payment holiday, settled
	"serviced-settled",                // Fineract: an installment, then settled (a foreclosure there)
	"serviced-overpaid-refunded",      // Fineract: overpaid, then the overpayment refunded
	"serviced-written-off-recovered",  // Fineract: written off, then recovered in full
	// Every timer and activity with a summary, StatusSince upserted with LoanStatus:
	"explained-repaid", // our own funds, repaid in two to CLOSED
	// Local activities for the loan's own work, one pending timer (version lean-history):
	"lean-history-repaid",          // our own funds, repaid in two to CLOSED
	"lean-history-arrears-settled", // overdue with penalties accrued daily, cured, settled
	// The ledger holds the loan before its pay-out (version payout-awaits-booking):
	"payout-awaits-booking", // Mambu refuses the product key, a release waits and is refused, the key is fixed, booked, CLOSED
	// JULO steps whose answer was lost, resolved by operations (still SUBMITTED when recorded):
	"julo-registration-linked",   // the registration's answer lost, the repeat refused, the application linked
	"julo-verification-resolved", // the OTP verdict lost, verification pending, confirmed verified
	// A partner's webhook delivery (WebhookDeliveryWorkflow), not a loan:
	"webhook-delivery", // a loan's events, the endpoint refusing the first attempts, then an admin's redelivery
	// Per loan, several loans at once (version per-loan-webhooks):
	"webhook-delivery-per-loan", // the same
}

func historyFile(path string) string { return filepath.Join("testdata", path+".history.json") }

// replay replays a stored history against wf registered as LoanWorkflow
// (a partner's webhook delivery replays against its own workflow).
// The error says what did not replay; the SDK's log would only repeat it
// with a stack trace.
func replay(wf any, path string) error {
	return replayBoth(wf, workflows.WebhookDeliveryWorkflow, path)
}

// replayBoth replays a stored history with loan and delivery registered as
// the loan and the webhook delivery workflows.
func replayBoth(loan, delivery any, path string) error {
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(loan, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
	r.RegisterWorkflowWithOptions(delivery, workflow.RegisterOptions{Name: workflows.WebhookDeliveryWorkflowName})
	quiet := log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	return r.ReplayWorkflowHistoryFromJSONFile(quiet, historyFile(path))
}

// TestReplayStoredHistories: a workflow change that would break running
// loans on any stored path fails here, and so does a stored history lost.
func TestReplayStoredHistories(t *testing.T) {
	files, err := filepath.Glob(historyFile("*"))
	require.NoError(t, err)
	var stored []string
	for _, f := range files {
		stored = append(stored, strings.TrimSuffix(filepath.Base(f), ".history.json"))
	}
	require.ElementsMatch(t, storedPaths, stored, "testdata holds one history for every path in storedPaths, and no other")
	for _, path := range storedPaths {
		t.Run(path, func(t *testing.T) {
			require.NoError(t, replay(workflows.LoanWorkflow, path))
		})
	}
}

// TestReplayFailsOnAChangedWorkflow: replaying a stored history against a
// workflow that now takes another step fails, as a running loan would.
func TestReplayFailsOnAChangedWorkflow(t *testing.T) {
	for _, c := range []struct {
		name, path string
		wf         func(workflow.Context, *workflows.LoanInput) (*workflows.LoanView, error)
	}{
		{"a timer before the loan starts", "whole-loan", func(ctx workflow.Context, in *workflows.LoanInput) (*workflows.LoanView, error) {
			if err := workflow.Sleep(ctx, time.Minute); err != nil {
				return nil, err
			}
			return workflows.LoanWorkflow(ctx, in)
		}},
		{"an Iute loan decided by our underwriters", "iute-loan", func(ctx workflow.Context, in *workflows.LoanInput) (*workflows.LoanView, error) {
			in.Product.Lender = lending.LenderSelf
			return workflows.LoanWorkflow(ctx, in)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, replay(workflows.LoanWorkflow, c.path), "the stored history replays unchanged")
			// TMPRL1100 is the SDK's code for a workflow that no longer
			// matches its history.
			require.ErrorContains(t, replay(c.wf, c.path), "TMPRL1100")
		})
	}
}

// TestReplayFailsOnAChangedWebhookDelivery: the delivery workflow's stored
// history guards it as the loans' guard theirs.
func TestReplayFailsOnAChangedWebhookDelivery(t *testing.T) {
	require.NoError(t, replay(workflows.LoanWorkflow, "webhook-delivery"))
	changed := func(ctx workflow.Context, in *workflows.WebhookDeliveryInput) error {
		if err := workflow.Sleep(ctx, time.Second); err != nil {
			return err
		}
		return workflows.WebhookDeliveryWorkflow(ctx, in)
	}
	require.ErrorContains(t, replayBoth(workflows.LoanWorkflow, changed, "webhook-delivery"), "TMPRL1100")
}
