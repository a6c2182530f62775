package api

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

func TestBackofficeQueue(t *testing.T) {
	e := newEnv(t)
	a := e.insertLoan("demo", lending.StatusSubmitted, "2000.00")
	b := e.insertLoan("other", lending.StatusSubmitted, "40000.00")
	c := e.insertLoan("demo", lending.StatusApproved, "3000.00")

	list := func(query string) map[string]any {
		res := e.get(underwriter, "/backoffice/v1/loans"+query)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		return res.json(t)
	}
	refs := func(m map[string]any) []int64 {
		var out []int64
		for _, it := range m["items"].([]any) {
			out = append(out, int64(it.(map[string]any)["ref"].(float64)))
		}
		return out
	}
	require.Equal(t, []int64{a.Ref, b.Ref}, refs(list("?status=SUBMITTED")), "oldest first, every partner")
	require.Equal(t, []int64{a.Ref, b.Ref, c.Ref}, refs(list("")))
	require.Equal(t, []int64{b.Ref}, refs(list("?partner=other")))
	require.Equal(t, []int64{b.Ref}, refs(list("?min_amount=30000")))
	require.Equal(t, []int64{a.Ref, c.Ref}, refs(list("?max_amount=3000.00")))
	require.Equal(t, []int64{a.Ref, b.Ref, c.Ref}, refs(list("?product=consumer")))
	require.Empty(t, refs(list("?product=julo")))
	require.Equal(t, []int64{b.Ref}, refs(list("?page=2&page_size=1")))

	item := list("?partner=other")["items"].([]any)[0].(map[string]any)
	require.Equal(t, "other", item["partner"])
	require.Equal(t, "40000.00", item["amount"])
	require.Equal(t, []any{}, item["approved_by"])

	for _, tc := range []struct{ query, field string }{
		{"?partner=nobody", "partner"}, {"?min_amount=lots", "min_amount"}, {"?max_amount=1e9", "max_amount"},
		{"?status=NEW", "status"}, {"?from=yesterday", "from"},
	} {
		p := e.get(underwriter, "/backoffice/v1/loans"+tc.query).problem(t, http.StatusBadRequest)
		require.Equal(t, []string{tc.field}, p.fields(), tc.query)
	}

	// Those who decide and release loans read the queue; admins, who
	// manage accounts, do not (least privilege, as in the console).
	for _, c := range []creds{operations, underwriter} {
		require.Equal(t, http.StatusOK, e.get(c, "/backoffice/v1/loans").Code)
	}
	e.get(admin, "/backoffice/v1/loans").problem(t, http.StatusForbidden)
	e.get(admin, "/backoffice/v1/external-loans").problem(t, http.StatusForbidden)
}

func TestBackofficeLoanDetail(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusActive, "2000.00")
	e.payOut(l)
	doc := e.upload(demo, l.Ref, "signed_agreement", "signed.pdf", pdfBytes())
	require.Equal(t, http.StatusCreated, doc.Code, doc.Body.String())
	docID := doc.json(t)["document"].(map[string]any)["id"].(float64)
	require.NoError(t, e.store.DB.Create(&models.AuditEvent{LoanRef: l.Ref, Seq: 1, Actor: "staff:underwriter", Action: "approve",
		FromStatus: "SUBMITTED", ToStatus: "APPROVED", At: testNow}).Error)
	require.NoError(t, e.store.DB.Create(&models.Transaction{LoanRef: l.Ref, Key: "disburse", Kind: lending.TxDisbursement,
		Amount: l.Amount, Overpayment: decimal.Zero, ValueDate: testNow, CreatedAt: testNow}).Error)
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", l.Ref).
		Update("approved_by", "underwriter,underwriter2").Error)

	e.get(admin, fmt.Sprintf("/backoffice/v1/loans/%d", l.Ref)).problem(t, http.StatusForbidden) // admins manage accounts, not loans
	res := e.get(operations, fmt.Sprintf("/backoffice/v1/loans/%d", l.Ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	d := res.json(t)
	require.Equal(t, float64(l.Ref), d["ref"])
	require.Equal(t, "demo", d["partner"])
	require.Equal(t, []any{"underwriter", "underwriter2"}, d["approved_by"])
	docs := d["documents"].([]any)
	require.Len(t, docs, 1)
	require.Equal(t, "signed.pdf", docs[0].(map[string]any)["filename"])
	require.NotContains(t, docs[0].(map[string]any), "data")
	audit := d["audit_trail"].([]any)
	require.Len(t, audit, 1)
	require.Equal(t, "APPROVED", audit[0].(map[string]any)["to_status"])
	require.Len(t, d["installments"].([]any), 6)
	tx := d["transactions"].([]any)
	require.Len(t, tx, 1)
	require.Equal(t, "2000.00", tx[0].(map[string]any)["amount"])

	file := e.get(operations, fmt.Sprintf("/backoffice/v1/loans/%d/documents/%d", l.Ref, int(docID)))
	require.Equal(t, http.StatusOK, file.Code)
	require.Equal(t, "application/pdf", file.Header().Get("Content-Type"))
	require.Contains(t, file.Header().Get("Content-Disposition"), "inline")
	require.Equal(t, pdfBytes(), file.Body.Bytes())

	e.get(operations, fmt.Sprintf("/backoffice/v1/loans/%d/documents/%d", l.Ref, int(docID)+1)).problem(t, http.StatusNotFound)
	e.get(operations, fmt.Sprintf("/backoffice/v1/loans/%d/documents/x", l.Ref)).problem(t, http.StatusNotFound)
	e.get(operations, "/backoffice/v1/loans/123456789").problem(t, http.StatusNotFound)
}

func TestBackofficeActions(t *testing.T) {
	e, l, path := newEnvWithSubmittedLoan(t)

	e.engine.NextStatus = lending.StatusApproved
	res := e.post(underwriter, path("approve"), nil, key("k1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "APPROVED", res.json(t)["status"])
	require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateApprove, ID: "approve/staff:underwriter/k1",
		Arg: workflows.DecisionRequest{Actor: "staff:underwriter"}}, e.engine.LastUpdate(t))
	require.Equal(t, http.StatusOK, e.post(underwrit2, path("approve"), map[string]any{}, key("k1")).Code)
	require.Equal(t, "approve/staff:underwriter2/k1", e.engine.LastUpdate(t).ID, "four eyes: each underwriter's approval is its own Update")
	require.Equal(t, http.StatusOK, e.post(underwriter, path("approve"), nil, nil).Code)
	require.NotEqual(t, "approve/staff:underwriter/k1", e.engine.LastUpdate(t).ID, "without a key, a request is an approval of its own")

	e.engine.NextStatus = lending.StatusRejected
	res = e.post(underwriter, path("reject"), map[string]any{"reason": "income too low"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateReject, ID: "reject",
		Arg: workflows.DecisionRequest{Actor: "staff:underwriter", Reason: "income too low"}}, e.engine.LastUpdate(t))

	e.engine.NextStatus = lending.StatusApproved
	res = e.post(operations, path("documents/reject"), map[string]any{"reason": "statement unreadable"}, key("docs-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateRejectDocuments, ID: "reject-documents/staff:operations/docs-1",
		Arg: workflows.DecisionRequest{Actor: "staff:operations", Reason: "statement unreadable"}}, e.engine.LastUpdate(t))
	require.Equal(t, http.StatusOK, e.post(operations, path("documents/reject"), map[string]any{"reason": "blurred"}, nil).Code)
	require.Regexp(t, `^[0-9a-f]{32}$`, e.engine.LastUpdate(t).ID, "without a key each rejection is a fresh Update")

	e.engine.NextStatus = lending.StatusCashReleaseAuthorized
	res = e.post(operations, path("cash-release/authorize"), nil, key("auth-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "CASH_RELEASE_AUTHORIZED", res.json(t)["status"])
	require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateAuthorizeCashRelease, ID: "authorize-cash-release/staff:operations/auth-1",
		Arg: workflows.DecisionRequest{Actor: "staff:operations"}}, e.engine.LastUpdate(t))
	require.Equal(t, http.StatusOK, e.post(operations, path("cash-release/authorize"), nil, nil).Code)
	require.Regexp(t, `^[0-9a-f]{32}$`, e.engine.LastUpdate(t).ID)

	// Segregation of duties is the workflow's rule; its refusal is a 403.
	e.engine.UpdateErr = &failure.Error{Kind: failure.KindForbidden, Detail: "the approver may not authorize the cash release"}
	p := e.post(operations, path("cash-release/authorize"), nil, nil).problem(t, http.StatusForbidden)
	require.Equal(t, "the approver may not authorize the cash release", p.Detail)
}

func TestBackofficeValidation(t *testing.T) {
	e, _, path := newEnvWithSubmittedLoan(t)
	for _, tc := range []struct {
		who    creds
		action string
		body   any
		field  string
	}{
		{underwriter, "reject", nil, "reason"},
		{underwriter, "reject", map[string]any{"reason": "   "}, "reason"},
		{underwriter, "reject", map[string]any{"reason": 5}, "reason"},
		{underwriter, "approve", map[string]any{"comment": "ok"}, "comment"},
		{operations, "documents/reject", map[string]any{}, "reason"},
		{operations, "cash-release/authorize", "[]", "body"},
	} {
		p := e.post(tc.who, path(tc.action), tc.body, nil).problem(t, http.StatusBadRequest)
		require.Equal(t, []string{tc.field}, p.fields(), "%s %v", tc.action, tc.body)
	}
	e.post(underwriter, "/backoffice/v1/loans/424242/approve", nil, nil).problem(t, http.StatusNotFound)
	require.Zero(t, len(e.engine.Updates()))
}

func TestBackofficeRoles(t *testing.T) {
	e, _, path := newEnvWithSubmittedLoan(t)
	for _, tc := range []struct {
		who    creds
		action string
		body   any
	}{
		{operations, "approve", nil},
		{admin, "approve", nil},
		{operations, "reject", map[string]any{"reason": "no"}},
		{underwriter, "documents/reject", map[string]any{"reason": "no"}},
		{admin, "documents/reject", map[string]any{"reason": "no"}},
		{underwriter, "cash-release/authorize", nil},
	} {
		p := e.post(tc.who, path(tc.action), tc.body, nil).problem(t, http.StatusForbidden)
		require.NotEmpty(t, p.Detail, "%s by %s", tc.action, tc.who.User)
	}
	require.Zero(t, len(e.engine.Updates()))
}

func TestBackofficeSeesLoanDates(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusClosed, "2000.00")
	closed := time.Date(2025, 9, 10, 0, 0, 0, 0, time.UTC)
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", l.Ref).Update("closed_on", closed).Error)
	d := e.get(operations, fmt.Sprintf("/backoffice/v1/loans/%d", l.Ref)).json(t)
	require.Equal(t, "2025-09-10", d["closed_on"])
	require.Equal(t, "CLOSED", d["status"])
}

// TestRepeatApproverIsForbidden: an underwriter who approves a four-eyes
// loan a second time is refused by the workflow (403), as on every front
// end, and nothing is recorded; the same request retried with its key
// answers the first approval again.
func TestRepeatApproverIsForbidden(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusSubmitted, "45000") // above the 30,000 four-eyes threshold
	path := fmt.Sprintf("/backoffice/v1/loans/%d/approve", l.Ref)

	first := e.post(underwriter, path, nil, key("first"))
	require.Equal(t, http.StatusOK, first.Code, first.Body.String())
	require.Equal(t, "SUBMITTED", first.json(t)["status"], "one approval of two")

	p := e.post(underwriter, path, nil, key("second")).problem(t, http.StatusForbidden)
	require.Contains(t, p.Detail, "different underwriter")
	retry := e.post(underwriter, path, nil, key("first"))
	require.Equal(t, http.StatusOK, retry.Code, "a retry of the first approval is not a second one")
	require.Equal(t, []lending.Actor{"staff:underwriter"}, k.Loan(l.Ref).Approvers())

	second := e.post(underwrit2, path, nil, key("first"))
	require.Equal(t, http.StatusOK, second.Code, second.Body.String())
	require.Equal(t, "APPROVED", second.json(t)["status"])
}
