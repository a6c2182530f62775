package worker

import (
	"testing"

	"github.com/stretchr/testify/require"
	sdkworker "go.temporal.io/sdk/worker"
)

// TestPollersScaleWithTheWork: every loanflow worker scales its workflow
// and activity pollers instead of keeping the SDK's fixed two.
func TestPollersScaleWithTheWork(t *testing.T) {
	o := Options()
	autoscaling := sdkworker.NewPollerBehaviorAutoscaling(sdkworker.PollerBehaviorAutoscalingOptions{})
	require.IsType(t, autoscaling, o.WorkflowTaskPollerBehavior)
	require.IsType(t, autoscaling, o.ActivityTaskPollerBehavior)
	require.Zero(t, o.MaxConcurrentWorkflowTaskPollers, "a fixed poller count would conflict with the behavior")
	require.Zero(t, o.MaxConcurrentActivityTaskPollers)
}
