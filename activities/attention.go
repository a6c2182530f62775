package activities

import (
	"context"
	"errors"
	"strconv"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/internal/metrics"
	"github.com/loanflow/loanflow/providers"
)

// A provider step that fails for a reason only the operator can fix (our
// credentials refused, a ledger product the ledger does not know, none
// configured) is retried with back-off until the fix lands, never turned
// into a refusal of the customer's loan. Meanwhile the loan row says why it
// waits (Loan.ProviderWaiting, the console's attention queue) and a metric
// counts the failures; the first success after them clears the note.

// loanStep is an activity input that names the loan it works for.
type loanStep interface{ loanRef() int64 }

func (in LedgerInput) loanRef() int64          { return in.Ref }
func (in LedgerServicingInput) loanRef() int64 { return in.Ref }
func (in LenderInput) loanRef() int64          { return in.Ref }

// OperatorProblem tells whether err is a provider step failing for the
// operator to fix, and names the provider and the problem.
func OperatorProblem(err error) (provider, problem string, ok bool) {
	if pe, is := providers.AsError(err); is && pe.Operator {
		answer := pe.Message
		if pe.Status != 0 {
			answer = "HTTP " + strconv.Itoa(pe.Status) + " " + answer
		}
		return pe.Provider, pe.Provider + " answered " + answer + ": check loanflow's " + pe.Provider + " settings (credentials, product)", true
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Type() == ErrTypeLedgerProductMissing {
		return "ledger", appErr.Message(), true
	}
	return "", "", false
}

// OperatorNotes is the worker interceptor that keeps Loan.ProviderWaiting
// and the metric: one place for every provider activity, present and future.
// (A function, not a method of Activities: every exported method of it is
// registered as an activity.)
func OperatorNotes(a *Activities) interceptor.WorkerInterceptor {
	return &operatorNotes{acts: a}
}

type operatorNotes struct {
	interceptor.WorkerInterceptorBase
	acts *Activities
}

func (w *operatorNotes) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &operatorNotesInbound{acts: w.acts}
	i.Next = next
	return i
}

type operatorNotesInbound struct {
	interceptor.ActivityInboundInterceptorBase
	acts *Activities
}

func (i *operatorNotesInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	res, err := i.Next.ExecuteActivity(ctx, in)
	if len(in.Args) == 0 {
		return res, err
	}
	step, ok := in.Args[0].(loanStep)
	if !ok {
		return res, err
	}
	note, cleared := "", false
	if provider, problem, operator := OperatorProblem(err); operator {
		metrics.ProviderOperatorFailure(provider)
		note = problem
	} else if err == nil && activity.GetInfo(ctx).Attempt > 1 {
		// Only a step that failed before can have left a note; a first
		// attempt's success costs no write.
		cleared = true
	}
	if note != "" || cleared {
		if noteErr := i.acts.Store.SetProviderWaiting(ctx, step.loanRef(), note); noteErr != nil {
			activity.GetLogger(ctx).Warn("noting why a provider step waits", "ref", step.loanRef(), "error", noteErr)
		}
	}
	return res, err
}
