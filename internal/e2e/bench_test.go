package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/loadtest"
)

// TestLoadHarnessDrivesWholeLoans: `loanflow bench` takes its loans to
// CLOSED over HTTP, runs the bare baseline on the same server and reports
// every call; a few loans here, the figures come from `make bench`.
func TestLoadHarnessDrivesWholeLoans(t *testing.T) {
	s := startStack(t)
	rep, err := loadtest.Run(context.Background(), loadtest.Options{
		API:     s.api.URL,
		Partner: loadtest.Credential{User: "demo", Secret: "demo-secret"}, Underwriter: loadtest.Credential{User: "underwriter", Secret: "underwriter-secret"},
		Operations: loadtest.Credential{User: "operations", Secret: "operations-secret"},
		Loans:      3, Concurrency: 3, Quotes: 20, Identity: 31000000, Temporal: s.temporal,
	})
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	require.Equal(t, 3, rep.Loans)
	require.Positive(t, rep.LoansPerSecond)
	require.Positive(t, rep.BareLoansPerSecond)
	require.LessOrEqual(t, rep.HistoryEvents, int64(100), "a whole 6-installment loan in at most 100 history events (issue 13)")
	require.GreaterOrEqual(t, rep.HistoryEvents, rep.BareHistoryEvents, "loanflow's loan records at least what the bare lifecycle does")
	require.Greater(t, rep.BareHistoryEvents, int64(2*11), "each Update is accepted and completed")
	require.Positive(t, rep.QuotesPerSecond)
	require.Positive(t, rep.BareQuotesPerSec)
	for call, n := range map[string]int{"submit": 3, "approve": 3, "upload": 6, "authorize": 3, "disburse": 3, "schedule": 3, "repay": 18, "quote": 21, "quote-bare": 20} {
		require.Equal(t, n, rep.Calls[call].Count(), call)
	}
	for status := range rep.Statuses {
		require.Equal(t, 2, status/100, "every call answered 2xx: %v", rep.Statuses)
	}
	var out strings.Builder
	rep.Print(&out)
	require.Contains(t, out.String(), "loans: 3 closed, 0 failed")
	require.Contains(t, out.String(), "ratio")
}
