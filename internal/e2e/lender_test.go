package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"

	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
	"github.com/loanflow/loanflow/workflows"
)

// TestLoanFundedByIute: a loan of the iute product is filed with the Iute
// simulator, approved and released by Iute (our underwriters cannot), paid
// out and repaid, and Iute holds the loan with every repayment once.
func TestLoanFundedByIute(t *testing.T) {
	s := startStack(t)
	partner := func(c call) reply { c.user, c.pass = "demo", "demo-secret"; return s.do(c) }
	app := application("3000.00", 6)
	app["product_code"] = "iute"
	r := partner(call{method: "POST", path: "/v1/loans", headers: map[string]string{"Idempotency-Key": "iute-1"}, json: app})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	ref := int64(r.decode(t)["ref"].(float64))
	base, bo := fmt.Sprintf("/v1/loans/%d", ref), fmt.Sprintf("/backoffice/v1/loans/%d", ref)

	// Our underwriter may not decide an Iute loan.
	own := s.do(call{method: "POST", path: bo + "/approve", user: "underwriter", pass: "underwriter-secret", json: map[string]any{}})
	require.Equal(t, http.StatusConflict, own.status, string(own.body))

	waitStatus(t, s, ref, "APPROVED")
	loan, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	iuteRef, err := strconv.ParseInt(loan.LenderLoanID, 10, 64)
	require.NoError(t, err)

	require.Equal(t, http.StatusCreated, s.upload(base+"/documents", "signed_agreement", "a.pdf", pdfDoc).status)
	require.Equal(t, http.StatusCreated, s.upload(base+"/documents", "bank_statement", "s.pdf", pdfDoc).status)
	waitStatus(t, s, ref, "CASH_RELEASE_AUTHORIZED")
	require.Equal(t, http.StatusOK, partner(call{method: "POST", path: base + "/disbursement", json: map[string]any{}}).status)

	sched := partner(call{method: "GET", path: base + "/schedule"}).decode(t)
	total := decimal.RequireFromString(sched["total"].(string))
	first := decimal.RequireFromString(sched["installments"].([]any)[0].(map[string]any)["total"].(string))
	today := time.Now().UTC().Format(time.DateOnly)
	for i, amount := range []decimal.Decimal{first, total.Sub(first)} {
		rp := partner(call{method: "POST", path: base + "/repayments", headers: map[string]string{"Idempotency-Key": fmt.Sprintf("iute-pay-%d", i)},
			json: map[string]any{"amount": amount.StringFixed(2), "paid_on": today}})
		require.Equal(t, http.StatusOK, rp.status, string(rp.body))
	}
	waitStatus(t, s, ref, "CLOSED")
	require.Eventually(t, func() bool {
		d, err := s.temporal.DescribeWorkflowExecution(context.Background(), workflows.LoanWorkflowID(ref), "")
		return err == nil && d.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED
	}, 60*time.Second, 100*time.Millisecond)

	sim := s.providers.Sims.Iute
	require.Equal(t, 1, sim.Loans())
	il, ok := sim.Loan(iuteRef)
	require.True(t, ok)
	require.True(t, il.FilesUploaded)
	require.Equal(t, 2, sim.Repayments(iuteRef))
	require.Equal(t, iutesim.StateRepaid, il.State, "Iute has the loan repaid")
	require.True(t, il.Repaid.Equal(total), "Iute holds %s repaid, we %s", il.Repaid, total)
	recordHistory(t, s, ref, "iute-loan")
}
