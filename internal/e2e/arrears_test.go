package e2e_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/loanflow/loanflow/activities"
)

// paidOutDaysAgo is how far back payOutInThePast books a pay-out: the
// first installment of a monthly schedule is then two weeks overdue, the
// second two weeks ahead.
const paidOutDaysAgo = 45

// payOutInThePast replaces the worker's Activate with one that fixes the
// schedule, and stores the pay-out, as if the cash had been paid out
// paidOutDaysAgo days ago. A loan falls into arrears only once a due date
// has passed, and the embedded server's clock cannot be moved on; the
// workflow code is the real one, only the activity's answer is that of an
// older pay-out, which is all a recorded history holds of it.
func payOutInThePast(w sdkworker.Worker, acts *activities.Activities) {
	w.RegisterActivityWithOptions(func(ctx context.Context, in activities.ActivateInput) (*activities.ActivateResult, error) {
		in.DisbursedOn = in.DisbursedOn.AddDate(0, 0, -paidOutDaysAgo)
		return acts.Activate(ctx, in)
	}, activity.RegisterOptions{Name: "Activate", DisableAlreadyRegisteredCheck: true})
}

// TestLoanInArrearsIsCured: a loan whose first installment is unpaid the
// day after its due date goes IN_ARREARS; repaying that installment cures
// it back to ACTIVE, and repaying the rest closes it.
func TestLoanInArrearsIsCured(t *testing.T) {
	s := startStackWith(t, stackOptions{worker: payOutInThePast})
	ref := submitLoan(t, s, "consumer", "I60000001T")
	releaseCash(t, s, ref, "consumer")
	sched := payOut(t, s, ref)

	waitStatus(t, s, ref, "IN_ARREARS")
	loan, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	require.Equal(t, "installment due "+sched.Installments[0].Due+" unpaid", loan.Reason)

	first := sched.Installments[0].Total
	require.Equal(t, "ACTIVE", repay(t, s, ref, "arrears-pay-0", first), "the overdue installment repaid")
	require.Equal(t, "CLOSED", repay(t, s, ref, "arrears-pay-1", sched.Total.Sub(first)))
	awaitWorkflowEnd(t, s, ref)

	trail, err := s.store.AuditTrail(context.Background(), ref)
	require.NoError(t, err)
	var actions []string
	for _, ev := range trail {
		actions = append(actions, string(ev.Action))
	}
	require.Equal(t, []string{"submit", "approve", "upload_document", "submit_documents", "authorize_cash_release", "disburse", "arrears", "cure", "close"}, actions)
	recordHistory(t, s, ref, "arrears-cured")
}
