package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/devstack"
	"github.com/loanflow/loanflow/internal/frontends"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/worker"
)

// stack is the loanflow every browser test talks to, shared by the tests
// of this package (each test works on loans of its own).
type stack struct {
	url   string
	store *models.Store
}

var (
	shared      *stack
	browserPath string
	// skipReason is set when the tests cannot run here.
	skipReason string
)

// findBrowser locates Chromium or Chrome.
func findBrowser() (string, error) {
	if p := os.Getenv("LOANFLOW_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium, chromium-browser, google-chrome or headless-shell on PATH (install Debian's chromium package, or set LOANFLOW_CHROMIUM)")
}

func TestMain(m *testing.M) {
	var err error
	if browserPath, err = findBrowser(); err != nil {
		skipReason = err.Error()
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "loanflow-browsertest")
	if err != nil {
		panic(err)
	}
	stop, err := startStack(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		fmt.Fprintln(os.Stderr, "browsertest: start loanflow:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// quietLogger keeps the Temporal SDK's chatter out of the test output.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}

// approvalTTL is `loanflow dev`'s approval SLA.
const approvalTTL = 7 * 24 * time.Hour

// startStack runs what `loanflow dev` runs, on free ports under dir.
func startStack(dir string) (stop func(), err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	srv, err := devstack.Start(ctx, devstack.Options{DataDir: dir, FrontendAddr: "127.0.0.1:0", Logger: logger})
	if err != nil {
		return nil, err
	}
	stops = append(stops, srv.Stop)
	store, err := models.Open(filepath.Join(dir, "loanflow.db"))
	if err != nil {
		return nil, err
	}
	stops = append(stops, func() { _ = store.Close() })
	if err := store.Migrate(ctx); err != nil {
		return nil, err
	}
	if err := store.SeedDev(ctx); err != nil {
		return nil, err
	}
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr(), Namespace: "default", Logger: quietLogger{}})
	if err != nil {
		return nil, err
	}
	stops = append(stops, c.Close)
	w := worker.New(c, &activities.Activities{Store: store}, worker.Side{})
	if err := w.Start(); err != nil {
		return nil, err
	}
	stops = append(stops, w.Stop)
	svc := service.New(service.Deps{Store: store, Engine: gateway.NewTemporal(c, "default"), Now: time.Now, ApprovalTTL: approvalTTL, Logger: logger})
	router := frontends.Router(svc, frontends.Options{
		Store: store, ApprovalSLA: approvalTTL, TemporalUIURL: "http://127.0.0.1:8233", TemporalNamespace: "default",
	})
	ts := httptest.NewServer(router)
	stops = append(stops, ts.Close)
	shared = &stack{url: ts.URL, store: store}
	return stop, nil
}

// requireStack skips a test that cannot run here, saying why.
func requireStack(t *testing.T) *stack {
	t.Helper()
	if skipReason != "" {
		t.Skipf("browser tests skipped: %s", skipReason)
	}
	return shared
}

// applicantSeq makes each loan's applicant a different person, so the
// open-loans-per-person rule never rejects a test's loan.
var applicantSeq atomic.Int64

// submitLoan files an application as partner demo and answers its ref.
func (s *stack) submitLoan(t *testing.T, amount string) int64 {
	t.Helper()
	n := applicantSeq.Add(1)
	body := map[string]any{
		"product_code": "consumer", "amount": amount, "term_months": 12,
		"submitted_by": "Mike", "office": "Main office",
		"applicant": map[string]any{
			"identity_number": fmt.Sprintf("2%012d", n), "first_name": "Ana", "last_name": fmt.Sprintf("Rusu-%d", n),
			"patronymic": "Ion", "birth_date": "1988-05-17", "document_serial": "200000907",
			"mobile_phone": "0691234567", "home_phone": "022123456",
			"alt_contact": map[string]any{"name": "Mihai", "relation": "brother", "phone": "0697654321"},
			"address":     map[string]any{"town": "Chisinau", "street": "Stefan cel Mare", "house": "12", "apartment": "4"},
		},
	}
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	res := s.call(t, http.MethodPost, "/v1/loans", "demo", "demo-secret", bytes.NewReader(raw), "application/json",
		map[string]string{"Idempotency-Key": fmt.Sprintf("browsertest-%d-%d", time.Now().UnixNano(), n)})
	require.Equal(t, http.StatusCreated, res.status, string(res.body))
	var out struct{ Ref int64 }
	require.NoError(t, json.Unmarshal(res.body, &out))
	s.waitStatus(t, out.Ref, lending.StatusSubmitted)
	return out.Ref
}

type reply struct {
	status int
	body   []byte
}

func (s *stack) call(t *testing.T, method, path, user, pass string, body io.Reader, ctype string, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	require.NoError(t, err)
	req.SetBasicAuth(user, pass)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, body: b}
}

// upload sends a document as partner demo.
func (s *stack) upload(t *testing.T, ref int64, kind lending.DocumentKind, filename string, content []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField("kind", string(kind)))
	fw, err := mw.CreateFormFile("file", filename)
	require.NoError(t, err)
	_, err = fw.Write(content)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	res := s.call(t, http.MethodPost, fmt.Sprintf("/v1/loans/%d/documents", ref), "demo", "demo-secret", &buf, mw.FormDataContentType(), nil)
	require.Equal(t, http.StatusCreated, res.status, string(res.body))
}

// submitDocuments uploads the signed agreement (a PDF) and the bank
// statement (a PNG), which moves an approved loan to DOCUMENTS_SUBMITTED.
func (s *stack) submitDocuments(t *testing.T, ref int64) {
	t.Helper()
	s.upload(t, ref, lending.DocSignedAgreement, "signed-agreement.pdf", samplePDF)
	s.upload(t, ref, lending.DocBankStatement, "bank-statement.png", samplePNG)
	s.waitStatus(t, ref, lending.StatusDocumentsSubmitted)
}

// approveByAPI approves through /backoffice/v1, as another front end would.
func (s *stack) approveByAPI(t *testing.T, ref int64, user, pass string) {
	t.Helper()
	res := s.call(t, http.MethodPost, fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), user, pass, nil, "application/json", nil)
	require.Equal(t, http.StatusOK, res.status, string(res.body))
}

func (s *stack) loan(t *testing.T, ref int64) *models.Loan {
	t.Helper()
	l, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	return l
}

// waitStatus polls the database until the loan has the status.
func (s *stack) waitStatus(t *testing.T, ref int64, status lending.Status) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		l := s.loan(t, ref)
		if l.Status == status {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("loan %d is %s, not %s, after 30 s", ref, l.Status, status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// setRole moves a staff member to another role, as an admin would.
func (s *stack) setRole(t *testing.T, username string, role lending.Role) {
	t.Helper()
	ctx := context.Background()
	st, err := s.store.StaffByUsername(ctx, username)
	require.NoError(t, err)
	ev := &models.ConsoleEvent{At: time.Now(), Actor: "browsertest", Action: "change_staff_role", Target: "staff " + username, Outcome: models.OutcomeOK}
	require.NoError(t, s.store.SetStaffRole(ctx, st.ID, role, ev))
}
