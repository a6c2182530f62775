package encryption

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/workflows"
)

// TestStoredHistoriesReplayWithEncryptionOn: loans started before payloads
// were encrypted keep running on workers that encrypt.
func TestStoredHistoriesReplayWithEncryptionOn(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "workflows", "testdata", "*.history.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	conv := NewConverters(mustKeys(t, NewKeySpec("k1")))
	quiet := log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
				DataConverter: conv.Data, FailureConverter: conv.Failure,
			})
			require.NoError(t, err)
			r.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
			r.RegisterWorkflowWithOptions(workflows.WebhookDeliveryWorkflow, workflow.RegisterOptions{Name: workflows.WebhookDeliveryWorkflowName})
			require.NoError(t, r.ReplayWorkflowHistoryFromJSONFile(quiet, f))
		})
	}
}
