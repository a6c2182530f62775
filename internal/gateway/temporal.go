// Package gateway is the service's only door to Temporal: it starts a
// loan's workflow, runs its Updates and Queries, and maps what Temporal
// answers to failures the front ends understand. Tests replace it with an
// engine that runs the real workflow on Temporal's test environment.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// Engine is the service's view of Temporal. Every method returns a
// *failure.Error on failure.
type Engine interface {
	// StartLoan starts the loan's workflow. It is idempotent: an existing
	// loan-<ref> workflow, running or closed, counts as success.
	StartLoan(ctx context.Context, in *workflows.LoanInput) error
	// Update runs the named Update on the loan's workflow and waits for its
	// result; updateID de-duplicates retries.
	Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error)
	// Query answers the loan's current view.
	Query(ctx context.Context, ref int64) (*workflows.LoanView, error)
	// Payoff answers what settles the paid-out loan on asOf.
	Payoff(ctx context.Context, ref int64, asOf time.Time) (*servicing.Quote, error)
	// Product is the product snapshot the loan's workflow runs under: what
	// the loan's documents must state, whatever the product says today.
	Product(ctx context.Context, ref int64) (*lending.Product, error)
	// ImportExternalLoans starts the WebMoney reconciliation now: the
	// workflow the hourly schedule runs, under ImportWorkflowID(id). It is
	// idempotent: an existing run with that ID, running or closed, counts
	// as success.
	ImportExternalLoans(ctx context.Context, id string) error
	// KickWebhooks wakes the delivery of the partner's webhook events,
	// starting its delivery workflow when none runs.
	KickWebhooks(ctx context.Context, partnerID uint) error
	// Ready reports whether the frontend is healthy and a worker polls the
	// loan task queue.
	Ready(ctx context.Context) error
}

// engineCallTimeout bounds one call to Temporal, so a request never hangs on
// a workflow no worker is processing.
const engineCallTimeout = 60 * time.Second

// Temporal is the Engine backed by a Temporal client.
type Temporal struct {
	client    client.Client
	namespace string
	data      converter.DataConverter
	log       *slog.Logger
	// consoleURL: see WithConsoleURL.
	consoleURL string
}

// Option configures a Temporal engine.
type Option func(*Temporal)

// WithDataConverter is the client's data converter, for the payloads the
// engine reads from a workflow's history itself (the SDK decodes only what
// it answers); without it, the SDK's default.
func WithDataConverter(dc converter.DataConverter) Option {
	return func(e *Temporal) { e.data = dc }
}

// WithConsoleURL is the back-office console's public base URL: each loan's
// workflow links to the loan's page there in its details in the Temporal
// UI. Without it, no link.
func WithConsoleURL(base string) Option {
	return func(e *Temporal) { e.consoleURL = base }
}

// NewTemporal wraps a connected client. namespace is the one the client is
// bound to; it only labels log lines and readiness errors.
func NewTemporal(c client.Client, namespace string, opts ...Option) Engine {
	e := &Temporal{client: c, namespace: namespace, data: converter.GetDefaultDataConverter(), log: slog.Default()}
	for _, o := range opts {
		o(e)
	}
	return e
}

// StartLoan implements Engine.
func (e *Temporal) StartLoan(ctx context.Context, in *workflows.LoanInput) error {
	ctx, cancel := context.WithTimeout(ctx, engineCallTimeout)
	defer cancel()
	amount, _ := in.Amount.Float64() // a search attribute for filtering only; the money stays decimal
	opts := client.StartWorkflowOptions{
		ID:                       workflows.LoanWorkflowID(in.Ref),
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.SearchAttrLoanStatus.ValueSet(string(lending.StatusSubmitted)),
			workflows.SearchAttrPartnerID.ValueSet(in.Partner),
			workflows.SearchAttrLoanRef.ValueSet(in.Ref),
			workflows.SearchAttrLoanAmount.ValueSet(amount),
			workflows.SearchAttrLedger.ValueSet(string(in.Product.Ledger)),
			workflows.SearchAttrLender.ValueSet(string(in.Product.Lender)),
			workflows.SearchAttrCurrency.ValueSet(in.Product.Currency),
			workflows.SearchAttrStatusSince.ValueSet(in.SubmittedAt),
		),
		StaticSummary: workflows.LoanSummary(in),
		StaticDetails: workflows.LoanDetails(in, e.consoleURL),
	}
	_, err := e.client.ExecuteWorkflow(ctx, opts, workflows.LoanWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err == nil || errors.As(err, &started) {
		return nil
	}
	return e.mapError(in.Ref, "start", err)
}

// importIDPrefix starts the workflow IDs of imports started on demand:
// loans are "loan-<ref>" and the schedule's runs "webmoney-reconcile-<time>",
// so no loan's or scheduled run's ID can be one.
const importIDPrefix = "webmoney-import-"

// ImportWorkflowID is the workflow ID of the on-demand import id.
func ImportWorkflowID(id string) string { return importIDPrefix + id }

// ImportExternalLoans implements Engine.
func (e *Temporal) ImportExternalLoans(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, engineCallTimeout)
	defer cancel()
	opts := client.StartWorkflowOptions{
		ID:                       ImportWorkflowID(id),
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}
	// The zero input is a scheduled run's: the default lookback window.
	_, err := e.client.ExecuteWorkflow(ctx, opts, workflows.WebMoneyReconcileWorkflowName, &workflows.ReconcileInput{})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err == nil || errors.As(err, &started) {
		return nil
	}
	return e.mapError(0, "import external loans", err)
}

// KickWebhooks implements Engine (and activities.WebhookKicker).
func (e *Temporal) KickWebhooks(ctx context.Context, partnerID uint) error {
	ctx, cancel := context.WithTimeout(ctx, engineCallTimeout)
	defer cancel()
	_, err := e.client.SignalWithStartWorkflow(ctx, workflows.WebhookWorkflowID(partnerID), workflows.SignalWebhookKick, nil,
		client.StartWorkflowOptions{
			ID: workflows.WebhookWorkflowID(partnerID), TaskQueue: workflows.TaskQueue,
			StaticSummary: fmt.Sprintf("Webhooks of partner %d", partnerID),
		}, workflows.WebhookDeliveryWorkflowName, &workflows.WebhookDeliveryInput{PartnerID: partnerID})
	if err != nil {
		return e.mapError(0, "kick webhooks", err)
	}
	return nil
}

// Update implements Engine.
func (e *Temporal) Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error) {
	ctx, cancel := context.WithTimeout(ctx, engineCallTimeout)
	defer cancel()
	handle, err := e.client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID:     updateID,
		WorkflowID:   workflows.LoanWorkflowID(ref),
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return nil, e.mapError(ref, name, err)
	}
	var view workflows.LoanView
	if err := handle.Get(ctx, &view); err != nil {
		return nil, e.mapError(ref, name, err)
	}
	return &view, nil
}

// Query implements Engine.
func (e *Temporal) Query(ctx context.Context, ref int64) (*workflows.LoanView, error) {
	var view workflows.LoanView
	if err := e.query(ctx, ref, workflows.QueryStatus, &view); err != nil {
		return nil, err
	}
	return &view, nil
}

// Payoff implements Engine.
func (e *Temporal) Payoff(ctx context.Context, ref int64, asOf time.Time) (*servicing.Quote, error) {
	var q servicing.Quote
	if err := e.query(ctx, ref, workflows.QueryPayoff, &q, asOf); err != nil {
		return nil, err
	}
	return &q, nil
}

// query reads the answer of the loan workflow's query name (asked with args) into out.
func (e *Temporal) query(ctx context.Context, ref int64, name string, out any, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, engineCallTimeout)
	defer cancel()
	v, err := e.client.QueryWorkflow(ctx, workflows.LoanWorkflowID(ref), "", name, args...)
	if err != nil {
		return e.mapError(ref, name, err)
	}
	if err := v.Get(out); err != nil {
		return e.mapError(ref, name, err)
	}
	return nil
}

// Product implements Engine: the input of the loan's current run, whose
// first history event holds it (a continued run carries the product on).
func (e *Temporal) Product(ctx context.Context, ref int64) (*lending.Product, error) {
	const op = "product"
	ctx, cancel := context.WithTimeout(ctx, engineCallTimeout)
	defer cancel()
	it := e.client.GetWorkflowHistory(ctx, workflows.LoanWorkflowID(ref), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	if !it.HasNext() {
		return nil, e.mapError(ref, op, errors.New("the workflow's history is empty"))
	}
	ev, err := it.Next()
	if err != nil {
		return nil, e.mapError(ref, op, err)
	}
	started := ev.GetWorkflowExecutionStartedEventAttributes()
	if started == nil {
		return nil, e.mapError(ref, op, fmt.Errorf("the history starts with %s", ev.GetEventType()))
	}
	var in workflows.LoanInput
	if err := e.data.FromPayloads(started.GetInput(), &in); err != nil {
		return nil, e.mapError(ref, op, err)
	}
	return &in.Product, nil
}

// Ready implements Engine.
func (e *Temporal) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := e.client.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		e.log.Warn("temporal health check failed", "namespace", e.namespace, "error", err)
		return unavailable("temporal frontend is not reachable", err)
	}
	resp, err := e.client.DescribeTaskQueue(ctx, workflows.TaskQueue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
	if err != nil {
		e.log.Warn("describe task queue failed", "namespace", e.namespace, "error", err)
		return unavailable(fmt.Sprintf("cannot describe task queue %q in namespace %q", workflows.TaskQueue, e.namespace), err)
	}
	var last time.Time
	for _, p := range resp.GetPollers() {
		if at := p.GetLastAccessTime().AsTime(); at.After(last) {
			last = at
		}
	}
	switch age := time.Since(last); {
	case last.IsZero():
		return unavailable(fmt.Sprintf("no worker polls task queue %q", workflows.TaskQueue), nil)
	case age > PollerFreshness:
		return unavailable(fmt.Sprintf("no worker has polled task queue %q for %s", workflows.TaskQueue, age.Round(time.Second)), nil)
	}
	return nil
}

// PollerFreshness is how recently a worker must have polled the loan task
// queue for the API to be ready. The server lists a poller for minutes after
// its worker died, so the last access time decides. A live worker renews its
// poll each time the server ends one unanswered, which it must do at most
// every 20 s (the dynamic config matching.longPollExpirationInterval, one
// minute by default): then no live worker is ever older than this, and /readyz
// turns 503 within 30 s of the last worker's death (the time to the next
// probe included).
const PollerFreshness = 25 * time.Second

// mapError turns a Temporal error into a *failure.Error. Workflow rejections
// carry their own message to the caller; infrastructure failures are logged
// and answered with a generic one.
func (e *Temporal) mapError(ref int64, op string, err error) error {
	if fe := Classify(err); fe != nil {
		return fe
	}
	e.log.Error("temporal call failed", "ref", ref, "op", op, "error", err)
	if timedOut(err) {
		// The Update may still complete: a retry with the same Idempotency-Key
		// joins it instead of doing it twice.
		return unavailable("the loan engine did not answer in time; retry the same request later", err)
	}
	return unavailable("the loan engine is unavailable, retry later", err)
}

// timedOut recognises engineCallTimeout (or the caller's deadline) firing,
// however the SDK reports it.
func timedOut(err error) bool {
	var deadline *serviceerror.DeadlineExceeded
	var updateTimeout *client.WorkflowUpdateServiceTimeoutOrCanceledError
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &deadline) || errors.As(err, &updateTimeout)
}

// Classify maps the errors of a workflow call that mean something to the
// caller (a refused Update, an unknown or closed loan) to failures; nil for
// anything else, an outage.
func Classify(err error) *failure.Error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeIllegalTransition, "AcceptedUpdateCompletedWorkflow":
			return &failure.Error{Kind: failure.KindConflict, Type: illegalTransition, Detail: appErr.Message(), Cause: err}
		case workflows.ErrTypeForbidden:
			return &failure.Error{Kind: failure.KindForbidden, Detail: appErr.Message(), Cause: err}
		case workflows.ErrTypeInvalid:
			fe := &failure.Error{Kind: failure.KindInvalid, Detail: appErr.Message(), Cause: err}
			var fp workflows.FieldProblem
			if appErr.HasDetails() && appErr.Details(&fp) == nil && fp.Field != "" {
				fe.Detail = "the request has invalid fields"
				fe.Fields = failure.FieldErrors{{Field: fp.Field, Message: fp.Message}}
			}
			return fe
		case workflows.ErrTypeQuoteMismatch:
			fe := &failure.Error{Kind: failure.KindConflict, Type: QuoteMismatch, Detail: appErr.Message(), Cause: err}
			var q servicing.Quote
			if appErr.HasDetails() && appErr.Details(&q) == nil {
				fe.Extensions = map[string]any{"quote": q}
			}
			return fe
		}
		return nil
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		// The server answers NotFound both for an unknown workflow and for an
		// Update on one that has completed; the latter is a closed loan.
		msg := strings.ToLower(notFound.Error())
		if strings.Contains(msg, "already completed") || strings.Contains(msg, "closing workflow") {
			return &failure.Error{Kind: failure.KindConflict, Type: illegalTransition, Detail: "the loan is closed to further changes", Cause: fmt.Errorf("%w: %w", ErrLoanClosed, err)}
		}
		return &failure.Error{Kind: failure.KindNotFound, Detail: "no workflow for this loan", Cause: err}
	}
	return nil
}

// ErrLoanClosed matches, through errors.Is, the failure of an Update sent
// to a loan whose workflow has ended.
var ErrLoanClosed = errors.New("the loan's workflow has ended")

// QuoteMismatch is the problem type of a settlement whose amount is not
// the payoff quote; the answer carries the quote.
const QuoteMismatch = "quote-mismatch"

// illegalTransition is the problem type of an Update the workflow refused.
const illegalTransition = "illegal-transition"

func unavailable(detail string, cause error) *failure.Error {
	return &failure.Error{Kind: failure.KindUnavailable, Detail: detail, Cause: cause}
}
