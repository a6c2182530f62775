package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

func scrape(t *testing.T) string {
	t.Helper()
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	b, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	return string(b)
}

func TestBusinessMetricsAreServed(t *testing.T) {
	Transition(lending.StatusSubmitted, lending.StatusApproved)
	Transition(lending.StatusSubmitted, lending.StatusApproved)
	Transition(lending.StatusActive, lending.StatusClosed)
	// Ten times 0.10 is exactly 1 however the float of each would round.
	for range 10 {
		Repaid("MDL", decimal.RequireFromString("0.10"))
	}
	Disbursed("MDL", decimal.RequireFromString("2000.00"))
	Disbursed("IDR", decimal.RequireFromString("5000000"))

	body := scrape(t)
	for _, want := range []string{
		`loanflow_loan_transitions_total{from="SUBMITTED",to="APPROVED"} 2`,
		`loanflow_loan_transitions_total{from="ACTIVE",to="CLOSED"} 1`,
		`loanflow_repaid_amount_total{currency="MDL"} 1` + "\n",
		`loanflow_disbursed_amount_total{currency="MDL"} 2000`,
		`loanflow_disbursed_amount_total{currency="IDR"} 5e+06`,
		"# TYPE loanflow_repaid_amount_total counter",
		"go_goroutines",
	} {
		require.True(t, strings.Contains(body, want), "missing %q in\n%s", want, body)
	}
}
