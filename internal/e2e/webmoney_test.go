package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/internal/temporalsetup"
	wmsim "github.com/loanflow/loanflow/providers/webmoney/sim"
	"github.com/loanflow/loanflow/workflows"
)

// TestWebMoneyFeedReconciles: the Temporal Schedule exists, a run imports
// the feed's loans as external loans, and a state change at WebMoney shows
// up as exactly one recorded change on the next run.
func TestWebMoneyFeedReconciles(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	require.NoError(t, temporalsetup.EnsureWebMoneySchedule(ctx, s.temporal, time.Hour))
	desc, err := s.temporal.ScheduleClient().GetHandle(ctx, workflows.WebMoneyScheduleID).Describe(ctx)
	require.NoError(t, err)
	require.NotNil(t, desc.Schedule.Spec)

	reconcile := func(id string) {
		run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue},
			workflows.WebMoneyReconcileWorkflowName, &workflows.ReconcileInput{})
		require.NoError(t, err)
		require.NoError(t, run.Get(ctx, nil))
	}
	reconcile("webmoney-reconcile-manual-1")
	staff := call{method: "GET", path: "/backoffice/v1/external-loans", user: "operations", pass: "operations-secret"}
	list := s.do(staff)
	require.Equal(t, http.StatusOK, list.status, string(list.body))
	items := list.decode(t)["items"].([]any)
	require.Len(t, items, len(s.providers.Sims.WebMoney.Credits()))
	require.NotEmpty(t, items)

	// One open loan is repaid at WebMoney.
	var changed int64
	for _, c := range s.providers.Sims.WebMoney.Credits() {
		if c.State == wmsim.StateTaken {
			changed = c.ID
			break
		}
	}
	require.NotZero(t, changed, "the demo feed has a loan in state taken")
	require.NoError(t, s.providers.Sims.WebMoney.SetState(changed, wmsim.StateCompleted))
	reconcile("webmoney-reconcile-manual-2")
	reconcile("webmoney-reconcile-manual-3") // an overlapping run records nothing new

	events, err := s.store.ExternalLoanEvents(ctx, "webmoney", strconv.FormatInt(changed, 10))
	require.NoError(t, err)
	require.Len(t, events, 1)
}
