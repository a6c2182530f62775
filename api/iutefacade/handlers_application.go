package iutefacade

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// quoteFields maps the Service's quote fields onto calculate loan
// conditions' parameters.
var quoteFields = map[string]string{
	"amount":      iutewire.FieldLoanAmount,
	"term_months": iutewire.FieldLoanDuration,
}

// applicationFields maps the Service's application fields (the /v1 JSON
// paths) onto add new loan's parameters.
var applicationFields = map[string]string{
	"amount":                         iutewire.FieldLoanAmount,
	"term_months":                    iutewire.FieldLoanDuration,
	"submitted_by":                   iutewire.FieldSubmitPerson,
	"office":                         iutewire.FieldSubmitPostOffice,
	"applicant.identity_number":      iutewire.FieldPIN,
	"applicant.first_name":           iutewire.FieldFirstName,
	"applicant.last_name":            iutewire.FieldLastName,
	"applicant.patronymic":           iutewire.FieldPatronymic,
	"applicant.birth_date":           iutewire.FieldBirthDate,
	"applicant.document_serial":      iutewire.FieldDocumentSerial,
	"applicant.mobile_phone":         iutewire.FieldGSM,
	"applicant.home_phone":           iutewire.FieldPhoneHome,
	"applicant.alt_contact.name":     iutewire.FieldAltContactName,
	"applicant.alt_contact.relation": iutewire.FieldAltContactRel,
	"applicant.alt_contact.phone":    iutewire.FieldAltContactPhone,
	"applicant.address.town":         iutewire.FieldTown,
	"applicant.address.street":       iutewire.FieldStreet,
	"applicant.address.house":        iutewire.FieldHouseNr,
	"applicant.address.apartment":    iutewire.FieldApartmentNr,
}

// acceptedFileTypes are the sniffed types the document allows: jpg and pdf.
var acceptedFileTypes = []string{"image/jpeg", "application/pdf"}

// applicationFiles maps add new loan's optional file parameters onto our
// document kinds.
var applicationFiles = []struct {
	field string
	kind  lending.DocumentKind
}{
	{iutewire.FieldIDCopy, lending.DocIDCopy},
	{iutewire.FieldDataVerification, lending.DocDataVerification},
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

func (h *handlers) calculate(k *partnerCall) {
	amount := k.params.amount(iutewire.FieldLoanAmount)
	months := k.params.integer(iutewire.FieldLoanDuration, maxDurationDigits)
	if h.invalid(k) {
		return
	}
	q, err := h.svc.Quote(k.c.Request.Context(), k.partner, service.QuoteRequest{Amount: amount, TermMonths: int(months)})
	if err != nil {
		h.fail(k.c, err, quoteFields)
		return
	}
	h.writeXML(k.c, iutewire.LoanCalc{
		FirstRepaymentDate: formatDate(q.FirstRepaymentDate),
		MonthlyPayment:     iutewire.FormatAmount(q.InstallmentAmount),
		TotalLoanAmount:    iutewire.FormatAmount(q.Schedule.TotalRepayment),
	})
}

func (h *handlers) addLoan(k *partnerCall) {
	p := k.params
	app := service.LoanApplication{
		Amount:      p.amount(iutewire.FieldLoanAmount),
		TermMonths:  int(p.integer(iutewire.FieldLoanDuration, maxDurationDigits)),
		SubmittedBy: p.text(iutewire.FieldSubmitPerson),
		Office:      p.text(iutewire.FieldSubmitPostOffice),
		Applicant: models.Applicant{
			IdentityNumber:  p.text(iutewire.FieldPIN),
			FirstName:       p.text(iutewire.FieldFirstName),
			LastName:        p.text(iutewire.FieldLastName),
			Patronymic:      p.text(iutewire.FieldPatronymic),
			BirthDate:       p.date(iutewire.FieldBirthDate, errDateFormat, birthDateParser(h.svc.Now())),
			DocumentSerial:  p.text(iutewire.FieldDocumentSerial),
			MobilePhone:     p.text(iutewire.FieldGSM),
			HomePhone:       p.text(iutewire.FieldPhoneHome),
			AltContactName:  p.text(iutewire.FieldAltContactName),
			AltContactRel:   p.text(iutewire.FieldAltContactRel),
			AltContactPhone: p.text(iutewire.FieldAltContactPhone),
			Town:            p.text(iutewire.FieldTown),
			Street:          p.text(iutewire.FieldStreet),
			House:           p.text(iutewire.FieldHouseNr),
			Apartment:       p.presentText(iutewire.FieldApartmentNr),
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
	res := iutewire.NewLoan{
		LoanRef:    strconv.FormatInt(loan.Ref, 10),
		LoanPeriod: strconv.Itoa(loan.TermMonths),
		ClientPIN:  loan.Applicant.IdentityNumber,
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
		_, _, err := h.svc.UploadDocument(ctx, p, ref, service.DocumentUpload{Kind: f.kind, Filename: f.up.filename, Data: f.up.data}, "")
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
func (h *handlers) checkStatus(k *partnerCall) {
	loan, ok := readLoan(h, k, iutewire.FieldLoanRefPost, h.svc.Loan)
	if !ok {
		return
	}
	var approved string
	switch loan.Status {
	case lending.StatusSubmitted:
		approved = iutewire.ApprovedFalse
	case lending.StatusApproved:
		approved = iutewire.ApprovedTrue
	case lending.StatusRejected, lending.StatusAutoRejected:
		approved = iutewire.ApprovedRejected
	default:
		h.writeError(k.c, http.StatusBadRequest,
			fmt.Sprintf("The loan application has moved past the approval step: its status is %s.", loan.Status), nil)
		return
	}
	h.writeXML(k.c, iutewire.LoanStatus{Approved: approved, LoanRef: strconv.FormatInt(loan.Ref, 10)})
}

// cancelLoan withdraws the application; the workflow allows it from
// SUBMITTED (the document's NEW) and APPROVED only. A cancelled loan's
// workflow has ended and refuses every call, so a retried cancellation is
// recognised by the loan's status and succeeds again.
func (h *handlers) cancelLoan(k *partnerCall) {
	ref := k.params.loanRef(iutewire.FieldLoanRefGet)
	if h.invalid(k) {
		return
	}
	ctx := k.c.Request.Context()
	if _, err := h.svc.Cancel(ctx, k.partner, ref, "", ""); err != nil {
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
func (h *handlers) alreadyDone(k *partnerCall, ref int64, err error, done func(*models.Loan) bool) bool {
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
