package temporalsetup_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/internal/temporalsetup"
	"github.com/loanflow/loanflow/workflows"
)

// schedules is a namespace's schedules in memory, behind the SDK's
// ScheduleClient and ScheduleHandle. The embedded interfaces are nil:
// calling anything not overridden panics, which flags an unexpected RPC.
type schedules struct {
	client.ScheduleClient
	byID      map[string]*client.Schedule
	createErr error // answered by Create instead of the normal behaviour
	updateErr error
	creates   int
	updates   int
}

func (s *schedules) Create(_ context.Context, o client.ScheduleOptions) (client.ScheduleHandle, error) {
	s.creates++
	if s.createErr != nil {
		return nil, s.createErr
	}
	if _, ok := s.byID[o.ID]; ok {
		return nil, temporal.ErrScheduleAlreadyRunning
	}
	spec := o.Spec
	s.byID[o.ID] = &client.Schedule{
		Action: o.Action, Spec: &spec,
		Policy: &client.SchedulePolicies{Overlap: o.Overlap, CatchupWindow: o.CatchupWindow, PauseOnFailure: o.PauseOnFailure},
		State:  &client.ScheduleState{Note: o.Note, Paused: o.Paused},
	}
	return &scheduleHandle{s: s, id: o.ID}, nil
}

func (s *schedules) GetHandle(_ context.Context, id string) client.ScheduleHandle {
	return &scheduleHandle{s: s, id: id}
}

type scheduleHandle struct {
	client.ScheduleHandle
	s  *schedules
	id string
}

func (h *scheduleHandle) Update(_ context.Context, o client.ScheduleUpdateOptions) error {
	h.s.updates++
	if h.s.updateErr != nil {
		return h.s.updateErr
	}
	cur, ok := h.s.byID[h.id]
	if !ok {
		return serviceerror.NewNotFound("schedule not found")
	}
	u, err := o.DoUpdate(client.ScheduleUpdateInput{Description: client.ScheduleDescription{Schedule: *cur}})
	if errors.Is(err, temporal.ErrSkipScheduleUpdate) {
		return nil
	}
	if err != nil {
		return err
	}
	h.s.byID[h.id] = u.Schedule
	return nil
}

type scheduleFakeClient struct {
	client.Client
	sc *schedules
}

func (c *scheduleFakeClient) ScheduleClient() client.ScheduleClient { return c.sc }

func newSchedules() (*schedules, client.Client) {
	s := &schedules{byID: map[string]*client.Schedule{}}
	return s, &scheduleFakeClient{sc: s}
}

// requireReconcileSchedule checks the schedule runs the reconciliation every
// interval with the given lookback, one run at a time.
func requireReconcileSchedule(t *testing.T, s *client.Schedule, every, lookback time.Duration) {
	t.Helper()
	require.NotNil(t, s.Spec)
	require.Equal(t, []client.ScheduleIntervalSpec{{Every: every}}, s.Spec.Intervals)
	require.Empty(t, s.Spec.Calendars)
	require.Empty(t, s.Spec.CronExpressions)
	a, ok := s.Action.(*client.ScheduleWorkflowAction)
	require.True(t, ok, "action %T", s.Action)
	require.Equal(t, workflows.WebMoneyScheduleID, a.ID)
	require.Equal(t, workflows.WebMoneyReconcileWorkflowName, a.Workflow)
	require.Equal(t, workflows.TaskQueue, a.TaskQueue)
	require.Positive(t, a.WorkflowExecutionTimeout)
	require.Equal(t, []any{&workflows.ReconcileInput{Lookback: lookback}}, a.Args)
	require.NotNil(t, s.Policy)
	require.Equal(t, enumspb.SCHEDULE_OVERLAP_POLICY_SKIP, s.Policy.Overlap)
	require.Equal(t, every, s.Policy.CatchupWindow)
}

func TestEnsureWebMoneyScheduleCreatesThenUpdates(t *testing.T) {
	ctx := context.Background()
	s, c := newSchedules()

	require.NoError(t, temporalsetup.EnsureWebMoneySchedule(ctx, c, time.Hour))
	require.Equal(t, [2]int{1, 0}, [2]int{s.creates, s.updates})
	requireReconcileSchedule(t, s.byID[workflows.WebMoneyScheduleID], time.Hour, 48*time.Hour)

	// A restart: the same definition is written again, nothing else.
	require.NoError(t, temporalsetup.EnsureWebMoneySchedule(ctx, c, time.Hour))
	require.Equal(t, [2]int{2, 1}, [2]int{s.creates, s.updates})
	require.Len(t, s.byID, 1)
	requireReconcileSchedule(t, s.byID[workflows.WebMoneyScheduleID], time.Hour, 48*time.Hour)

	// An operator paused it and someone edited the policy by hand; a new
	// interval is deployed, longer than half the default lookback.
	cur := s.byID[workflows.WebMoneyScheduleID]
	cur.State = &client.ScheduleState{Paused: true, Note: "paused during the provider's maintenance"}
	cur.Policy = &client.SchedulePolicies{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL, PauseOnFailure: true}
	require.NoError(t, temporalsetup.EnsureWebMoneySchedule(ctx, c, 36*time.Hour))
	got := s.byID[workflows.WebMoneyScheduleID]
	requireReconcileSchedule(t, got, 36*time.Hour, 72*time.Hour)
	require.True(t, got.State.Paused, "a pause survives")
	require.Equal(t, "paused during the provider's maintenance", got.State.Note)
	require.True(t, got.Policy.PauseOnFailure, "policies not ours are kept")
}

func TestEnsureWebMoneyScheduleUpdatesOnServerAlreadyExists(t *testing.T) {
	s, c := newSchedules()
	s.byID[workflows.WebMoneyScheduleID] = &client.Schedule{Spec: &client.ScheduleSpec{}, State: &client.ScheduleState{}}
	s.createErr = serviceerror.NewAlreadyExists("schedule exists")
	require.NoError(t, temporalsetup.EnsureWebMoneySchedule(context.Background(), c, 2*time.Hour))
	require.Equal(t, 1, s.updates)
	requireReconcileSchedule(t, s.byID[workflows.WebMoneyScheduleID], 2*time.Hour, 48*time.Hour)
}

func TestEnsureWebMoneyScheduleFailures(t *testing.T) {
	cases := []struct {
		name        string
		every       time.Duration
		exists      bool
		createErr   error
		updateErr   error
		wantCreates int
		wantUpdates int
	}{
		{name: "interval too short", every: 30 * time.Second},
		{name: "zero interval", every: 0},
		{name: "server unavailable", every: time.Hour, createErr: serviceerror.NewUnavailable("down"), wantCreates: 1},
		{name: "update refused", every: time.Hour, exists: true, updateErr: serviceerror.NewInvalidArgument("bad spec"), wantCreates: 1, wantUpdates: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newSchedules()
			s.createErr, s.updateErr = tc.createErr, tc.updateErr
			if tc.exists {
				s.byID[workflows.WebMoneyScheduleID] = &client.Schedule{}
			}
			err := temporalsetup.EnsureWebMoneySchedule(context.Background(), c, tc.every)
			require.Error(t, err)
			if tc.createErr != nil {
				require.ErrorIs(t, err, tc.createErr)
			}
			if tc.updateErr != nil {
				require.ErrorIs(t, err, tc.updateErr)
			}
			require.Equal(t, [2]int{tc.wantCreates, tc.wantUpdates}, [2]int{s.creates, s.updates})
		})
	}
}
