package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"

	"github.com/loanflow/loanflow/workflows"
)

// recordHistory writes the history of the loan's latest workflow run where
// the replay test in workflows/ finds it, when LOANFLOW_RECORD_HISTORY
// names that directory.
func recordHistory(t *testing.T, s *stack, ref int64, name string) { recordRun(t, s, ref, "", name) }

// recordRun is recordHistory for one run of the loan's workflow.
func recordRun(t *testing.T, s *stack, ref int64, runID, name string) {
	recordWorkflow(t, s, workflows.LoanWorkflowID(ref), runID, name)
}

// recordWorkflow is recordHistory for one run of any workflow.
func recordWorkflow(t *testing.T, s *stack, workflowID, runID, name string) {
	dir := os.Getenv("LOANFLOW_RECORD_HISTORY")
	if dir == "" {
		return
	}
	h := workflowHistory(t, s, workflowID, runID)
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".history.json"), b, 0o644))
	t.Logf("recorded %d events to %s", len(h.Events), dir)
}

// runHistory reads one run of the loan's workflow; runID "" is the latest.
func runHistory(t *testing.T, s *stack, ref int64, runID string) *historypb.History {
	return workflowHistory(t, s, workflows.LoanWorkflowID(ref), runID)
}

// workflowHistory reads one run of a workflow; runID "" is the latest.
func workflowHistory(t *testing.T, s *stack, workflowID, runID string) *historypb.History {
	t.Helper()
	it := s.temporal.GetWorkflowHistory(context.Background(), workflowID, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	return &h
}
