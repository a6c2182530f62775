package iute

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/worker"
	"github.com/loanflow/loanflow/workflows"
)

// temporalEngine is an api.Engine that runs the real LoanWorkflow, with the
// real activities writing to the test's database, on Temporal's test
// environment, so the façade is tested against the workflow's own rules.
//
// The environment is single-threaded: its root workflow (harness) receives
// each call as a signal, the one entry point safe from another goroutine,
// and makes it from workflow code, where calling the environment is safe.
// Each loan is a child workflow with the ID the real engine gives it. A
// "hold" activity runs as long as the environment does: while an activity
// runs, the environment does not skip time, so SLA timers and due dates
// stay in the future as they would on a real server, and the workflow's
// clock stays at the start time, the clock the API is given too.
type temporalEngine struct {
	env   *testsuite.TestWorkflowEnvironment
	ready chan struct{}
	stop  chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	ops     map[string]*engineOp
	nextOp  int
	gen     map[string]int // Update ID → generation, bumped by a rejection
	failure any            // a panic of the environment

	started map[int64]bool // harness goroutine only
}

const (
	opSignal      = "op"
	engineTimeout = 30 * time.Second
)

type engineOp struct {
	kind  string // start, update, query
	in    *workflows.LoanInput
	ref   int64
	name  string
	id    string
	arg   any
	reply chan engineReply
}

type engineReply struct {
	view *workflows.LoanView
	err  error
}

func newTemporalEngine(t *testing.T, store *models.Store, start time.Time) *temporalEngine {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(quietLogger{})
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetTestTimeout(time.Hour)
	env.SetDetachedChildWait(false)
	e := &temporalEngine{
		env: env, ready: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{}),
		ops: map[string]*engineOp{}, gen: map[string]int{}, started: map[int64]bool{},
	}
	worker.Register(env, &activities.Activities{Store: store})
	env.RegisterWorkflowWithOptions(e.harness, workflow.RegisterOptions{Name: "harness"})
	env.RegisterActivityWithOptions(e.hold, activity.RegisterOptions{Name: "hold"})
	go func() {
		defer close(e.done)
		defer func() {
			if r := recover(); r != nil {
				e.mu.Lock()
				e.failure = r
				e.mu.Unlock()
			}
		}()
		env.ExecuteWorkflow("harness")
	}()
	select {
	case <-e.ready:
	case <-e.done:
		t.Fatalf("the test environment stopped before it was ready: %v", e.failure)
	case <-time.After(engineTimeout):
		t.Fatal("the test environment did not start")
	}
	t.Cleanup(func() {
		close(e.stop)
		select {
		case <-e.done:
		case <-time.After(engineTimeout):
			t.Error("the test environment did not stop")
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.failure != nil {
			t.Errorf("the test environment failed: %v", e.failure)
		}
	})
	return e
}

// hold runs until the test ends (see temporalEngine).
func (e *temporalEngine) hold(ctx context.Context) error {
	select {
	case <-e.stop:
	case <-ctx.Done():
	}
	return nil
}

func (e *temporalEngine) harness(ctx workflow.Context) error {
	hold := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 24 * time.Hour,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
	}), "hold")
	close(e.ready)
	ops := workflow.GetSignalChannel(ctx, opSignal)
	stopped := false
	sel := workflow.NewSelector(ctx)
	sel.AddFuture(hold, func(workflow.Future) { stopped = true })
	sel.AddReceive(ops, func(c workflow.ReceiveChannel, _ bool) {
		var id string
		c.Receive(ctx, &id)
		e.mu.Lock()
		op := e.ops[id]
		delete(e.ops, id)
		e.mu.Unlock()
		workflow.Go(ctx, func(ctx workflow.Context) { e.run(ctx, op) })
	})
	for !stopped {
		sel.Select(ctx)
	}
	return nil
}

// run carries out one call from workflow code.
func (e *temporalEngine) run(ctx workflow.Context, op *engineOp) {
	wfID := workflows.LoanWorkflowID(op.ref)
	switch op.kind {
	case "start":
		if e.started[op.ref] {
			op.reply <- engineReply{}
			return
		}
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:        wfID,
			TaskQueue:         workflows.TaskQueue,
			ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
		})
		f := workflow.ExecuteChildWorkflow(cctx, workflows.LoanWorkflowName, op.in)
		err := f.GetChildWorkflowExecution().Get(ctx, nil)
		if err == nil {
			e.started[op.ref] = true
			op.reply <- engineReply{}
			return
		}
		op.reply <- engineReply{err: &api.EngineError{Kind: api.KindUnavailable, Message: "start failed", Err: err}}
	case "update":
		scoped, updateID := e.updateID(op.ref, op.id)
		err := e.env.UpdateWorkflowByID(wfID, op.name, updateID, &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) {
				// Temporal records no rejected Update: the same ID may be
				// sent again and is validated afresh.
				e.mu.Lock()
				e.gen[scoped]++
				e.mu.Unlock()
				op.reply <- engineReply{err: classify(err)}
			},
			OnComplete: func(v any, err error) {
				if err != nil {
					op.reply <- engineReply{err: classify(err)}
					return
				}
				view, _ := v.(*workflows.LoanView)
				op.reply <- engineReply{view: view}
			},
		}, op.arg)
		if err != nil {
			op.reply <- engineReply{err: classify(err)}
		}
	case "query":
		v, err := e.env.QueryWorkflowByID(wfID, workflows.QueryStatus)
		if err != nil {
			op.reply <- engineReply{err: classify(err)}
			return
		}
		var view workflows.LoanView
		if err := v.Get(&view); err != nil {
			op.reply <- engineReply{err: classify(err)}
			return
		}
		op.reply <- engineReply{view: &view}
	}
}

// updateID scopes the caller's Update ID to its loan (the environment
// de-duplicates across all workflows) and to its generation.
func (e *temporalEngine) updateID(ref int64, id string) (scoped, envID string) {
	scoped = fmt.Sprintf("%d/%s", ref, id)
	e.mu.Lock()
	defer e.mu.Unlock()
	return scoped, scoped + "#" + strconv.Itoa(e.gen[scoped])
}

// classify maps the workflow's errors as the real engine does.
func classify(err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeIllegalTransition:
			return &api.EngineError{Kind: api.KindConflict, Message: appErr.Message(), Err: err}
		case workflows.ErrTypeForbidden:
			return &api.EngineError{Kind: api.KindForbidden, Message: appErr.Message(), Err: err}
		case workflows.ErrTypeInvalid:
			return &api.EngineError{Kind: api.KindInvalid, Message: appErr.Message(), Err: err}
		}
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		if strings.Contains(strings.ToLower(err.Error()), "already completed") {
			return &api.EngineError{Kind: api.KindConflict, Message: "the loan is closed to further changes", Err: err}
		}
		return &api.EngineError{Kind: api.KindNotFound, Message: "no workflow for this loan", Err: err}
	}
	return &api.EngineError{Kind: api.KindUnavailable, Message: "the loan engine failed", Err: err}
}

func (e *temporalEngine) call(ctx context.Context, op *engineOp) (*workflows.LoanView, error) {
	op.reply = make(chan engineReply, 1)
	e.mu.Lock()
	e.nextOp++
	id := strconv.Itoa(e.nextOp)
	e.ops[id] = op
	e.mu.Unlock()
	select {
	case <-e.done:
		return nil, &api.EngineError{Kind: api.KindUnavailable, Message: "the test environment has stopped"}
	default:
	}
	e.env.SignalWorkflow(opSignal, id)
	select {
	case r := <-op.reply:
		return r.view, r.err
	case <-e.done:
		return nil, &api.EngineError{Kind: api.KindUnavailable, Message: "the test environment has stopped"}
	case <-ctx.Done():
		return nil, &api.EngineError{Kind: api.KindUnavailable, Message: "cancelled", Err: ctx.Err()}
	case <-time.After(engineTimeout):
		return nil, &api.EngineError{Kind: api.KindUnavailable, Message: "no answer from the test environment"}
	}
}

// StartLoan implements api.Engine.
func (e *temporalEngine) StartLoan(ctx context.Context, in *workflows.LoanInput) error {
	_, err := e.call(ctx, &engineOp{kind: "start", ref: in.Ref, in: in})
	return err
}

// Update implements api.Engine.
func (e *temporalEngine) Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error) {
	return e.call(ctx, &engineOp{kind: "update", ref: ref, name: name, id: updateID, arg: arg})
}

// Query implements api.Engine.
func (e *temporalEngine) Query(ctx context.Context, ref int64) (*workflows.LoanView, error) {
	return e.call(ctx, &engineOp{kind: "query", ref: ref})
}

// Ready implements api.Engine.
func (e *temporalEngine) Ready(context.Context) error {
	select {
	case <-e.done:
		return &api.EngineError{Kind: api.KindUnavailable, Message: "the test environment has stopped"}
	default:
		return nil
	}
}

// quietLogger keeps the SDK's debug chatter out of test output.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
