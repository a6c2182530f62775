package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
)

// WebMoneyReconcileWorkflowName is the registered name of
// WebMoneyReconcileWorkflow.
const WebMoneyReconcileWorkflowName = "WebMoneyReconcileWorkflow"

// WebMoneyScheduleID is the Temporal Schedule that runs the reconciliation;
// its runs get workflow IDs "webmoney-reconcile-<action time>".
const WebMoneyScheduleID = "webmoney-reconcile"

// DefaultReconcileLookback is how far before its action time a run starts
// its window. Much longer than the schedule's interval, so consecutive
// windows overlap and a missed or failed run loses nothing: the next one
// reads the same loans again, and re-importing them writes nothing.
const DefaultReconcileLookback = 48 * time.Hour

// wmActs references the WebMoney activities; the worker registers a real
// *activities.WebMoney.
var wmActs *activities.WebMoney

// ReconcileInput configures one reconciliation run. The zero value is a
// scheduled run with the default lookback.
type ReconcileInput struct {
	// Lookback: see DefaultReconcileLookback, used when zero.
	Lookback time.Duration
	// From and To, set together, replace the computed window: a manual
	// backfill of a past period.
	From, To time.Time
}

// ReconcileResult is what a run found.
type ReconcileResult = activities.ReconcileResult

// WebMoneyReconcileWorkflow fetches the loans the WebMoney Debt service lists
// for the window [action time - lookback, action time] and records them as
// external loans with their state changes.
func WebMoneyReconcileWorkflow(ctx workflow.Context, in *ReconcileInput) (*ReconcileResult, error) {
	if in == nil {
		in = &ReconcileInput{}
	}
	w, err := reconcileWindow(workflow.Now(ctx), in)
	if err != nil {
		return nil, err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// One list call (60 s client timeout) and one database transaction.
		StartToCloseTimeout: 3 * time.Minute,
		// Past this the run gives up; the next scheduled run covers the
		// same window, so retrying longer would only delay it (the
		// schedule skips runs while one is still going).
		ScheduleToCloseTimeout: 30 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: 2 * time.Minute,
		},
	})
	var res ReconcileResult
	summary := fmt.Sprintf("fetch WebMoney Debt's loans changed %s – %s and record them", w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339))
	if err := workflow.ExecuteActivity(step(ctx, summary), wmActs.FetchAndUpsert, w).Get(ctx, &res); err != nil {
		return nil, err
	}
	workflow.GetLogger(ctx).Info("WebMoney reconciled", "from", res.Fetched.From, "to", res.Fetched.To,
		"loans", res.Loans, "created", res.Created, "changed", res.Changed)
	return &res, nil
}

// reconcileWindow is the run's window: the explicit one of a backfill, or
// the lookback before now.
func reconcileWindow(now time.Time, in *ReconcileInput) (activities.Window, error) {
	if !in.From.IsZero() || !in.To.IsZero() {
		if in.From.IsZero() || in.To.IsZero() || !in.From.Before(in.To) {
			return activities.Window{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("backfill window [%s, %s]: from and to must both be set, from before to",
					in.From.Format(time.RFC3339), in.To.Format(time.RFC3339)), ErrTypeInvalid, nil)
		}
		return activities.Window{From: in.From.UTC(), To: in.To.UTC()}, nil
	}
	lookback := in.Lookback
	switch {
	case lookback < 0:
		return activities.Window{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("lookback %s is negative", lookback), ErrTypeInvalid, nil)
	case lookback == 0:
		lookback = DefaultReconcileLookback
	}
	// The service's times have whole seconds.
	to := now.UTC().Truncate(time.Second)
	return activities.Window{From: to.Add(-lookback), To: to}, nil
}
