package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/enums/v1"
	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

// consoleURL is the console's public URL the stack's loans link to.
const consoleURL = "https://console.loanflow.test"

// TestLoanWorkflowExplainsItself opens a loan's workflow as an engineer
// does in the Temporal UI: its summary names the loan, its details link to
// the console, its current details follow the loan, and every timer and
// activity of its history says what it is.
func TestLoanWorkflowExplainsItself(t *testing.T) {
	s := startStack(t)
	identity := "I77700001T"
	ref := submitLoan(t, s, "consumer", identity)
	waitFor := func(want ...string) string {
		t.Helper()
		var details string
		eventually(t, "current details "+strings.Join(want, ", "), func() bool {
			details = currentDetails(t, s, ref)
			for _, w := range want {
				if !strings.Contains(details, w) {
					return false
				}
			}
			return true
		})
		return details
	}

	summary, details := staticMetadata(t, s, ref)
	require.Equal(t, fmt.Sprintf("Loan %d · 2,000.00 MDL · 6 months · consumer", ref), summary)
	require.Contains(t, details, fmt.Sprintf("[Open loan %d in the console](%s/backoffice/loans/%d)", ref, consoleURL, ref))
	require.Contains(t, details, "**Partner** demo")
	d := waitFor("**Status** SUBMITTED", "**Waiting for** an underwriter's decision until ")
	require.Contains(t, d, summary, "current details repeat the summary, which a continued run has no other way to show")

	r := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), user: "underwriter", pass: "underwriter-secret", json: map[string]any{}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	waitFor("**Status** APPROVED since ", "**Last action** approve by staff:underwriter at ",
		"**Waiting for** the partner to upload the signed documents")

	base := fmt.Sprintf("/v1/loans/%d", ref)
	for _, kind := range []string{"signed_agreement", "bank_statement"} {
		up := s.upload(base+"/documents", kind, "d.pdf", pdfDoc)
		require.Equal(t, http.StatusCreated, up.status, string(up.body))
	}
	waitFor("**Status** DOCUMENTS_SUBMITTED", "**Waiting for** operations to review the documents and authorize the cash release")
	r = s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/cash-release/authorize", ref), user: "operations", pass: "operations-secret", json: map[string]any{}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	waitFor("**Status** CASH_RELEASE_AUTHORIZED", "**Waiting for** the partner to pay the cash out until ")

	sched := payOut(t, s, ref)
	first := sched.Installments[0]
	waitFor("**Status** ACTIVE", "**Outstanding** "+lending.FormatMoney(sched.Total, 2)+" MDL · next due "+first.Due,
		"**Waiting for** the installment due "+first.Due+" until ", "**Last action** disburse by partner:demo")

	repayInTwo(t, s, ref, sched, identity)
	awaitWorkflowEnd(t, s, ref)
	waitFor("**Status** CLOSED", "**Waiting for** nothing: the loan has ended")
	assertExplained(t, s, ref, applicationFor("consumer", identity))
	assertNoTimerLeftBehind(t, s, ref)
	recordHistory(t, s, ref, "lean-history-repaid")

	// The list queries the README gives engineers find it.
	for _, q := range []string{
		fmt.Sprintf("LoanRef = %d AND Currency = 'MDL' AND LoanStatus = 'CLOSED'", ref),
		fmt.Sprintf("LoanRef = %d AND StatusSince > '2000-01-01T00:00:00Z'", ref),
	} {
		eventually(t, "the list query "+q+" finds the loan", func() bool {
			n, err := s.temporal.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{Namespace: "default", Query: q})
			return err == nil && n.Count == 1
		})
	}
}

// assertExplained checks what an engineer sees of a loan's workflow that
// has ended: every timer and activity of its latest run has a summary of
// ours, not an SDK default, and neither they nor the workflow's details
// carry anything of the applicant's personal data in app.
func assertExplained(t *testing.T, s *stack, ref int64, app map[string]any) {
	t.Helper()
	personal := personalData(app)
	require.NotEmpty(t, personal)
	clean := func(where, text string) {
		t.Helper()
		for _, p := range personal {
			require.NotContains(t, text, p, "%s of loan %d shows the applicant's %q", where, ref, p)
		}
	}
	summary, details := staticMetadata(t, s, ref)
	clean("the static summary", summary)
	clean("the static details", details)
	clean("the current details", currentDetails(t, s, ref))
	for _, ev := range runHistory(t, s, ref, "").Events {
		var what string
		switch ev.EventType {
		case enums.EVENT_TYPE_TIMER_STARTED:
			what = "timer"
		case enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			what = "activity " + ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()
		case enums.EVENT_TYPE_MARKER_RECORDED:
			if ev.GetMarkerRecordedEventAttributes().GetMarkerName() != "LocalActivity" {
				continue // a version marker
			}
			what = "local activity"
		default:
			continue
		}
		text := decodeString(t, ev.GetUserMetadata().GetSummary())
		require.NotEmpty(t, text, "loan %d: event %d, a %s, has no summary", ref, ev.EventId, what)
		require.NotContains(t, []string{"AwaitWithTimeout", "Sleep", "Await"}, text, "loan %d: event %d, a %s, has the SDK's default summary", ref, ev.EventId, what)
		clean(fmt.Sprintf("the summary of event %d (%s)", ev.EventId, what), text)
	}
}

// assertNoTimerLeftBehind: every timer the loan's workflow started fired or
// was cancelled once no wait needed it, but the one it waited on last.
// Left pending, each would fire later into nothing: a timer event and a
// workflow task more in the loan's history.
func assertNoTimerLeftBehind(t *testing.T, s *stack, ref int64) {
	t.Helper()
	pending := map[string]string{}
	for _, ev := range runHistory(t, s, ref, "").Events {
		switch ev.EventType {
		case enums.EVENT_TYPE_TIMER_STARTED:
			pending[ev.GetTimerStartedEventAttributes().GetTimerId()] = decodeString(t, ev.GetUserMetadata().GetSummary())
		case enums.EVENT_TYPE_TIMER_FIRED:
			delete(pending, ev.GetTimerFiredEventAttributes().GetTimerId())
		case enums.EVENT_TYPE_TIMER_CANCELED:
			delete(pending, ev.GetTimerCanceledEventAttributes().GetTimerId())
		}
	}
	require.LessOrEqual(t, len(pending), 1, "loan %d left timers pending: %v", ref, pending)
}

// personalData is every value of the applicant's the application carries
// that could identify them, long enough not to match by chance.
func personalData(app map[string]any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if len(v) >= 5 {
				out = append(out, v)
			}
		}
	}
	walk(app["applicant"])
	walk(app["julo"])
	return out
}

// staticMetadata is the workflow's static summary and details.
func staticMetadata(t *testing.T, s *stack, ref int64) (summary, details string) {
	t.Helper()
	d, err := s.temporal.DescribeWorkflowExecution(context.Background(), workflows.LoanWorkflowID(ref), "")
	require.NoError(t, err)
	md := d.GetExecutionConfig().GetUserMetadata()
	return decodeString(t, md.GetSummary()), decodeString(t, md.GetDetails())
}

// currentDetails is what the workflow says of itself now, as the UI asks it.
func currentDetails(t *testing.T, s *stack, ref int64) string {
	t.Helper()
	v, err := s.temporal.QueryWorkflow(context.Background(), workflows.LoanWorkflowID(ref), "", "__temporal_workflow_metadata")
	require.NoError(t, err)
	var md sdkpb.WorkflowMetadata
	require.NoError(t, v.Get(&md))
	return md.GetCurrentDetails()
}

func decodeString(t *testing.T, p *commonpb.Payload) string {
	t.Helper()
	if p == nil {
		return ""
	}
	var s string
	require.NoError(t, converter.GetDefaultDataConverter().FromPayload(p, &s))
	return s
}
