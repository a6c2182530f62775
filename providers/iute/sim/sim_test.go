package sim_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/iute/sim"
)

// These tests speak raw HTTP to pin down the wire format independently of the client.

const base = "/rest/api/partner"

type answer struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, h http.Handler, method, target, contentType string, body io.Reader, auth bool) answer {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth {
		req.SetBasicAuth("partner", "secret")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.String()}
}

func form(values url.Values) (string, io.Reader) {
	return "application/x-www-form-urlencoded", strings.NewReader(values.Encode())
}

func multipartForm(t *testing.T, values url.Values, files map[string]string) (string, io.Reader) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			require.NoError(t, w.WriteField(k, v))
		}
	}
	for field, name := range files {
		fw, err := w.CreateFormFile(field, name)
		require.NoError(t, err)
		_, err = fw.Write([]byte("content of " + name))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return w.FormDataContentType(), &buf
}

func newLoanValues(pin string) url.Values {
	return url.Values{
		"pin": {pin}, "first_name": {"John"}, "last_name": {"Smith"}, "patronymic": {"James"},
		"birth_date": {"31.08.1997"}, "document_serial": {"200000907"}, "gsm": {"0123456789"},
		"phone_home": {"012345678"}, "alt_contact_name": {"June"}, "alt_contact_relation": {"sister"},
		"alt_contact_phone": {"0987654321"}, "town": {"Chisinau"}, "street": {"Long street"},
		"house_nr": {"11"}, "apartment_nr": {""}, "loan_amount": {"1000.55"}, "loan_duration": {"6"},
		"submit_person": {"Mike"}, "submit_post_office": {"Main office"}, "partner_type": {"post"},
	}
}

func newSim() *sim.Server {
	return sim.New(sim.Options{Now: func() time.Time { return time.Date(2018, 6, 26, 9, 0, 0, 0, time.UTC) }})
}

func TestWireFormat(t *testing.T) {
	s := newSim()

	ct, body := form(url.Values{"loan_amount": {"1000.55"}, "loan_duration": {"6"}, "partner_type": {"post"}})
	a := send(t, s, http.MethodPost, base+"/loan/calc", ct, body, true)
	require.Equal(t, http.StatusOK, a.status)
	require.True(t, strings.HasPrefix(a.body, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`))
	require.Contains(t, a.body, "<loan_calc>")
	require.Contains(t, a.body, "<first_repayment_date>26.07.2018</first_repayment_date>")

	ct, body = multipartForm(t, newLoanValues("I12356789T"), map[string]string{"id_copy": "id_doc.jpg"})
	a = send(t, s, http.MethodPost, base+"/new/loan", ct, body, true)
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Contains(t, a.body, "<loan_ref>90000</loan_ref>")
	require.Contains(t, a.body, "<client_name>John Smith</client_name>")

	// url-encoded bodies are accepted too, and POST parameters are named loan_ref.
	ct, body = form(url.Values{"loan_ref": {"90000"}, "partner_type": {"post"}})
	a = send(t, s, http.MethodPost, base+"/loan/check/status", ct, body, true)
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Contains(t, a.body, "<approved>false</approved>")

	a = send(t, s, http.MethodGet, base+"/loan/info?loanRef=90000&partner_type=post", "", nil, true)
	require.Equal(t, http.StatusOK, a.status)
	require.Contains(t, a.body, "<message>No active loan found!</message>")
	require.Contains(t, a.body, "<status>-1</status>")
	require.NotContains(t, a.body, "<loan>")

	require.NoError(t, s.Approve(90000))
	a = send(t, s, http.MethodGet, base+"/generate/agreement?loanRef=90000&lang=alb&partner_type=post", "", nil, true)
	require.Equal(t, http.StatusOK, a.status)
	require.Equal(t, "attachment;filename=specific_agreement_90000_alb.pdf", a.header.Get("Content-Disposition"))
	require.Equal(t, "application/pdf;charset=UTF-8", a.header.Get("Content-Type"))

	ct, body = multipartForm(t, url.Values{"loan_ref": {"90000"}, "partner_type": {"post"}},
		map[string]string{"loan_agreement": "iddoc.jpg", "bank_statement": "statement.pdf"})
	a = send(t, s, http.MethodPost, base+"/loan/files/upload", ct, body, true)
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Empty(t, a.body, "upload answers with no content")
	require.NoError(t, s.AuthorizeCashRelease(90000))

	a = send(t, s, http.MethodGet, base+"/allow/cash/release?loanRef=90000&partner_type=post", "", nil, true)
	require.Contains(t, a.body, "<allowed>true</allowed>")
	require.Contains(t, a.body, "<loan_status>normal</loan_status>")
	require.Contains(t, a.body, "<loan_amount>1000.55</loan_amount>")

	a = send(t, s, http.MethodGet, base+"/confirm/cash/release?loanRef=90000&partner_type=post", "", nil, true)
	require.Equal(t, http.StatusOK, a.status)
	require.Empty(t, a.body)

	a = send(t, s, http.MethodGet, base+"/insert/repayment?loanRef=90000&date=22052018&amount=100.5&partner_type=post", "", nil, true)
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Empty(t, a.body)

	a = send(t, s, http.MethodGet, base+"/loan/info?loanRef=90000&partner_type=post", "", nil, true)
	require.Contains(t, a.body, "<status>0</status>")
	require.Contains(t, a.body, "<repaid>100.5</repaid>", "amounts as the document's samples print them (5478.4, 0.0)")
	require.Contains(t, a.body, "<installment_table>")
	require.Equal(t, 6, strings.Count(a.body, "<installment>"))
}

func TestWireErrors(t *testing.T) {
	s := newSim()
	ct, body := multipartForm(t, newLoanValues("I1"), nil)
	require.Equal(t, http.StatusOK, send(t, s, http.MethodPost, base+"/new/loan", ct, body, true).status)

	cases := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		auth        bool
		status      int
		contains    string
	}{
		{"no credentials", http.MethodGet, base + "/loan/info?loanRef=90000&partner_type=post", "", "", false, 403, "<li>Access denied: invalid username or password</li>"},
		{"no partner type", http.MethodGet, base + "/loan/info?loanRef=90000", "", "", true, 400, "partner_type: is required"},
		{"GET takes loanRef, not loan_ref", http.MethodGet, base + "/cancel/loan?loan_ref=90000&partner_type=post", "", "", true, 400, "loanRef: is required"},
		{"POST takes loan_ref, not loanRef", http.MethodPost, base + "/loan/check/status", "application/x-www-form-urlencoded", "loanRef=90000&partner_type=post", true, 400, "loan_ref: is required"},
		{"JSON is not accepted", http.MethodPost, base + "/loan/calc", "application/json", `{"loan_amount":1000}`, true, 400, "content type"},
		{"repayment date is ddMMyyyy", http.MethodGet, base + "/insert/repayment?loanRef=90000&date=22.05.2018&amount=10&partner_type=post", "", "", true, 400, "date: must be a date in format ddMMyyyy"},
		{"negative repayment", http.MethodGet, base + "/insert/repayment?loanRef=90000&date=22052018&amount=-10&partner_type=post", "", "", true, 400, "amount: must be a positive amount"},
		{"wrong method", http.MethodPost, base + "/loan/info", "application/x-www-form-urlencoded", "loanRef=90000&partner_type=post", true, 405, ""},
		{"unknown ref on check status", http.MethodPost, base + "/loan/check/status", "application/x-www-form-urlencoded", "loan_ref=123&partner_type=post", true, 400, "Loan 123 not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			a := send(t, s, tc.method, tc.target, tc.contentType, body, tc.auth)
			require.Equal(t, tc.status, a.status, a.body)
			require.Contains(t, a.body, tc.contains)
			if tc.status == 400 || tc.status == 403 {
				require.Equal(t, "text/html;charset=UTF-8", a.header.Get("Content-Type"))
				require.True(t, strings.HasPrefix(a.body, "<!DOCTYPE html>"))
			}
		})
	}
	snap, ok := s.Loan(90000)
	require.True(t, ok)
	require.Equal(t, sim.StateNew, snap.State, "no refused call changed the loan")
}

func TestFaultsInjectProviderShapedErrors(t *testing.T) {
	s := sim.New(sim.Options{Faults: sim.Faults{ErrorRate: 1, Seed: 1}})
	a := send(t, s, http.MethodGet, base+"/loan/info?loanRef=1&partner_type=post", "", nil, true)
	require.Contains(t, []int{500, 503}, a.status)
	require.True(t, strings.HasPrefix(a.body, "<!DOCTYPE html>"), a.body)
	require.Equal(t, sim.FaultStats{Errors: 1}, s.FaultStats())
}
