package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// Credentials of the seeded accounts (models.DevAccounts) and of the extra
// partners the template adds.
var (
	demo        = creds{"demo", "demo-secret"}
	other       = creds{"other", "other-secret"}
	sleepy      = creds{"sleepy", "sleepy-secret"} // inactive partner
	underwriter = creds{"underwriter", "underwriter-secret"}
	underwrit2  = creds{"underwriter2", "underwriter2-secret"}
	operations  = creds{"operations", "operations-secret"}
	admin       = creds{"admin", "admin-secret"}
)

type creds struct{ user, pw string }

// testNow is the frozen clock of every test router.
var testNow = time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)

// templateDB is a migrated, seeded SQLite file copied into each test's
// temporary directory: seeding hashes passwords with bcrypt, too slow to
// repeat per test.
var templateDB string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "loanflow-api-test")
	if err != nil {
		panic(err)
	}
	templateDB = filepath.Join(dir, "template.db")
	if err := buildTemplate(templateDB); err != nil {
		_ = os.RemoveAll(dir)
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func buildTemplate(path string) error {
	ctx := context.Background()
	store, err := models.Open(path)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	if err := store.SeedDev(ctx); err != nil {
		return err
	}
	for _, p := range []struct {
		c      creds
		active bool
	}{{other, true}, {sleepy, false}} {
		hash, err := models.HashPassword(p.c.pw)
		if err != nil {
			return err
		}
		if err := store.UpsertPartner(ctx, &models.Partner{
			Username: p.c.user, Name: "Partner " + p.c.user, PartnerType: "post",
			PasswordHash: hash, DefaultProductCode: "consumer", Active: p.active,
		}); err != nil {
			return err
		}
	}
	// Fold the WAL into the main file so a plain copy is complete.
	return store.DB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// env is one test's API: a router over its own database and a fake engine.
type env struct {
	t      *testing.T
	store  *models.Store
	engine *fakeEngine
	router *gin.Engine
}

func newEnv(t *testing.T) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "api.db")
	data, err := os.ReadFile(templateDB)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	store, err := models.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	eng := &fakeEngine{store: store}
	r := NewRouter(Deps{
		Store:       store,
		Engine:      eng,
		Now:         func() time.Time { return testNow },
		ApprovalTTL: 48 * time.Hour,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return &env{t: t, store: store, engine: eng, router: r}
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
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.creds != nil {
		req.SetBasicAuth(r.creds.user, r.creds.pw)
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

// insertLoan stores a loan of the partner in the given status directly, as
// the workflow's activities would have left it.
func (e *env) insertLoan(username, status string, amount string) *models.Loan {
	e.t.Helper()
	ctx := context.Background()
	ref, err := e.store.NextLoanRef(ctx)
	require.NoError(e.t, err)
	first := time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)
	l := &models.Loan{
		Ref: ref, PartnerID: e.partner(username).ID, ProductCode: "consumer", Status: status,
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

func (e *env) setStatus(ref int64, status string) {
	e.t.Helper()
	require.NoError(e.t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", ref).Update("status", status).Error)
}

// updateCall is one Update the fake engine received.
type updateCall struct {
	Ref      int64
	Name, ID string
	Arg      any
}

// fakeEngine records calls and answers scripted results. By default an
// Update succeeds and, like the workflow's activities, persists the status
// in nextStatus (when set).
type fakeEngine struct {
	store *models.Store

	mu         sync.Mutex
	starts     []*workflows.LoanInput
	updates    []updateCall
	startErr   error
	updateErr  error
	readyErr   error
	nextStatus string
	// julo is what the status Query answers of a JULO loan's onboarding.
	julo *workflows.JuloView
}

func (f *fakeEngine) StartLoan(_ context.Context, in *workflows.LoanInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, in)
	return f.startErr
}

func (f *fakeEngine) Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error) {
	f.mu.Lock()
	f.updates = append(f.updates, updateCall{Ref: ref, Name: name, ID: updateID, Arg: arg})
	err, next := f.updateErr, f.nextStatus
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if next != "" {
		if err := f.store.DB.WithContext(ctx).Model(&models.Loan{}).Where("ref = ?", ref).Update("status", next).Error; err != nil {
			return nil, err
		}
	}
	return &workflows.LoanView{Ref: ref, Status: next}, nil
}

func (f *fakeEngine) Query(_ context.Context, ref int64) (*workflows.LoanView, error) {
	var l models.Loan
	if err := f.store.DB.Where("ref = ?", ref).Take(&l).Error; err != nil {
		return nil, &EngineError{Kind: KindNotFound, Message: "no workflow"}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return &workflows.LoanView{Ref: ref, Status: l.Status, Julo: f.julo}, nil
}

func (f *fakeEngine) Ready(context.Context) error { return f.readyErr }

func (f *fakeEngine) lastUpdate(t *testing.T) updateCall {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	require.NotEmpty(t, f.updates, "no Update received")
	return f.updates[len(f.updates)-1]
}

func (f *fakeEngine) updateCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.updates)
}

func (f *fakeEngine) startCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.starts)
}
