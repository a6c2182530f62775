package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
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
// day after its due date goes IN_ARREARS, with its days past due, bucket
// and the product's penalties shown to the partner; repaying what is
// overdue, penalties first, cures it back to ACTIVE, and the payoff quote
// settles the rest.
func TestLoanInArrearsIsCured(t *testing.T) {
	s := startStackWith(t, stackOptions{worker: payOutInThePast})
	ref := submitLoan(t, s, "consumer", "I60000001T")
	releaseCash(t, s, ref, "consumer")
	sched := payOut(t, s, ref)

	waitStatus(t, s, ref, "IN_ARREARS")
	stored, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	overdue := int(time.Since(mustDate(t, sched.Installments[0].Due)).Hours() / 24)
	require.Equal(t, fmt.Sprintf("installment 1 unpaid %d day(s) after its due date", overdue), stored.Reason)

	loan := getLoan(t, s, ref)
	require.EqualValues(t, overdue, loan["days_past_due"])
	require.Equal(t, "1-30", loan["delinquency_bucket"])
	// The demo product: 50.00 once the 3 days' grace are over, and 36 %
	// a year on the overdue principal from then.
	penalties := decimal.RequireFromString(loan["penalties_due"].(string))
	require.True(t, penalties.GreaterThan(decimal.NewFromInt(50)), "late fee and penalty interest: %s", penalties)

	// The installment as agreed (the schedule read at the pay-out may
	// show it with its penalties already).
	first := decimal.RequireFromString(loan["installment_amount"].(string))
	require.Equal(t, "IN_ARREARS", repay(t, s, ref, "arrears-pay-0", first), "the penalties are paid first: the installment is still short")
	require.Equal(t, "ACTIVE", repay(t, s, ref, "arrears-pay-1", penalties), "what was overdue is repaid")

	quote := s.do(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d/payoff", ref), user: "demo", pass: "demo-secret"})
	require.Equal(t, http.StatusOK, quote.status, string(quote.body))
	total := quote.decode(t)["total"].(string)
	require.True(t, decimal.RequireFromString(total).LessThan(sched.Total.Sub(sched.Installments[0].Total)), "settling early saves the later interest")
	settled := s.do(call{method: "POST", path: fmt.Sprintf("/v1/loans/%d/payoff", ref), user: "demo", pass: "demo-secret",
		headers: map[string]string{"Idempotency-Key": "arrears-settle"}, json: map[string]any{"amount": total}})
	require.Equal(t, http.StatusOK, settled.status, string(settled.body))
	require.Equal(t, "CLOSED", settled.decode(t)["status"])
	awaitWorkflowEnd(t, s, ref)
	assertExplained(t, s, ref, applicationFor("consumer", "I60000001T"))

	trail, err := s.store.AuditTrail(context.Background(), ref)
	require.NoError(t, err)
	var actions []string
	for _, ev := range trail {
		actions = append(actions, string(ev.Action))
	}
	require.Equal(t, []string{"submit", "approve", "upload_document", "submit_documents", "authorize_cash_release", "disburse", "arrears", "cure", "settle"}, actions)
	recordHistory(t, s, ref, "lean-history-arrears-settled")
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

// getLoan is the loan as its partner reads it.
func getLoan(t *testing.T, s *stack, ref int64) map[string]any {
	t.Helper()
	r := s.do(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d", ref), user: "demo", pass: "demo-secret"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	return r.decode(t)
}
