package console

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// Seeded staff accounts.
var (
	underwriter  = testkit.Underwriter
	underwriter2 = testkit.Underwriter2
	operations   = testkit.Operations
	admin        = testkit.Admin
)

type creds = testkit.Creds

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// env is one test's loanflow: the JSON APIs and the console over the kit's
// service, which runs the real loan workflow on its own database.
type env struct {
	t     *testing.T
	kit   *kit.Kit
	store *models.Store
	clock *testkit.Clock
	opts  Options
	// proxies are the engine's trusted proxies (none by default).
	proxies trustedproxy.List
	// checks counts and can hold the service's password comparisons.
	checks *testkit.PasswordChecks
	router *gin.Engine
	// applicants numbers the applicants of application.
	applicants int
}

// newEnv mounts the console with the test's Options; the service's
// approval SLA is the console's, as in production.
func newEnv(t *testing.T, tweak ...func(*Options)) *env {
	t.Helper()
	o := Options{TemporalUIURL: "http://temporal.test:8233", TemporalNamespace: "loans", ApprovalSLA: kit.ApprovalTTL}
	for _, f := range tweak {
		f(&o)
	}
	checks := testkit.NewPasswordChecks(t)
	k := kit.New(t, kit.WithApprovalTTL(o.ApprovalSLA), kit.WithPasswordChecks(checks))
	e := &env{t: t, kit: k, store: k.Store, clock: k.Clock, opts: o, checks: checks}
	e.mount(k.Service)
	return e
}

// mount serves the JSON APIs and the console over svc, as the production
// router does.
func (e *env) mount(svc *service.Service) {
	o := e.opts
	o.Store, o.Now, o.Logger = e.store, svc.Now, svc.Logger()
	r := api.NewEngine(svc.Logger(), e.proxies)
	api.Mount(r, svc)
	Mount(r, svc, o)
	e.router = r
}

// behind serves the same service behind the given trusted proxies.
func (e *env) behind(proxies trustedproxy.List) {
	e.proxies = proxies
	e.mount(e.kit.Service)
}

// engineDown serves the same database through a service whose loan engine
// answers every call with err: an outage of Temporal.
func (e *env) engineDown(err error) {
	down := &testkit.ScriptedEngine{Store: e.store, StartErr: err, UpdateErr: err, ReadyErr: err, PayoffErr: err}
	e.mount(service.New(service.Deps{Store: e.store, Engine: down, Now: e.clock.Now, ApprovalTTL: e.opts.ApprovalSLA, Logger: e.kit.Logger}))
}

// aged runs create with the clock set back by age, so the loan it makes is
// age old on the console's clock, and answers the loan once its workflow
// has recorded the submission. The workflow's clock stays at the kit's
// start: a loan created longer than the approval SLA before it would
// expire at once, so a test that needs such old loans first advances the
// clock.
func (e *env) aged(age time.Duration, create func() *models.Loan) *models.Loan {
	e.t.Helper()
	now := e.clock.Now()
	created := now.Add(-age)
	require.True(e.t, created.Add(e.opts.ApprovalSLA).After(testkit.Start),
		"a loan created at %s would expire at once: advance the clock first", created)
	e.clock.Set(created)
	l := create()
	e.clock.Set(now)
	e.eventually("the workflow to record the submission", func() bool { return len(e.trail(l.Ref)) > 0 })
	return l
}

// loanIn is a loan of partner demo taken through the real workflow to
// status (kit.LoanIn), created age ago. Its applicant is always the same
// person, who may have two open loans: more go through application.
func (e *env) loanIn(status lending.Status, amount string, age time.Duration) *models.Loan {
	e.t.Helper()
	return e.aged(age, func() *models.Loan { return e.kit.LoanIn(status, amount) })
}

// application is kit.Application by an applicant of its own, so any number
// of them can be open at once.
func (e *env) application(amount string) service.LoanApplication {
	e.applicants++
	app := kit.Application(amount)
	app.Applicant.IdentityNumber = fmt.Sprintf("2%012d", e.applicants)
	return app
}

// submitted files app as partner demo, created age ago.
func (e *env) submitted(app service.LoanApplication, age time.Duration) *models.Loan {
	e.t.Helper()
	return e.aged(age, func() *models.Loan { return e.kit.Submit(app) })
}

// approve is an underwriter's approval through the service.
func (e *env) approve(ref int64, c creds) *models.Loan {
	e.t.Helper()
	out, err := e.kit.Service.Approve(context.Background(), e.kit.Staff(c), ref, "")
	require.NoError(e.t, err)
	return out.Loan
}

// upload is partner demo's upload through the service; the signed
// agreement and the bank statement together move an approved loan to
// DOCUMENTS_SUBMITTED.
func (e *env) upload(ref int64, kind lending.DocumentKind, filename string, data []byte) *models.Document {
	e.t.Helper()
	d, _, err := e.kit.Service.UploadDocument(context.Background(), e.kit.Partner(testkit.Demo), ref,
		service.DocumentUpload{Kind: kind, Filename: filename, Data: data}, "")
	require.NoError(e.t, err)
	return d
}

func (e *env) loan(ref int64) *models.Loan {
	e.t.Helper()
	return e.kit.Loan(ref)
}

func (e *env) staff(c creds) *models.Staff {
	e.t.Helper()
	return e.kit.Staff(c)
}

func (e *env) documents(ref int64) []models.Document {
	e.t.Helper()
	docs, err := e.store.Documents(context.Background(), ref)
	require.NoError(e.t, err)
	return docs
}

// trail lists the actions of the loan's audit trail, oldest first: what
// the workflow did to it.
func (e *env) trail(ref int64) []lending.Action {
	e.t.Helper()
	evs, err := e.store.AuditTrail(context.Background(), ref)
	require.NoError(e.t, err)
	out := make([]lending.Action, len(evs))
	for i, ev := range evs {
		out[i] = ev.Action
	}
	return out
}

// eventually polls check until it holds, failing after a deadline.
func (e *env) eventually(what string, check func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
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
		"token": {field(tokenField, page.Body.String())}, "username": {c.User}, "password": {c.Password},
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
	return url.Values{"seen": {string(l.Status)}, "nonce": {field(nonceField, b.last)}}
}

// act opens the loan's page and sends its action form at path (such as
// "/approve") as the page filled it.
func (b *browser) act(ref int64, path string) *httptest.ResponseRecorder {
	return b.post(loanURL(ref)+path, b.openLoan(ref))
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
