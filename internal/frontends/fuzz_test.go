package frontends_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/loanflow/loanflow/internal/frontends"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
)

// Request pieces the fuzzer combines: every front end's routes, the media
// types they meet, and credentials of every kind.
var (
	fuzzMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	fuzzPaths   = []string{
		"/healthz", "/readyz", "/v1/quotes", "/v1/loans", "/v1/loans/90000", "/v1/loans/90000/cancel",
		"/v1/loans/90000/agreement", "/v1/loans/90000/documents", "/v1/loans/90000/otp", "/v1/loans/90000/cash-release",
		"/v1/loans/90000/disbursement", "/v1/loans/90000/repayments", "/v1/loans/90000/schedule",
		"/backoffice/v1/loans", "/backoffice/v1/loans/90000", "/backoffice/v1/loans/90000/documents/1",
		"/backoffice/v1/loans/90000/approve", "/backoffice/v1/loans/90000/reject", "/backoffice/v1/loans/90000/documents/reject",
		"/backoffice/v1/loans/90000/cash-release/authorize", "/backoffice/v1/loans/90000/held-repayments/1/book",
		"/backoffice/v1/external-loans", "/backoffice/v1/external-loans/webmoney/1",
		"/rest/api/partner/loan/calc", "/rest/api/partner/new/loan", "/rest/api/partner/cancel/loan",
		"/rest/api/partner/loan/check/status", "/rest/api/partner/loan/info", "/rest/api/partner/generate/agreement",
		"/rest/api/partner/loan/files/upload", "/rest/api/partner/allow/cash/release", "/rest/api/partner/confirm/cash/release",
		"/rest/api/partner/insert/repayment", "/backoffice", "/backoffice/login", "/backoffice/loans", "/backoffice/loans/90000",
		"/backoffice/admin/staff", "/backoffice/admin/products", "/backoffice/static/app.css",
		// Added later, at the end so that the seeds' indices keep their meaning.
		"/v1/loans/90000/payoff", "/backoffice/v1/loans/90000/payoff", "/backoffice/v1/loans/90000/refunds",
		"/backoffice/v1/loans/90000/waivers", "/backoffice/v1/loans/90000/write-off", "/backoffice/v1/loans/90000/reschedule",
		"/backoffice/v1/staff", "/backoffice/v1/staff/underwriter/role", "/backoffice/v1/staff/underwriter/reset-password",
		"/backoffice/v1/partners", "/backoffice/v1/partners/demo/rotate", "/backoffice/v1/products",
		"/backoffice/v1/products/consumer", "/backoffice/collections", "/backoffice/loans/90000/payoff",
	}
	fuzzTypes = []string{"", "application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
		"text/plain", "application/json; charset=utf-8", "multipart/form-data", "application/xml"}
	fuzzCreds = []*testkit.Creds{nil, &testkit.Demo, &testkit.Underwriter, &testkit.Operations, &testkit.Admin,
		{User: "demo", Password: "wrong"}, {User: "nobody", Password: ""}}
)

// FuzzRouter drives every front end at once with random methods, paths,
// query strings, headers and bodies: whatever comes in, the answer is never
// a 5xx and nothing panics.
func FuzzRouter(f *testing.F) {
	f.Add(uint8(1), uint8(3), "", uint8(1), uint8(1), []byte(`{"product_code":"consumer","amount":"2000.00","term_months":6}`), "")
	f.Add(uint8(1), uint8(2), "", uint8(1), uint8(1), []byte(`{"amount":"1e309","term_months":6}`), "")
	f.Add(uint8(0), uint8(4), "?lang=xx", uint8(0), uint8(1), []byte(nil), "")
	f.Add(uint8(1), uint8(11), "", uint8(1), uint8(1), []byte(`{"amount":"-0.001","paid_on":"2025-13-40"}`), "k")
	f.Add(uint8(1), uint8(23), "", uint8(3), uint8(1), []byte("loan_amount=1e9&loan_duration=-1&partner_type=post"), "")
	f.Add(uint8(1), uint8(7), "", uint8(2), uint8(1), []byte("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n%PDF-\r\n--x--"), "k")
	f.Add(uint8(0), uint8(35), "/../../x", uint8(0), uint8(2), []byte(nil), "")
	f.Add(uint8(1), uint8(16), "", uint8(1), uint8(2), []byte(`{"reason":"\u202e"}`), strings.Repeat("k", 300))
	k, _ := kit.NewScripted(f)
	_, _, err := k.Service.SubmitLoan(context.Background(), k.Partner(testkit.Demo), "fuzz", kit.Application("2000"))
	if err != nil {
		f.Fatal(err)
	}
	router := frontends.Router(k.Service, frontends.Options{Store: k.Store})
	f.Fuzz(func(t *testing.T, method, path uint8, suffix string, ctype, creds uint8, body []byte, key string) {
		target := fuzzPaths[int(path)%len(fuzzPaths)] + suffix
		if _, err := url.ParseRequestURI(target); err != nil {
			return // not a request a client can send
		}
		req, err := http.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], target, bytes.NewReader(body))
		if err != nil {
			return
		}
		if ct := fuzzTypes[int(ctype)%len(fuzzTypes)]; ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if c := fuzzCreds[int(creds)%len(fuzzCreds)]; c != nil {
			req.SetBasicAuth(c.User, c.Password)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (%s): %d %s", req.Method, target, req.Header.Get("Content-Type"), rec.Code, rec.Body.String())
		}
	})
}
