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
func New(c client.Client, acts *activities.Activities) sdkworker.Worker {
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{})
	Register(w, acts)
	return w
}

// Register puts the loan workflow and activities on a registry (a worker,
// or a test environment).
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
	r.RegisterActivity(acts)
}
