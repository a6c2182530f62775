package workflows

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/schedule"
)

// register installs the status Query and one Update per transition. Each
// validator rejects an illegal call before anything is written to history;
// each handler re-checks under the lock, because another handler may have
// moved the loan between validation and execution.
func (l *loan) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (*LoanView, error) { return l.view(), nil }); err != nil {
		return err
	}
	if err := workflow.SetQueryHandler(ctx, QueryPayoff, l.payoff); err != nil {
		return err
	}
	type update struct {
		name     string
		handler  any
		validate any
	}
	for _, u := range []update{
		{UpdateApprove, l.approve, l.validateApprove},
		{UpdateReject, l.reject, l.validateReject},
		{UpdateCancel, l.cancel, l.validateCancel},
		{UpdateSubmitDocument, l.submitDocument, l.validateSubmitDocument},
		{UpdateRejectDocuments, l.rejectDocuments, l.validateRejectDocuments},
		{UpdateAuthorizeCashRelease, l.authorizeCashRelease, l.validateAuthorizeCashRelease},
		{UpdateConfirmDisbursement, l.confirmDisbursement, l.validateConfirmDisbursement},
		{UpdateRepay, l.repay, l.validateRepay},
		{UpdateSubmitOTP, l.submitOTP, l.validateSubmitOTP},
		{UpdateSettle, l.settle, l.validateSettle},
		{UpdateRefund, l.refund, l.validateRefund},
		{UpdateWaive, l.waive, l.validateWaive},
		{UpdateWriteOff, l.writeOff, l.validateWriteOff},
		{UpdateReschedule, l.reschedule, l.validateReschedule},
		{UpdateRetryProvider, l.retryProvider, l.validateRetryProvider},
		{UpdateResolveLender, l.resolveLender, l.validateResolveLender},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{Validator: u.validate}); err != nil {
			return err
		}
	}
	return nil
}

// statusIs reports whether the loan is in one of statuses, or is being
// moved into one by a transition in flight. A validator accepts such an
// Update; its handler waits for the lock, by which time the transition has
// landed, and checks again against the status alone. Without this, a caller
// who saw the new status in the database (written before the workflow
// applies it) could be refused for acting on what it read.
func (l *loan) statusIs(statuses ...lending.Status) bool {
	return slices.Contains(statuses, l.st.Status) || (l.inFlight != "" && slices.Contains(statuses, l.inFlight))
}

// locked runs fn holding the transition lock, after validate passes again.
func (l *loan) locked(ctx workflow.Context, validate func() error, fn func() error) (*LoanView, error) {
	if err := l.mu.Lock(ctx); err != nil {
		return nil, err
	}
	defer l.mu.Unlock()
	if err := validate(); err != nil {
		return nil, err
	}
	if err := fn(); err != nil {
		return nil, err
	}
	return l.view(), nil
}

// joinActors is the approvers as the loan row keeps them, comma separated.
func joinActors(actors []lending.Actor) string {
	names := make([]string, len(actors))
	for i, a := range actors {
		names[i] = string(a)
	}
	return strings.Join(names, ",")
}

func requireActor(actor lending.Actor) error {
	if strings.TrimSpace(string(actor)) == "" {
		return invalid("actor is required")
	}
	return nil
}

// lenderOwns refuses our staff's decisions on a loan its lender decides.
func (l *loan) lenderOwns(action string) error {
	if l.lenderDecides() {
		return temporal.NewApplicationError(action+" is decided by the lender "+string(l.in.Product.Lender)+" for this loan", ErrTypeIllegalTransition)
	}
	return nil
}

func (l *loan) validateApprove(req DecisionRequest) error {
	if !l.statusIs(lending.StatusSubmitted) {
		return illegal(UpdateApprove, l.st.Status)
	}
	if err := l.lenderOwns("the approval"); err != nil {
		return err
	}
	if err := l.juloApprovable(); err != nil {
		return err
	}
	return l.requireNotApprover(req.Actor, "this loan needs a second approval from a different underwriter")
}

func (l *loan) approve(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateApprove(req) }, func() error {
		approvals := append(slices.Clone(l.st.Approvals), req.Actor)
		to, action := lending.StatusApproved, lending.ActionApprove
		if len(approvals) < l.in.Product.ApprovalsNeeded(l.in.Amount) {
			to, action = lending.StatusSubmitted, lending.ActionApproveFirst
		}
		by := joinActors(approvals)
		err := l.record(interactive(ctx), action, req.Actor, to, req.Reason, nil, func(t *activities.Transition) { t.ApprovedBy = &by })
		if err == nil {
			l.st.Approvals = approvals
			l.ledgerAfter(to, workflow.Now(ctx))
		}
		return err
	})
}

func (l *loan) validateReject(req DecisionRequest) error {
	return l.validateReasoned(UpdateReject, lending.StatusSubmitted, "the decision", req)
}

// validateReasoned checks a staff decision that needs a reason: the loan
// in status, the step ours rather than the lender's (owned names it), an
// actor and a reason.
func (l *loan) validateReasoned(action string, status lending.Status, owned string, req DecisionRequest) error {
	if !l.statusIs(status) {
		return illegal(action, l.st.Status)
	}
	if err := l.lenderOwns(owned); err != nil {
		return err
	}
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return invalidField("reason", "required")
	}
	return nil
}

func (l *loan) reject(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateReject(req) }, func() error {
		return l.record(interactive(ctx), lending.ActionReject, req.Actor, lending.StatusRejected, req.Reason, nil)
	})
}

func (l *loan) validateCancel(req DecisionRequest) error {
	if !l.statusIs(lending.StatusSubmitted, lending.StatusApproved) {
		return illegal(UpdateCancel, l.st.Status)
	}
	return requireActor(req.Actor)
}

func (l *loan) cancel(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateCancel(req) }, func() error {
		if err := l.record(interactive(ctx), lending.ActionCancel, req.Actor, lending.StatusCancelled, req.Reason, nil); err != nil {
			return err
		}
		l.enqueueLender(Posting{Kind: lenderCancel})
		return nil
	})
}

func (l *loan) validateSubmitDocument(req DocumentRequest) error {
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	if req.DocumentID == 0 {
		return invalid("document id is required")
	}
	switch req.Kind {
	case lending.DocSignedAgreement, lending.DocBankStatement:
		if !l.statusIs(lending.StatusApproved) {
			return illegal("upload a "+string(req.Kind)+" for", l.st.Status)
		}
	case lending.DocIDCopy, lending.DocDataVerification:
		if !l.statusIs(lending.StatusSubmitted, lending.StatusApproved) {
			return illegal("upload a "+string(req.Kind)+" for", l.st.Status)
		}
	case lending.DocKTP, lending.DocSelfie:
		return l.validateJuloImage(req.Kind)
	default:
		return invalid("unknown document kind " + string(req.Kind))
	}
	return nil
}

func (l *loan) submitDocument(ctx workflow.Context, req DocumentRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateSubmitDocument(req) }, func() error {
		complete := l.st.Status == lending.StatusApproved
		for _, kind := range lending.RequiredDocuments {
			if _, ok := l.st.Documents[kind]; !ok && kind != req.Kind {
				complete = false
			}
		}
		to, action := l.st.Status, lending.ActionUploadDocument
		if complete {
			to, action = lending.StatusDocumentsSubmitted, lending.ActionSubmitDocuments
		}
		if err := l.record(interactive(ctx), action, req.Actor, to, string(req.Kind), nil); err != nil {
			return err
		}
		l.st.Documents[req.Kind] = req.DocumentID
		if complete {
			l.enqueueLender(Posting{Kind: lenderUpload})
		}
		return nil
	})
}

func (l *loan) validateRejectDocuments(req DecisionRequest) error {
	return l.validateReasoned("reject the documents of", lending.StatusDocumentsSubmitted, "the document review", req)
}

func (l *loan) rejectDocuments(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateRejectDocuments(req) }, func() error {
		err := l.record(interactive(ctx), lending.ActionRejectDocuments, req.Actor, lending.StatusApproved, req.Reason, nil,
			func(t *activities.Transition) { t.RejectDocuments = true })
		if err == nil {
			for _, kind := range lending.RequiredDocuments {
				delete(l.st.Documents, kind)
			}
		}
		return err
	})
}

func (l *loan) validateAuthorizeCashRelease(req DecisionRequest) error {
	if err := l.cashReleaseRules(req); err != nil {
		return err
	}
	return l.unbooked()
}

// cashReleaseRules are the rules of a cash release that hold since the
// start; the booking rule came later (see heldForBooking).
func (l *loan) cashReleaseRules(req DecisionRequest) error {
	if !l.statusIs(lending.StatusDocumentsSubmitted) {
		return illegal("authorize the cash release of", l.st.Status)
	}
	if err := l.lenderOwns("the cash release"); err != nil {
		return err
	}
	return l.requireNotApprover(req.Actor, "segregation of duties: whoever approved a loan may not authorize its cash release")
}

// requireNotApprover refuses a missing actor, and, with why, one who already approved the loan.
func (l *loan) requireNotApprover(actor lending.Actor, why string) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if slices.Contains(l.st.Approvals, actor) {
		return forbidden(why)
	}
	return nil
}

func (l *loan) authorizeCashRelease(ctx workflow.Context, req DecisionRequest) (*LoanView, error) {
	if err := l.awaitBooking(ctx); err != nil {
		return nil, err
	}
	validate := func() error {
		if err := l.cashReleaseRules(req); err != nil {
			return err
		}
		if l.heldForBooking(ctx) {
			return l.bookingRefusal()
		}
		return nil
	}
	return l.locked(ctx, validate, func() error {
		by := req.Actor
		err := l.record(interactive(ctx), lending.ActionAuthorizeRelease, req.Actor, lending.StatusCashReleaseAuthorized, req.Reason, nil,
			func(t *activities.Transition) { t.CashReleaseAuthorizedBy = &by })
		if err == nil {
			l.st.CashReleaseAuthorizedBy = by
			l.st.CashReleaseAuthorizedAt = workflow.Now(ctx)
		}
		return err
	})
}

// payoutDate is the requested pay-out date, today when none was given.
func payoutDate(ctx workflow.Context, req DisbursementRequest) time.Time {
	if req.Date.IsZero() {
		return day(workflow.Now(ctx))
	}
	return day(req.Date)
}

func (l *loan) validateConfirmDisbursement(ctx workflow.Context, req DisbursementRequest) error {
	if !l.statusIs(lending.StatusCashReleaseAuthorized) {
		return illegal("confirm the pay-out of", l.st.Status)
	}
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	date := payoutDate(ctx, req)
	if date.After(day(workflow.Now(ctx)).AddDate(0, 0, 1)) {
		return invalid("the pay-out date is in the future")
	}
	if date.Before(day(l.st.CashReleaseAuthorizedAt)) {
		return invalid("the pay-out date is before the cash release was authorized")
	}
	return nil
}

func (l *loan) confirmDisbursement(ctx workflow.Context, req DisbursementRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateConfirmDisbursement(ctx, req) }, func() error {
		date := payoutDate(ctx, req)
		l.st.Seq++
		in := activities.ActivateInput{
			Transition: activities.Transition{
				Ref: l.in.Ref, Seq: l.st.Seq, Actor: req.Actor, Action: lending.ActionDisburse,
				From: l.st.Status, To: lending.StatusActive, At: workflow.Now(ctx),
			},
			Product: l.in.Product, Amount: l.in.Amount, TermMonths: l.in.TermMonths,
			DisbursedOn: date, Key: "disbursement",
		}
		var res activities.ActivateResult
		l.inFlight = lending.StatusActive
		err := persistStep(interactive(ctx), persisting(l.st.Status, lending.StatusActive, lending.ActionDisburse, req.Actor)+" and fix the schedule", a.Activate, in).Get(ctx, &res)
		l.inFlight = ""
		if err != nil {
			return err
		}
		l.st.Installments = make([]Installment, len(res.Periods))
		for i, p := range res.Periods {
			l.st.Installments[i] = Installment{
				Number: p.Number, FromDate: p.FromDate, DueDate: p.DueDate,
				Principal: p.Principal, Interest: p.Interest, Fees: p.Fees, Total: p.Total, Paid: decimal.Zero,
			}
		}
		l.st.DisbursedOn = &date
		if workflow.GetVersion(ctx, versionServicing, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
			// The account follows the schedule the activity fixed: its
			// first period runs from the pay-out.
			from := date
			if len(res.Periods) > 0 {
				from = res.Periods[0].FromDate
			}
			if err := l.openAccount(from, res.Periods); err != nil {
				// The product's servicing settings are checked where
				// products are written; a loan whose terms the account
				// refuses is repaid on its installments as before.
				workflow.GetLogger(ctx).Error("the loan's account could not be opened", "error", err)
			}
		}
		l.ledgerAfter(lending.StatusActive, date)
		l.enqueueLender(Posting{Kind: lenderConfirm})
		l.lastAction(ctx, string(lending.ActionDisburse), req.Actor)
		l.apply(ctx, lending.StatusActive, "", nil)
		return nil
	})
}

func (l *loan) validateRepay(ctx workflow.Context, req RepaymentRequest) error {
	if strings.TrimSpace(req.Key) == "" {
		return invalid("idempotency key is required")
	}
	if slices.Contains(l.st.Repayments, req.Key) {
		return nil // a retry: the handler answers the current view
	}
	switch acc := l.account(); {
	case acc != nil && l.statusIs(lending.StatusWrittenOff):
		// A recovery.
	case !l.statusIs(lending.StatusActive, lending.StatusInArrears):
		return illegal("repay", l.st.Status)
	}
	if err := knownStrategy(req.Strategy); err != nil {
		return err
	}
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	if !req.Amount.IsPositive() {
		return invalid("amount must be positive")
	}
	if !req.Amount.Equal(req.Amount.Truncate(l.in.Product.CurrencyDecimals)) {
		return invalid("amount has more decimals than the currency")
	}
	if !req.PaidOn.IsZero() && day(req.PaidOn).After(day(workflow.Now(ctx)).AddDate(0, 0, 1)) {
		return invalid("paid_on is in the future")
	}
	return nil
}

func (l *loan) repay(ctx workflow.Context, req RepaymentRequest) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateRepay(ctx, req) }, func() error {
		if slices.Contains(l.st.Repayments, req.Key) {
			return nil
		}
		if l.serviced(ctx) {
			return l.repayAccount(ctx, req)
		}
		alloc, err := schedule.Allocate(outstanding(l.st.Installments), req.Amount)
		if err != nil {
			return invalid(err.Error())
		}
		paid := make(map[int]decimal.Decimal, len(alloc.Parts))
		for _, part := range alloc.Parts {
			paid[part.Number] = l.st.Installments[part.Number-1].Paid.Add(part.Total())
		}
		applied := req.Amount.Sub(alloc.Overpayment)
		paidOn := req.PaidOn
		if paidOn.IsZero() {
			paidOn = day(workflow.Now(ctx))
		}
		in := activities.RepaymentInput{
			Ref: l.in.Ref, Key: req.Key, Amount: req.Amount, Overpayment: alloc.Overpayment,
			PaidOn: paidOn, At: workflow.Now(ctx), Paid: paid, Repaid: l.st.Repaid.Add(applied),
		}
		what := "repayment " + lending.FormatMoney(req.Amount, l.in.Product.CurrencyDecimals)
		if err := persistStep(interactive(ctx), "persist "+what+" by "+string(req.Actor), a.RecordRepayment, in).Get(ctx, nil); err != nil {
			return err
		}
		for _, part := range alloc.Parts {
			l.st.Installments[part.Number-1].Paid = paid[part.Number]
		}
		l.st.Repaid = in.Repaid
		l.st.Overpaid = l.st.Overpaid.Add(alloc.Overpayment)
		l.st.Repayments = append(l.st.Repayments, req.Key)
		l.ledgerRepayment(req.Key, applied, paidOn)
		l.lenderRepayment(applied, paidOn)
		l.lastAction(ctx, what, req.Actor)
		l.changes++
		l.describe(ctx)
		return l.afterRepayment(ctx, req.Actor)
	})
}

// afterRepayment closes a fully repaid loan and cures arrears once nothing
// is overdue.
func (l *loan) afterRepayment(ctx workflow.Context, actor lending.Actor) error {
	next, overdue := l.nextDue(day(workflow.Now(ctx)))
	switch {
	case next.IsZero():
		closed := day(workflow.Now(ctx))
		err := l.record(interactive(ctx), lending.ActionClose, actor, lending.StatusClosed, "fully repaid", nil,
			func(t *activities.Transition) { t.ClosedOn = &closed })
		if err == nil {
			l.st.ClosedOn = &closed
		}
		return err
	case !overdue && l.st.Status == lending.StatusInArrears:
		return l.record(interactive(ctx), lending.ActionCure, actor, lending.StatusActive, "arrears repaid", nil)
	}
	return nil
}

// outstanding is what each installment still owes, by component: a payment
// already made covered fees, then interest, then principal.
func outstanding(insts []Installment) []schedule.Due {
	dues := make([]schedule.Due, 0, len(insts))
	for _, inst := range insts {
		left := inst.Paid
		take := func(amount decimal.Decimal) decimal.Decimal {
			covered := decimal.Min(amount, left)
			left = left.Sub(covered)
			return amount.Sub(covered)
		}
		due := schedule.Due{Number: inst.Number, Penalties: decimal.Zero}
		due.Fees = take(inst.Fees)
		due.Interest = take(inst.Interest)
		due.Principal = take(inst.Principal)
		dues = append(dues, due)
	}
	return dues
}
