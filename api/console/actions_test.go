package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
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
	l := e.loanIn(lending.StatusSubmitted, "2000", time.Hour)
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

	got := e.loan(l.Ref)
	require.Equal(t, lending.StatusApproved, got.Status)
	require.Equal(t, "staff:underwriter", got.ApprovedBy)
	ev := e.lastEvent(actionApprove)
	require.Equal(t, models.OutcomeOK, ev.Outcome)
	require.Equal(t, "underwriter", ev.Actor)
	require.Equal(t, "loan "+ref(l), ev.Target)
	require.Equal(t, "SUBMITTED → APPROVED", ev.Detail)
	require.Equal(t, []lending.Action{lending.ActionSubmit, lending.ActionApprove}, e.trail(l.Ref))
	trail, err := e.store.AuditTrail(context.Background(), l.Ref)
	require.NoError(t, err)
	require.Equal(t, lending.StaffActor("underwriter"), trail[len(trail)-1].Actor, "the workflow's audit trail names the person")
}

func TestFourEyes(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "45000", time.Hour) // above the 30,000 threshold
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
	require.Equal(t, lending.StatusSubmitted, e.loan(l.Ref).Status)

	second := e.signedIn(underwriter2)
	res = second.act(l.Ref, "/approve")
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, second.follow(res), "is approved.")
	got := e.loan(l.Ref)
	require.Equal(t, lending.StatusApproved, got.Status)
	require.Equal(t, "staff:underwriter,staff:underwriter2", got.ApprovedBy)
	require.Equal(t, []lending.Action{lending.ActionSubmit, lending.ActionApproveFirst, lending.ActionApprove}, e.trail(l.Ref))
}

// TestSameUnderwriterCannotApproveTwice: the console no longer checks four
// eyes itself. An underwriter who forces a second approval of their own
// (the button is disabled, the form is still on the page) reaches the
// workflow, whose refusal the console shows as any other 403.
func TestSameUnderwriterCannotApproveTwice(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "45000", time.Hour)
	b := e.signedIn(underwriter)
	res := b.act(l.Ref, "/approve")
	require.Equal(t, http.StatusSeeOther, res.Code)

	// A fresh page, so a fresh form: a new approval, not a replay.
	res = b.act(l.Ref, "/approve")
	require.Equal(t, http.StatusForbidden, res.Code)
	page := res.Body.String()
	has(t, page, "Not allowed: this loan needs a second approval from a different underwriter.")
	has(t, page, `data-status="SUBMITTED"`, "the loan is shown as it is")
	has(t, page, "Approvals so far: 1 of 2 (underwriter)")
	ev := e.lastEvent(actionApprove)
	require.Equal(t, models.OutcomeDenied, ev.Outcome)
	require.Equal(t, "underwriter", ev.Actor)

	got := e.loan(l.Ref)
	require.Equal(t, lending.StatusSubmitted, got.Status)
	require.Equal(t, "staff:underwriter", got.ApprovedBy, "still one approval")
	require.Equal(t, []lending.Action{lending.ActionSubmit, lending.ActionApproveFirst}, e.trail(l.Ref))
}

func TestRejectNeedsAReason(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "2000", time.Hour)
	b := e.signedIn(underwriter)
	form := b.openLoan(l.Ref)
	form.Set("reason", "   ")
	res := b.post(loanURL(l.Ref)+"/reject", form)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "fix the highlighted field")
	has(t, res.Body.String(), `<div class="err">Required.</div>`)
	require.Equal(t, models.OutcomeRefused, e.lastEvent(actionReject).Outcome)
	require.Equal(t, lending.StatusSubmitted, e.loan(l.Ref).Status)
	require.NotContains(t, e.trail(l.Ref), lending.ActionReject)

	form.Set("reason", "Income could not be verified")
	res = b.post(loanURL(l.Ref)+"/reject", form)
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "is rejected.")
	got := e.loan(l.Ref)
	require.Equal(t, lending.StatusRejected, got.Status)
	require.Equal(t, "Income could not be verified", got.Reason)
	require.Equal(t, "SUBMITTED → REJECTED; reason: Income could not be verified", e.lastEvent(actionReject).Detail)
}

func TestRejectDocuments(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusApproved, "2000", time.Hour)
	e.upload(l.Ref, lending.DocSignedAgreement, "agreement.pdf", testkit.PDF())
	statement := e.upload(l.Ref, lending.DocBankStatement, "statement.png", pngBytes)
	require.Equal(t, lending.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
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
	require.Equal(t, lending.StatusApproved, e.loan(l.Ref).Status)
	stored, err := e.store.GetDocument(context.Background(), l.Ref, statement.ID)
	require.NoError(t, err)
	require.Equal(t, lending.DocStatusRejected, stored.Status)
}

func TestAuthorizeCashRelease(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusDocumentsSubmitted, "2000", time.Hour)
	b := e.signedIn(operations)
	res := b.act(l.Ref, "/cash-release/authorize")
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "Cash release of loan "+ref(l)+" is authorized.")
	got := e.loan(l.Ref)
	require.Equal(t, lending.StatusCashReleaseAuthorized, got.Status)
	require.Equal(t, lending.StaffActor("operations"), got.CashReleaseAuthorizedBy)
}

// TestSegregationOfDuties: an underwriter who approved a loan and has since
// moved to operations sees why they cannot authorize its release, and a
// forced attempt is refused by the workflow and audited.
func TestSegregationOfDuties(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "2000", time.Hour)
	e.approve(l.Ref, underwriter2)
	for _, kind := range lending.RequiredDocuments {
		e.upload(l.Ref, kind, string(kind)+".pdf", testkit.PDF())
	}
	require.Equal(t, lending.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
	ev := &models.ConsoleEvent{At: testkit.Start, Actor: "admin", Action: actionChangeRole, Outcome: models.OutcomeOK}
	require.NoError(t, e.store.SetStaffRole(context.Background(), e.staff(underwriter2).ID, lending.RoleOperations, ev))

	b := e.signedIn(underwriter2)
	form := b.openLoan(l.Ref)
	has(t, b.last, `id="sod"`)
	has(t, b.last, "You approved this loan, so you may not authorize its cash release.")
	has(t, b.last, `id="authorize" disabled`)

	res := b.post(loanURL(l.Ref)+"/cash-release/authorize", form)
	require.Equal(t, http.StatusForbidden, res.Code)
	has(t, res.Body.String(), "Not allowed: segregation of duties: whoever approved a loan may not authorize its cash release.")
	require.Equal(t, lending.StatusDocumentsSubmitted, e.loan(l.Ref).Status)
	last := e.lastEvent(actionAuthorizeRelease)
	require.Equal(t, models.OutcomeDenied, last.Outcome)
	require.Equal(t, "underwriter2", last.Actor)

	// A colleague who did not approve it may.
	ops := e.signedIn(operations)
	res = ops.act(l.Ref, "/cash-release/authorize")
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.Equal(t, lending.StatusCashReleaseAuthorized, e.loan(l.Ref).Status)
}

func TestStalePage(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "2000", time.Hour)
	mine := e.signedIn(underwriter)
	stale := mine.openLoan(l.Ref)
	stale.Set("reason", "Too risky")

	colleague := e.signedIn(underwriter2)
	require.Equal(t, http.StatusSeeOther, colleague.act(l.Ref, "/approve").Code)

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
	require.Equal(t, []lending.Action{lending.ActionSubmit, lending.ActionApprove}, e.trail(l.Ref), "only the colleague's approval was applied")
	require.Equal(t, "staff:underwriter2", e.loan(l.Ref).ApprovedBy)
	require.Contains(t, e.lastEvent(actionReject).Detail, "stale page")
}

// TestWorkflowRefusalsAreExplained posts forms the page would not offer
// (the loan is past the decision, but the page was not stale) and one
// while the loan engine is down.
func TestWorkflowRefusalsAreExplained(t *testing.T) {
	cases := []struct {
		name    string
		status  lending.Status // the loan's, and the form's
		down    error          // the engine's answer to every call
		code    int
		outcome string
		message string // a regular expression
	}{
		{"illegal transition", lending.StatusApproved, nil, http.StatusConflict, models.OutcomeRefused,
			`Nothing was done: the loan has moved on \(cannot approve a loan in status APPROVED\)\.`},
		// The workflow ends soon after the rejection; until it has, it
		// refuses the Update itself.
		{"ended loan", lending.StatusRejected, nil, http.StatusConflict, models.OutcomeRefused,
			`Nothing was done: the loan has moved on \((the loan is closed to further changes|cannot approve a loan in status REJECTED)\)\.`},
		{"outage", lending.StatusSubmitted, failure.Unavailable(errors.New("dial tcp 127.0.0.1:7233: connect: connection refused")),
			http.StatusServiceUnavailable, models.OutcomeFailed, `may or may not have been applied`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			l := e.loanIn(tc.status, "2000", time.Hour)
			before := e.loan(l.Ref)
			trail := e.trail(l.Ref)
			b := e.signedIn(underwriter)
			b.openLoan(l.Ref)
			form := url.Values{"seen": {string(tc.status)}, "nonce": {"a-form-the-page-did-not-offer"}}
			if tc.down != nil {
				e.engineDown(tc.down)
			}
			res := b.post(loanURL(l.Ref)+"/approve", form)
			require.Equal(t, tc.code, res.Code)
			require.True(t, regexp.MustCompile(tc.message).MatchString(res.Body.String()), "the page lacks %s", tc.message)
			lacks(t, res.Body.String(), "dial tcp")
			require.Equal(t, tc.outcome, e.lastEvent(actionApprove).Outcome)
			after := e.loan(l.Ref)
			require.Equal(t, before.Status, after.Status)
			require.Equal(t, before.ApprovedBy, after.ApprovedBy)
			require.Equal(t, trail, e.trail(l.Ref))
		})
	}
}

// TestDoubleSubmitActsOnce: the form's nonce is the Update's ID, so the
// same form sent twice (a double click, a resent request) is one approval
// and both answers say so, where a second approval by the same underwriter
// would be refused.
func TestDoubleSubmitActsOnce(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "45000", time.Hour)
	b := e.signedIn(underwriter)
	form := b.openLoan(l.Ref)
	require.NotEmpty(t, form.Get("nonce"))
	for i := range 2 {
		res := b.post(loanURL(l.Ref)+"/approve", form)
		require.Equal(t, http.StatusSeeOther, res.Code, "submission %d: %s", i+1, res.Body.String())
		has(t, b.follow(res), "Your approval of loan "+ref(l)+" is recorded.")
	}
	require.Equal(t, "staff:underwriter", e.loan(l.Ref).ApprovedBy)
	require.Equal(t, []lending.Action{lending.ActionSubmit, lending.ActionApproveFirst}, e.trail(l.Ref))
}

func TestActionOnUnknownLoan(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(underwriter)
	b.get(Prefix + "/loans")
	res := b.post(Prefix+"/loans/777777/approve", url.Values{"seen": {"SUBMITTED"}})
	require.Equal(t, http.StatusNotFound, res.Code)
	has(t, res.Body.String(), "There is no loan here")
	require.Equal(t, models.OutcomeRefused, e.lastEvent(actionApprove).Outcome)
}
