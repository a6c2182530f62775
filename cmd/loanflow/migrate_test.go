package main

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/internal/devstack"
	"github.com/loanflow/loanflow/internal/encryption"
	"github.com/loanflow/loanflow/internal/temporalsetup"
	"github.com/loanflow/loanflow/internal/testkit/testdb"
)

// startTemporal runs the embedded Temporal server for one test.
func startTemporal(t *testing.T) *devstack.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := devstack.Start(ctx, devstack.Options{
		DataDir: t.TempDir(), FrontendAddr: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	require.NoError(t, err)
	t.Cleanup(srv.Stop)
	return srv
}

// TestMigrateCreatesNamespace runs `loanflow migrate` twice against a
// Temporal server that lacks the namespace: the first run creates it with
// the configured retention and loanflow's search attributes, the second
// finds everything in place.
func TestMigrateCreatesNamespace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	srv := startTemporal(t)
	const namespace = "loans-prod"
	t.Setenv("LOANFLOW_DATABASE_URL", testdb.DSN(t, "sqlite"))
	t.Setenv("LOANFLOW_TEMPORAL_ADDRESS", srv.FrontendAddr())
	t.Setenv("LOANFLOW_TEMPORAL_NAMESPACE", namespace)
	t.Setenv("LOANFLOW_TEMPORAL_RETENTION", "240h")
	t.Setenv("LOANFLOW_PAYLOAD_KEYS", encryption.NewKeySpec("k1"))

	code, _, stderr := runCommand(t, "", "migrate")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "Temporal namespace created")

	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr(), Namespace: namespace})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	ns, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	require.NoError(t, err)
	require.Equal(t, 10*24*time.Hour, ns.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration())
	attrs, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	require.NoError(t, err)
	for name, typ := range temporalsetup.SearchAttributes() {
		require.Equal(t, typ, attrs.GetCustomAttributes()[name], name)
	}

	code, _, stderr = runCommand(t, "", "migrate")
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, stderr, "Temporal namespace created")
	require.Contains(t, stderr, "search attributes registered")
}
