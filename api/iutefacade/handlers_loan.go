package iutefacade

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/service"
)

func (h *handlers) loanInfo(k *partnerCall) {
	loan, ok := readLoan(h, k, iutewire.FieldLoanRefGet, h.svc.Loan)
	if !ok {
		return
	}
	// Check loan info shows paid-out loans, and nothing before.
	if !loan.Status.PaidOut() {
		h.writeXML(k.c, iutewire.LoanResponse{Message: iutewire.InfoNoActiveLoan, Status: iutewire.InfoStatusNoLoan})
		return
	}
	s, err := h.svc.Schedule(k.c.Request.Context(), service.AsPartner(k.partner), loan.Ref)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	info := &iutewire.LoanInfo{
		LoanRef:          strconv.FormatInt(loan.Ref, 10),
		LoanPeriod:       strconv.Itoa(loan.TermMonths),
		TotalBalance:     iutewire.FormatAmount(s.Total),
		Repaid:           iutewire.FormatAmount(s.Repaid),
		RemainingBalance: iutewire.FormatAmount(s.Remaining),
		ClientPIN:        loan.Applicant.IdentityNumber,
		ClientName:       loan.Applicant.FullName(),
		Installments:     make([]iutewire.Installment, len(s.Installments)),
	}
	for i, in := range s.Installments {
		info.Installments[i] = iutewire.Installment{
			Number:   strconv.Itoa(in.Number),
			DueDate:  formatDate(in.DueDate),
			Total:    iutewire.FormatAmount(in.Total),
			ToBePaid: iutewire.FormatAmount(decimal.Max(in.ToBePaid(), decimal.Zero)),
		}
	}
	h.writeXML(k.c, iutewire.LoanResponse{Message: iutewire.InfoSuccess, Status: iutewire.InfoStatusOK, Loan: info})
}

func (h *handlers) generateAgreement(k *partnerCall) {
	ref := k.params.loanRef(iutewire.FieldLoanRefGet)
	// Codes are matched without regard to case; the file is named with the
	// canonical lower-case code.
	lang := strings.ToLower(k.params.text(iutewire.FieldLang))
	if h.invalid(k) {
		return
	}
	pdf, err := h.svc.Agreement(k.c.Request.Context(), k.partner, ref, lang)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	// ref is a number and lang one of the renderer's codes: both are safe
	// in a header.
	k.c.Header("Content-Disposition", iutewire.AgreementDisposition(ref, lang))
	k.c.Data(http.StatusOK, iutewire.ContentTypePDF, pdf)
}

// uploadedFiles maps upload files' parameters onto our document kinds, in
// the order they are stored: the second completes the set and moves the
// loan to DOCUMENTS_SUBMITTED.
var uploadedFiles = []struct {
	field string
	kind  lending.DocumentKind
}{
	{iutewire.FieldLoanAgreement, lending.DocSignedAgreement},
	{iutewire.FieldBankStatement, lending.DocBankStatement},
}

func (h *handlers) uploadFiles(k *partnerCall) {
	p := k.params
	ref := p.loanRef(iutewire.FieldLoanRefPost)
	files := make([]file, 0, len(uploadedFiles))
	for _, uf := range uploadedFiles {
		u := p.form.file(uf.field)
		if u == nil {
			p.errs.Add(uf.field, "required: a JPEG or PDF file")
			continue
		}
		checkFile(p, uf.field, u)
		files = append(files, file{field: uf.field, kind: uf.kind, up: u})
	}
	if h.invalid(k) {
		return
	}
	ctx := k.c.Request.Context()
	// A retry of an upload that succeeded finds both files stored and
	// succeeds again instead of failing on the loan's new status.
	have, err := h.storedFiles(ctx, k.partner, ref)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	for _, f := range files {
		if have[fileKey(f.kind, f.up.data)] {
			continue
		}
		_, _, err := h.svc.UploadDocument(ctx, k.partner, ref, service.DocumentUpload{Kind: f.kind, Filename: f.up.filename, Data: f.up.data}, "")
		if err != nil {
			h.fail(k.c, err, map[string]string{"file": f.field})
			return
		}
	}
	ok(k.c)
}
