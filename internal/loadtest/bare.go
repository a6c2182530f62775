package loadtest

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/worker"
)

// The bare baseline: a workflow with the lifecycle's Updates, each running
// one local activity that does nothing (as loanflow persists each step),
// driven through the Temporal client. What
// loanflow costs beyond it is its own work (HTTP, the database, screening,
// schedules, the console's reads); what they share is the engine's.

// bareTaskQueue keeps the baseline's tasks away from loanflow's workers.
const bareTaskQueue = "loanflow-bench-bare"

// bareSteps are the lifecycle's Updates, in order: approve, two documents,
// authorize, disburse, six repayments.
var bareSteps = []string{"approve", "submit-document", "submit-document", "authorize-cash-release", "confirm-disbursement",
	"repay", "repay", "repay", "repay", "repay", "repay"}

// persist stands for loanflow's persisting activities.
func persist(context.Context, string) error { return nil }

// BareLoan takes each of bareSteps as an Update, in order, persisting it,
// and completes after the last.
func BareLoan(ctx workflow.Context) (int, error) {
	opts := workflow.LocalActivityOptions{StartToCloseTimeout: 30 * time.Second}
	mu := workflow.NewMutex(ctx)
	done := 0
	for _, name := range []string{"approve", "submit-document", "authorize-cash-release", "confirm-disbursement", "repay"} {
		err := workflow.SetUpdateHandler(ctx, name, func(ctx workflow.Context) (int, error) {
			if err := mu.Lock(ctx); err != nil {
				return 0, err
			}
			defer mu.Unlock()
			if err := workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, opts), persist, name).Get(ctx, nil); err != nil {
				return 0, err
			}
			done++
			return done, nil
		})
		if err != nil {
			return 0, err
		}
	}
	err := workflow.Await(ctx, func() bool { return done == len(bareSteps) && workflow.AllHandlersFinished(ctx) })
	return done, err
}

var bareRun atomic.Int64

// runBare runs loans bare lifecycles, concurrency at a time, on a worker of
// its own, and answers loans/s and the events of one lifecycle's history.
func runBare(ctx context.Context, c client.Client, loans, concurrency int) (float64, int64, error) {
	w := sdkworker.New(c, bareTaskQueue, worker.Options())
	w.RegisterWorkflow(BareLoan)
	w.RegisterActivity(persist)
	if err := w.Start(); err != nil {
		return 0, 0, err
	}
	defer w.Stop()
	prefix := fmt.Sprintf("bench-bare-%d-%d", time.Now().UnixNano(), bareRun.Add(1))
	var (
		mu    sync.Mutex
		first error
	)
	began := time.Now()
	parallel(loans, concurrency, func(i int) {
		if err := bareLoan(ctx, c, fmt.Sprintf("%s-%d", prefix, i)); err != nil {
			mu.Lock()
			first = cmp.Or(first, err)
			mu.Unlock()
		}
	})
	rate := float64(loans) / time.Since(began).Seconds()
	if first != nil {
		return 0, 0, first
	}
	events, err := historyLength(ctx, c, prefix+"-0")
	return rate, events, err
}

// historyLength is how many events the workflow's latest run holds.
func historyLength(ctx context.Context, c client.Client, id string) (int64, error) {
	d, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return 0, err
	}
	return d.GetWorkflowExecutionInfo().GetHistoryLength(), nil
}

func bareLoan(ctx context.Context, c client.Client, id string) error {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: bareTaskQueue}, BareLoan)
	if err != nil {
		return err
	}
	for i, name := range bareSteps {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateID: fmt.Sprintf("%s-%d", name, i), UpdateName: name, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err != nil {
			return err
		}
		if err := h.Get(ctx, nil); err != nil {
			return err
		}
	}
	return run.Get(ctx, nil)
}
