package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/devstack"
	"github.com/loanflow/loanflow/internal/frontends"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/internal/webhook"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/worker"
)

// stack is one running loanflow: what `loanflow dev` starts, on free ports.
type stack struct {
	t         *testing.T
	api       *httptest.Server
	temporal  client.Client
	store     *models.Store
	providers *integrations.Set
}

func startStack(t *testing.T) *stack { return startStackWith(t, stackOptions{}) }

// stackOptions change the stack for one test; the zero value is the stack
// `loanflow dev` runs.
type stackOptions struct {
	// faults are injected by the provider simulators.
	faults integrations.Options
	// approvalTTL is how long a submitted loan waits for a decision (zero:
	// the API's default, seven days).
	approvalTTL time.Duration
	// worker registers replacements for some of the worker's activities.
	worker func(w sdkworker.Worker, acts *activities.Activities)
	// engine wraps the API's way into Temporal.
	engine func(gateway.Engine) gateway.Engine
}

// startStackWith starts the stack with every provider simulated in process.
func startStackWith(t *testing.T, so stackOptions) *stack {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	srv, err := devstack.Start(ctx, devstack.Options{DataDir: dir, FrontendAddr: "127.0.0.1:0", Logger: logger})
	require.NoError(t, err)
	t.Cleanup(srv.Stop)

	store, err := models.Open(filepath.Join(dir, "loanflow.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	require.NoError(t, store.Migrate(ctx))
	require.NoError(t, store.SeedDev(ctx))

	sdkLog := &quietLogger{t: t}
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr(), Namespace: "default", Logger: sdkLog})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	t.Cleanup(sdkLog.stop)
	o := so.faults
	o.Simulate = true
	providers, err := integrations.Build(integrations.Config{FineractTenant: "default"}, o)
	require.NoError(t, err)
	t.Cleanup(providers.Close)
	feed := &activities.WebMoney{Client: providers.WebMoney, Store: store}
	var engine gateway.Engine = gateway.NewTemporal(c, "default", gateway.WithConsoleURL(consoleURL))
	if so.engine != nil {
		engine = so.engine(engine)
	}
	// Webhooks as `loanflow dev` sends them: to receivers on this machine.
	secrets, policy := webhook.NewProcessSecrets(), webhook.Policy{Dev: true}
	hooks := &activities.Webhooks{Store: store, Secrets: secrets, Sender: webhook.NewSender(policy)}
	acts := &activities.Activities{Store: store, Ledgers: providers.Ledgers, Lenders: providers.Lenders, Webhooks: engine}
	w := worker.New(c, acts, worker.Side{WebMoney: feed, Webhooks: hooks})
	if so.worker != nil {
		so.worker(w, acts)
	}
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	svc := service.New(service.Deps{
		Store: store, Engine: engine, Now: time.Now, ApprovalTTL: so.approvalTTL, Logger: logger,
		Webhooks: service.WebhookDeps{Secrets: secrets, Policy: policy},
	})
	router := frontends.Router(svc, frontends.Options{Store: store, ApprovalSLA: so.approvalTTL, TemporalNamespace: "default"})
	ts := httptest.NewServer(router)
	t.Cleanup(ts.Close)
	return &stack{t: t, api: ts, temporal: c, store: store, providers: providers}
}

// quietLogger keeps the SDK's info chatter out of test output; its errors
// (a workflow task that panicked, an activity that failed for good) are
// the test's log, for whoever reads a failure. They stop with the test.
type quietLogger struct {
	t    *testing.T
	mu   sync.Mutex
	done bool
}

func (*quietLogger) Debug(string, ...any) {}
func (*quietLogger) Info(string, ...any)  {}
func (*quietLogger) Warn(string, ...any)  {}
func (l *quietLogger) Error(msg string, kv ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Log(append([]any{"temporal sdk:", msg}, kv...)...)
	}
}

func (l *quietLogger) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
}

type call struct {
	method, path string
	user, pass   string
	headers      map[string]string
	json         any
	body         io.Reader
	contentType  string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) decode(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

func (s *stack) do(c call) reply {
	s.t.Helper()
	body := c.body
	if c.json != nil {
		b, err := json.Marshal(c.json)
		require.NoError(s.t, err)
		body = bytes.NewReader(b)
		c.contentType = "application/json"
	}
	req, err := http.NewRequest(c.method, s.api.URL+c.path, body)
	require.NoError(s.t, err)
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pass)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// upload sends one document as multipart form data.
func (s *stack) upload(path, kind, filename string, content []byte) reply {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(s.t, mw.WriteField("kind", kind))
	fw, err := mw.CreateFormFile("file", filename)
	require.NoError(s.t, err)
	_, err = fw.Write(content)
	require.NoError(s.t, err)
	require.NoError(s.t, mw.Close())
	return s.do(call{method: "POST", path: path, user: "demo", pass: "demo-secret", body: &buf, contentType: mw.FormDataContentType()})
}

// eventually polls check until it holds or the deadline passes.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
