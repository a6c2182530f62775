package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
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
	sched := payOut(t, s, ref)
	repayInTwo(t, s, ref, sched, "iute-pay")
	waitStatus(t, s, ref, "CLOSED")
	awaitWorkflowEnd(t, s, ref)

	sim := s.providers.Sims.Iute
	require.Equal(t, 1, sim.Loans())
	il, ok := sim.Loan(iuteRef)
	require.True(t, ok)
	require.True(t, il.FilesUploaded)
	require.Equal(t, 2, sim.Repayments(iuteRef))
	require.Equal(t, iutesim.StateRepaid, il.State, "Iute has the loan repaid")
	require.True(t, il.Repaid.Equal(sched.Total), "Iute holds %s repaid, we %s", il.Repaid, sched.Total)
	recordHistory(t, s, ref, "iute-loan")
}
