package testkit

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/worker"
	"github.com/loanflow/loanflow/workflows"
)

// Engine is a gateway.Engine that runs the real LoanWorkflow, with the real
// activities writing to the test's database, on Temporal's test
// environment, so every front end is tested against the workflow's own
// rules.
//
// The environment is single-threaded: its root workflow (harness) receives
// each call as a signal, the one entry point safe from another goroutine,
// and makes it from workflow code, where calling the environment is safe.
// Each loan is a child workflow with the ID the real engine gives it. A
// "hold" activity runs as long as the environment does: while an activity
// runs, the environment does not skip time, so SLA timers and due dates
// stay in the future as they would on a real server, and the workflow's
// clock stays at the start time, the clock the API is given too.
type Engine struct {
	env   *testsuite.TestWorkflowEnvironment
	ready chan struct{}
	stop  chan struct{}
	done  chan struct{}
	// release ends the hold for an Advance.
	release chan struct{}

	mu      sync.Mutex
	ops     map[string]*engineOp
	nextOp  int
	gen     map[string]int // Update ID → generation, bumped by a rejection
	failure any            // a panic of the environment

	started map[int64]bool // harness goroutine only

	products sync.Map // ref → lending.Product, as started

	kicks []uint // KickWebhooks' partners, in order (under mu)
}

const (
	opSignal      = "op"
	engineTimeout = 30 * time.Second
)

type engineOp struct {
	kind  string // start, update, query, payoff, advance
	in    *workflows.LoanInput
	ref   int64
	name  string
	id    string
	arg   any
	asOf  time.Time
	by    time.Duration // advance
	reply chan engineReply
}

type engineReply struct {
	view  *workflows.LoanView
	quote *servicing.Quote
	err   error
}

// NewEngine starts the test environment at start; the workflow's clock
// stays there (see Engine).
func NewEngine(t testing.TB, store *models.Store, start time.Time) *Engine {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(quietLogger{})
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetTestTimeout(time.Hour)
	env.SetDetachedChildWait(false)
	e := &Engine{
		env: env, ready: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{}), release: make(chan struct{}, 1),
		ops: map[string]*engineOp{}, gen: map[string]int{}, started: map[int64]bool{},
	}
	worker.Register(env, &activities.Activities{Store: store}, worker.Side{})
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

// hold runs until the test ends (see Engine), or until an Advance
// releases it.
func (e *Engine) hold(ctx context.Context) error {
	select {
	case <-e.stop:
	case <-e.release:
	case <-ctx.Done():
	}
	return nil
}

func (e *Engine) stopping() bool {
	select {
	case <-e.stop:
		return true
	default:
		return false
	}
}

func (e *Engine) harness(ctx workflow.Context) error {
	holdOptions := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 24 * time.Hour,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
	})
	stopped := workflow.NewChannel(ctx)
	advances := workflow.NewBufferedChannel(ctx, 1)
	// The holder keeps the hold running; between two holds, while an
	// Advance sleeps, nothing holds the clock and the environment skips
	// time, firing every timer due before the Advance ends.
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			_ = workflow.ExecuteActivity(holdOptions, "hold").Get(ctx, nil)
			if e.stopping() {
				stopped.Close()
				return
			}
			var op *engineOp
			advances.Receive(ctx, &op)
			_ = workflow.Sleep(ctx, op.by)
			op.reply <- engineReply{}
		}
	})
	close(e.ready)
	ops := workflow.GetSignalChannel(ctx, opSignal)
	done := false
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(stopped, func(workflow.ReceiveChannel, bool) { done = true })
	sel.AddReceive(ops, func(c workflow.ReceiveChannel, _ bool) {
		var id string
		c.Receive(ctx, &id)
		e.mu.Lock()
		op := e.ops[id]
		delete(e.ops, id)
		e.mu.Unlock()
		if op.kind == "advance" {
			advances.Send(ctx, op)
			e.release <- struct{}{}
			return
		}
		workflow.Go(ctx, func(ctx workflow.Context) { e.run(ctx, op) })
	})
	for !done {
		sel.Select(ctx)
	}
	return nil
}

// run carries out one call from workflow code.
func (e *Engine) run(ctx workflow.Context, op *engineOp) {
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
		op.reply <- engineReply{err: unavailable("start failed", err)}
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
	case "payoff":
		var q servicing.Quote
		if err := e.query(wfID, workflows.QueryPayoff, &q, op.asOf); err != nil {
			op.reply <- engineReply{err: err}
			return
		}
		op.reply <- engineReply{quote: &q}
	case "query":
		var view workflows.LoanView
		if err := e.query(wfID, workflows.QueryStatus, &view); err != nil {
			op.reply <- engineReply{err: err}
			return
		}
		op.reply <- engineReply{view: &view}
	}
}

// query reads the answer of the workflow's query name into out; a failure is classified.
func (e *Engine) query(wfID, name string, out any, args ...any) error {
	v, err := e.env.QueryWorkflowByID(wfID, name, args...)
	if err != nil {
		return classify(err)
	}
	if err := v.Get(out); err != nil {
		return classify(err)
	}
	return nil
}

// updateID scopes the caller's Update ID to its loan (the environment
// de-duplicates across all workflows) and to its generation.
func (e *Engine) updateID(ref int64, id string) (scoped, envID string) {
	scoped = fmt.Sprintf("%d/%s", ref, id)
	e.mu.Lock()
	defer e.mu.Unlock()
	return scoped, scoped + "#" + strconv.Itoa(e.gen[scoped])
}

// classify maps the workflow's errors as the real engine does.
func classify(err error) error {
	if fe := gateway.Classify(err); fe != nil {
		return fe
	}
	return unavailable("the loan engine failed", err)
}

func unavailable(detail string, cause error) error {
	return &failure.Error{Kind: failure.KindUnavailable, Detail: detail, Cause: cause}
}

func (e *Engine) call(ctx context.Context, op *engineOp) (*workflows.LoanView, error) {
	r, err := e.ask(ctx, op)
	return r.view, err
}

// ask hands op to the harness and waits for its reply.
func (e *Engine) ask(ctx context.Context, op *engineOp) (engineReply, error) {
	op.reply = make(chan engineReply, 1)
	e.mu.Lock()
	e.nextOp++
	id := strconv.Itoa(e.nextOp)
	e.ops[id] = op
	e.mu.Unlock()
	select {
	case <-e.done:
		return engineReply{}, unavailable("the test environment has stopped", nil)
	default:
	}
	e.env.SignalWorkflow(opSignal, id)
	select {
	case r := <-op.reply:
		return r, r.err
	case <-e.done:
		return engineReply{}, unavailable("the test environment has stopped", nil)
	case <-ctx.Done():
		return engineReply{}, unavailable("cancelled", ctx.Err())
	case <-time.After(engineTimeout):
		return engineReply{}, unavailable("no answer from the test environment", nil)
	}
}

// ImportExternalLoans implements gateway.Engine. The harness runs loan
// workflows only: tests of the import use the ScriptedEngine or the
// end-to-end stack.
func (e *Engine) ImportExternalLoans(context.Context, string) error {
	return unavailable("the test environment runs no WebMoney feed", nil)
}

// KickWebhooks implements gateway.Engine. The harness runs loan workflows
// only, so it records the kick (Kicks) and delivers nothing: delivery is
// tested on the end-to-end stack.
func (e *Engine) KickWebhooks(_ context.Context, partnerID uint) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.kicks = append(e.kicks, partnerID)
	return nil
}

// Kicks are the partners whose webhooks were kicked, in order.
func (e *Engine) Kicks() []uint {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]uint(nil), e.kicks...)
}

// StartLoan implements gateway.Engine.
func (e *Engine) StartLoan(ctx context.Context, in *workflows.LoanInput) error {
	_, err := e.call(ctx, &engineOp{kind: "start", ref: in.Ref, in: in})
	if err == nil {
		// The first start wins, as the workflow's ID reuse does.
		e.products.LoadOrStore(in.Ref, in.Product)
	}
	return err
}

// Product implements gateway.Engine: the product the loan's workflow was
// started with.
func (e *Engine) Product(_ context.Context, ref int64) (*lending.Product, error) {
	p, ok := e.products.Load(ref)
	if !ok {
		return nil, failure.NotFound("no workflow for this loan")
	}
	prod := p.(lending.Product)
	return &prod, nil
}

// Update implements gateway.Engine.
func (e *Engine) Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error) {
	return e.call(ctx, &engineOp{kind: "update", ref: ref, name: name, id: updateID, arg: arg})
}

// Payoff implements gateway.Engine.
func (e *Engine) Payoff(ctx context.Context, ref int64, asOf time.Time) (*servicing.Quote, error) {
	r, err := e.ask(ctx, &engineOp{kind: "payoff", ref: ref, asOf: asOf})
	return r.quote, err
}

// Query implements gateway.Engine.
func (e *Engine) Query(ctx context.Context, ref int64) (*workflows.LoanView, error) {
	return e.call(ctx, &engineOp{kind: "query", ref: ref})
}

// Advance moves the workflows' clock on by d, as a real server's would
// move: every timer due meanwhile fires, in order (due dates, the daily
// arrears check, SLA expiries). The caller moves its own clock to match.
func (e *Engine) Advance(ctx context.Context, d time.Duration) error {
	_, err := e.ask(ctx, &engineOp{kind: "advance", by: d})
	return err
}

// Ready implements gateway.Engine.
func (e *Engine) Ready(context.Context) error {
	select {
	case <-e.done:
		return unavailable("the test environment has stopped", nil)
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
