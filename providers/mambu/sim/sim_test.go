package sim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/mambu/sim"
)

type answer struct {
	status int
	body   any
}

func (a answer) obj() map[string]any { m, _ := a.body.(map[string]any); return m }

func send(t *testing.T, h http.Handler, method, path, contentType, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.SetBasicAuth(sim.DefaultUsername, sim.DefaultPassword)
	req.Header.Set("User-Agent", "sim-test")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(raw, &v), "%s", raw)
	return answer{status: rec.Code, body: v}
}

const jsonType = "application/json"

// newLoan creates client "c1" and, from the doc's create-loan example trimmed to what the simulator
// models (L19113-19222, amounts as strings), loan "Custom_ID"; it returns the loan's encoded key.
func newLoan(t *testing.T, s *sim.Server) string {
	t.Helper()
	c := send(t, s, "POST", "/api/clients", jsonType,
		`{"client":{"id":"c1","firstName":"Trevor","lastName":"Linden","middleName":"Good","homePhone":"7899221665",
"emailAddress":"trevor.linden@mambu.com","mobilePhone1":"211111111","gender":"MALE"}}`)
	require.Equal(t, http.StatusOK, c.status, "%v", c.body)
	key := c.obj()["client"].(map[string]any)["encodedKey"].(string)
	l := send(t, s, "POST", "/api/loans", jsonType, `{"loanAccount":{
"id":"Custom_ID","accountHolderKey":"`+key+`","accountHolderType":"CLIENT","accountState":"PENDING_APPROVAL",
"productTypeKey":"`+sim.DefaultProduct.EncodedKey+`","loanName":"Agriculture Loan","loanAmount":"950",
"scheduleDueDatesMethod":"INTERVAL","repaymentPeriodCount":1,"repaymentPeriodUnit":"MONTHS",
"repaymentInstallments":5,"gracePeriod":0,"gracePeriodType":"NONE","interestRate":"2.5",
"disbursementDetails":{"expectedDisbursementDate":"2016-01-08","firstRepaymentDate":"2016-02-08"}},
"customInformation":[{"value":"2","customFieldID":"Family_Members_Loan_Accounts"}]}`)
	require.Equal(t, http.StatusOK, l.status, "%v", l.body)
	acct := l.obj()["loanAccount"].(map[string]any)
	require.Equal(t, "Custom_ID", acct["id"])
	require.Equal(t, "PENDING_APPROVAL", acct["accountState"])
	require.Equal(t, "950", acct["loanAmount"], "amounts are strings, as in the doc's examples")
	return acct["encodedKey"].(string)
}

func TestDocumentedFormsAreAccepted(t *testing.T) {
	s := sim.New(sim.Config{})
	key := newLoan(t, s)

	// The doc's own query-parameter form: curl -d "type=APPROVAL" …/transactions (L144-147).
	a := send(t, s, "POST", "/api/loans/"+key+"/transactions", "application/x-www-form-urlencoded", "type=APPROVAL")
	require.Equal(t, http.StatusOK, a.status, "%v", a.body)
	require.Equal(t, map[string]any{"returnCode": 0.0, "returnStatus": "SUCCESS"}, a.body)

	d := send(t, s, "POST", "/api/loans/Custom_ID/transactions?identifier=d-1", jsonType, `{"type":"DISBURSEMENT","valueDate":"2016-01-08"}`)
	require.Equal(t, http.StatusOK, d.status, "%v", d.body)
	require.Equal(t, "DISBURSMENT", d.obj()["type"])
	require.Equal(t, "2016-01-08T00:00:00+0000", d.obj()["valueDate"])

	r := send(t, s, "POST", "/api/loans/Custom_ID/transactions?type=REPAYMENT&amount=100&valueDate=2016-02-08T00:01:59%2B01:00", "", "")
	require.Equal(t, http.StatusOK, r.status, "%v", r.body)
	require.Equal(t, "100", r.obj()["amount"])

	reps := send(t, s, "GET", "/api/loans/Custom_ID/repayments?limit=2", "", "")
	require.Equal(t, http.StatusOK, reps.status)
	rows := reps.body.([]any)
	require.Len(t, rows, 2)
	first := rows[0].(map[string]any)
	require.Equal(t, "2016-02-08T00:00:00+0000", first["dueDate"])
	require.Equal(t, "PARTIALLY_PAID", first["state"])
	rest := send(t, s, "GET", "/api/loans/Custom_ID/repayments?offset=2", "", "")
	require.Len(t, rest.body.([]any), 3)

	// A POST naming an existing id is an update of custom fields: the account comes back unchanged.
	again := send(t, s, "POST", "/api/loans", jsonType, `{"loanAccount":{"id":"Custom_ID","loanAmount":"1"}}`)
	require.Equal(t, http.StatusOK, again.status)
	require.Equal(t, "950", again.obj()["loanAccount"].(map[string]any)["loanAmount"])
	require.Equal(t, "ACTIVE", again.obj()["loanAccount"].(map[string]any)["accountState"])
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		status      int
		want        map[string]any
	}{
		{name: "extra JSON parameter", method: "POST", path: "/api/loans/Custom_ID/transactions", contentType: jsonType,
			body: `{"type":"APPROVAL","approver":"me"}`, status: 400,
			want: map[string]any{"returnCode": 27.0, "returnStatus": "PARAMETER_NOT_ALLOWED", "errorSource": "approver"}},
		{name: "no type", method: "POST", path: "/api/loans/Custom_ID/transactions", contentType: jsonType, body: `{}`, status: 400,
			want: map[string]any{"errorCode": "4", "errorSource": "Property type may not be null", "errorReason": "INVALID_PARAMETERS"}},
		{name: "unsupported type", method: "POST", path: "/api/loans/Custom_ID/transactions", contentType: jsonType,
			body: `{"type":"LOCK"}`, status: 400,
			want: map[string]any{"returnCode": 4.0, "returnStatus": "INVALID_PARAMETERS", "errorSource": "type LOCK is not supported by the simulator"}},
		{name: "malformed JSON", method: "POST", path: "/api/clients", contentType: jsonType, body: `{"client":`, status: 400,
			want: map[string]any{"returnCode": 30.0, "returnStatus": "MISSING_ENTITY_JSON", "errorSource": "Malformatted JSON"}},
		{name: "no entity", method: "POST", path: "/api/clients", contentType: jsonType, body: `{}`, status: 400,
			want: map[string]any{"returnCode": 30.0, "returnStatus": "MISSING_ENTITY_JSON", "errorSource": "client"}},
		{name: "null entity", method: "POST", path: "/api/clients", contentType: jsonType, body: `{"client":null}`, status: 400,
			want: map[string]any{"returnCode": 30.0, "returnStatus": "MISSING_ENTITY_JSON", "errorSource": "client"}},
		{name: "no loan account", method: "POST", path: "/api/loans", contentType: jsonType, body: `{"loan":{}}`, status: 400,
			want: map[string]any{"returnCode": 30.0, "returnStatus": "MISSING_ENTITY_JSON", "errorSource": "loanAccount"}},
		{name: "entity not an object", method: "POST", path: "/api/clients", contentType: jsonType, body: `{"client":5}`, status: 400,
			want: map[string]any{"returnCode": 30.0, "returnStatus": "MISSING_ENTITY_JSON", "errorSource": "Malformatted JSON"}},
		{name: "page too large", method: "GET", path: "/api/loans/Custom_ID/transactions?limit=1001", status: 400,
			want: map[string]any{"returnCode": 14.0, "returnStatus": "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE"}},
		{name: "unknown loan", method: "GET", path: "/api/loans/nope/repayments", status: 404,
			want: map[string]any{"returnCode": 100.0, "returnStatus": "INVALID_LOAN_ACCOUNT_ID"}},
		{name: "unknown route", method: "GET", path: "/api/savings", status: 404,
			want: map[string]any{"returnCode": 3.0, "returnStatus": "INVALID_API_OPERATION", "errorSource": "no resource at /api/savings"}},
		{name: "wrong amount on disbursement", method: "POST", path: "/api/loans/Custom_ID/transactions", contentType: jsonType,
			body: `{"type":"DISBURSEMENT","amount":10}`, status: 400,
			want: map[string]any{"returnCode": 4.0, "returnStatus": "INVALID_PARAMETERS", "errorSource": "amount must equal the loan amount 950 for a loan without tranches"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(sim.Config{})
			newLoan(t, s)
			a := send(t, s, tt.method, tt.path, tt.contentType, tt.body)
			require.Equal(t, tt.status, a.status, "%v", a.body)
			require.Equal(t, tt.want, a.body)
		})
	}
}

func TestUserAgentAndCredentials(t *testing.T) {
	tests := []struct {
		name   string
		cfg    sim.Config
		header map[string]string
		basic  bool
		status int
	}{
		{name: "basic", basic: true, header: map[string]string{"User-Agent": "x"}, status: 200},
		{name: "no user agent", basic: true, status: 400},
		{name: "no user agent without audit trail", cfg: sim.Config{AllowMissingUserAgent: true}, basic: true, status: 200},
		{name: "api key", cfg: sim.Config{APIKey: "k-1"}, header: map[string]string{"apiKey": "k-1", "User-Agent": "x"}, status: 200},
		{name: "api key when none is configured", header: map[string]string{"apiKey": "k-1", "User-Agent": "x"}, status: 401},
		{name: "nothing", header: map[string]string{"User-Agent": "x"}, status: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(tt.cfg)
			req := httptest.NewRequest("GET", "/api/loans/x/transactions", nil)
			req.Header.Del("User-Agent")
			if tt.basic {
				req.SetBasicAuth(sim.DefaultUsername, sim.DefaultPassword)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			want := tt.status
			if want == 200 {
				want = 404 // authenticated: the loan does not exist
			}
			require.Equal(t, want, rec.Code, rec.Body.String())
		})
	}
}

func TestLateInstallments(t *testing.T) {
	s := sim.New(sim.Config{Now: func() time.Time { return time.Date(2016, 3, 20, 10, 0, 0, 0, time.UTC) }})
	key := newLoan(t, s)
	require.Equal(t, http.StatusOK, send(t, s, "POST", "/api/loans/"+key+"/transactions", jsonType, `{"type":"APPROVAL"}`).status)
	require.Equal(t, http.StatusOK, send(t, s, "POST", "/api/loans/"+key+"/transactions", jsonType, `{"type":"DISBURSEMENT","valueDate":"2016-01-08"}`).status)
	rows := send(t, s, "GET", "/api/loans/"+key+"/repayments", "", "").body.([]any)
	states := []string{}
	for _, r := range rows {
		states = append(states, r.(map[string]any)["state"].(string))
	}
	require.Equal(t, []string{"LATE", "LATE", "PENDING", "PENDING", "PENDING"}, states,
		"on 03-20 the installments due 02-08 and 03-08 are unpaid and past due")
}

// A tenant generates its products' keys: a product set up without one gets
// its own, which a loan must name; the doc example's key is refused there.
func TestATenantGeneratesItsProductKeys(t *testing.T) {
	p := sim.DefaultProduct
	p.EncodedKey = ""
	products := []sim.Product{p}
	a, b := sim.New(sim.Config{Products: products}), sim.New(sim.Config{Products: products})
	key := a.ProductKey(p.ID)
	require.Regexp(t, `^[0-9a-f]{32}$`, key)
	require.NotEqual(t, sim.DefaultProduct.EncodedKey, key)
	require.NotEqual(t, key, b.ProductKey(p.ID), "each tenant its own")
	require.Empty(t, products[0].EncodedKey, "the caller's products are left as given")
	require.Empty(t, a.ProductKey("NOPE"))

	c := send(t, a, "POST", "/api/clients", jsonType, `{"client":{"id":"c1","firstName":"Trevor","lastName":"Linden"}}`)
	require.Equal(t, http.StatusOK, c.status, "%v", c.body)
	holder := c.obj()["client"].(map[string]any)["encodedKey"].(string)
	open := func(id, productKey string) answer {
		return send(t, a, "POST", "/api/loans", jsonType, `{"loanAccount":{"id":"`+id+`","accountHolderKey":"`+holder+`",
"accountHolderType":"CLIENT","productTypeKey":"`+productKey+`","loanAmount":"950","repaymentPeriodCount":1,
"repaymentPeriodUnit":"MONTHS","repaymentInstallments":5,"interestRate":"2.5"}}`)
	}
	refused := open("L1", sim.DefaultProduct.EncodedKey)
	require.Equal(t, http.StatusBadRequest, refused.status, "%v", refused.body)
	require.Contains(t, refused.obj()["returnStatus"], "INVALID_PRODUCT_ID")
	ok := open("L2", key)
	require.Equal(t, http.StatusOK, ok.status, "%v", ok.body)
	require.Equal(t, key, ok.obj()["loanAccount"].(map[string]any)["productTypeKey"])
	require.Equal(t, key, a.LoanProductKey("L2"))
}
