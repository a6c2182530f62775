package gateway

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

// startOutcomes are what starting a workflow may answer, and the failure
// each becomes: one already started is the same start, retried.
var startOutcomes = []struct {
	name    string
	err     error
	wantErr failure.Kind
}{
	{"started", nil, 0},
	{"already started (closed, reuse rejected)", serviceerror.NewWorkflowExecutionAlreadyStarted("exists", "", "run"), 0},
	{"outage", serviceerror.NewUnavailable("connection refused"), failure.KindUnavailable},
}

func TestTemporalEngineStartLoan(t *testing.T) {
	in := &workflows.LoanInput{Ref: 90001, PartnerID: 3, Partner: "demo", Amount: decimal.RequireFromString("2000.50"), TermMonths: 6}
	for _, tc := range startOutcomes {
		t.Run(tc.name, func(t *testing.T) {
			c := mocks.NewClient(t)
			var got client.StartWorkflowOptions
			c.On("ExecuteWorkflow", mock.Anything, mock.Anything, "LoanWorkflow", in).
				Run(func(args mock.Arguments) { got = args.Get(1).(client.StartWorkflowOptions) }).
				Return(nil, tc.err)
			err := NewTemporal(c, "default").StartLoan(context.Background(), in)
			if tc.wantErr != 0 {
				require.Equal(t, tc.wantErr, failure.KindOf(err))
				require.NotContains(t, err.(*failure.Error).Detail, "connection refused")
				return
			}
			require.NoError(t, err)
			require.Equal(t, "loan-90001", got.ID)
			require.Equal(t, workflows.TaskQueue, got.TaskQueue)
			require.Equal(t, enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING, got.WorkflowIDConflictPolicy)
			require.Equal(t, enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, got.WorkflowIDReusePolicy)
			sa := got.TypedSearchAttributes
			status, _ := sa.GetKeyword(workflows.SearchAttrLoanStatus)
			partner, _ := sa.GetKeyword(workflows.SearchAttrPartnerID)
			ref, _ := sa.GetInt64(workflows.SearchAttrLoanRef)
			amount, _ := sa.GetFloat64(workflows.SearchAttrLoanAmount)
			require.Equal(t, "SUBMITTED", status)
			require.Equal(t, "demo", partner)
			require.Equal(t, int64(90001), ref)
			require.InDelta(t, 2000.5, amount, 1e-9)
		})
	}
}

func TestTemporalEngineUpdate(t *testing.T) {
	c := mocks.NewClient(t)
	h := mocks.NewWorkflowUpdateHandle(t)
	arg := workflows.DecisionRequest{Actor: "staff:underwriter"}
	c.On("UpdateWorkflow", mock.Anything, client.UpdateWorkflowOptions{
		UpdateID: "approve-underwriter", WorkflowID: "loan-7", UpdateName: workflows.UpdateApprove,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	}).Return(h, nil)
	h.On("Get", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		*args.Get(1).(*workflows.LoanView) = workflows.LoanView{Ref: 7, Status: "APPROVED"}
	}).Return(nil)
	view, err := NewTemporal(c, "default").Update(context.Background(), 7, workflows.UpdateApprove, "approve-underwriter", arg)
	require.NoError(t, err)
	require.Equal(t, lending.StatusApproved, view.Status)
}

func TestTemporalEngineErrorMapping(t *testing.T) {
	cases := []struct {
		name string
		err  error
		kind failure.Kind
	}{
		{"illegal transition", temporal.NewApplicationError("cannot cancel an ACTIVE loan", workflows.ErrTypeIllegalTransition), failure.KindConflict},
		{"forbidden", temporal.NewApplicationError("approver cannot authorize", workflows.ErrTypeForbidden), failure.KindForbidden},
		{"invalid", temporal.NewApplicationError("unknown kind", workflows.ErrTypeInvalid), failure.KindInvalid},
		{"workflow completed", serviceerror.NewNotFound("workflow execution already completed"), failure.KindConflict},
		{"update aborted by closing", serviceerror.NewNotFound("workflow update was aborted by closing workflow"), failure.KindConflict},
		{"no such workflow", serviceerror.NewNotFound("workflow not found for ID: loan-7"), failure.KindNotFound},
		{"other application error", temporal.NewApplicationError("boom", "PanicError"), failure.KindUnavailable},
		{"outage", serviceerror.NewUnavailable("connection refused"), failure.KindUnavailable},
		{"deadline", context.DeadlineExceeded, failure.KindUnavailable},
		{"server deadline", serviceerror.NewDeadlineExceeded("context deadline exceeded"), failure.KindUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mocks.NewClient(t)
			c.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(nil, tc.err)
			_, err := NewTemporal(c, "default").Update(context.Background(), 7, workflows.UpdateCancel, "cancel", nil)
			var ee *failure.Error
			require.True(t, errors.As(err, &ee))
			require.Equal(t, tc.kind, ee.Kind)
			require.NotEmpty(t, ee.Detail)
			var appErr *temporal.ApplicationError
			if errors.As(tc.err, &appErr) && tc.kind != failure.KindUnavailable {
				require.Equal(t, appErr.Message(), ee.Detail, "the workflow's reason reaches the caller")
			}
			if tc.kind == failure.KindUnavailable {
				require.NotContains(t, ee.Detail, tc.err.Error(), "outage causes are logged, not answered")
			}
			if strings.Contains(tc.name, "deadline") {
				require.Contains(t, ee.Detail, "did not answer in time")
			}
		})
	}
}

func TestTemporalEngineRejectionFromHandle(t *testing.T) {
	c := mocks.NewClient(t)
	h := mocks.NewWorkflowUpdateHandle(t)
	c.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(h, nil)
	h.On("Get", mock.Anything, mock.Anything).Return(temporal.NewApplicationError("a CLOSED loan cannot be cancelled", workflows.ErrTypeIllegalTransition))
	_, err := NewTemporal(c, "default").Update(context.Background(), 7, workflows.UpdateCancel, "cancel", nil)
	require.Equal(t, failure.KindConflict, failure.KindOf(err))
	require.Equal(t, "a CLOSED loan cannot be cancelled", err.(*failure.Error).Detail)
}

// polled is a poller whose worker last polled ago.
func polled(identity string, ago time.Duration) *taskqueuepb.PollerInfo {
	return &taskqueuepb.PollerInfo{Identity: identity, LastAccessTime: timestamppb.New(time.Now().Add(-ago))}
}

func TestTemporalEngineReady(t *testing.T) {
	cases := []struct {
		name    string
		health  error
		pollers []*taskqueuepb.PollerInfo
		wantErr string
	}{
		{"ready", nil, []*taskqueuepb.PollerInfo{polled("worker-1", time.Second)}, ""},
		{"one of two workers is live", nil, []*taskqueuepb.PollerInfo{polled("dead", 3*time.Minute), polled("live", 20*time.Second)}, ""},
		{"no worker", nil, nil, "no worker polls"},
		{"the last worker stopped polling", nil, []*taskqueuepb.PollerInfo{polled("dead", 40*time.Second)}, "no worker has polled task queue \"loanflow\" for 40s"},
		{"frontend down", serviceerror.NewUnavailable("down"), nil, "not reachable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mocks.NewClient(t)
			c.On("CheckHealth", mock.Anything, mock.Anything).Return(&client.CheckHealthResponse{}, tc.health)
			if tc.health == nil {
				c.On("DescribeTaskQueue", mock.Anything, workflows.TaskQueue, enumspb.TASK_QUEUE_TYPE_WORKFLOW).
					Return(&workflowservice.DescribeTaskQueueResponse{Pollers: tc.pollers}, nil)
			}
			err := NewTemporal(c, "default").Ready(context.Background())
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
			require.Equal(t, failure.KindUnavailable, failure.KindOf(err))
		})
	}
}

func TestTemporalEngineQuery(t *testing.T) {
	c := mocks.NewClient(t)
	v := mocks.NewEncodedValue(t)
	c.On("QueryWorkflow", mock.Anything, "loan-9", "", workflows.QueryStatus).Return(v, nil)
	v.On("Get", mock.Anything).Run(func(args mock.Arguments) {
		*args.Get(0).(*workflows.LoanView) = workflows.LoanView{Ref: 9, Status: "ACTIVE"}
	}).Return(nil)
	view, err := NewTemporal(c, "default").Query(context.Background(), 9)
	require.NoError(t, err)
	require.Equal(t, lending.StatusActive, view.Status)
}

// An import started now is the scheduled reconciliation's workflow over
// its default window, under an ID no loan or scheduled run has, started
// once whatever the retries.
func TestTemporalEngineImportExternalLoans(t *testing.T) {
	for _, tc := range startOutcomes {
		t.Run(tc.name, func(t *testing.T) {
			c := mocks.NewClient(t)
			var got client.StartWorkflowOptions
			c.On("ExecuteWorkflow", mock.Anything, mock.Anything, workflows.WebMoneyReconcileWorkflowName, &workflows.ReconcileInput{}).
				Run(func(args mock.Arguments) { got = args.Get(1).(client.StartWorkflowOptions) }).
				Return(nil, tc.err)
			err := NewTemporal(c, "default").ImportExternalLoans(context.Background(), "abc123")
			if tc.wantErr != 0 {
				require.Equal(t, tc.wantErr, failure.KindOf(err))
				return
			}
			require.NoError(t, err)
			require.Equal(t, "webmoney-import-abc123", got.ID)
			require.Equal(t, workflows.TaskQueue, got.TaskQueue)
			require.Equal(t, enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING, got.WorkflowIDConflictPolicy)
			require.Equal(t, enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, got.WorkflowIDReusePolicy)
		})
	}
}
