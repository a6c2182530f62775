package console

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// Seeded accounts (models.DevAccounts).
var (
	underwriter  = creds{"underwriter", "underwriter-secret"}
	underwriter2 = creds{"underwriter2", "underwriter2-secret"}
	operations   = creds{"operations", "operations-secret"}
	admin        = creds{"admin", "admin-secret"}
)

type creds struct{ user, pw string }

// testStart is where every test's clock starts.
var testStart = time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)

// templateDB is a migrated, seeded SQLite file copied for each test:
// seeding hashes passwords with bcrypt, too slow to repeat.
var templateDB string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "loanflow-console-test")
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
	return store.DB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one test's loanflow: the API router with the console mounted, over
// its own database and a fake engine.
type env struct {
	t      *testing.T
	store  *models.Store
	engine *fakeEngine
	clock  *clock
	router *gin.Engine
}

func newEnv(t *testing.T, tweak ...func(*Options)) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "console.db")
	data, err := os.ReadFile(templateDB)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	store, err := models.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	clk := &clock{now: testStart}
	eng := &fakeEngine{store: store, clock: clk, results: map[string]*workflows.LoanView{}}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := Options{
		Store: store, TemporalUIURL: "http://temporal.test:8233", TemporalNamespace: "loans",
		Now: clk.Now, ApprovalSLA: 48 * time.Hour, Logger: quiet,
	}
	for _, f := range tweak {
		f(&opts)
	}
	r := api.NewRouter(api.Deps{
		Store: store, Engine: eng, Now: clk.Now, ApprovalTTL: 48 * time.Hour, Logger: quiet,
		Extensions: []api.Extension{New(opts)},
	})
	return &env{t: t, store: store, engine: eng, clock: clk, router: r}
}

// insertLoan stores a loan of partner demo in the given status, as the
// workflow's activities would have left it, created age ago.
func (e *env) insertLoan(status, amount string, age time.Duration) *models.Loan {
	e.t.Helper()
	ctx := context.Background()
	p, err := e.store.PartnerByUsername(ctx, "demo")
	require.NoError(e.t, err)
	ref, err := e.store.NextLoanRef(ctx)
	require.NoError(e.t, err)
	created := e.clock.Now().Add(-age)
	l := &models.Loan{
		Ref: ref, PartnerID: p.ID, ProductCode: "consumer", Status: status,
		IdempotencyKey: fmt.Sprintf("insert-%d", ref), RequestHash: "x", Currency: "MDL",
		Amount: decimal.RequireFromString(amount), TermMonths: 6, AnnualInterestRate: decimal.NewFromInt(36),
		InstallmentAmount: decimal.RequireFromString("369.05"), TotalRepayable: decimal.RequireFromString("2214.30"),
		Repaid: decimal.Zero, APR: decimal.RequireFromString("42.58"),
		Applicant: models.Applicant{
			IdentityNumber: "I12356789T", FirstName: "John", LastName: "Smith", Patronymic: "James",
			BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), DocumentSerial: "200000907",
			MobilePhone: "0123456789", HomePhone: "012345678", AltContactName: "June", AltContactRel: "sister",
			AltContactPhone: "0987654321", Town: "Chisinau", Street: "Long street", House: "11",
		},
		SubmittedBy: "Mike", Office: "Main office", CreatedAt: created, UpdatedAt: created,
	}
	require.NoError(e.t, e.store.CreateLoan(ctx, l))
	_, err = e.store.ApplyTransition(ctx, models.Transition{Ref: ref, Seq: 1, Actor: "partner:demo", Action: "submit", To: models.StatusSubmitted, At: created})
	require.NoError(e.t, err)
	if status != models.StatusSubmitted {
		require.NoError(e.t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", ref).Update("status", status).Error)
	}
	return l
}

// setApprovedBy records who approved a loan, as the workflow would have.
func (e *env) setApprovedBy(ref int64, actors ...string) {
	e.t.Helper()
	require.NoError(e.t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", ref).
		Update("approved_by", strings.Join(actors, ",")).Error)
}

func (e *env) addDocument(ref int64, kind, filename string, data []byte) *models.Document {
	e.t.Helper()
	d := &models.Document{
		LoanRef: ref, Kind: kind, Filename: filename, ContentType: http.DetectContentType(data),
		Size: int64(len(data)), SHA256: "x", Data: data, UploadedBy: "partner:demo", CreatedAt: e.clock.Now(),
	}
	require.NoError(e.t, e.store.AddDocument(context.Background(), d))
	return d
}

func (e *env) loan(ref int64) *models.Loan {
	e.t.Helper()
	l, err := e.store.GetLoan(context.Background(), ref)
	require.NoError(e.t, err)
	return l
}

func (e *env) staff(username string) *models.Staff {
	e.t.Helper()
	st, err := e.store.StaffByUsername(context.Background(), username)
	require.NoError(e.t, err)
	return st
}

// events lists the console audit log entries for an action, oldest first.
func (e *env) events(action string) []models.ConsoleEvent {
	e.t.Helper()
	evs, _, err := e.store.ListConsoleEvents(context.Background(), models.ConsoleEventFilter{Action: action, Limit: models.MaxListLimit})
	require.NoError(e.t, err)
	slices.Reverse(evs)
	return evs
}

func (e *env) lastEvent(action string) models.ConsoleEvent {
	e.t.Helper()
	evs := e.events(action)
	require.NotEmpty(e.t, evs, "no %s event", action)
	return evs[len(evs)-1]
}

// browser is one client with its cookies, from one address.
type browser struct {
	e       *env
	ip      string
	cookies map[string]*http.Cookie
	headers map[string]string
	last    string // body of the last page
}

func (e *env) browser() *browser {
	return &browser{e: e, ip: "192.0.2.10", cookies: map[string]*http.Cookie{}, headers: map[string]string{}}
}

func (b *browser) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = b.ip + ":4711"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.headers {
		req.Header.Set(k, v)
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.e.router.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		b.last = rec.Body.String()
	}
	return rec
}

func (b *browser) get(path string) *httptest.ResponseRecorder { return b.do(http.MethodGet, path, nil) }

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)
	nonceField = regexp.MustCompile(`name="nonce" value="([^"]+)"`)
)

func field(re *regexp.Regexp, page string) string {
	m := re.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// csrf is the CSRF token of the last page this browser saw.
func (b *browser) csrf() string {
	b.e.t.Helper()
	tok := field(csrfField, b.last)
	require.NotEmpty(b.e.t, tok, "no CSRF token on the last page")
	return tok
}

// post submits a form with the CSRF token of the last page.
func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf())
	}
	return b.do(http.MethodPost, path, form)
}

// trySignIn loads the sign-in page and posts the form.
func (b *browser) trySignIn(c creds) *httptest.ResponseRecorder {
	b.e.t.Helper()
	page := b.get(Prefix + "/login")
	require.Equal(b.e.t, http.StatusOK, page.Code)
	return b.do(http.MethodPost, Prefix+"/login", url.Values{
		"token": {field(tokenField, page.Body.String())}, "username": {c.user}, "password": {c.pw},
	})
}

// signIn signs in and opens the start page, so a CSRF token is at hand.
func (b *browser) signIn(c creds) *browser {
	b.e.t.Helper()
	res := b.trySignIn(c)
	require.Equal(b.e.t, http.StatusSeeOther, res.Code, res.Body.String())
	home := b.get(Prefix + "/")
	require.Equal(b.e.t, http.StatusSeeOther, home.Code)
	page := b.get(home.Header().Get("Location"))
	require.Equal(b.e.t, http.StatusOK, page.Code, page.Body.String())
	return b
}

func (e *env) signedIn(c creds) *browser { return e.browser().signIn(c) }

// openLoan loads a loan page and returns the form fields its actions need.
func (b *browser) openLoan(ref int64) url.Values {
	b.e.t.Helper()
	res := b.get(loanURL(ref))
	require.Equal(b.e.t, http.StatusOK, res.Code, res.Body.String())
	l := b.e.loan(ref)
	return url.Values{"seen": {l.Status}, "nonce": {field(nonceField, b.last)}}
}

// fakeEngine stands in for Temporal with the loan workflow's transition
// rules: the legal source status of each Update, four eyes (two different
// approvers above the product threshold), segregation of duties, required
// reasons, and Update-ID de-duplication. Transitions are persisted through
// the same Store call the workflow's activity makes.
type fakeEngine struct {
	store *models.Store
	clock *clock

	mu      sync.Mutex
	updates []string // update names, in order
	results map[string]*workflows.LoanView
	fail    error // when set, every Update fails with it
}

func (f *fakeEngine) StartLoan(context.Context, *workflows.LoanInput) error { return nil }

func (f *fakeEngine) Ready(context.Context) error { return nil }

func (f *fakeEngine) Query(ctx context.Context, ref int64) (*workflows.LoanView, error) {
	l, err := f.store.GetLoan(ctx, ref)
	if err != nil {
		return nil, &api.EngineError{Kind: api.KindNotFound, Message: "no workflow for this loan"}
	}
	return &workflows.LoanView{Ref: ref, Status: l.Status}, nil
}

func (f *fakeEngine) updateNames() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.updates)
}

func illegal(verb, status string) error {
	return &api.EngineError{Kind: api.KindConflict, Message: fmt.Sprintf("cannot %s a loan in status %s", verb, status)}
}

func (f *fakeEngine) Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, name)
	if f.fail != nil {
		return nil, f.fail
	}
	key := fmt.Sprintf("%d/%s", ref, updateID)
	if v, ok := f.results[key]; ok {
		return v, nil
	}
	req := arg.(workflows.DecisionRequest)
	l, err := f.store.GetLoan(ctx, ref)
	if err != nil {
		return nil, &api.EngineError{Kind: api.KindNotFound, Message: "no workflow for this loan"}
	}
	prod, err := f.store.GetProduct(ctx, l.ProductCode)
	if err != nil {
		return nil, err
	}
	var approvals []string
	if l.ApprovedBy != "" {
		approvals = strings.Split(l.ApprovedBy, ",")
	}
	t := models.Transition{Ref: ref, Actor: req.Actor, From: l.Status, Reason: req.Reason, At: f.clock.Now()}
	switch name {
	case workflows.UpdateApprove:
		if l.Status != models.StatusSubmitted {
			return nil, illegal("approve", l.Status)
		}
		if slices.Contains(approvals, req.Actor) {
			return nil, &api.EngineError{Kind: api.KindForbidden, Message: "this loan needs a second approval from a different underwriter"}
		}
		approvals = append(approvals, req.Actor)
		needed := 1
		if prod.FourEyesThreshold.IsPositive() && l.Amount.GreaterThan(prod.FourEyesThreshold) {
			needed = 2
		}
		t.Action, t.To = "approve", models.StatusApproved
		if len(approvals) < needed {
			t.Action, t.To = "approve_first", models.StatusSubmitted
		}
		by := strings.Join(approvals, ",")
		t.ApprovedBy = &by
	case workflows.UpdateReject:
		if l.Status != models.StatusSubmitted {
			return nil, illegal("reject", l.Status)
		}
		t.Action, t.To = "reject", models.StatusRejected
	case workflows.UpdateRejectDocuments:
		if l.Status != models.StatusDocumentsSubmitted {
			return nil, illegal("reject the documents of", l.Status)
		}
		t.Action, t.To, t.RejectDocuments = "reject_documents", models.StatusApproved, true
	case workflows.UpdateAuthorizeCashRelease:
		if l.Status != models.StatusDocumentsSubmitted {
			return nil, illegal("authorize the cash release of", l.Status)
		}
		if slices.Contains(approvals, req.Actor) {
			return nil, &api.EngineError{Kind: api.KindForbidden, Message: "segregation of duties: whoever approved a loan may not authorize its cash release"}
		}
		by := req.Actor
		t.Action, t.To, t.CashReleaseAuthorizedBy = "authorize_cash_release", models.StatusCashReleaseAuthorized, &by
	default:
		return nil, fmt.Errorf("fake engine: unexpected update %s", name)
	}
	trail, err := f.store.AuditTrail(ctx, ref)
	if err != nil {
		return nil, err
	}
	t.Seq = len(trail) + 1
	if _, err := f.store.ApplyTransition(ctx, t); err != nil {
		return nil, err
	}
	v := &workflows.LoanView{Ref: ref, Status: t.To}
	f.results[key] = v
	return v, nil
}

func newFormRequest(t *testing.T, path string, form url.Values) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "192.0.2.10:4711"
	return req
}

func serve(e *env, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	return rec
}

func sessionCookieOf(res *httptest.ResponseRecorder) string {
	for _, c := range res.Result().Cookies() {
		if c.Name == sessionCookie && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}

// has fails unless page contains want, without printing the whole page.
func has(t *testing.T, page, want string, msg ...any) {
	t.Helper()
	if !strings.Contains(page, want) {
		t.Fatalf("the page lacks %q %v", want, msg)
	}
}

// lacks fails if page contains unwanted.
func lacks(t *testing.T, page, unwanted string, msg ...any) {
	t.Helper()
	if strings.Contains(page, unwanted) {
		t.Fatalf("the page has %q %v", unwanted, msg)
	}
}
