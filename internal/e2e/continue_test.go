package e2e_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

// historyLimit starts every loan with LoanInput.HistoryLimit set, so it
// continues as new once its history holds that many events rather than
// when the server suggests it, which takes thousands of events: years of a
// real loan.
type historyLimit struct {
	gateway.Engine
	events int
}

func (e historyLimit) StartLoan(ctx context.Context, in *workflows.LoanInput) error {
	in.HistoryLimit = e.events
	return e.Engine.StartLoan(ctx, in)
}

// TestLongLoanContinuesAsNew: a loan whose history outgrows its limit while
// it is being repaid continues as new with its state; every repayment,
// made before or after, is applied once, and a later run closes the loan.
func TestLongLoanContinuesAsNew(t *testing.T) {
	s := startStackWith(t, stackOptions{engine: func(e gateway.Engine) gateway.Engine { return historyLimit{Engine: e, events: 60} }})
	ref := submitLoan(t, s, "consumer", "I70000001T")
	releaseCash(t, s, ref, "consumer")
	sched := payOut(t, s, ref)
	for i, inst := range sched.Installments {
		repay(t, s, ref, fmt.Sprintf("long-pay-%d", i), inst.Total)
	}
	require.Equal(t, "CLOSED", loanStatus(t, s, ref))
	awaitWorkflowEnd(t, s, ref)

	runs := loanRuns(t, s, ref)
	require.GreaterOrEqual(t, len(runs), 2, "the loan continued as new")
	first := runs[0].history.Events
	require.Equal(t, enums.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, first[len(first)-1].EventType)
	carried := runs[1].input.State
	require.NotNil(t, carried, "the next run starts from the loan's state")
	require.Equal(t, lending.StatusActive, carried.Status, "continued as new while being repaid")
	require.NotEmpty(t, carried.Repayments)

	loan, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	require.True(t, loan.Repaid.Equal(sched.Total), "repaid %s of %s", loan.Repaid, sched.Total)
	txs, err := s.store.Transactions(context.Background(), ref)
	require.NoError(t, err)
	repaid := decimal.Zero
	for _, tx := range txs {
		if tx.Kind == lending.TxRepayment {
			repaid = repaid.Add(tx.Amount)
		}
	}
	require.True(t, repaid.Equal(sched.Total), "repayments stored %s of %s", repaid, sched.Total)

	recordRun(t, s, ref, runs[0].id, "continued-as-new")
	recordRun(t, s, ref, runs[len(runs)-1].id, "continued-as-new-closed")
}

// run is one run of a loan's workflow: its id, its input and its history.
type run struct {
	id      string
	input   workflows.LoanInput
	history *historypb.History
}

// loanRuns answers the runs of the loan's workflow, the first first. Each
// run started by continue-as-new names the run it continues.
func loanRuns(t *testing.T, s *stack, ref int64) []run {
	t.Helper()
	d, err := s.temporal.DescribeWorkflowExecution(context.Background(), workflows.LoanWorkflowID(ref), "")
	require.NoError(t, err)
	var runs []run
	for id := d.WorkflowExecutionInfo.Execution.RunId; id != ""; {
		r := run{id: id, history: runHistory(t, s, ref, id)}
		started := r.history.Events[0].GetWorkflowExecutionStartedEventAttributes()
		require.NotNil(t, started)
		require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(started.Input, &r.input))
		runs = append(runs, r)
		id = started.ContinuedExecutionRunId
	}
	slices.Reverse(runs)
	return runs
}
