// Package worker registers loanflow's workflows and activities on the
// loanflow task queue.
package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/workflows"
)

// New builds a worker for the loanflow task queue; the caller starts it.
// feeds carries the WebMoney feed's activities when one is configured. A
// provider step waiting for the operator is noted on its loan
// (activities.OperatorNotes).
func New(c client.Client, acts *activities.Activities, feeds ...*activities.WebMoney) sdkworker.Worker {
	o := Options()
	o.Interceptors = append(o.Interceptors, activities.OperatorNotes(acts))
	w := sdkworker.New(c, workflows.TaskQueue, o)
	Register(w, acts, feeds...)
	return w
}

// Options are every loanflow worker's. Its pollers scale with the work
// waiting: with the SDK's fixed two workflow pollers, which serve a
// worker's sticky queue first, new loans waited under load for their first
// workflow task, and approvals for theirs.
func Options() sdkworker.Options {
	return sdkworker.Options{
		WorkflowTaskPollerBehavior: sdkworker.NewPollerBehaviorAutoscaling(sdkworker.PollerBehaviorAutoscalingOptions{}),
		ActivityTaskPollerBehavior: sdkworker.NewPollerBehaviorAutoscaling(sdkworker.PollerBehaviorAutoscalingOptions{}),
	}
}

// Register puts loanflow's workflows and activities on a registry (a
// worker, or a test environment).
func Register(r sdkworker.Registry, acts *activities.Activities, feeds ...*activities.WebMoney) {
	r.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
	r.RegisterActivity(acts)
	r.RegisterWorkflowWithOptions(workflows.WebMoneyReconcileWorkflow, workflow.RegisterOptions{Name: workflows.WebMoneyReconcileWorkflowName})
	for _, wm := range feeds {
		r.RegisterActivity(wm)
	}
}
