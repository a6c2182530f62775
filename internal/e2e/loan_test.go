package e2e_test

import (
	"context"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/loanflow/loanflow/workflows"
)

func application(amount string, months int) map[string]any {
	return map[string]any{
		"product_code": "consumer", "amount": amount, "term_months": months,
		"submitted_by": "Mike", "office": "Main office",
		"applicant": map[string]any{
			"identity_number": "I12356789T", "first_name": "John", "last_name": "Smith", "patronymic": "James",
			"birth_date": "1990-01-01", "document_serial": "200000907", "mobile_phone": "0123456789",
			"home_phone":  "012345678",
			"alt_contact": map[string]any{"name": "June", "relation": "sister", "phone": "0987654321"},
			"address":     map[string]any{"town": "Chisinau", "street": "Long street", "house": "11", "apartment": ""},
		},
	}
}

var (
	pdfDoc = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	pngDoc = encodeImage(png.Encode)
)

// TestWholeLoanOverHTTP walks one loan through every step of the Iute
// process on the real stack: quote, submit, approve, agreement, documents,
// authorize, pay out, repay every installment, CLOSED.
func TestWholeLoanOverHTTP(t *testing.T) {
	s := startStack(t)
	partner := func(c call) reply { c.user, c.pass = "demo", "demo-secret"; return s.do(c) }
	underwriter := func(c call) reply { c.user, c.pass = "underwriter", "underwriter-secret"; return s.do(c) }
	operations := func(c call) reply { c.user, c.pass = "operations", "operations-secret"; return s.do(c) }

	// 1. Quote.
	q := partner(call{method: "POST", path: "/v1/quotes", json: map[string]any{"amount": "2000.00", "term_months": 6}})
	require.Equal(t, http.StatusOK, q.status, string(q.body))
	quote := q.decode(t)
	require.Len(t, quote["periods"], 6)

	// 2. Submit, twice with the same key: one loan.
	key := map[string]string{"Idempotency-Key": "e2e-loan-1"}
	r := partner(call{method: "POST", path: "/v1/loans", headers: key, json: application("2000.00", 6)})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	loan := r.decode(t)
	require.Equal(t, "SUBMITTED", loan["status"])
	ref := int64(loan["ref"].(float64))
	require.GreaterOrEqual(t, ref, int64(90000))
	again := partner(call{method: "POST", path: "/v1/loans", headers: key, json: application("2000.00", 6)})
	require.Contains(t, []int{http.StatusOK, http.StatusCreated}, again.status, string(again.body))
	require.Equal(t, float64(ref), again.decode(t)["ref"])
	base := fmt.Sprintf("/v1/loans/%d", ref)
	bo := fmt.Sprintf("/backoffice/v1/loans/%d", ref)

	// 3. The loan is in the underwriters' queue.
	queue := underwriter(call{method: "GET", path: "/backoffice/v1/loans?status=SUBMITTED"})
	require.Equal(t, http.StatusOK, queue.status, string(queue.body))
	require.Contains(t, string(queue.body), fmt.Sprintf(`"ref":%d`, ref))

	// 4. Approve; operations may not.
	require.Equal(t, http.StatusForbidden, operations(call{method: "POST", path: bo + "/approve", json: map[string]any{}}).status)
	approveKey := map[string]string{"Idempotency-Key": "approve-1"}
	ap := underwriter(call{method: "POST", path: bo + "/approve", headers: approveKey, json: map[string]any{}})
	require.Equal(t, http.StatusOK, ap.status, string(ap.body))
	require.Equal(t, "APPROVED", ap.decode(t)["status"])
	// A retried approval (same key) is the same Update: it answers the same result.
	retried := underwriter(call{method: "POST", path: bo + "/approve", headers: approveKey, json: map[string]any{}})
	require.Equal(t, http.StatusOK, retried.status, string(retried.body))
	require.Equal(t, "APPROVED", retried.decode(t)["status"])
	// Another underwriter approving an approved loan is an illegal transition.
	second := s.do(call{method: "POST", path: bo + "/approve", user: "underwriter2", pass: "underwriter2-secret", json: map[string]any{}})
	require.Equal(t, http.StatusConflict, second.status, string(second.body))
	require.Equal(t, "application/problem+json", second.header.Get("Content-Type"))

	// 5. The agreement.
	ag := partner(call{method: "GET", path: base + "/agreement?lang=eng"})
	require.Equal(t, http.StatusOK, ag.status, string(ag.body))
	require.True(t, strings.HasPrefix(string(ag.body), "%PDF"))
	require.Equal(t, "application/pdf", ag.header.Get("Content-Type"))

	// 6. Documents: the signed agreement alone is not enough.
	up := s.upload(base+"/documents", "signed_agreement", "agreement.pdf", pdfDoc)
	require.Equal(t, http.StatusCreated, up.status, string(up.body))
	require.Equal(t, "APPROVED", up.decode(t)["loan"].(map[string]any)["status"])
	up = s.upload(base+"/documents", "bank_statement", "statement.png", pngDoc)
	require.Equal(t, http.StatusCreated, up.status, string(up.body))
	require.Equal(t, "image/png", up.decode(t)["document"].(map[string]any)["content_type"])
	require.Equal(t, "DOCUMENTS_SUBMITTED", up.decode(t)["loan"].(map[string]any)["status"])

	// 7. Cash release: not yet allowed; the approver may not authorize.
	cr := partner(call{method: "GET", path: base + "/cash-release"})
	require.Equal(t, false, cr.decode(t)["allowed"])
	require.Equal(t, http.StatusForbidden, underwriter(call{method: "POST", path: bo + "/cash-release/authorize", json: map[string]any{}}).status)
	au := operations(call{method: "POST", path: bo + "/cash-release/authorize", json: map[string]any{}})
	require.Equal(t, http.StatusOK, au.status, string(au.body))
	cr = partner(call{method: "GET", path: base + "/cash-release"})
	require.Equal(t, true, cr.decode(t)["allowed"])

	// 8. Pay-out.
	po := partner(call{method: "POST", path: base + "/disbursement", json: map[string]any{}})
	require.Equal(t, http.StatusOK, po.status, string(po.body))
	require.Equal(t, "ACTIVE", po.decode(t)["status"])

	// 9. Repay every installment, one request each, the first one twice.
	sc := partner(call{method: "GET", path: base + "/schedule"})
	require.Equal(t, http.StatusOK, sc.status, string(sc.body))
	schedule := sc.decode(t)
	installments := schedule["installments"].([]any)
	require.Len(t, installments, 6)
	total := decimal.RequireFromString(schedule["total"].(string))
	for i, raw := range installments {
		inst := raw.(map[string]any)
		pay := call{method: "POST", path: base + "/repayments",
			headers: map[string]string{"Idempotency-Key": fmt.Sprintf("e2e-pay-%d", i+1)},
			json:    map[string]any{"amount": inst["to_be_paid"], "paid_on": time.Now().UTC().Format(time.DateOnly)}}
		rp := partner(pay)
		require.Equal(t, http.StatusOK, rp.status, string(rp.body))
		if i == 0 {
			// A retried request (same key) is applied once.
			retry := partner(pay)
			require.Equal(t, http.StatusOK, retry.status, string(retry.body))
			require.Equal(t, inst["total"], retry.decode(t)["repaid"], "repaid after the retry")
		}
	}

	// 10. CLOSED, everything repaid exactly once.
	final := partner(call{method: "GET", path: base}).decode(t)
	require.Equal(t, "CLOSED", final["status"])
	sc = partner(call{method: "GET", path: base + "/schedule"})
	schedule = sc.decode(t)
	require.Equal(t, total.StringFixed(2), schedule["repaid"])
	require.Equal(t, "0.00", schedule["remaining"])

	// The back office sees the audit trail of every transition.
	detail := underwriter(call{method: "GET", path: bo})
	require.Equal(t, http.StatusOK, detail.status, string(detail.body))
	for _, status := range []string{"SUBMITTED", "APPROVED", "DOCUMENTS_SUBMITTED", "CASH_RELEASE_AUTHORIZED", "ACTIVE", "CLOSED"} {
		require.Contains(t, string(detail.body), `"`+status+`"`)
	}

	// Engineers find the loan in Temporal by its search attributes.
	ctx := context.Background()
	desc, err := s.temporal.DescribeWorkflowExecution(ctx, workflows.LoanWorkflowID(ref), "")
	require.NoError(t, err)
	require.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.WorkflowExecutionInfo.Status)
	var status string
	require.NoError(t, converter.GetDefaultDataConverter().FromPayload(
		desc.WorkflowExecutionInfo.SearchAttributes.IndexedFields["LoanStatus"], &status))
	require.Equal(t, "CLOSED", status)
	eventually(t, "visibility to index the closed loan", func() bool {
		resp, err := s.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf("LoanStatus = 'CLOSED' AND PartnerId = 'demo' AND LoanRef = %d", ref),
		})
		return err == nil && len(resp.Executions) == 1
	})
	recordHistory(t, s, ref, "whole-loan")
}
