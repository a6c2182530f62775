package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t)
	e.do(request{method: http.MethodGet, path: "/nope"}).problem(t, http.StatusNotFound)
	e.do(request{method: http.MethodGet, path: "/v1/nope", creds: &demo}).problem(t, http.StatusNotFound)
	res := e.do(request{method: http.MethodDelete, path: "/v1/loans", creds: &demo})
	res.problem(t, http.StatusMethodNotAllowed)
	require.Contains(t, res.Header().Get("Allow"), http.MethodGet)
	e.do(request{method: http.MethodPut, path: "/healthz"}).problem(t, http.StatusMethodNotAllowed)
}

func TestPanicIsAProblem(t *testing.T) {
	e := newEnv(t)
	e.router.GET("/boom", func(*gin.Context) { panic("bug") })
	e.do(request{method: http.MethodGet, path: "/boom"}).problem(t, http.StatusInternalServerError)
}

// TestMalformedInputNever5xx throws garbage at every endpoint that reads
// input: whatever arrives, the answer is a 4xx problem, never a 5xx.
func TestMalformedInputNever5xx(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", "ACTIVE", "2000.00")
	loanPath := fmt.Sprintf("/v1/loans/%d", l.Ref)
	boPath := fmt.Sprintf("/backoffice/v1/loans/%d", l.Ref)
	bodies := []string{
		"", "null", "[]", "{", "}", `"string"`, "42", "true", `{"amount":}`,
		`{"amount":"2000.00","term_months":6}{}`,
		`{"amount":1e999999,"term_months":1e999999}`,
		`{"amount":"-1","term_months":-6}`,
		`{"amount":"9999999999999999999999999999.99","term_months":99999999999999999999}`,
		`{"amount":{"value":"1"},"term_months":[6]}`,
		`{"applicant":"John"}`, `{"applicant":{"birth_date":19900101}}`,
		`{"applicant":{"birth_date":"1990-01-01T00:00:00Z","alt_contact":1,"address":[]}}`,
		`{"paid_on":"0000-00-00","amount":"NaN"}`, `{"paid_on":"9999-12-31","amount":"Infinity"}`,
		`{"reason":null,"disbursed_on":"2025-02-29"}`, `{"reason":["a"]}`,
		"\x00\x01\x02", `{"a":"\ud800"}`, strings.Repeat("[", 10000),
		`{"amount":"` + strings.Repeat("1", 5000) + `"}`,
	}
	targets := []struct {
		path  string
		creds creds
	}{
		{"/v1/quotes", demo}, {"/v1/loans", demo}, {loanPath + "/cancel", demo},
		{loanPath + "/disbursement", demo}, {loanPath + "/repayments", demo},
		{loanPath + "/documents", demo}, {loanPath + "/otp", demo},
		{boPath + "/approve", underwriter}, {boPath + "/reject", underwriter},
		{boPath + "/documents/reject", operations}, {boPath + "/cash-release/authorize", operations},
	}
	for _, target := range targets {
		for _, body := range bodies {
			for _, ctype := range []string{"application/json", "multipart/form-data; boundary=x", "text/plain"} {
				req := httptest.NewRequest(http.MethodPost, target.path, bytes.NewBufferString(body))
				req.Header.Set("Content-Type", ctype)
				req.Header.Set(idempotencyHeader, "garbage-key")
				req.SetBasicAuth(target.creds.User, target.creds.Password)
				rec := httptest.NewRecorder()
				e.router.ServeHTTP(rec, req)
				require.Less(t, rec.Code, 500, "%s %q (%s): %s", target.path, body, ctype, rec.Body.String())
			}
		}
	}
	queries := []string{
		"/v1/loans?page=99999999999999999999", "/v1/loans?page_size=0x10", "/v1/loans?status=%00",
		"/v1/loans?from=2025-02-30", "/v1/loans?to=-1", loanPath + "/agreement?lang=%E2%80%AE",
		"/v1/loans/99999999999999999999999", "/v1/loans/%20", "/v1/loans/0x10/schedule",
		"/backoffice/v1/loans?min_amount=NaN&max_amount=-", "/backoffice/v1/loans?partner=%27%3B--",
	}
	for _, q := range queries {
		c := demo
		if strings.HasPrefix(q, "/backoffice") {
			c = admin
		}
		res := e.get(c, q)
		require.Less(t, res.Code, 500, "%s: %s", q, res.Body.String())
		require.Equal(t, problemContentType, res.Header().Get("Content-Type"), q)
	}
}

// TestCrossSiteFormPostsAreRefused: a form on another site cannot drive the
// API through a browser's cached Basic credentials.
func TestCrossSiteFormPostsAreRefused(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"fetch metadata says cross-site", map[string]string{"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, http.StatusForbidden},
		{"a text/plain form", map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		{"an urlencoded form", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"a bodiless POST without a type", map[string]string{}, http.StatusUnsupportedMediaType},
		{"an Origin of another site", map[string]string{"Origin": "https://evil.example", "Content-Type": "application/json"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/backoffice/v1/loans/90000/approve", strings.NewReader(""))
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			req.SetBasicAuth(underwriter.User, underwriter.Password)
			res := httptest.NewRecorder()
			e.router.ServeHTTP(res, req)
			require.Equal(t, tc.status, res.Code, res.Body.String())
			require.Equal(t, "application/problem+json", res.Header().Get("Content-Type"))
			require.Zero(t, len(e.engine.Updates()), "nothing reached the workflow")
		})
	}
}
