package devstack

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	postgresv12 "go.temporal.io/server/schema/postgresql/v12"
	toolsql "go.temporal.io/server/tools/sql"

	"github.com/loanflow/loanflow/internal/testkit/testdb"
)

// TestServerOnPostgres runs the server on two new PostgreSQL databases, as
// the production shape does: the start sets their schemas up from the
// server's own files to its latest versions, a workflow runs and shows in
// visibility by its search attributes, and preparing the databases again, as
// the next start does, keeps everything in place.
func TestServerOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	opts := Options{
		PostgresDSN:           testdb.PostgresDatabase(t),
		PostgresVisibilityDSN: testdb.PostgresDatabase(t),
		FrontendAddr:          "127.0.0.1:0",
		Logger:                slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	began := time.Now()
	srv, err := Start(ctx, opts)
	require.NoError(t, err)
	t.Cleanup(srv.Stop)
	t.Logf("start took %s", time.Since(began))
	c := dial(t, srv)
	require.Equal(t, "hello loanflow", runGreeting(ctx, t, c, testLoanRef))
	query := `LoanRef = 90000 AND LoanStatus = "SUBMITTED"`
	require.Eventually(t, func() bool {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		return err == nil && len(resp.GetExecutions()) == 1
	}, 30*time.Second, 100*time.Millisecond, "the workflow never showed in visibility")

	s, err := opts.resolve()
	require.NoError(t, err)
	require.Equal(t, postgresv12.Version, schemaVersion(t, s.postgres.main))
	require.Equal(t, postgresv12.VisibilityVersion, schemaVersion(t, s.postgres.visibility))
	require.NoError(t, preparePostgres(s.postgres.main, s.postgres.visibility, defaultNamespace))
	desc, err := c.DescribeWorkflowExecution(ctx, testWorkflowID, "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.GetWorkflowExecutionInfo().GetStatus())
}

// schemaVersion is the schema version recorded in the database.
func schemaVersion(t *testing.T, cfg *config.SQL) string {
	t.Helper()
	conn, err := toolsql.NewConnection(cfg, log.NewNoopLogger())
	require.NoError(t, err)
	defer conn.Close()
	v, err := conn.ReadSchemaVersion()
	require.NoError(t, err)
	return v
}

func TestPostgresOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{name: "only one database", opts: Options{PostgresDSN: "postgres://u@h/temporal"}, wantErr: "set both"},
		{name: "not postgres", opts: Options{PostgresDSN: "mysql://u@h/t", PostgresVisibilityDSN: "postgres://u@h/v"}, wantErr: `PostgresDSN: scheme "mysql"`},
		{name: "no database name", opts: Options{PostgresDSN: "postgres://u@h/t", PostgresVisibilityDSN: "postgres://u@h"}, wantErr: "PostgresVisibilityDSN: no database name"},
		{name: "password stays out of errors", opts: Options{PostgresDSN: "postgres://u:s3cret@h:bad/t", PostgresVisibilityDSN: "postgres://u@h/v"}, wantErr: "PostgresDSN: not a URL"},
		{name: "neither nor a data dir", opts: Options{}, wantErr: "DataDir is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.opts.resolve()
			require.ErrorContains(t, err, tt.wantErr)
			require.NotContains(t, err.Error(), "s3cret")
		})
	}

	s, err := Options{
		PostgresDSN:           "postgres://temporal:pw@db.internal/temporal?sslmode=require",
		PostgresVisibilityDSN: "postgresql://temporal:pw@db.internal:6543/temporal_visibility",
	}.resolve()
	require.NoError(t, err)
	require.Equal(t, "db.internal:5432", s.postgres.main.ConnectAddr)
	require.Equal(t, "temporal", s.postgres.main.DatabaseName)
	require.Equal(t, "pw", s.postgres.main.Password)
	require.Equal(t, map[string]string{"sslmode": "require"}, s.postgres.main.ConnectAttributes)
	require.Equal(t, "db.internal:6543", s.postgres.visibility.ConnectAddr)
	require.Equal(t, "temporal_visibility", s.postgres.visibility.DatabaseName)
}
