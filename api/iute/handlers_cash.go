package iute

import (
	"strings"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// cashReleaseStatus is allow cash release's loan_status: "normal" for a
// loan whose cash may be paid out, otherwise our status in lower case with
// SUBMITTED under the document's name, NEW.
func cashReleaseStatus(status lending.Status) string {
	switch status {
	case lending.StatusCashReleaseAuthorized:
		return "normal"
	case lending.StatusSubmitted:
		return "new"
	}
	return strings.ToLower(string(status))
}

func (h *handlers) allowCashRelease(k *call) {
	ref := k.params.loanRef(fieldLoanRefGet)
	if h.invalid(k) {
		return
	}
	cr, err := h.svc.CashRelease(k.c.Request.Context(), k.partner, ref)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	l := cr.Loan
	h.writeXML(k.c, cashRelease{
		Allowed:         cr.Allowed,
		LoanStatus:      cashReleaseStatus(l.Status),
		LoanRef:         l.Ref,
		LoanAmount:      number(l.Amount),
		ClientPin:       l.Applicant.IdentityNumber,
		ClientFirstName: l.Applicant.FirstName,
		ClientLastName:  l.Applicant.LastName,
	})
}

// confirmCashRelease records the pay-out, dated today: the loan becomes
// ACTIVE and its schedule is fixed.
func (h *handlers) confirmCashRelease(k *call) {
	ref := k.params.loanRef(fieldLoanRefGet)
	if h.invalid(k) {
		return
	}
	if _, err := h.svc.ConfirmDisbursement(k.c.Request.Context(), k.partner, ref, nil); err != nil {
		// Paid out already: a retry, even once the loan has moved on.
		if !h.alreadyDone(k, ref, err, func(l *models.Loan) bool { return l.DisbursedOn != nil }) {
			h.fail(k.c, err, nil)
		}
		return
	}
	ok(k.c)
}

// repaymentFields maps the Service's repayment fields onto insert
// repayment's parameters.
var repaymentFields = map[string]string{
	"amount":  fieldRepaymentAmount,
	"paid_on": fieldRepaymentDate,
}

// insertRepayment applies a repayment; the workflow covers installments in
// order 1..n whatever its date.
func (h *handlers) insertRepayment(k *call) {
	p := k.params
	ref := p.loanRef(fieldLoanRefGet)
	date := p.date(fieldRepaymentDate, errRepaymentDateFormat, parseRepaymentDate)
	amount := p.amount(fieldRepaymentAmount)
	if h.invalid(k) {
		return
	}
	ctx := k.c.Request.Context()
	key, recorded, err := h.repaymentKey(ctx, k.partner, ref, date, amount)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	if recorded {
		// A retry of a repayment that is booked: nothing to do, also when
		// it closed the loan and its workflow takes no more calls.
		ok(k.c)
		return
	}
	if _, err := h.svc.Repay(ctx, k.partner, ref, service.RepaymentRequest{Key: key, Amount: amount, PaidOn: date}); err != nil {
		h.fail(k.c, err, repaymentFields)
		return
	}
	ok(k.c)
}
