package temporalsetup

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/workflows"
)

// MinScheduleInterval is the shortest interval EnsureWebMoneySchedule
// accepts: the feed is read over days-long windows, so anything more
// frequent only loads the service.
const MinScheduleInterval = time.Minute

// reconcileRunTimeout bounds one run, so a run that cannot progress (no
// worker has the workflow registered) does not keep the skip overlap policy
// from starting the next ones forever. It exceeds the activity's own limit.
const reconcileRunTimeout = time.Hour

// EnsureWebMoneySchedule makes the Temporal Schedule workflows.WebMoneyScheduleID
// start WebMoneyReconcileWorkflow every interval on the loanflow task queue,
// skipping a run while the previous one is still going. It creates the
// schedule, or, when it exists, rewrites its spec, action and policies to
// these, keeping its pause state and notes (an operator's pause survives a
// restart). Running it again changes nothing.
//
// The runs' lookback is the longer of the workflow's default and two
// intervals, so consecutive windows always overlap.
func EnsureWebMoneySchedule(ctx context.Context, c client.Client, every time.Duration) error {
	if every < MinScheduleInterval {
		return fmt.Errorf("WebMoney reconciliation interval %s is shorter than %s", every, MinScheduleInterval)
	}
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: every}}}
	action := &client.ScheduleWorkflowAction{
		ID:                       workflows.WebMoneyScheduleID,
		Workflow:                 workflows.WebMoneyReconcileWorkflowName,
		Args:                     []any{&workflows.ReconcileInput{Lookback: max(workflows.DefaultReconcileLookback, 2*every)}},
		TaskQueue:                workflows.TaskQueue,
		WorkflowExecutionTimeout: reconcileRunTimeout,
	}
	// A run missed while Temporal was down is made up once at most: the
	// next window overlaps it anyway.
	catchup := max(every, 10*time.Second)

	sc := c.ScheduleClient()
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID:            workflows.WebMoneyScheduleID,
		Spec:          spec,
		Action:        action,
		Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: catchup,
		Note:          "WebMoney Debt reconciliation (loanflow)",
	})
	switch {
	case err == nil:
		return nil
	case !scheduleExists(err):
		return fmt.Errorf("create schedule %s: %w", workflows.WebMoneyScheduleID, err)
	}
	err = sc.GetHandle(ctx, workflows.WebMoneyScheduleID).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec = &spec
			s.Action = action
			policy := client.SchedulePolicies{}
			if s.Policy != nil {
				policy = *s.Policy
			}
			policy.Overlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP
			policy.CatchupWindow = catchup
			s.Policy = &policy
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", workflows.WebMoneyScheduleID, err)
	}
	return nil
}

// scheduleExists recognises Create's answer for a schedule ID in use: the
// SDK's sentinel, or the server's AlreadyExists as newer servers send it.
func scheduleExists(err error) bool {
	var exists *serviceerror.AlreadyExists
	return errors.Is(err, temporal.ErrScheduleAlreadyRunning) || errors.As(err, &exists)
}
