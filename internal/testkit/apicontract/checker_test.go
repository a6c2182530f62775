package apicontract

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// loan is a Loan as the code answers it.
func loan() map[string]any {
	return map[string]any{
		"ref": 90000, "status": "SUBMITTED", "reason_codes": []any{}, "reason": "", "product_code": "consumer",
		"currency": "MDL", "amount": "2000.00", "term_months": 6, "annual_interest_rate": "36",
		"installment_amount": "369.05", "total_repayable": "2214.30", "repaid": "0.00", "remaining": nil,
		"apr": "42.58", "first_repayment_date": "2025-04-10", "disbursed_on": nil, "closed_on": nil,
		"days_past_due": 0, "delinquency_bucket": nil, "penalties_due": "0.00", "overpaid": "0.00",
		"written_off": "0.00", "recovered": "0.00", "created_at": "2025-03-10T09:30:00Z",
		"submitted_by": "Mike", "office": "Main office",
		"applicant": map[string]any{
			"identity_number": "I12356789T", "first_name": "John", "last_name": "Smith", "patronymic": "James",
			"birth_date": "1990-01-01", "document_serial": "200000907", "mobile_phone": "0123456789",
			"home_phone": "012345678", "alt_contact": map[string]any{"name": "June", "relation": "sister", "phone": "0987654321"},
			"address": map[string]any{"town": "Chisinau", "street": "Long street", "house": "11", "apartment": ""},
		},
	}
}

// answer is what a fake API answers.
type answer struct {
	status int
	ctype  string
	body   any
}

func check(t *testing.T, method, target, body string, a answer) []string {
	t.Helper()
	c, err := Shared()
	require.NoError(t, err)
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.SetBasicAuth("demo", "demo-secret")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	if a.ctype == "" {
		a.ctype = "application/json; charset=utf-8"
	}
	rec.Header().Set("Content-Type", a.ctype)
	rec.Header().Set("RateLimit-Limit", "40")
	rec.WriteHeader(a.status)
	raw, err := json.Marshal(a.body)
	require.NoError(t, err)
	_, _ = rec.Write(raw)
	return c.Check(req, []byte(body), rec)
}

func problem(status int, fields ...string) answer {
	errs := []any{}
	for _, f := range fields {
		errs = append(errs, map[string]any{"field": f, "message": "unknown field"})
	}
	return answer{status: status, ctype: "application/problem+json",
		body: map[string]any{"type": "urn:loanflow:problem:x", "title": http.StatusText(status), "status": status, "errors": errs}}
}

func TestTheCheckerAcceptsWhatTheDocumentSays(t *testing.T) {
	require.Empty(t, check(t, http.MethodGet, "/v1/loans/90000", "", answer{status: 200, body: loan()}))
	require.Empty(t, check(t, http.MethodGet, "/v1/loans/90000", "", problem(404)))
	require.Empty(t, check(t, http.MethodGet, "/v1/nope", "", problem(404)))
	require.Empty(t, check(t, http.MethodPost, "/v1/loans/90000/cancel", `{"reason":"changed my mind"}`, answer{status: 200, body: loan()}))
}

// Each way an answer or a request can drift from the document fails,
// naming what drifted.
func TestTheCheckerRefusesDrift(t *testing.T) {
	extra := loan()
	extra["secret_score"] = 7
	missing := loan()
	delete(missing, "office")
	wrongType := loan()
	wrongType["amount"] = 2000.0

	for _, tc := range []struct {
		name                 string
		method, target, body string
		answer               answer
		want                 string
	}{
		{"a member the document does not name", "GET", "/v1/loans/90000", "", answer{status: 200, body: extra}, "secret_score"},
		{"a member the document requires, missing", "GET", "/v1/loans/90000", "", answer{status: 200, body: missing}, "office"},
		{"a member of another type", "GET", "/v1/loans/90000", "", answer{status: 200, body: wrongType}, "amount"},
		{"a status the operation does not list", "GET", "/v1/loans/90000", "", problem(418), "status is not supported"},
		{"an error that is not a problem", "GET", "/v1/loans/90000", "", answer{status: 404, body: map[string]any{"error": "no"}}, "does not match"},
		{"a route the document lacks", "GET", "/v1/secret", "", answer{status: 200, body: map[string]any{}}, "no such operation"},
		{"a request the document refuses, accepted", "POST", "/v1/loans/90000/cancel", `{"reason":"x","bogus":1}`,
			answer{status: 200, body: loan()}, "refuses the request"},
		{"a field the document accepts, refused as unknown", "POST", "/v1/loans/90000/cancel", `{"reason":"x"}`,
			problem(400, "reason"), `accepts field "reason"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems := check(t, tc.method, tc.target, tc.body, tc.answer)
			require.NotEmpty(t, problems)
			require.Contains(t, strings.Join(problems, "\n"), tc.want)
		})
	}
}

// The tests' copy of the document is closed; the served one is not.
func TestOnlyTheTestsCopyIsClosed(t *testing.T) {
	doc, err := Load()
	require.NoError(t, err)
	require.NotNil(t, doc.Components.Schemas["LoanClosed"], "Loan is extended, so its uses point at a closed twin")
	require.NotNil(t, doc.Components.Schemas["Problem"].Value.Properties["errors"])
	closedPayoff := doc.Components.Schemas["PayoffQuote"].Value.UnevaluatedProperties.Has
	require.NotNil(t, closedPayoff)
	require.False(t, *closedPayoff)
}
