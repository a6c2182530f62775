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

// Side are the activities beyond the loan's own, each nil when the
// deployment has none: the WebMoney feed's, and webhook delivery's.
type Side struct {
	WebMoney *activities.WebMoney
	Webhooks *activities.Webhooks
}

// New builds a worker for the loanflow task queue; the caller starts it.
// A provider step waiting for the operator is noted on its loan
// (activities.OperatorNotes).
func New(c client.Client, acts *activities.Activities, side Side) sdkworker.Worker {
	o := Options()
	o.Interceptors = append(o.Interceptors, activities.OperatorNotes(acts))
	w := sdkworker.New(c, workflows.TaskQueue, o)
	Register(w, acts, side)
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
func Register(r sdkworker.Registry, acts *activities.Activities, side Side) {
	r.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
	r.RegisterActivity(acts)
	r.RegisterWorkflowWithOptions(workflows.WebMoneyReconcileWorkflow, workflow.RegisterOptions{Name: workflows.WebMoneyReconcileWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.WebhookDeliveryWorkflow, workflow.RegisterOptions{Name: workflows.WebhookDeliveryWorkflowName})
	if side.WebMoney != nil {
		r.RegisterActivity(side.WebMoney)
	}
	if side.Webhooks != nil {
		r.RegisterActivity(side.Webhooks)
	}
}
