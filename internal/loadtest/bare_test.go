package loadtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
)

// TestBareLoanTakesTheLifecycle: the baseline completes after the
// lifecycle's Updates, each persisted once.
func TestBareLoanTakesTheLifecycle(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterActivity(persist)
	persisted := 0
	env.OnActivity(persist, mock.Anything, mock.Anything).Return(func(context.Context, string) error { persisted++; return nil })
	for i, name := range bareSteps {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(name, fmt.Sprintf("%s-%d", name, i), &testsuite.TestUpdateCallback{
				OnReject: func(err error) { t.Errorf("%s rejected: %v", name, err) },
				OnAccept: func() {},
				OnComplete: func(_ any, err error) {
					require.NoError(t, err)
				},
			})
		}, 0)
	}
	env.ExecuteWorkflow(BareLoan)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var done int
	require.NoError(t, env.GetWorkflowResult(&done))
	require.Equal(t, len(bareSteps), done)
	require.Equal(t, len(bareSteps), persisted)
}
