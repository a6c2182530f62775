package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/workflows"
)

var acts *activities.Activities

// start is the workflow clock's origin in every test.
var start = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func product() lending.Product {
	return lending.Product{
		Code: "consumer", Currency: "MDL", CurrencyDecimals: 2,
		MinAmount: decimal.RequireFromString("1000"), MaxAmount: decimal.RequireFromString("50000"),
		MinTermMonths: 3, MaxTermMonths: 36, AnnualInterestRate: decimal.RequireFromString("36"),
		DisbursementFeePercent: decimal.Zero, MonthlyFeePercent: decimal.Zero,
		MinAge: 18, MaxAgeAtMaturity: 70, MaxOpenLoans: 2, CashReleaseWindowDays: 30,
		FourEyesThreshold: decimal.RequireFromString("30000"), Ledger: "none", Lender: "self",
	}
}

func input(amount string, months int) *workflows.LoanInput {
	return &workflows.LoanInput{
		Ref: 90001, PartnerID: 1, Partner: "demo", Product: product(),
		Amount: decimal.RequireFromString(amount), TermMonths: months,
		Applicant: workflows.ApplicantFacts{
			IdentityNumber: "I12356789T", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
			MobilePhone: "0123456789", HomePhone: "012345678", AltContactPhone: "0987654321",
		},
		SubmittedAt: start,
		ApprovalTTL: 7 * 24 * time.Hour,
	}
}

// harness runs one LoanWorkflow with stubbed activities that record what
// the workflow asked them to persist.
type harness struct {
	t   *testing.T
	env *testsuite.TestWorkflowEnvironment

	mu          sync.Mutex
	transitions []activities.Transition
	repayments  []activities.RepaymentInput
	servicing   []activities.ServicingInput // the account's snapshots, in order
	screenCodes []string
	failRecord  int      // fail this many RecordTransition calls first
	ledger      []string // the ledger postings, as "kind key amount"
	ledgerFail  map[string]error
	ledgerDates map[string]string // repayment key -> the date posted to the ledger
	lender      []string          // the calls to the lender
	decisions   []string          // what the lender answers, in turn; then approved
	releases    []bool            // likewise for the cash release; then true
	slowTo      lending.Status    // a transition to this status takes a minute to persist
}

func newHarness(t *testing.T) *harness {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: workflows.LoanWorkflowName})
	env.RegisterActivity(acts)
	h := &harness{t: t, env: env}
	env.OnActivity(acts.Screen, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ScreenInput) ([]string, error) { return h.screenCodes, nil })
	// record keeps a transition as the database would; only RecordTransition
	// calls fail, the first failRecord of them.
	record := func(tr activities.Transition, mayFail bool) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		if mayFail && h.failRecord > 0 {
			h.failRecord--
			return errors.New("database unavailable")
		}
		h.transitions = append(h.transitions, tr)
		return nil
	}
	// A transition to slowTo takes a minute to persist (the harness sets it
	// before running).
	env.OnActivity(acts.RecordTransition, mock.Anything, mock.MatchedBy(func(tr activities.Transition) bool {
		return h.slowTo != "" && tr.To == h.slowTo
	})).After(time.Minute).Return(func(_ context.Context, tr activities.Transition) error { return record(tr, false) })
	env.OnActivity(acts.RecordTransition, mock.Anything, mock.Anything).Return(
		func(_ context.Context, tr activities.Transition) error { return record(tr, true) })
	recordServicing := func(_ context.Context, in activities.ServicingInput) error {
		h.mu.Lock()
		h.servicing = append(h.servicing, in)
		h.mu.Unlock()
		if in.Transition != nil {
			return record(*in.Transition, false)
		}
		return nil
	}
	env.OnActivity(acts.RecordServicing, mock.Anything, mock.MatchedBy(func(in activities.ServicingInput) bool {
		return h.slowTo != "" && in.Transition != nil && in.Transition.To == h.slowTo
	})).After(time.Minute).Return(recordServicing)
	env.OnActivity(acts.RecordServicing, mock.Anything, mock.Anything).Return(recordServicing)
	env.OnActivity(acts.Activate, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ActivateInput) (*activities.ActivateResult, error) {
			s, err := in.Product.Quote(in.Amount, in.TermMonths, in.DisbursedOn)
			if err != nil {
				return nil, err
			}
			if err := record(in.Transition, false); err != nil {
				return nil, err
			}
			return &activities.ActivateResult{Periods: s.Periods, TotalRepayable: s.TotalRepayment, APR: s.APR}, nil
		})
	post := func(kind string, in activities.LedgerInput) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := h.ledgerFail[kind]; err != nil {
			if !temporal.IsApplicationError(err) || !isNonRetryable(err) {
				delete(h.ledgerFail, kind) // a transient failure: the retry succeeds
			}
			return err
		}
		h.ledger = append(h.ledger, strings.TrimSpace(fmt.Sprintf("%s %s %s %s", kind, in.LedgerLoanID, in.Key, amountOf(in.Amount))))
		if kind == "repay" {
			if h.ledgerDates == nil {
				h.ledgerDates = map[string]string{}
			}
			h.ledgerDates[in.Key] = in.Date.Format(time.DateOnly)
		}
		return nil
	}
	env.OnActivity(acts.LedgerBook, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LedgerInput) (string, error) { return "L-77", post("book", in) })
	env.OnActivity(acts.LedgerDisburse, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LedgerInput) error { return post("disburse", in) })
	env.OnActivity(acts.LedgerRepay, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LedgerInput) error { return post("repay", in) })
	env.OnActivity(acts.LedgerReconcile, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LedgerInput) (int, error) { return 0, post("reconcile", in) })
	env.OnActivity(acts.LedgerServicing, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LedgerServicingInput) error {
			return post(in.Kind, activities.LedgerInput{LedgerLoanID: in.LedgerLoanID, Key: in.Key, Amount: in.Amount, Date: in.Date})
		})
	call := func(what string) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.lender = append(h.lender, what)
	}
	env.OnActivity(acts.IuteSubmit, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) (string, error) { call("submit"); return "7001", nil })
	env.OnActivity(acts.IuteDecision, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) (*activities.LenderDecision, error) {
			call("decision " + in.LenderLoanID)
			h.mu.Lock()
			defer h.mu.Unlock()
			d := activities.DecisionApproved
			if len(h.decisions) > 0 {
				d, h.decisions = h.decisions[0], h.decisions[1:]
			}
			return &activities.LenderDecision{Decision: d, Message: "rejected by Iute Credit"}, nil
		})
	env.OnActivity(acts.IuteAgreement, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) (uint, error) { call("agreement"); return 50, nil })
	env.OnActivity(acts.IuteUploadFiles, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error {
			call(fmt.Sprintf("upload %d %d", in.Documents[lending.DocSignedAgreement], in.Documents[lending.DocBankStatement]))
			return nil
		})
	env.OnActivity(acts.IuteCashRelease, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) (bool, error) {
			call("cash-release?")
			h.mu.Lock()
			defer h.mu.Unlock()
			ok := true
			if len(h.releases) > 0 {
				ok, h.releases = h.releases[0], h.releases[1:]
			}
			return ok, nil
		})
	env.OnActivity(acts.IuteConfirm, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error { call("confirm"); return nil })
	env.OnActivity(acts.IuteCancel, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error { call("cancel"); return nil })
	env.OnActivity(acts.IuteRepay, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error {
			call(fmt.Sprintf("repay %s after %s", in.Amount.StringFixed(2), in.RepaidBefore.StringFixed(2)))
			return nil
		})
	env.OnActivity(acts.RecordRepayment, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RepaymentInput) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.repayments = append(h.repayments, in)
			return nil
		})
	return h
}

// outcome is what one Update call came back with.
type outcome struct {
	rejected error // the validator refused: nothing was written to history
	err      error // the handler failed
	view     *workflows.LoanView
	done     bool
}

// send issues an Update at the given offset from the start.
func (h *harness) send(at time.Duration, name, id string, arg any) *outcome {
	return h.sendWith(at, name, id, func() any { return arg })
}

// sendWith is send with an argument made when the Update is sent, from what
// the test learnt by then.
func (h *harness) sendWith(at time.Duration, name, id string, argOf func() any) *outcome {
	o := &outcome{}
	h.env.RegisterDelayedCallback(func() {
		arg := argOf()
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { o.rejected = err; o.done = true },
			OnComplete: func(v any, err error) {
				o.err, o.done = err, true
				if view, ok := v.(*workflows.LoanView); ok {
					o.view = view
				}
			},
		}, arg)
	}, at)
	return o
}

// statusAt queries the loan's status at the given offset.
func (h *harness) statusAt(at time.Duration) *lending.Status {
	s := new(lending.Status)
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow(workflows.QueryStatus)
		require.NoError(h.t, err)
		var view workflows.LoanView
		require.NoError(h.t, v.Get(&view))
		*s = view.Status
	}, at)
	return s
}

func (h *harness) run(in *workflows.LoanInput) *workflows.LoanView {
	h.env.ExecuteWorkflow(workflows.LoanWorkflowName, in)
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var view workflows.LoanView
	require.NoError(h.t, h.env.GetWorkflowResult(&view))
	return &view
}

// booked lists the keys of the repayments recorded, in order.
func (h *harness) booked() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var keys []string
	for _, r := range h.repayments {
		keys = append(keys, r.Key)
	}
	for _, sv := range h.servicing {
		for _, tx := range sv.Transactions {
			if tx.Kind == lending.TxRepayment {
				keys = append(keys, tx.Key)
			}
		}
	}
	return keys
}

func (h *harness) statuses() []lending.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []lending.Status
	for _, tr := range h.transitions {
		out = append(out, tr.To)
	}
	return out
}

func ok(t *testing.T, o *outcome) *workflows.LoanView {
	t.Helper()
	require.True(t, o.done, "update never completed")
	require.NoError(t, o.rejected)
	require.NoError(t, o.err)
	require.NotNil(t, o.view)
	return o.view
}

func errType(t *testing.T, err error) string {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "not an application error: %v", err)
	return appErr.Type()
}

// restAfter is what is left of the test loan's schedule once paid has been
// repaid: paying it closes the loan (more would leave it overpaid).
func restAfter(t *testing.T, paid string) decimal.Decimal {
	return expectedSchedule(t, "2000.00", 6).TotalRepayment.Sub(decimal.RequireFromString(paid))
}

// expectedSchedule is the schedule of a loan paid out at the test's start.
func expectedSchedule(t *testing.T, amount string, months int) *schedule.Schedule {
	s, err := product().Quote(decimal.RequireFromString(amount), months, start)
	require.NoError(t, err)
	return s
}

func converterGet(can *workflow.ContinueAsNewError, into any) error {
	return converter.GetDefaultDataConverter().FromPayloads(can.Input, into)
}

func staff(name string) workflows.DecisionRequest {
	return workflows.DecisionRequest{Actor: lending.StaffActor(name)}
}

// walkToActive schedules the steps from submission to pay-out, an hour apart.
func walkToActive(h *harness) (payout *outcome) {
	h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(3*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	h.send(4*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth", staff("ops"))
	return h.send(5*time.Hour, workflows.UpdateConfirmDisbursement, "disburse", workflows.DisbursementRequest{Actor: "partner:demo"})
}

func TestWholeLoanRepaidInstallmentByInstallment(t *testing.T) {
	h := newHarness(t)
	payout := walkToActive(h)
	quote := expectedSchedule(t, "2000.00", 6)
	// Pay each of the 6 installments a day before its due date.
	var pays []*outcome
	for i, p := range quote.Periods {
		at := p.DueDate.Add(-12 * time.Hour).Sub(start)
		key := fmt.Sprintf("pay-%d", i+1)
		pays = append(pays, h.send(at, workflows.UpdateRepay, key,
			workflows.RepaymentRequest{Actor: "partner:demo", Key: key, Amount: p.Total}))
	}
	final := h.run(input("2000.00", 6))

	active := ok(t, payout)
	require.Equal(t, lending.StatusActive, active.Status)
	require.Len(t, active.Installments, 6)
	require.Equal(t, "2026-04-10", active.Installments[0].DueDate.Format(time.DateOnly))
	require.True(t, active.Installments[0].Total.Equal(quote.Periods[0].Total))
	for _, p := range pays[:5] {
		require.Equal(t, lending.StatusActive, ok(t, p).Status)
	}
	require.Equal(t, lending.StatusClosed, final.Status)
	require.True(t, final.Remaining.IsZero(), final.Remaining.String())
	require.True(t, final.Repaid.Equal(final.TotalRepayable))
	require.Equal(t, []lending.Status{
		lending.StatusSubmitted, lending.StatusApproved, lending.StatusApproved, lending.StatusDocumentsSubmitted,
		lending.StatusCashReleaseAuthorized, lending.StatusActive, lending.StatusClosed,
	}, h.statuses())
	require.Len(t, h.booked(), 6)
	require.True(t, final.Overpaid.IsZero())
}

func TestAutoRejectEndsTheLoanWithReasonCodes(t *testing.T) {
	h := newHarness(t)
	h.screenCodes = []string{lending.ReasonUnderAge, lending.ReasonTermOutOfRange}
	view := h.run(input("2000.00", 6))
	require.Equal(t, lending.StatusAutoRejected, view.Status)
	require.Equal(t, []string{lending.ReasonUnderAge, lending.ReasonTermOutOfRange}, view.ReasonCodes)
	require.Equal(t, []lending.Status{lending.StatusSubmitted, lending.StatusAutoRejected}, h.statuses())
}

func TestUnderwriterRejectsWithAReason(t *testing.T) {
	h := newHarness(t)
	noReason := h.send(time.Hour, workflows.UpdateReject, "r1", staff("u1"))
	rejected := h.send(2*time.Hour, workflows.UpdateReject, "r2", workflows.DecisionRequest{Actor: "staff:u1", Reason: "income not proven"})
	view := h.run(input("2000.00", 6))
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, noReason.rejected))
	require.Equal(t, lending.StatusRejected, ok(t, rejected).Status)
	require.Equal(t, "income not proven", view.Reason)
}

func TestPartnerCancels(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after func(h *harness)
	}{
		{"from SUBMITTED", func(h *harness) {}},
		{"from APPROVED", func(h *harness) { h.send(time.Hour, workflows.UpdateApprove, "a", staff("u1")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.after(h)
			h.send(2*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
			require.Equal(t, lending.StatusCancelled, h.run(input("2000.00", 6)).Status)
		})
	}
}

func TestApprovalSLAExpiresTheApplication(t *testing.T) {
	h := newHarness(t)
	before := h.statusAt(7*24*time.Hour - time.Minute)
	view := h.run(input("2000.00", 6))
	require.Equal(t, lending.StatusSubmitted, *before)
	require.Equal(t, lending.StatusExpired, view.Status)
	require.Equal(t, []lending.Status{lending.StatusSubmitted, lending.StatusExpired}, h.statuses())
	require.Equal(t, start.Add(7*24*time.Hour), h.transitions[1].At)
}

func TestCashNotPaidOutInTheWindowExpires(t *testing.T) {
	h := newHarness(t)
	h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(3*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	h.send(4*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth", staff("ops"))
	late := h.send(4*time.Hour+30*24*time.Hour+time.Minute, workflows.UpdateConfirmDisbursement, "disburse", workflows.DisbursementRequest{Actor: "partner:demo"})
	view := h.run(input("2000.00", 6))
	require.Equal(t, lending.StatusExpired, view.Status)
	require.Equal(t, "cash not paid out within the release window", view.Reason)
	// The workflow has ended: the late confirmation never reached a handler.
	require.False(t, late.done && late.err == nil && late.rejected == nil)
}

func TestRejectedDocumentsGoBackForReupload(t *testing.T) {
	h := newHarness(t)
	h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
	h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(3*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	back := h.send(4*time.Hour, workflows.UpdateRejectDocuments, "rd", workflows.DecisionRequest{Actor: "staff:ops", Reason: "signature missing"})
	onlyOne := h.send(5*time.Hour, workflows.UpdateSubmitDocument, "doc-3", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 3})
	both := h.send(6*time.Hour, workflows.UpdateSubmitDocument, "doc-4", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 4})
	h.send(7*time.Hour, workflows.UpdateRejectDocuments, "rd2", workflows.DecisionRequest{Actor: "staff:ops", Reason: "still blurred"})
	h.send(8*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
	h.run(input("2000.00", 6))

	require.Equal(t, lending.StatusApproved, ok(t, back).Status)
	require.Empty(t, ok(t, back).Documents)
	require.Equal(t, lending.StatusApproved, ok(t, onlyOne).Status)
	require.Equal(t, lending.StatusDocumentsSubmitted, ok(t, both).Status)
	require.Equal(t, map[lending.DocumentKind]uint{lending.DocSignedAgreement: 3, lending.DocBankStatement: 4}, ok(t, both).Documents)
	require.True(t, h.transitions[4].RejectDocuments)
}

func TestSegregationOfDutiesAndFourEyes(t *testing.T) {
	t.Run("the approver may not authorize the cash release", func(t *testing.T) {
		h := newHarness(t)
		h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
		h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
		h.send(3*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
		self := h.send(4*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth", staff("u1"))
		other := h.send(5*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth2", staff("ops"))
		h.send(6*time.Hour+31*24*time.Hour, workflows.UpdateCancel, "noop", workflows.DecisionRequest{Actor: "partner:demo"})
		h.run(input("2000.00", 6))
		require.Equal(t, workflows.ErrTypeForbidden, errType(t, self.rejected))
		require.Equal(t, lending.StatusCashReleaseAuthorized, ok(t, other).Status)
		require.Equal(t, lending.Actor("staff:ops"), ok(t, other).CashReleaseAuthorizedBy)
	})
	t.Run("above the threshold two different underwriters approve", func(t *testing.T) {
		h := newHarness(t)
		first := h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
		again := h.send(2*time.Hour, workflows.UpdateApprove, "approve-u1-again", staff("u1"))
		second := h.send(3*time.Hour, workflows.UpdateApprove, "approve-u2", staff("u2"))
		h.send(4*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		h.run(input("40000.00", 12))
		require.Equal(t, lending.StatusSubmitted, ok(t, first).Status)
		require.Equal(t, workflows.ErrTypeForbidden, errType(t, again.rejected))
		require.Equal(t, lending.StatusApproved, ok(t, second).Status)
		require.Equal(t, []lending.Actor{"staff:u1", "staff:u2"}, ok(t, second).Approvals)
		require.Equal(t, "staff:u1,staff:u2", *h.transitions[2].ApprovedBy)
	})
}

func TestIllegalTransitionsAreRejectedBeforeHistory(t *testing.T) {
	for _, tc := range []struct {
		name, update string
		arg          any
	}{
		{"repay before pay-out", workflows.UpdateRepay, workflows.RepaymentRequest{Actor: "partner:demo", Key: "k", Amount: decimal.NewFromInt(10)}},
		{"authorize before documents", workflows.UpdateAuthorizeCashRelease, staff("ops")},
		{"pay out before authorization", workflows.UpdateConfirmDisbursement, workflows.DisbursementRequest{Actor: "partner:demo"}},
		{"reject documents never submitted", workflows.UpdateRejectDocuments, workflows.DecisionRequest{Actor: "staff:ops", Reason: "x"}},
		{"signed agreement before approval", workflows.UpdateSubmitDocument, workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 9}},
		{"unknown document kind", workflows.UpdateSubmitDocument, workflows.DocumentRequest{Actor: "partner:demo", Kind: "selfie", DocumentID: 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			o := h.send(time.Hour, tc.update, "u", tc.arg)
			h.send(2*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
			h.run(input("2000.00", 6))
			require.True(t, o.done)
			require.Error(t, o.rejected)
			require.Contains(t, []string{workflows.ErrTypeIllegalTransition, workflows.ErrTypeInvalid}, errType(t, o.rejected))
			require.Equal(t, []lending.Status{lending.StatusSubmitted, lending.StatusCancelled}, h.statuses())
		})
	}
	t.Run("cancel after documents are submitted", func(t *testing.T) {
		h := newHarness(t)
		h.send(1*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
		h.send(2*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
		h.send(3*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
		cancel := h.send(4*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		h.send(5*time.Hour, workflows.UpdateRejectDocuments, "rd", workflows.DecisionRequest{Actor: "staff:ops", Reason: "blurred"})
		h.send(6*time.Hour, workflows.UpdateCancel, "cancel-2", workflows.DecisionRequest{Actor: "partner:demo"})
		require.Equal(t, lending.StatusCancelled, h.run(input("2000.00", 6)).Status)
		require.Equal(t, workflows.ErrTypeIllegalTransition, errType(t, cancel.rejected))
	})
}

func TestArrearsAndBack(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	// Installment 1 is due 2026-04-10; on the 11th it is overdue.
	onDue := h.statusAt(time.Date(2026, 4, 10, 23, 0, 0, 0, time.UTC).Sub(start))
	dayAfter := h.statusAt(time.Date(2026, 4, 11, 1, 0, 0, 0, time.UTC).Sub(start))
	partial := h.send(time.Date(2026, 4, 12, 0, 0, 0, 0, time.UTC).Sub(start), workflows.UpdateRepay, "p1",
		workflows.RepaymentRequest{Actor: "partner:demo", Key: "p1", Amount: decimal.RequireFromString("100.00")})
	cured := h.send(time.Date(2026, 4, 13, 0, 0, 0, 0, time.UTC).Sub(start), workflows.UpdateRepay, "p2",
		workflows.RepaymentRequest{Actor: "partner:demo", Key: "p2", Amount: decimal.RequireFromString("300.00")})
	payoff := h.send(time.Date(2026, 4, 14, 0, 0, 0, 0, time.UTC).Sub(start), workflows.UpdateRepay, "p3",
		workflows.RepaymentRequest{Actor: "partner:demo", Key: "p3", Amount: restAfter(t, "400.00")})
	final := h.run(input("2000.00", 6))

	require.Equal(t, lending.StatusActive, *onDue)
	require.Equal(t, lending.StatusInArrears, *dayAfter)
	require.Equal(t, lending.StatusInArrears, ok(t, partial).Status)
	require.True(t, ok(t, partial).Installments[0].Paid.Equal(decimal.RequireFromString("100.00")))
	curedView := ok(t, cured)
	require.Equal(t, lending.StatusActive, curedView.Status)
	// 400 paid: installment 1 covered, the rest on installment 2, regardless of dates.
	first := expectedSchedule(t, "2000.00", 6).Periods[0].Total
	require.True(t, curedView.Installments[0].Paid.Equal(first))
	require.True(t, curedView.Installments[1].Paid.Equal(decimal.RequireFromString("400").Sub(first)), curedView.Installments[1].Paid.String())
	require.Equal(t, lending.StatusClosed, ok(t, payoff).Status)
	require.True(t, final.Overpaid.IsZero())
	require.True(t, final.Repaid.Equal(final.TotalRepayable))
	require.Contains(t, h.statuses(), lending.StatusInArrears)
}

func TestRepaymentRetryIsAppliedOnce(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	req := workflows.RepaymentRequest{Actor: "partner:demo", Key: "same", Amount: decimal.RequireFromString("100.00")}
	first := h.send(6*time.Hour, workflows.UpdateRepay, "repay-same", req)
	retry := h.send(7*time.Hour, workflows.UpdateRepay, "repay-same-retry", req)
	tooPrecise := h.send(8*time.Hour, workflows.UpdateRepay, "x", workflows.RepaymentRequest{Actor: "partner:demo", Key: "x", Amount: decimal.RequireFromString("1.001")})
	negative := h.send(8*time.Hour, workflows.UpdateRepay, "y", workflows.RepaymentRequest{Actor: "partner:demo", Key: "y", Amount: decimal.RequireFromString("-1")})
	h.send(9*time.Hour, workflows.UpdateRepay, "rest", workflows.RepaymentRequest{Actor: "partner:demo", Key: "rest", Amount: restAfter(t, "100.00")})
	h.run(input("2000.00", 6))
	require.True(t, ok(t, first).Repaid.Equal(decimal.RequireFromString("100")))
	require.True(t, ok(t, retry).Repaid.Equal(decimal.RequireFromString("100")))
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, tooPrecise.rejected))
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, negative.rejected))
	require.Equal(t, []string{"same", "rest"}, h.booked())
}

func TestTransitionRetriesUntilTheDatabaseAnswers(t *testing.T) {
	h := newHarness(t)
	h.failRecord = 3
	h.send(time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
	require.Equal(t, lending.StatusCancelled, h.run(input("2000.00", 6)).Status)
	// Seq is never reused: the failed attempts may have committed.
	require.Equal(t, 1, h.transitions[0].Seq)
	require.Equal(t, 2, h.transitions[1].Seq)
}

func TestLongLoanContinuesAsNewWithItsState(t *testing.T) {
	h := newHarness(t)
	walkToActive(h)
	h.send(6*time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: decimal.RequireFromString("50.00")})
	h.env.RegisterDelayedCallback(func() { h.env.SetCurrentHistoryLength(500) }, 5*time.Hour+30*time.Minute)
	in := input("2000.00", 6)
	in.HistoryLimit = 400
	h.env.ExecuteWorkflow(workflows.LoanWorkflowName, in)
	require.True(t, h.env.IsWorkflowCompleted())
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(h.env.GetWorkflowError(), &can), "want continue-as-new, got %v", h.env.GetWorkflowError())
	require.Equal(t, workflows.LoanWorkflowName, can.WorkflowType.Name)

	// The next run picks up the carried state and goes on to closure.
	var next workflows.LoanInput
	require.NoError(t, converterGet(can, &next))
	require.NotNil(t, next.State)
	require.Equal(t, lending.StatusActive, next.State.Status)
	require.NotNil(t, next.State.Account, "the account is carried")
	require.Equal(t, "50.00", next.State.Account.Received.StringFixed(2))
	require.Equal(t, []string{"r1"}, next.State.Repayments)

	h2 := newHarness(t)
	h2.send(time.Hour, workflows.UpdateRepay, "r1", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r1", Amount: decimal.RequireFromString("50.00")})
	h2.send(2*time.Hour, workflows.UpdateRepay, "r2", workflows.RepaymentRequest{Actor: "partner:demo", Key: "r2", Amount: restAfter(t, "50.00")})
	view := h2.run(&next)
	require.Equal(t, lending.StatusClosed, view.Status)
	require.Equal(t, []string{"r2"}, h2.booked(), "the repayment applied before continue-as-new is not applied again")
	require.Equal(t, next.State.Seq+1, h2.transitions[0].Seq)
}

// TestApprovalArrivingWithTheStartWaitsForScreening: an Update delivered in
// the workflow's first task must not overtake the submission's screening.
func TestApprovalArrivingWithTheStartWaitsForScreening(t *testing.T) {
	h := newHarness(t)
	approve := h.send(0, workflows.UpdateApprove, "approve-u1", staff("u1"))
	h.send(time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
	h.run(input("2000.00", 6))
	require.Equal(t, lending.StatusApproved, ok(t, approve).Status)
	require.Equal(t, []lending.Status{lending.StatusSubmitted, lending.StatusApproved, lending.StatusCancelled}, h.statuses())
	require.Equal(t, lending.ActionSubmit, h.transitions[0].Action)
}
