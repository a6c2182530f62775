package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/apicontract"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// Credentials of the seeded accounts and the template's extra partners.
var (
	demo        = testkit.Demo
	other       = testkit.Other
	sleepy      = testkit.Sleepy // inactive partner
	underwriter = testkit.Underwriter
	underwrit2  = testkit.Underwriter2
	operations  = testkit.Operations
	admin       = testkit.Admin
)

type creds = testkit.Creds

// testNow is the frozen clock of every test router.
var testNow = testkit.Start

func TestMain(m *testing.M) {
	code := testkit.Main(m)
	reportContract()
	os.Exit(code)
}

// env is one test's API: a router over its own database and a scripted
// engine, for tests of the transport: what a request asks of the workflow
// and how each answer reads.
type env struct {
	t      *testing.T
	store  *models.Store
	engine *testkit.ScriptedEngine
	router checkedRouter
}

// checkedRouter is the router under test; every request it serves under
// /v1 or /backoffice/v1, and its answer, is checked against the OpenAPI
// document (apicontract), so a test that drives an endpoint also proves the
// document describes it. Routes are added through the engine.
type checkedRouter struct {
	*gin.Engine
	checked http.Handler
}

func (r checkedRouter) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.checked.ServeHTTP(w, req)
}

func checked(t *testing.T, r *gin.Engine) checkedRouter {
	t.Helper()
	return checkedRouter{Engine: r, checked: apicontract.Wrap(t, r)}
}

// reportContract prints how many exchanges the tests validated against
// the OpenAPI document (go test -v shows it).
func reportContract() {
	c, err := apicontract.Shared()
	if err != nil {
		return
	}
	requests, responses, unrouted := c.Counts()
	fmt.Printf("OpenAPI: validated %d requests and %d responses against the document; %d answers to paths or methods it does not list were 404/405 problems\n",
		requests, responses, unrouted)
	if left := c.Unexercised(); len(left) > 0 {
		fmt.Printf("OpenAPI: operations no test reached: %s\n", strings.Join(left, ", "))
	}
}

func newEnv(t *testing.T, opts ...kit.Option) *env {
	t.Helper()
	k, eng := kit.NewScripted(t, opts...)
	return &env{t: t, store: k.Store, engine: eng, router: checked(t, NewRouter(k.Service))}
}

// newWorkflowEnv is an env over the real workflow (kit.New): for the tests
// of rules, where only the workflow's own answers will do.
func newWorkflowEnv(t *testing.T) (*env, *kit.Kit) {
	t.Helper()
	k := kit.New(t)
	return &env{t: t, store: k.Store, router: checked(t, NewRouter(k.Service))}, k
}

// response is a recorded answer.
type response struct {
	*httptest.ResponseRecorder
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body.Bytes(), &m), "body: %s", r.Body.String())
	return m
}

// problem decodes a problem document, checking its media type.
func (r response) problem(t *testing.T, status int) Problem {
	t.Helper()
	require.Equal(t, status, r.Code, "body: %s", r.Body.String())
	require.Equal(t, problemContentType, r.Header().Get("Content-Type"))
	var p Problem
	require.NoError(t, json.Unmarshal(r.Body.Bytes(), &p))
	require.Equal(t, status, p.Status)
	require.NotEmpty(t, p.Type)
	require.NotEmpty(t, p.Title)
	return p
}

// fields lists the fields a problem names.
func (p Problem) fields() []string {
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}

type request struct {
	method, path string
	creds        *creds
	body         any // string, []byte or a value to marshal
	headers      map[string]string
}

func (e *env) do(r request) response {
	e.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = bytes.NewBufferString(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(e.t, err)
		body = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.body != nil || r.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json") // a JSON client's; headers may override it
	}
	if r.creds != nil {
		req.SetBasicAuth(r.creds.User, r.creds.Password)
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	return response{rec}
}

func (e *env) get(c creds, path string) response {
	return e.do(request{method: http.MethodGet, path: path, creds: &c})
}

func (e *env) post(c creds, path string, body any, headers map[string]string) response {
	return e.do(request{method: http.MethodPost, path: path, creds: &c, body: body, headers: headers})
}

// application is a valid /v1 loan request body.
func application() map[string]any {
	return map[string]any{
		"product_code": "consumer",
		"amount":       "2000.00",
		"term_months":  6,
		"submitted_by": "Mike",
		"office":       "Main office",
		"applicant": map[string]any{
			"identity_number": "I12356789T",
			"first_name":      "John",
			"last_name":       "Smith",
			"patronymic":      "James",
			"birth_date":      "1990-01-01",
			"document_serial": "200000907",
			"mobile_phone":    "0123456789",
			"home_phone":      "012345678",
			"alt_contact":     map[string]any{"name": "June", "relation": "sister", "phone": "0987654321"},
			"address":         map[string]any{"town": "Chisinau", "street": "Long street", "house": "11", "apartment": ""},
		},
	}
}

func key(k string) map[string]string { return map[string]string{idempotencyHeader: k} }

// submit creates a loan through the API and returns its ref.
func (e *env) submit(c creds, k string) int64 {
	e.t.Helper()
	res := e.post(c, "/v1/loans", application(), key(k))
	require.Equal(e.t, http.StatusCreated, res.Code, res.Body.String())
	return int64(res.json(e.t)["ref"].(float64))
}

func (e *env) partner(username string) *models.Partner {
	e.t.Helper()
	p, err := e.store.PartnerByUsername(context.Background(), username)
	require.NoError(e.t, err)
	return p
}

// newEnvWithSubmittedLoan is a fresh environment holding one submitted loan of partner demo, that
// loan, and the URL of a back-office action on it.
func newEnvWithSubmittedLoan(t *testing.T) (*env, *models.Loan, func(action string) string) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusSubmitted, "2000.00")
	return e, l, func(action string) string { return fmt.Sprintf("/backoffice/v1/loans/%d/%s", l.Ref, action) }
}

// insertLoan stores a loan of the partner in the given status directly, as
// the workflow's activities would have left it.
func (e *env) insertLoan(username string, status lending.Status, amount string) *models.Loan {
	e.t.Helper()
	return e.insertProductLoan(username, status, amount, "consumer")
}

// insertProductLoan is insertLoan of another product.
func (e *env) insertProductLoan(username string, status lending.Status, amount, product string) *models.Loan {
	e.t.Helper()
	ctx := context.Background()
	ref, err := e.store.NextLoanRef(ctx)
	require.NoError(e.t, err)
	prod, err := e.store.GetProduct(ctx, product)
	require.NoError(e.t, err)
	first := time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)
	l := &models.Loan{
		Ref: ref, PartnerID: e.partner(username).ID, ProductCode: product, Status: status,
		Ledger: prod.Ledger, Lender: prod.Lender,
		IdempotencyKey: fmt.Sprintf("insert-%d", ref), RequestHash: "x", Currency: "MDL",
		Amount: decimal.RequireFromString(amount), TermMonths: 6, AnnualInterestRate: decimal.NewFromInt(36),
		InstallmentAmount: decimal.RequireFromString("369.05"), TotalRepayable: decimal.RequireFromString("2214.30"),
		Repaid: decimal.Zero, APR: decimal.RequireFromString("42.58"), FirstRepaymentDate: &first,
		Applicant: models.Applicant{
			IdentityNumber: "I12356789T", FirstName: "John", LastName: "Smith", Patronymic: "James",
			BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), DocumentSerial: "200000907",
			MobilePhone: "0123456789", HomePhone: "012345678", AltContactName: "June", AltContactRel: "sister",
			AltContactPhone: "0987654321", Town: "Chisinau", Street: "Long street", House: "11",
		},
		SubmittedBy: "Mike", Office: "Main office",
		CreatedAt: testNow.Add(time.Duration(ref%1000) * time.Minute), UpdatedAt: testNow,
	}
	require.NoError(e.t, e.store.CreateLoan(ctx, l))
	return l
}

// payOut gives a loan the stored schedule of a paid-out loan: six
// installments whose principal sums to the amount, the first one paid.
func (e *env) payOut(l *models.Loan) []models.Installment {
	e.t.Helper()
	part := l.Amount.Div(decimal.NewFromInt(6)).Truncate(2)
	interest := decimal.RequireFromString("20.00")
	total := decimal.Zero
	rows := make([]models.Installment, 6)
	for i := range rows {
		principal := part
		if i == 5 {
			principal = l.Amount.Sub(part.Mul(decimal.NewFromInt(5)))
		}
		rows[i] = models.Installment{
			LoanRef: l.Ref, Number: i + 1,
			FromDate:  time.Date(2025, time.Month(3+i), 10, 0, 0, 0, 0, time.UTC),
			DueDate:   time.Date(2025, time.Month(4+i), 10, 0, 0, 0, 0, time.UTC),
			Principal: principal, Interest: interest, Fees: decimal.Zero,
			Total: principal.Add(interest), Paid: decimal.Zero,
		}
		total = total.Add(rows[i].Total)
	}
	rows[0].Paid = rows[0].Total
	require.NoError(e.t, e.store.DB.Create(&rows).Error)
	disbursed := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	require.NoError(e.t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", l.Ref).Updates(map[string]any{
		"disbursed_on": disbursed, "repaid": rows[0].Paid, "total_repayable": total,
	}).Error)
	return rows
}

func (e *env) setStatus(ref int64, status lending.Status) {
	e.t.Helper()
	require.NoError(e.t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", ref).Update("status", status).Error)
}
