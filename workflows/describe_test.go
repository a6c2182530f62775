package workflows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdkpb "go.temporal.io/api/sdk/v1"

	"github.com/loanflow/loanflow/workflows"
)

// detailsAt reads the loan's current details at the given offset.
func (h *harness) detailsAt(offset time.Duration) *string {
	details := new(string)
	h.env.RegisterDelayedCallback(func() { *details = h.details() }, offset)
	return details
}

// details reads the loan's current details, as the Temporal UI asks for
// them.
func (h *harness) details() string {
	res, err := h.env.QueryWorkflow("__temporal_workflow_metadata")
	require.NoError(h.t, err)
	var md sdkpb.WorkflowMetadata
	require.NoError(h.t, res.Get(&md))
	return md.GetCurrentDetails()
}

// TestCurrentDetailsFollowTheLoan: what an engineer reads on the workflow
// while the loan waits for its approval, when it is 45 days late, and
// once it has ended.
func TestCurrentDetailsFollowTheLoan(t *testing.T) {
	h := newHarness(t)
	submitted := h.detailsAt(30 * time.Minute)
	walkToActive(h)
	late := time.Date(2026, 5, 25, 0, 0, 0, 0, time.UTC)
	arrears := h.detailsAt(at(2026, 5, 25, 12))
	q := h.payoffAt(at(2026, 5, 25, 12), late)
	h.sendWith(at(2026, 5, 25, 13), workflows.UpdateSettle, "settle-1", func() any {
		return workflows.SettleRequest{Actor: "partner:demo", Key: "s1", Amount: q.Total, PaidOn: late}
	})
	in := servicedInput("2000.00", penalties())
	h.run(in)
	ended := h.details()

	has := func(details string, want ...string) {
		t.Helper()
		for _, w := range want {
			require.True(t, strings.Contains(details, w), "current details lack %q:\n%s", w, details)
		}
	}
	has(*submitted, "**Loan 90001 · 2,000.00 MDL · 6 months · consumer**",
		"**Status** SUBMITTED since 2026-03-10 09:00 UTC",
		"**Waiting for** an underwriter's decision until 2026-03-17 09:00 UTC",
		"**Last action** submit by partner:demo at 2026-03-10 09:00 UTC")
	has(*arrears, "**Status** IN_ARREARS since 2026-04-11 00:00 UTC",
		"· **45 day(s) past due** (bucket 31-60)",
		"**Waiting for** a repayment; penalties and days past due are brought up to date daily until 2026-05-26 00:00 UTC",
		"**Last action** delinquency by system at 2026-05-11 00:00 UTC")
	has(ended, "**Status** CLOSED since 2026-05-25 13:00 UTC",
		"**Waiting for** nothing: the loan has ended",
		"**Last action** settle by partner:demo at 2026-05-25 13:00 UTC")
	for _, personal := range []string{in.Applicant.IdentityNumber, in.Applicant.MobilePhone, in.Applicant.HomePhone, in.Applicant.AltContactPhone, "1990-01-01"} {
		for _, d := range []string{*submitted, *arrears, ended} {
			require.NotContains(t, d, personal)
		}
	}
}
