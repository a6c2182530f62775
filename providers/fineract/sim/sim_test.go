package sim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/fineract/sim"
)

type answer struct {
	status int
	body   map[string]any
}

func send(t *testing.T, h http.Handler, method, path, body string, headers map[string]string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.SetBasicAuth(sim.DefaultUsername, sim.DefaultPassword)
	req.Header.Set("Fineract-Platform-TenantId", sim.DefaultTenant)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), "%s", raw)
	return answer{status: rec.Code, body: m}
}

// The request bodies below are the seed's own examples (date formats, locales and amounts as strings
// with grouping separators), which a faithful simulator must accept.
const (
	docClient = `{"officeId": 1, "firstname": "Petra", "lastname": "Yton", "externalId": "786YYH7",
"dateFormat": "dd MMMM yyyy", "locale": "en", "active": true, "activationDate": "04 March 2009",
"submittedOnDate":"04 March 2009", "savingsProductId" : 4}`
	docLoan = `{"dateFormat": "dd MMMM yyyy", "locale": "en_GB", "clientId": 1, "productId": 1,
"principal": "10,000.00", "loanTermFrequency": 12, "loanTermFrequencyType": 2, "loanType": "individual",
"numberOfRepayments": 10, "repaymentEvery": 1, "repaymentFrequencyType": 2, "interestRatePerPeriod": 10,
"amortizationType": 1, "interestType": 0, "interestCalculationPeriodType": 1, "transactionProcessingStrategyId": 1,
"expectedDisbursementDate": "10 Jun 2013", "submittedOnDate": "10 Jun 2013"}`
	docApprove  = `{"locale": "en", "dateFormat": "dd MMMM yyyy", "approvedOnDate": "20 June 2013", "note": "Loan approval note"}`
	docDisburse = `{"dateFormat": "dd MMMM yyyy", "locale": "en", "transactionAmount": 10000, "actualDisbursementDate": "24 June 2013",
"paymentTypeId": "12", "note": "", "accountNumber": "accno123", "checkNumber": "chec123", "routingCode": "rou123",
"receiptNumber": "rec123", "bankNumber": "ban123"}`
	docRepay = `{"dateFormat": "dd MMMM yyyy", "locale": "en", "transactionDate": "24 July 2013", "transactionAmount": "500.00",
"paymentTypeId": "12", "note": "check payment", "accountNumber": "acc123", "checkNumber": "che123", "routingCode": "rou123",
"receiptNumber": "rec123", "bankNumber": "ban123"}`
)

func TestDocumentedExamplesAreAccepted(t *testing.T) {
	s := sim.New(sim.Config{})
	const base = "/api/v1/"
	steps := []struct {
		method, path, body string
		want               map[string]any
	}{
		{"POST", base + "clients", docClient, map[string]any{"officeId": 1.0, "clientId": 1.0, "resourceId": 1.0}},
		{"POST", base + "loans", docLoan, map[string]any{"clientId": 1.0, "loanId": 1.0, "resourceId": 1.0}},
		{"POST", base + "loans/1?command=approve", docApprove, map[string]any{"loanId": 1.0, "resourceId": 1.0}},
		{"POST", base + "loans/1?command=disburse", docDisburse, map[string]any{"loanId": 1.0, "resourceId": 1.0}},
		{"POST", base + "loans/1/transactions?command=repayment", docRepay, map[string]any{"loanId": 1.0, "resourceId": 2.0}},
	}
	for _, st := range steps {
		a := send(t, s, st.method, st.path, st.body, nil)
		require.Equal(t, http.StatusOK, a.status, "%s %s: %v", st.method, st.path, a.body)
		for k, v := range st.want {
			require.Equal(t, v, a.body[k], "%s %s: %s", st.method, st.path, k)
		}
	}
	loan := send(t, s, "GET", base+"loans/1?associations=all", "", nil)
	require.Equal(t, http.StatusOK, loan.status)
	require.Equal(t, 300.0, loan.body["status"].(map[string]any)["id"])
	require.Equal(t, 10000.0, loan.body["principal"])
	sched := loan.body["repaymentSchedule"].(map[string]any)
	require.Len(t, sched["periods"], 11, "the disbursement row and ten installments")
	require.Equal(t, []any{2013.0, 6.0, 24.0}, sched["periods"].([]any)[0].(map[string]any)["dueDate"])
	txs := loan.body["transactions"].([]any)
	require.Len(t, txs, 2)
	require.Equal(t, 500.0, txs[1].(map[string]any)["amount"])
	tx := send(t, s, "GET", base+"loans/1/transactions/2", "", nil)
	require.Equal(t, http.StatusOK, tx.status)
	require.Equal(t, true, tx.body["type"].(map[string]any)["repayment"])
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name    string
		setup   []string // bodies POSTed in order: client, loan, …
		method  string
		path    string
		body    string
		headers map[string]string
		status  int
		code    string // top-level userMessageGlobalisationCode
		detail  string // first errors[] code, when the envelope has one
	}{
		{name: "no tenant", method: "GET", path: "/api/v1/loans", headers: map[string]string{"Fineract-Platform-TenantId": ""},
			status: 400, code: "error.msg.tenant.identifier.missing"},
		{name: "documented tenant header", method: "GET", path: "/api/v1/loans",
			headers: map[string]string{"Fineract-Platform-TenantId": "", "X-Mifos-Platform-TenantId": sim.DefaultTenant}, status: 200},
		{name: "no credentials", method: "GET", path: "/api/v1/loans", headers: map[string]string{"Authorization": ""},
			status: 401, code: "error.msg.not.authenticated"},
		{name: "unsupported parameter", method: "POST", path: "/api/v1/clients",
			body:   `{"officeId":1,"fullname":"Acme","active":false,"nickname":"x"}`,
			status: 400, code: "validation.msg.validation.errors.exist", detail: "error.msg.parameter.unsupported"},
		{name: "date without locale", method: "POST", path: "/api/v1/clients",
			body:   `{"officeId":1,"fullname":"Acme","active":true,"activationDate":"2020-01-01","dateFormat":"yyyy-MM-dd"}`,
			status: 400, code: "validation.msg.validation.errors.exist", detail: "validation.msg.client.locale.cannot.be.blank"},
		{name: "date not in its format", method: "POST", path: "/api/v1/clients",
			body:   `{"officeId":1,"fullname":"Acme","active":true,"activationDate":"01/02/2020","dateFormat":"yyyy-MM-dd","locale":"en"}`,
			status: 400, code: "validation.msg.validation.errors.exist", detail: "validation.msg.client.activationDate.invalid.date.format"},
		{name: "not JSON", method: "POST", path: "/api/v1/clients", body: `{"officeId":`,
			status: 400, code: "validation.msg.validation.errors.exist", detail: "error.msg.invalid.json"},
		{name: "wrong content type", method: "POST", path: "/api/v1/clients", body: `{}`,
			headers: map[string]string{"Content-Type": "text/plain"}, status: 415, code: "error.msg.unsupported.media.type"},
		{name: "unknown office", method: "POST", path: "/api/v1/clients", body: `{"officeId":7,"fullname":"Acme","active":false}`,
			status: 404, code: "error.msg.resource.not.found", detail: "error.msg.office.id.invalid"},
		{name: "loan for a pending client", setup: []string{`{"officeId":1,"fullname":"Acme","active":false}`},
			method: "POST", path: "/api/v1/loans", body: docLoan, status: 403,
			code: "validation.msg.domain.rule.violation", detail: "error.msg.client.not.active"},
		{name: "term shorter than the repayments", setup: []string{docClient}, method: "POST", path: "/api/v1/loans",
			body:   strings.Replace(docLoan, `"loanTermFrequency": 12`, `"loanTermFrequency": 6`, 1),
			status: 400, code: "validation.msg.validation.errors.exist", detail: "validation.msg.loan.loanTermFrequency.less.than.repayment.structure.suggests"},
		{name: "unknown product", setup: []string{docClient}, method: "POST", path: "/api/v1/loans",
			body: strings.Replace(docLoan, `"productId": 1`, `"productId": 9`, 1), status: 404,
			code: "error.msg.resource.not.found", detail: "error.msg.loanproduct.id.invalid"},
		{name: "unknown command", setup: []string{docClient, docLoan}, method: "POST", path: "/api/v1/loans/1?command=explode",
			body: `{}`, status: 400, code: "validation.msg.validation.errors.exist", detail: "error.msg.unrecognized.query.param"},
		{name: "disburse an unapproved loan", setup: []string{docClient, docLoan}, method: "POST", path: "/api/v1/loans/1?command=disburse",
			body: docDisburse, status: 403, code: "validation.msg.domain.rule.violation",
			detail: "error.msg.loan.disbursal.account.is.not.approved.and.not.disbursed.state"},
		{name: "reject a submitted loan", setup: []string{docClient, docLoan}, method: "POST", path: "/api/v1/loans/1?command=reject",
			body:   `{"locale":"en","dateFormat":"yyyy-MM-dd","rejectedOnDate":"2013-06-11"}`,
			status: 200},
		{name: "unknown route", method: "GET", path: "/api/v1/savingsaccounts", status: 404, code: "error.msg.resource.not.found"},
		{name: "wrong method", method: "DELETE", path: "/api/v1/loans/1", status: 405, code: "error.msg.method.not.allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(sim.Config{})
			paths := []string{"/api/v1/clients", "/api/v1/loans"}
			for i, b := range tt.setup {
				a := send(t, s, "POST", paths[i], b, nil)
				require.Equal(t, http.StatusOK, a.status, "%v", a.body)
			}
			a := send(t, s, tt.method, tt.path, tt.body, tt.headers)
			require.Equal(t, tt.status, a.status, "%v", a.body)
			if tt.code != "" {
				require.Equal(t, tt.code, a.body["userMessageGlobalisationCode"])
				require.Equal(t, strconv.Itoa(tt.status), a.body["httpStatusCode"], "httpStatusCode is a string")
			}
			if tt.detail != "" {
				errs := a.body["errors"].([]any)
				require.NotEmpty(t, errs)
				require.Equal(t, tt.detail, errs[0].(map[string]any)["userMessageGlobalisationCode"])
			}
		})
	}
}

func TestRepaymentBeyondTheBalanceMakesTheLoanOverpaid(t *testing.T) {
	s := sim.New(sim.Config{})
	for _, st := range []struct{ path, body string }{
		{"/api/v1/clients", docClient}, {"/api/v1/loans", docLoan}, {"/api/v1/loans/1?command=approve", docApprove},
		{"/api/v1/loans/1?command=disburse", docDisburse},
		{"/api/v1/loans/1/transactions?command=repayment", strings.Replace(docRepay, `"500.00"`, `"20,000.00"`, 1)},
	} {
		a := send(t, s, "POST", st.path, st.body, nil)
		require.Equal(t, http.StatusOK, a.status, "%v", a.body)
	}
	loan := send(t, s, "GET", "/api/v1/loans/1?associations=transactions", "", nil)
	require.Equal(t, 700.0, loan.body["status"].(map[string]any)["id"])
	tx := loan.body["transactions"].([]any)[1].(map[string]any)
	require.Positive(t, tx["overpaymentPortion"])
	require.Equal(t, 0.0, tx["outstandingLoanBalance"])
	again := send(t, s, "POST", "/api/v1/loans/1/transactions?command=repayment", docRepay, nil)
	require.Equal(t, http.StatusForbidden, again.status, "an overpaid loan is no longer active")
}

// The seed's servicing bodies (L4947-5055, L5493-5560), their dates moved after the example loan's
// pay-out, are accepted as they are written: locales, date formats and amounts as strings.
func TestDocumentedServicingExamplesAreAccepted(t *testing.T) {
	s := sim.New(sim.Config{})
	for _, st := range []struct{ path, body string }{
		{"/api/v1/clients", docClient}, {"/api/v1/loans", docLoan}, {"/api/v1/loans/1?command=approve", docApprove},
		{"/api/v1/loans/1?command=disburse", docDisburse},
		{"/api/v1/loans/1/transactions?command=waiveInterest", `{"locale": "en_GB", "dateFormat": "dd MMMM yyyy",
"transactionDate": "14 July 2013", "transactionAmount": "400", "note": "Optional note related to the waiving of interest."}`},
		{"/api/v1/loans/1/charges", `{"chargeId":"1","locale":"en","amount":"100","dateFormat":"dd MMMM yyyy","dueDate":"29 July 2013"}`},
		{"/api/v1/loans/1/charges/1?command=waive", ``},
		{"/api/v1/loans/1/transactions?command=foreclosure", `{"dateFormat": "dd MMMM yyyy", "locale": "en",
"transactionDate": "10 December 2013", "note": "Customer Death"}`},
	} {
		a := send(t, s, "POST", st.path, st.body, map[string]string{"Content-Type": "application/json"})
		require.Equal(t, http.StatusOK, a.status, "%s: %v", st.path, a.body)
	}
	loan := send(t, s, "GET", "/api/v1/loans/1?associations=transactions", "", nil)
	require.Equal(t, 600.0, loan.body["status"].(map[string]any)["id"])
	types := []any{}
	for _, tx := range loan.body["transactions"].([]any) {
		types = append(types, tx.(map[string]any)["type"].(map[string]any)["code"])
	}
	require.Equal(t, []any{"loanTransactionType.disbursement", "loanTransactionType.waiver",
		"loanTransactionType.waiveCharges", "loanTransactionType.repayment"}, types)

	other := send(t, s, "POST", "/api/v1/loans/1/transactions?command=writeoff", `{"locale": "en_GB", "dateFormat": "dd MMMM yyyy",
"transactionDate": "14 December 2013", "note": "Write-off note"}`, nil)
	require.Equal(t, http.StatusForbidden, other.status, "a foreclosed loan is closed: %v", other.body)
}
