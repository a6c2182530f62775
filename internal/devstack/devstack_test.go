package devstack

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/internal/temporalsetup"
)

const (
	testTaskQueue  = "devstack-test"
	testWorkflowID = "loan-90000"
	testLoanRef    = 90000
)

func greetWorkflow(_ workflow.Context, name string) (string, error) {
	return "hello " + name, nil
}

// TestEmbeddedServer needs the embedded Temporal server: it starts it twice on
// the same data dir (a few seconds; linking the 200 MB test binary takes
// longer), so everything that needs a running server is a subtest here.
func TestEmbeddedServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server twice; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	opts := Options{
		DataDir:      t.TempDir(),
		FrontendAddr: "127.0.0.1:0",
		UIAddr:       "127.0.0.1:0",
		Logger:       slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}

	began := time.Now()
	srv, err := Start(ctx, opts)
	require.NoError(t, err)
	t.Cleanup(srv.Stop)
	t.Logf("first start took %s; frontend %s, UI %s", time.Since(began), srv.FrontendAddr(), srv.UIURL())
	c := dial(t, srv)

	t.Run("search attributes are registered", func(t *testing.T) {
		resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: defaultNamespace})
		require.NoError(t, err)
		for name, typ := range temporalsetup.SearchAttributes() {
			require.Equal(t, typ, resp.GetCustomAttributes()[name], name)
		}
	})

	t.Run("workflow runs to completion", func(t *testing.T) {
		require.Equal(t, "hello loanflow", runGreeting(ctx, t, c, testLoanRef))
	})

	t.Run("a second server on the same data dir is refused", func(t *testing.T) {
		_, err := Start(ctx, opts)
		require.ErrorContains(t, err, "held by another running dev server")
	})

	t.Run("stop is idempotent", func(t *testing.T) {
		c.Close()
		began := time.Now()
		srv.Stop()
		t.Logf("stop took %s", time.Since(began))
		srv.Stop()
		_, err := os.Stat(filepath.Join(opts.DataDir, dbFileName))
		require.NoError(t, err)
		_, err = os.Stat(filepath.Join(opts.DataDir, dbFileName+".initializing"))
		require.ErrorIs(t, err, os.ErrNotExist)
	})

	began = time.Now()
	srv, err = Start(ctx, opts)
	require.NoError(t, err)
	t.Cleanup(srv.Stop)
	t.Logf("restart took %s; frontend %s, UI %s", time.Since(began), srv.FrontendAddr(), srv.UIURL())
	c = dial(t, srv)

	t.Run("workflow history survives a restart", func(t *testing.T) {
		desc, err := c.DescribeWorkflowExecution(ctx, testWorkflowID, "")
		require.NoError(t, err)
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.GetWorkflowExecutionInfo().GetStatus())

		var got string
		require.NoError(t, c.GetWorkflow(ctx, testWorkflowID, "").Get(ctx, &got))
		require.Equal(t, "hello loanflow", got)
	})

	t.Run("restarted server runs new workflows promptly", func(t *testing.T) {
		// Stale members of the stopped server once kept matching out of the
		// ring for half a minute after a restart.
		quick, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		require.Equal(t, "hello loanflow", runGreeting(quick, t, c, testLoanRef+1))
	})

	t.Run("search attributes are queryable after a restart", func(t *testing.T) {
		// Visibility is written asynchronously; poll until the record shows.
		query := `LoanRef = 90000 AND LoanStatus = "SUBMITTED"`
		require.Eventually(t, func() bool {
			resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
			return err == nil && len(resp.GetExecutions()) == 1 &&
				resp.GetExecutions()[0].GetExecution().GetWorkflowId() == testWorkflowID
		}, 30*time.Second, 100*time.Millisecond)
	})

	t.Run("UI serves a workflow deep link and its assets", func(t *testing.T) {
		require.True(t, strings.HasPrefix(srv.UIURL(), "http://127.0.0.1:"), srv.UIURL())
		page := get(ctx, t, srv.UIURL()+"/namespaces/"+defaultNamespace+"/workflows/"+testWorkflowID, "text/html")
		require.Contains(t, strings.ToLower(page), "<html")

		// The page boots from the embedded bundle; one missing asset would
		// leave a blank page behind a 200.
		script := regexp.MustCompile(`"(/_app/immutable/[^"]+\.js)"`).FindStringSubmatch(page)
		require.NotNil(t, script, "no /_app script in the UI page")
		require.NotEmpty(t, get(ctx, t, srv.UIURL()+script[1], "javascript"))
	})

	t.Run("stop after restart", func(t *testing.T) {
		c.Close()
		began := time.Now()
		srv.Stop()
		t.Logf("stop took %s", time.Since(began))
	})
}

// runGreeting runs greetWorkflow as loan-<ref> on a worker of its own, with
// loan search attributes set, and returns its result.
func runGreeting(ctx context.Context, t *testing.T, c client.Client, ref int64) string {
	t.Helper()
	w := worker.New(c, testTaskQueue, worker.Options{})
	w.RegisterWorkflow(greetWorkflow)
	require.NoError(t, w.Start())
	defer w.Stop()

	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        fmt.Sprintf("loan-%d", ref),
		TaskQueue: testTaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			temporal.NewSearchAttributeKeyKeyword("LoanStatus").ValueSet("SUBMITTED"),
			temporal.NewSearchAttributeKeyInt64("LoanRef").ValueSet(ref),
		),
	}, greetWorkflow, "loanflow")
	require.NoError(t, err)
	var got string
	require.NoError(t, run.Get(ctx, &got))
	return got
}

// get fetches url, requires 200 with a Content-Type containing contentType,
// and returns the body.
func get(ctx context.Context, t *testing.T, url, contentType string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, url)
	require.Contains(t, resp.Header.Get("Content-Type"), contentType, url)
	return string(body)
}

func dial(t *testing.T, srv *Server) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{
		HostPort:  srv.FrontendAddr(),
		Namespace: defaultNamespace,
		Logger:    clientLogger{log: slog.New(slog.NewTextHandler(os.Stderr, nil))},
	})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}
