package workflows_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/workflows"
)

var reconcileActs *activities.WebMoney

// actionTime is the schedule's action time in the reconcile tests, with a
// fraction of a second the window drops.
var actionTime = time.Date(2026, 3, 10, 9, 0, 0, 250_000_000, time.UTC)

// reconcileRun runs WebMoneyReconcileWorkflow with the activity answering
// the queued results in turn, and returns the windows it was called with.
type reconcileRun struct {
	windows []activities.Window
	answers []error // nil: succeed
}

func (r *reconcileRun) exec(t *testing.T, in *workflows.ReconcileInput) (*workflows.ReconcileResult, error) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(actionTime)
	env.RegisterWorkflowWithOptions(workflows.WebMoneyReconcileWorkflow, workflow.RegisterOptions{Name: workflows.WebMoneyReconcileWorkflowName})
	env.RegisterActivity(reconcileActs)
	env.OnActivity(reconcileActs.FetchAndUpsert, mock.Anything, mock.Anything).Return(
		func(_ context.Context, w activities.Window) (*activities.ReconcileResult, error) {
			r.windows = append(r.windows, w)
			if n := len(r.windows); n <= len(r.answers) && r.answers[n-1] != nil {
				return nil, r.answers[n-1]
			}
			return &activities.ReconcileResult{Requested: w, Fetched: w, Loans: 3, Created: 1, Changed: 1, Unchanged: 1}, nil
		})
	env.ExecuteWorkflow(workflows.WebMoneyReconcileWorkflowName, in)
	require.True(t, env.IsWorkflowCompleted())
	if err := env.GetWorkflowError(); err != nil {
		return nil, err
	}
	var res workflows.ReconcileResult
	require.NoError(t, env.GetWorkflowResult(&res))
	return &res, nil
}

func TestWebMoneyReconcileWindow(t *testing.T) {
	to := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	backFrom, backTo := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		in   *workflows.ReconcileInput
		want activities.Window
	}{
		{"scheduled run, default lookback", &workflows.ReconcileInput{}, activities.Window{From: to.Add(-48 * time.Hour), To: to}},
		{"no input at all", nil, activities.Window{From: to.Add(-48 * time.Hour), To: to}},
		{"own lookback", &workflows.ReconcileInput{Lookback: 6 * time.Hour}, activities.Window{From: to.Add(-6 * time.Hour), To: to}},
		{"backfill", &workflows.ReconcileInput{From: backFrom.In(time.FixedZone("MSK", 3*3600)), To: backTo, Lookback: time.Hour},
			activities.Window{From: backFrom, To: backTo}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r reconcileRun
			res, err := r.exec(t, tc.in)
			require.NoError(t, err)
			require.Len(t, r.windows, 1)
			require.True(t, tc.want.From.Equal(r.windows[0].From), "from %s, want %s", r.windows[0].From, tc.want.From)
			require.True(t, tc.want.To.Equal(r.windows[0].To), "to %s, want %s", r.windows[0].To, tc.want.To)
			require.Equal(t, [4]int{3, 1, 1, 1}, [4]int{res.Loans, res.Created, res.Changed, res.Unchanged})
			require.True(t, res.Fetched.To.Equal(tc.want.To))
		})
	}
}

func TestWebMoneyReconcileRejectsBadInput(t *testing.T) {
	cases := []struct {
		name string
		in   *workflows.ReconcileInput
	}{
		{"negative lookback", &workflows.ReconcileInput{Lookback: -time.Hour}},
		{"backfill without to", &workflows.ReconcileInput{From: actionTime.Add(-time.Hour)}},
		{"backfill without from", &workflows.ReconcileInput{To: actionTime}},
		{"backfill ending before it starts", &workflows.ReconcileInput{From: actionTime, To: actionTime.Add(-time.Hour)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r reconcileRun
			_, err := r.exec(t, tc.in)
			var appErr *temporal.ApplicationError
			require.True(t, errors.As(err, &appErr), "error: %v", err)
			require.Equal(t, workflows.ErrTypeInvalid, appErr.Type())
			require.Empty(t, r.windows, "no fetch for a bad input")
		})
	}
}

func TestWebMoneyReconcileActivityFailures(t *testing.T) {
	cases := []struct {
		name      string
		answers   []error
		wantCalls int
		wantType  string // "" for success
	}{
		{"outage retried until it passes", []error{
			temporal.NewApplicationError("HTTP 503", activities.ErrTypeWebMoneyUnavailable),
			temporal.NewApplicationError("HTTP 500", activities.ErrTypeWebMoneyUnavailable),
		}, 3, ""},
		{"refusal fails the run at once", []error{
			temporal.NewNonRetryableApplicationError("invalid signature", activities.ErrTypeWebMoneyRefused, nil),
		}, 1, activities.ErrTypeWebMoneyRefused},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reconcileRun{answers: tc.answers}
			res, err := r.exec(t, &workflows.ReconcileInput{})
			require.Len(t, r.windows, tc.wantCalls)
			for _, w := range r.windows[1:] {
				require.Equal(t, r.windows[0], w, "a retry fetches the same window")
			}
			if tc.wantType == "" {
				require.NoError(t, err)
				require.Equal(t, 3, res.Loans)
				return
			}
			var appErr *temporal.ApplicationError
			require.True(t, errors.As(err, &appErr), "error: %v", err)
			require.Equal(t, tc.wantType, appErr.Type())
		})
	}
}
