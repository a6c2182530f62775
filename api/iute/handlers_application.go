package iute

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// quoteFields maps the Service's quote fields onto calculate loan
// conditions' parameters.
var quoteFields = map[string]string{
	"amount":      fieldLoanAmount,
	"term_months": fieldLoanDuration,
}

// applicationFields maps the Service's application fields (the /v1 JSON
// paths) onto add new loan's parameters.
var applicationFields = map[string]string{
	"amount":                         fieldLoanAmount,
	"term_months":                    fieldLoanDuration,
	"submitted_by":                   fieldSubmitPerson,
	"office":                         fieldSubmitPostOffice,
	"applicant.identity_number":      fieldPin,
	"applicant.first_name":           fieldFirstName,
	"applicant.last_name":            fieldLastName,
	"applicant.patronymic":           fieldPatronymic,
	"applicant.birth_date":           fieldBirthDate,
	"applicant.document_serial":      fieldDocumentSerial,
	"applicant.mobile_phone":         fieldGSM,
	"applicant.home_phone":           fieldPhoneHome,
	"applicant.alt_contact.name":     fieldAltContactName,
	"applicant.alt_contact.relation": fieldAltContactRel,
	"applicant.alt_contact.phone":    fieldAltContactPhone,
	"applicant.address.town":         fieldTown,
	"applicant.address.street":       fieldStreet,
	"applicant.address.house":        fieldHouseNr,
	"applicant.address.apartment":    fieldApartmentNr,
}

// acceptedFileTypes are the sniffed types the document allows: jpg and pdf.
var acceptedFileTypes = []string{"image/jpeg", "application/pdf"}

// applicationFiles maps add new loan's optional file parameters onto our
// document kinds.
var applicationFiles = []struct {
	field string
	kind  lending.DocumentKind
}{
	{fieldIDCopy, lending.DocIDCopy},
	{fieldDataVerification, lending.DocDataVerification},
}

// file is a validated file parameter.
type file struct {
	field string
	kind  lending.DocumentKind
	up    *upload
}

// checkFile flags a file that is not a JPEG or a PDF, by its content: the
// client's Content-Type and file name are not trusted.
func checkFile(p params, field string, u *upload) {
	if ctype := http.DetectContentType(u.data); !slices.Contains(acceptedFileTypes, ctype) {
		p.errs.Add(field, "must be a JPEG or PDF file, not %s", ctype)
	}
}

func (h *handlers) calculate(k *call) {
	amount := k.params.amount(fieldLoanAmount)
	months := k.params.integer(fieldLoanDuration, maxDurationDigits)
	if h.invalid(k) {
		return
	}
	q, err := h.svc.Quote(k.c.Request.Context(), k.partner, service.QuoteRequest{Amount: amount, TermMonths: int(months)})
	if err != nil {
		h.fail(k.c, err, quoteFields)
		return
	}
	h.writeXML(k.c, loanCalc{
		FirstRepaymentDate: formatDate(q.FirstRepaymentDate),
		MonthlyPayment:     number(q.InstallmentAmount),
		TotalLoanAmount:    number(q.Schedule.TotalRepayment),
	})
}

func (h *handlers) addLoan(k *call) {
	p := k.params
	app := service.LoanApplication{
		Amount:      p.amount(fieldLoanAmount),
		TermMonths:  int(p.integer(fieldLoanDuration, maxDurationDigits)),
		SubmittedBy: p.text(fieldSubmitPerson),
		Office:      p.text(fieldSubmitPostOffice),
		Applicant: models.Applicant{
			IdentityNumber:  p.text(fieldPin),
			FirstName:       p.text(fieldFirstName),
			LastName:        p.text(fieldLastName),
			Patronymic:      p.text(fieldPatronymic),
			BirthDate:       p.date(fieldBirthDate, errDateFormat, birthDateParser(h.svc.Now())),
			DocumentSerial:  p.text(fieldDocumentSerial),
			MobilePhone:     p.text(fieldGSM),
			HomePhone:       p.text(fieldPhoneHome),
			AltContactName:  p.text(fieldAltContactName),
			AltContactRel:   p.text(fieldAltContactRel),
			AltContactPhone: p.text(fieldAltContactPhone),
			Town:            p.text(fieldTown),
			Street:          p.text(fieldStreet),
			House:           p.text(fieldHouseNr),
			Apartment:       p.presentText(fieldApartmentNr),
		},
	}
	var files []file
	for _, af := range applicationFiles {
		if u := p.form.file(af.field); u != nil {
			checkFile(p, af.field, u)
			files = append(files, file{field: af.field, kind: af.kind, up: u})
		}
	}
	if h.invalid(k) {
		return
	}
	ctx := k.c.Request.Context()
	key, err := h.applicationKey(ctx, k.partner, &app)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	loan, _, err := h.svc.SubmitLoan(ctx, k.partner, key, app)
	if err != nil {
		h.fail(k.c, err, applicationFields)
		return
	}
	if err := h.attachApplicationFiles(ctx, k.partner, loan.Ref, files); err != nil {
		h.fail(k.c, err, nil)
		return
	}
	res := newLoan{
		LoanRef:    loan.Ref,
		LoanPeriod: loan.TermMonths,
		ClientPin:  loan.Applicant.IdentityNumber,
		ClientName: loan.Applicant.FullName(),
	}
	if loan.FirstRepaymentDate != nil {
		res.FirstRepaymentDate = formatDate(*loan.FirstRepaymentDate)
	}
	h.writeXML(k.c, res)
}

// attachApplicationFiles stores the files of an application. A file the
// loan already has (a retried request) is not stored twice. A loan that
// has left SUBMITTED and APPROVED (auto-rejected at once, say) refuses
// them: the application itself stands, so this is logged, not answered.
func (h *handlers) attachApplicationFiles(ctx context.Context, p *models.Partner, ref int64, files []file) error {
	if len(files) == 0 {
		return nil
	}
	have, err := h.storedFiles(ctx, p, ref)
	if err != nil {
		return err
	}
	for _, f := range files {
		if have[fileKey(f.kind, f.up.data)] {
			continue
		}
		_, _, err := h.svc.UploadDocument(ctx, p, ref, service.DocumentUpload{Kind: f.kind, Filename: f.up.filename, Data: f.up.data})
		if failure.KindOf(err) == failure.KindConflict {
			h.log.Info("application file refused", "ref", ref, "kind", f.kind, "error", err)
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// storedFiles are the loan's documents still under review, by kind and
// content: a rejected document does not count, it has to be sent again.
func (h *handlers) storedFiles(ctx context.Context, p *models.Partner, ref int64) (map[string]bool, error) {
	docs, err := h.svc.Documents(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	have := make(map[string]bool, len(docs))
	for _, d := range docs {
		if d.Status == lending.DocStatusSubmitted {
			have[string(d.Kind)+":"+d.SHA256] = true
		}
	}
	return have, nil
}

func fileKey(kind lending.DocumentKind, data []byte) string {
	sum := sha256.Sum256(data)
	return string(kind) + ":" + hex.EncodeToString(sum[:])
}

// checkStatus answers whether the application was approved.
func (h *handlers) checkStatus(k *call) {
	ref := k.params.loanRef(fieldLoanRefPost)
	if h.invalid(k) {
		return
	}
	loan, err := h.svc.Loan(k.c.Request.Context(), k.partner, ref)
	if err != nil {
		h.fail(k.c, err, nil)
		return
	}
	var approved string
	switch loan.Status {
	case lending.StatusSubmitted:
		approved = "false"
	case lending.StatusApproved:
		approved = "true"
	case lending.StatusRejected, lending.StatusAutoRejected:
		approved = "rejected"
	default:
		h.writeError(k.c, http.StatusBadRequest,
			fmt.Sprintf("The loan application has moved past the approval step: its status is %s.", loan.Status), nil)
		return
	}
	h.writeXML(k.c, loanStatus{Approved: approved, LoanRef: loan.Ref})
}

// cancelLoan withdraws the application; the workflow allows it from
// SUBMITTED (the document's NEW) and APPROVED only. A cancelled loan's
// workflow has ended and refuses every call, so a retried cancellation is
// recognised by the loan's status and succeeds again.
func (h *handlers) cancelLoan(k *call) {
	ref := k.params.loanRef(fieldLoanRefGet)
	if h.invalid(k) {
		return
	}
	ctx := k.c.Request.Context()
	if _, err := h.svc.Cancel(ctx, k.partner, ref, ""); err != nil {
		if !h.alreadyDone(k, ref, err, func(l *models.Loan) bool { return l.Status == lending.StatusCancelled }) {
			h.fail(k.c, err, nil)
		}
		return
	}
	ok(k.c)
}

// alreadyDone answers a refused step that the loan shows done already (a
// retry after a lost answer) with the step's empty 200, reporting whether
// it did.
func (h *handlers) alreadyDone(k *call, ref int64, err error, done func(*models.Loan) bool) bool {
	if failure.KindOf(err) != failure.KindConflict {
		return false
	}
	loan, lerr := h.svc.Loan(k.c.Request.Context(), k.partner, ref)
	if lerr != nil || !done(loan) {
		return false
	}
	ok(k.c)
	return true
}
