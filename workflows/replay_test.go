package workflows_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/workflows"
)

// TestReplayStoredHistories replays histories recorded from real runs (the
// end-to-end test writes them with LOANFLOW_RECORD_HISTORY=workflows/testdata):
// a workflow change that would break running loans fails here.
func TestReplayStoredHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.history.json")
	require.NoError(t, err)
	require.NotEmpty(t, files, "no stored histories in workflows/testdata")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
			require.NoError(t, r.ReplayWorkflowHistoryFromJSONFile(nil, f))
		})
	}
}
