package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// follow loads the page a redirect points to.
func (b *browser) follow(res interface{ Header() http.Header }) string {
	b.e.t.Helper()
	page := b.get(res.Header().Get("Location"))
	require.Equal(b.e.t, http.StatusOK, page.Code)
	return page.Body.String()
}

func TestApprove(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusSubmitted, "2000", time.Hour)
	b := e.signedIn(underwriter)
	form := b.openLoan(l.Ref)
	has(t, b.last, `id="approve-form"`)

	res := b.post(loanURL(l.Ref)+"/approve", form)
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	require.Equal(t, loanURL(l.Ref), res.Header().Get("Location"))
	page := b.follow(res)
	has(t, page, "is approved. The partner can now upload")
	has(t, page, `data-status="APPROVED"`)
	lacks(t, b.get(loanURL(l.Ref)).Body.String(), "is approved. The partner", "the flash shows once")

	require.Equal(t, []string{workflows.UpdateApprove}, e.engine.updateNames())
	got := e.loan(l.Ref)
	require.Equal(t, models.StatusApproved, got.Status)
	require.Equal(t, "staff:underwriter", got.ApprovedBy)
	ev := e.lastEvent(actionApprove)
	require.Equal(t, models.OutcomeOK, ev.Outcome)
	require.Equal(t, "underwriter", ev.Actor)
	require.Equal(t, "loan "+ref(l), ev.Target)
	require.Equal(t, "SUBMITTED → APPROVED", ev.Detail)
	trail, err := e.store.AuditTrail(context.Background(), l.Ref)
	require.NoError(t, err)
	require.Equal(t, "staff:underwriter", trail[len(trail)-1].Actor, "the workflow's audit trail names the person")
}

func TestFourEyes(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusSubmitted, "45000", time.Hour) // above the 30,000 threshold
	first := e.signedIn(underwriter)
	form := first.openLoan(l.Ref)
	has(t, first.last, `id="four-eyes"`)
	has(t, first.last, "Approvals so far: 0 of 2")

	res := first.post(loanURL(l.Ref)+"/approve", form)
	require.Equal(t, http.StatusSeeOther, res.Code)
	page := first.follow(res)
	has(t, page, "Four eyes: it stays Submitted until a second underwriter approves it.")
	has(t, page, "Approvals so far: 1 of 2 (underwriter)")
	has(t, page, "You have approved it; a colleague must give the second approval.")
	has(t, page, `id="approve" disabled`)
	require.Equal(t, models.StatusSubmitted, e.loan(l.Ref).Status)

	// The same underwriter cannot be the second pair of eyes.
	res = first.post(loanURL(l.Ref)+"/approve", first.openLoan(l.Ref))
	require.Equal(t, http.StatusForbidden, res.Code)
	has(t, res.Body.String(), "You have already approved this loan. Four eyes: a second, different underwriter must approve it.")
	require.Equal(t, models.OutcomeDenied, e.lastEvent(actionApprove).Outcome)
	require.Len(t, e.engine.updateNames(), 1, "refused before reaching the workflow")

	second := e.signedIn(underwriter2)
	res = second.post(loanURL(l.Ref)+"/approve", second.openLoan(l.Ref))
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, second.follow(res), "is approved.")
	got := e.loan(l.Ref)
	require.Equal(t, models.StatusApproved, got.Status)
	require.Equal(t, "staff:underwriter,staff:underwriter2", got.ApprovedBy)
}

func TestRejectNeedsAReason(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusSubmitted, "2000", time.Hour)
	b := e.signedIn(underwriter)
	form := b.openLoan(l.Ref)
	form.Set("reason", "   ")
	res := b.post(loanURL(l.Ref)+"/reject", form)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "fix the highlighted field")
	has(t, res.Body.String(), `<div class="err">Required.</div>`)
	require.Empty(t, e.engine.updateNames())
	require.Equal(t, models.OutcomeRefused, e.lastEvent(actionReject).Outcome)

	form.Set("reason", "Income could not be verified")
	res = b.post(loanURL(l.Ref)+"/reject", form)
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "is rejected.")
	got := e.loan(l.Ref)
	require.Equal(t, models.StatusRejected, got.Status)
	require.Equal(t, "Income could not be verified", got.Reason)
	require.Equal(t, "SUBMITTED → REJECTED; reason: Income could not be verified", e.lastEvent(actionReject).Detail)
}

func TestRejectDocuments(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusDocumentsSubmitted, "2000", time.Hour)
	doc := e.addDocument(l.Ref, models.DocBankStatement, "statement.png", pngBytes)
	b := e.signedIn(operations)
	form := b.openLoan(l.Ref)
	res := b.post(loanURL(l.Ref)+"/documents/reject", form)
	require.Equal(t, http.StatusBadRequest, res.Code, "a reason is required")
	has(t, res.Body.String(), `<div class="err">Required.</div>`)

	form.Set("doc_reason", "The statement is older than three months")
	res = b.post(loanURL(l.Ref)+"/documents/reject", form)
	require.Equal(t, http.StatusSeeOther, res.Code)
	page := b.follow(res)
	has(t, page, "are rejected. The loan is back to Approved")
	has(t, page, `<span class="badge bad">rejected</span>`, "the document is marked rejected")
	has(t, page, `<strong>Documents rejected</strong> by operations`)
	has(t, page, "The statement is older than three months")
	require.Equal(t, models.StatusApproved, e.loan(l.Ref).Status)
	stored, err := e.store.GetDocument(context.Background(), l.Ref, doc.ID)
	require.NoError(t, err)
	require.Equal(t, models.DocStatusRejected, stored.Status)
}

func TestAuthorizeCashRelease(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusDocumentsSubmitted, "2000", time.Hour)
	e.setApprovedBy(l.Ref, "staff:underwriter")
	b := e.signedIn(operations)
	res := b.post(loanURL(l.Ref)+"/cash-release/authorize", b.openLoan(l.Ref))
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "Cash release of loan "+ref(l)+" is authorized.")
	got := e.loan(l.Ref)
	require.Equal(t, models.StatusCashReleaseAuthorized, got.Status)
	require.Equal(t, "staff:operations", got.CashReleaseAuthorizedBy)
}

// TestSegregationOfDuties: an underwriter who approved a loan and has since
// moved to operations sees why they cannot authorize its release, and a
// forced attempt is refused by the workflow and audited.
func TestSegregationOfDuties(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusDocumentsSubmitted, "2000", time.Hour)
	e.setApprovedBy(l.Ref, "staff:underwriter2")
	ev := &models.ConsoleEvent{At: testStart, Actor: "admin", Action: actionChangeRole, Outcome: models.OutcomeOK}
	require.NoError(t, e.store.SetStaffRole(context.Background(), e.staff("underwriter2").ID, models.RoleOperations, ev))

	b := e.signedIn(underwriter2)
	form := b.openLoan(l.Ref)
	has(t, b.last, `id="sod"`)
	has(t, b.last, "You approved this loan, so you may not authorize its cash release.")
	has(t, b.last, `id="authorize" disabled`)

	res := b.post(loanURL(l.Ref)+"/cash-release/authorize", form)
	require.Equal(t, http.StatusForbidden, res.Code)
	has(t, res.Body.String(), "Not allowed: segregation of duties: whoever approved a loan may not authorize its cash release.")
	require.Equal(t, models.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
	last := e.lastEvent(actionAuthorizeRelease)
	require.Equal(t, models.OutcomeDenied, last.Outcome)
	require.Equal(t, "underwriter2", last.Actor)

	// A colleague who did not approve it may.
	ops := e.signedIn(operations)
	res = ops.post(loanURL(l.Ref)+"/cash-release/authorize", ops.openLoan(l.Ref))
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.Equal(t, models.StatusCashReleaseAuthorized, e.loan(l.Ref).Status)
}

func TestStalePage(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusSubmitted, "2000", time.Hour)
	mine := e.signedIn(underwriter)
	stale := mine.openLoan(l.Ref)
	stale.Set("reason", "Too risky")

	colleague := e.signedIn(underwriter2)
	require.Equal(t, http.StatusSeeOther, colleague.post(loanURL(l.Ref)+"/approve", colleague.openLoan(l.Ref)).Code)

	for _, action := range []string{"/approve", "/reject"} {
		t.Run(action, func(t *testing.T) {
			res := mine.post(loanURL(l.Ref)+action, stale)
			require.Equal(t, http.StatusConflict, res.Code)
			page := res.Body.String()
			has(t, page, "Nothing was done: loan "+ref(l)+" changed while your page was open. It is now Approved (your page showed Submitted).")
			has(t, page, `data-status="APPROVED"`, "the current state is shown")
			if action == "/reject" {
				has(t, page, "The reason you typed, not used: “Too risky”.")
			}
		})
	}
	require.Len(t, e.engine.updateNames(), 1, "only the colleague's approval reached the workflow")
	require.Contains(t, e.lastEvent(actionReject).Detail, "stale page")
}

func TestWorkflowRefusalsAreExplained(t *testing.T) {
	cases := []struct {
		name    string
		err     error
		status  int
		outcome string
		message string
	}{
		{"illegal transition", &api.EngineError{Kind: api.KindConflict, Message: "cannot approve a loan in status EXPIRED"},
			http.StatusConflict, models.OutcomeRefused, "Nothing was done: the loan has moved on (cannot approve a loan in status EXPIRED)."},
		{"closed workflow", &api.EngineError{Kind: api.KindConflict, Message: "the loan is closed to further changes"},
			http.StatusConflict, models.OutcomeRefused, "the loan is closed to further changes"},
		{"outage", &api.EngineError{Kind: api.KindUnavailable, Message: "the loan engine is unavailable, retry later", Err: errors.New("dial tcp: refused")},
			http.StatusServiceUnavailable, models.OutcomeFailed, "may or may not have been applied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			l := e.insertLoan(models.StatusSubmitted, "2000", time.Hour)
			b := e.signedIn(underwriter)
			form := b.openLoan(l.Ref)
			e.engine.fail = tc.err
			res := b.post(loanURL(l.Ref)+"/approve", form)
			require.Equal(t, tc.status, res.Code)
			has(t, res.Body.String(), tc.message)
			lacks(t, res.Body.String(), "dial tcp")
			require.Equal(t, tc.outcome, e.lastEvent(actionApprove).Outcome)
		})
	}
}

func TestDoubleSubmitActsOnce(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan(models.StatusDocumentsSubmitted, "2000", time.Hour)
	b := e.signedIn(operations)
	form := b.openLoan(l.Ref)
	form.Set("doc_reason", "Blurry scan")
	require.Equal(t, http.StatusSeeOther, b.post(loanURL(l.Ref)+"/documents/reject", form).Code)
	require.NotEmpty(t, form.Get("nonce"))
	// The Update carried the form's nonce as its ID, so a replay of the same
	// form is de-duplicated by the engine, not applied twice.
	e.engine.mu.Lock()
	_, recorded := e.engine.results[ref(l)+"/console-"+form.Get("nonce")]
	e.engine.mu.Unlock()
	require.True(t, recorded)
}

func TestActionOnUnknownLoan(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(underwriter)
	b.get(Prefix + "/loans")
	res := b.post(Prefix+"/loans/777777/approve", url.Values{"seen": {"SUBMITTED"}})
	require.Equal(t, http.StatusNotFound, res.Code)
	require.Equal(t, models.OutcomeRefused, e.lastEvent(actionApprove).Outcome)
	require.Empty(t, e.engine.updateNames())
}
