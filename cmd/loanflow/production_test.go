package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/internal/devstack"
	"github.com/loanflow/loanflow/internal/encryption"
	"github.com/loanflow/loanflow/internal/testkit/hookreceiver"
	"github.com/loanflow/loanflow/internal/testkit/testdb"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

// prodNamespace is created by `loanflow migrate`, as in production; the
// Temporal server itself only brings "default".
const prodNamespace = "loans"

// TestProductionShape runs loanflow as README's "Production" section deploys
// it, each part its own process: a Temporal server on PostgreSQL (this test
// process), an application database on PostgreSQL, `loanflow migrate`,
// `staff add` for the first admin, two `serve` and two `worker`. The admin
// sets up staff, a product and a partner through the admin API; one loan then
// goes from quote to CLOSED with its calls alternating between the two API
// processes, and the worker that ran the loan so far is killed with SIGKILL
// right after the approval: the other worker finishes the loan.
func TestProductionShape(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a Temporal server on PostgreSQL and five loanflow processes; skipped with -short")
	}
	began := time.Now()
	// The partners' webhooks go out as in production: https only, and to a
	// private address only where an admin allows it. The workers trust the
	// test receiver's certificate alone.
	hooks := hookreceiver.New(0)
	receiver := httptest.NewTLSServer(hooks)
	t.Cleanup(receiver.Close)
	d, srv, admin := productionStack(t, "SSL_CERT_FILE="+certificateFile(t, receiver))
	t.Logf("Temporal on PostgreSQL up and loanflow migrated after %s", time.Since(began).Round(time.Millisecond))

	workers := []*process{d.start("worker"), d.start("worker")}
	apis := []string{d.serve(), d.serve()}
	for _, base := range apis {
		d.waitReady(base)
	}
	t.Logf("migrated, two workers and two APIs ready after %s", time.Since(began).Round(time.Millisecond))

	// Every call goes to the other API than the one before.
	calls := 0
	api := func() string { calls++; return apis[calls%2] }
	do := func(method, path string, who credentials, key string, body any, want int) map[string]any {
		t.Helper()
		status, got := request(t, method, api()+path, who.user, who.pass, key, body)
		require.Equal(t, want, status, "%s %s: %v", method, path, got)
		return got
	}

	staff := func(username, role string) credentials {
		created := do("POST", "/backoffice/v1/staff", admin, "", map[string]any{"username": username, "name": username, "role": role}, http.StatusCreated)
		return credentials{username, created["password"].(string)}
	}
	underwriter, operations := staff("una", "underwriter"), staff("otto", "operations")
	do("POST", "/backoffice/v1/products", admin, "", map[string]any{"code": "consumer", "name": "Consumer loan"}, http.StatusCreated)
	created := do("POST", "/backoffice/v1/partners", admin, "",
		map[string]any{"username": "shop", "name": "Corner Shop", "partner_type": "retail", "default_product": "consumer"}, http.StatusCreated)
	partner := credentials{"shop", created["secret"].(string)}

	events := []string{"loan.status_changed", "loan.repayment_recorded", "loan.settled"}
	refused := do("PUT", "/v1/webhook", partner, "", map[string]any{"url": receiver.URL + "/hook", "events": events}, http.StatusBadRequest)
	require.Equal(t, "url", refused["errors"].([]any)[0].(map[string]any)["field"], "a private address")
	hook := do("PUT", "/v1/webhook", partner, "", map[string]any{"url": "https://hooks.example.com/shop", "events": events}, http.StatusCreated)
	hooks.Trust(hook["secret"].(string))
	do("PUT", "/backoffice/v1/partners/shop/webhook", admin, "", map[string]any{"url": receiver.URL + "/hook", "events": events, "allow_private": true}, http.StatusOK)

	do("POST", "/v1/quotes", partner, "", map[string]any{"amount": "2500.00", "term_months": 12}, http.StatusOK)
	loan := do("POST", "/v1/loans", partner, "order-1", devApplication("I12356789T"), http.StatusCreated)
	ref := int64(loan["ref"].(float64))
	loanPath := fmt.Sprintf("/v1/loans/%d", ref)
	boPath := fmt.Sprintf("/backoffice/v1/loans/%d", ref)
	loan = do("POST", boPath+"/approve", underwriter, "", map[string]any{}, http.StatusOK)
	require.Equal(t, "APPROVED", loan["status"])

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr(), Namespace: prodNamespace})
	require.NoError(t, err)
	defer c.Close()
	ranSoFar := workflowTaskWorkers(ctx, t, c, ref)
	killed := slices.IndexFunc(workers, func(w *process) bool { return w.identityIs(ranSoFar[len(ranSoFar)-1]) })
	require.NotEqual(t, -1, killed, "the loan ran on %v, no worker of this test", ranSoFar)
	workers[killed].kill()
	killedAt := time.Now()
	survivor := workers[1-killed]
	// Read again: the killed worker may have completed another task before
	// it died; none after.
	seen := len(workflowTaskWorkers(ctx, t, c, ref))

	for _, kind := range []string{"signed_agreement", "bank_statement"} {
		status, got := upload(t, api()+loanPath+"/documents", partner, kind)
		require.Equal(t, http.StatusCreated, status, "%s: %v", kind, got)
	}
	require.Equal(t, "DOCUMENTS_SUBMITTED", do("GET", loanPath, partner, "", nil, http.StatusOK)["status"])
	t.Logf("first step after the kill done %s later", time.Since(killedAt).Round(time.Millisecond))
	do("POST", boPath+"/cash-release/authorize", operations, "", map[string]any{}, http.StatusOK)
	require.Equal(t, true, do("GET", loanPath+"/cash-release", partner, "", nil, http.StatusOK)["allowed"])
	do("POST", loanPath+"/disbursement", partner, "", map[string]any{}, http.StatusOK)

	sched := do("GET", loanPath+"/schedule", partner, "", nil, http.StatusOK)
	total := decimal.RequireFromString(sched["total"].(string))
	first := decimal.RequireFromString(sched["installments"].([]any)[0].(map[string]any)["total"].(string))
	today := time.Now().UTC().Format(time.DateOnly)
	repay := func(key string, amount decimal.Decimal) string {
		return do("POST", loanPath+"/repayments", partner, key, map[string]any{"amount": amount.StringFixed(2), "paid_on": today}, http.StatusOK)["status"].(string)
	}
	require.Equal(t, "ACTIVE", repay("pay-1", first))
	require.Equal(t, "CLOSED", repay("pay-2", total.Sub(first)))
	require.Equal(t, "CLOSED", do("GET", loanPath, partner, "", nil, http.StatusOK)["status"])

	require.Eventually(t, func() bool {
		desc, err := c.DescribeWorkflowExecution(ctx, workflows.LoanWorkflowID(ref), "")
		return err == nil && desc.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
	}, time.Minute, 100*time.Millisecond, "the loan's workflow did not complete")
	after := workflowTaskWorkers(ctx, t, c, ref)[seen:]
	require.NotEmpty(t, after)
	for _, identity := range after {
		require.True(t, survivor.identityIs(identity), "a workflow task after the kill ran on %s", identity)
	}
	// The partner heard the loan's life, signed with the secret one API
	// process sealed and a worker process opened; at least once, so a
	// delivery the killed worker made may have come twice.
	require.Eventually(t, func() bool {
		taken := hooks.Taken()
		return len(taken) > 0 && taken[len(taken)-1].Payload.Type == lending.EventSettled
	}, time.Minute, 100*time.Millisecond, "the webhooks did not all arrive: %v", hookreceiver.Lived(hooks.Taken()))
	require.Equal(t, []string{
		"→SUBMITTED", "SUBMITTED→APPROVED", "APPROVED→DOCUMENTS_SUBMITTED", "DOCUMENTS_SUBMITTED→CASH_RELEASE_AUTHORIZED",
		"CASH_RELEASE_AUTHORIZED→ACTIVE", "paid repayment", "paid repayment", "ACTIVE→CLOSED", "settled",
	}, hookreceiver.Lived(hooks.Taken()))
	require.Empty(t, hooks.Forged())

	for _, base := range apis {
		resp, err := http.Get(base + "/readyz")
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, base+"/readyz")
	}
	t.Logf("loan %d CLOSED through both APIs, worker %d killed, after %s in all", ref, workers[killed].cmd.Process.Pid, time.Since(began).Round(time.Millisecond))
}

type credentials struct{ user, pass string }

// productionStack is the production shape's infrastructure: a Temporal
// server on PostgreSQL (in this process), an application database on
// PostgreSQL, `loanflow migrate` and `staff add` for the first admin. The
// deployment starts loanflow's processes on it with env added.
func productionStack(tb testing.TB, env ...string) (deployment, *devstack.Server, credentials) {
	tb.Helper()
	temporalDB, visibilityDB, appDB := testdb.PostgresDatabase(tb), testdb.PostgresDatabase(tb), testdb.PostgresDatabase(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := devstack.Start(ctx, devstack.Options{
		PostgresDSN: temporalDB, PostgresVisibilityDSN: visibilityDB, FrontendAddr: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	})
	require.NoError(tb, err)
	tb.Cleanup(srv.Stop)
	d := deployment{t: tb, env: append([]string{
		"LOANFLOW_DATABASE_URL=" + appDB,
		"LOANFLOW_TEMPORAL_ADDRESS=" + srv.FrontendAddr(),
		"LOANFLOW_TEMPORAL_NAMESPACE=" + prodNamespace,
		"LOANFLOW_PAYLOAD_KEYS=" + encryption.NewKeySpec("k1"),
		"LOANFLOW_METRICS_ADDR=",
		"LOANFLOW_TEMPORAL_UI_URL=",
		"LOANFLOW_LOG_FORMAT=",
	}, env...)}
	d.run("migrate")
	out := d.run("staff", "add", "--username", "ada", "--role", "admin", "--name", "Ada Admin")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	adminPassword, ok := strings.CutPrefix(lines[len(lines)-1], "password: ")
	require.True(tb, ok, "staff add printed %q", out)
	return d, srv, credentials{"ada", adminPassword}
}

// deployment starts loanflow processes with one environment.
type deployment struct {
	t   testing.TB
	env []string
}

func (d deployment) command(extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(append(os.Environ(), d.env...), extraEnv...), "LOANFLOW_TEST_RUN_MAIN=1")
	return cmd
}

// run runs a one-shot command to success and answers its standard output.
func (d deployment) run(args ...string) string {
	d.t.Helper()
	cmd := d.command(nil, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(d.t, err, "loanflow %s: %s", strings.Join(args, " "), stderr.String())
	return string(out)
}

// process is a long-running loanflow process, killed when the test ends.
type process struct {
	name string
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func (p *process) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (d deployment) start(args ...string) *process {
	return d.startWith(nil, args...)
}

func (d deployment) startWith(extraEnv []string, args ...string) *process {
	d.t.Helper()
	p := &process{name: strings.Join(args, " "), cmd: d.command(extraEnv, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p, p
	require.NoError(d.t, p.cmd.Start())
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	d.t.Cleanup(func() {
		p.kill()
		if d.t.Failed() {
			p.mu.Lock()
			d.t.Logf("loanflow %s (pid %d) said:\n%s", p.name, p.cmd.Process.Pid, p.out.String())
			p.mu.Unlock()
		}
	})
	return p
}

// serve starts `loanflow serve` on a port of its own and answers its URL.
func (d deployment) serve() string {
	addr := freePort(d.t)
	d.startWith([]string{"LOANFLOW_HTTP_ADDR=" + addr}, "serve")
	return "http://" + addr
}

// kill ends the process with SIGKILL and waits for it to be gone.
func (p *process) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// identityIs tells whether a Temporal worker identity is this process's: the
// SDK's default identity starts with the process ID.
func (p *process) identityIs(identity string) bool {
	return strings.HasPrefix(identity, strconv.Itoa(p.cmd.Process.Pid)+"@")
}

// waitReady polls base/readyz until it answers 200.
func (d deployment) waitReady(base string) {
	d.t.Helper()
	require.Eventually(d.t, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, time.Minute, 100*time.Millisecond, "%s/readyz never answered 200", base)
}

// workflowTaskWorkers lists, in order, the identities of the workers that
// completed the loan workflow's tasks.
func workflowTaskWorkers(ctx context.Context, t *testing.T, c client.Client, ref int64) []string {
	t.Helper()
	var ids []string
	it := c.GetWorkflowHistory(ctx, workflows.LoanWorkflowID(ref), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(t, err)
		if a := e.GetWorkflowTaskCompletedEventAttributes(); a != nil {
			ids = append(ids, a.GetIdentity())
		}
	}
	require.NotEmpty(t, ids, "no workflow task completed")
	return ids
}

// upload sends a small PDF as the loan document of kind.
func upload(t *testing.T, url string, who credentials, kind string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	require.NoError(t, mw.WriteField("kind", kind))
	fw, err := mw.CreateFormFile("file", kind+".pdf")
	require.NoError(t, err)
	_, err = fw.Write([]byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"))
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, url, &body)
	require.NoError(t, err)
	req.SetBasicAuth(who.user, who.pass)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var got map[string]any
	_ = json.Unmarshal(raw, &got)
	return resp.StatusCode, got
}

// certificateFile writes the test server's certificate as a PEM file, for
// SSL_CERT_FILE.
func certificateFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "receiver.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	require.NoError(t, os.WriteFile(f, block, 0o600))
	return f
}
