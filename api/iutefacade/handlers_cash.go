package iutefacade

import (
	"strconv"
	"strings"

	"github.com/loanflow/loanflow/internal/iutewire"
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
		return iutewire.LoanStatusNormal
	case lending.StatusSubmitted:
		return "new"
	}
	return strings.ToLower(string(status))
}

func (h *handlers) allowCashRelease(k *partnerCall) {
	cr, ok := readLoan(h, k, iutewire.FieldLoanRefGet, h.svc.CashRelease)
	if !ok {
		return
	}
	l := cr.Loan
	h.writeXML(k.c, iutewire.CashRelease{
		Allowed:         strconv.FormatBool(cr.Allowed),
		LoanStatus:      cashReleaseStatus(l.Status),
		LoanRef:         strconv.FormatInt(l.Ref, 10),
		LoanAmount:      iutewire.FormatAmount(l.Amount),
		ClientPIN:       l.Applicant.IdentityNumber,
		ClientFirstName: l.Applicant.FirstName,
		ClientLastName:  l.Applicant.LastName,
	})
}

// confirmCashRelease records the pay-out, dated today: the loan becomes
// ACTIVE and its schedule is fixed.
func (h *handlers) confirmCashRelease(k *partnerCall) {
	ref := k.params.loanRef(iutewire.FieldLoanRefGet)
	if h.invalid(k) {
		return
	}
	if _, err := h.svc.ConfirmDisbursement(k.c.Request.Context(), k.partner, ref, nil, ""); err != nil {
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
	"amount":  iutewire.FieldRepaymentAmount,
	"paid_on": iutewire.FieldRepaymentDate,
}

// insertRepayment applies a repayment; the workflow covers installments in
// order 1..n whatever its date.
func (h *handlers) insertRepayment(k *partnerCall) {
	p := k.params
	ref := p.loanRef(iutewire.FieldLoanRefGet)
	date := p.date(iutewire.FieldRepaymentDate, errRepaymentDateFormat, parseRepaymentDate)
	amount := p.amount(iutewire.FieldRepaymentAmount)
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
		// Equal to a repayment booked moments ago: a retry, or a second
		// genuine payment the protocol cannot tell apart. It is held on the
		// loan for operations to book or dismiss, never dropped.
		if _, err := h.svc.HoldRepayment(ctx, k.partner, ref, amount, date, key); err != nil {
			h.fail(k.c, err, nil)
			return
		}
		ok(k.c)
		return
	}
	if _, err := h.svc.Repay(ctx, k.partner, ref, service.RepaymentRequest{Key: key, Amount: amount, PaidOn: date}); err != nil {
		h.fail(k.c, err, repaymentFields)
		return
	}
	ok(k.c)
}
