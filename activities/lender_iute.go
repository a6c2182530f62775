package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/iute"
	"github.com/loanflow/loanflow/providers/julo"
)

// Lenders are the external lenders that fund loans.
type Lenders struct {
	Iute *iute.Client
	Julo *julo.Client
}

// LenderInput is one call to the loan's lender.
type LenderInput struct {
	Ref          int64
	LenderLoanID string
	// Amount and Date of a repayment; RepaidBefore is what the lender had
	// been told was repaid before it, for the look-up after an ambiguous
	// failure.
	Amount       decimal.Decimal
	Date         time.Time
	RepaidBefore decimal.Decimal
	// Documents to send: kind -> stored document id.
	Documents map[lending.DocumentKind]uint
	// OTP is the code the customer received (JULO).
	OTP string
}

// LenderDecision is the lender's answer on an application.
type LenderDecision struct {
	Decision string // pending | approved | rejected
	Message  string
}

// Lender decisions.
const (
	DecisionPending  = "pending"
	DecisionApproved = "approved"
	DecisionRejected = "rejected"
)

func (a *Activities) iute() (*iute.Client, error) {
	if a.Lenders.Iute == nil {
		return nil, notConfigured(string(lending.LenderIute))
	}
	return a.Lenders.Iute, nil
}

// iuteCall makes call, a read of the Iute client, about the loan in; its failure is the activity's
// provider error.
func iuteCall[T any](ctx context.Context, a *Activities, in LenderInput, call func(*iute.Client, context.Context, int64) (T, error)) (T, error) {
	c, ref, err := a.iuteLoan(in)
	if err != nil {
		var none T
		return none, err
	}
	out, err := call(c, ctx, ref)
	if err != nil {
		return out, providerError(err)
	}
	return out, nil
}

// iuteLoan is the Iute client and Iute's ref of the loan in.
func (a *Activities) iuteLoan(in LenderInput) (*iute.Client, int64, error) {
	c, err := a.iute()
	if err != nil {
		return nil, 0, err
	}
	ref, err := strconv.ParseInt(in.LenderLoanID, 10, 64)
	if err != nil {
		return nil, 0, temporal.NewNonRetryableApplicationError("iute loan ref "+strconv.Quote(in.LenderLoanID)+" is not a number", ErrTypeProviderRefused, err)
	}
	return c, ref, nil
}

// IuteSubmit files the application with Iute and answers Iute's loan ref.
// Iute takes no external id; it refuses a second open application of the
// same person naming the first, which is how a retry after an ambiguous
// failure finds the application its lost request created.
func (a *Activities) IuteSubmit(ctx context.Context, in LenderInput) (string, error) {
	c, err := a.iute()
	if err != nil {
		return "", err
	}
	loan, err := a.Store.GetLoan(ctx, in.Ref)
	if err != nil {
		return "", storeError(err)
	}
	ap := loan.Applicant
	app := iute.Application{
		PIN: ap.IdentityNumber, FirstName: ap.FirstName, LastName: ap.LastName, Patronymic: ap.Patronymic,
		BirthDate: ap.BirthDate, DocumentSerial: ap.DocumentSerial, GSM: ap.MobilePhone, PhoneHome: ap.HomePhone,
		AltContactName: ap.AltContactName, AltContactRelation: ap.AltContactRel, AltContactPhone: ap.AltContactPhone,
		Town: ap.Town, Street: ap.Street, HouseNr: ap.House, ApartmentNr: ap.Apartment,
		LoanAmount: loan.Amount, LoanDuration: loan.TermMonths, SubmitPerson: loan.SubmittedBy, SubmitPostOffice: loan.Office,
	}
	var ref int64
	nl, err := c.AddLoan(ctx, app)
	switch existing, dup := iute.ExistingLoanRef(err); {
	case err == nil:
		ref = nl.LoanRef
	case dup:
		// Ours only if no other loan of ours holds it: the same person may
		// have another application at Iute, which this loan must not adopt.
		other, lookErr := a.Store.LoanByLenderLoanID(ctx, lending.LenderIute, strconv.FormatInt(existing, 10))
		switch {
		case lookErr == nil && other.Ref != in.Ref:
			return "", temporal.NewNonRetryableApplicationError(fmt.Sprintf(
				"iute: the applicant already has an open application at Iute (ref %d, loan %d)", existing, other.Ref), ErrTypeProviderRefused, err)
		case lookErr != nil && !errors.Is(lookErr, models.ErrNotFound):
			return "", storeError(lookErr)
		}
		ref = existing
	default:
		return "", providerError(err)
	}
	id := strconv.FormatInt(ref, 10)
	if err := a.Store.SetProviderLoanIDs(ctx, in.Ref, "", id); err != nil {
		return "", storeError(err)
	}
	return id, nil
}

// IuteDecision asks Iute whether it decided the application.
func (a *Activities) IuteDecision(ctx context.Context, in LenderInput) (*LenderDecision, error) {
	st, err := iuteCall(ctx, a, in, (*iute.Client).CheckLoanStatus)
	if err != nil {
		return nil, err
	}
	switch st.Decision {
	case iute.DecisionApproved:
		return &LenderDecision{Decision: DecisionApproved}, nil
	case iute.DecisionRejected:
		return &LenderDecision{Decision: DecisionRejected, Message: "rejected by Iute Credit"}, nil
	case iute.DecisionMovedOn:
		// Past the decision step without an approval we saw: cancelled or
		// expired at Iute. Either way the loan cannot go on.
		return &LenderDecision{Decision: DecisionRejected, Message: "Iute Credit: " + st.Message}, nil
	}
	return &LenderDecision{Decision: DecisionPending}, nil
}

// IuteAgreement downloads Iute's agreement for the client to sign and
// stores it with the loan's documents (once); it answers the document id.
func (a *Activities) IuteAgreement(ctx context.Context, in LenderInput) (uint, error) {
	docs, err := a.Store.Documents(ctx, in.Ref)
	if err != nil {
		return 0, storeError(err)
	}
	for _, d := range docs {
		if d.Kind == lending.DocLenderAgreement {
			return d.ID, nil
		}
	}
	c, ref, err := a.iuteLoan(in)
	if err != nil {
		return 0, err
	}
	ag, err := c.GenerateAgreement(ctx, ref, "eng")
	if err != nil {
		return 0, providerError(err)
	}
	doc := &models.Document{LoanRef: in.Ref, Kind: lending.DocLenderAgreement, Filename: ag.Filename, ContentType: "application/pdf",
		Size: int64(len(ag.PDF)), SHA256: sha256Hex(ag.PDF), Status: lending.DocStatusSubmitted, Data: ag.PDF, UploadedBy: lending.LenderActor(lending.LenderIute)}
	if err := a.Store.AddDocument(ctx, doc); err != nil {
		return 0, storeError(err)
	}
	return doc.ID, nil
}

// IuteUploadFiles sends the signed agreement and the bank statement to Iute
// (uploading again replaces them, so a retry is harmless).
func (a *Activities) IuteUploadFiles(ctx context.Context, in LenderInput) error {
	c, ref, err := a.iuteLoan(in)
	if err != nil {
		return err
	}
	files := map[lending.DocumentKind]iute.File{}
	for _, kind := range []lending.DocumentKind{lending.DocSignedAgreement, lending.DocBankStatement} {
		d, err := a.Store.GetDocument(ctx, in.Ref, in.Documents[kind])
		if err != nil {
			return storeError(err)
		}
		files[kind] = iute.File{Name: d.Filename, ContentType: d.ContentType, Data: d.Data}
	}
	return providerError(c.UploadFiles(ctx, ref, files[lending.DocSignedAgreement], files[lending.DocBankStatement]))
}

// IuteCashRelease asks whether Iute authorized the pay-out.
func (a *Activities) IuteCashRelease(ctx context.Context, in LenderInput) (bool, error) {
	cr, err := iuteCall(ctx, a, in, (*iute.Client).AllowCashRelease)
	if err != nil {
		return false, err
	}
	return cr.Allowed, nil
}

// IuteConfirm tells Iute the cash was paid out.
func (a *Activities) IuteConfirm(ctx context.Context, in LenderInput) error {
	c, ref, err := a.iuteLoan(in)
	if err != nil {
		return err
	}
	return providerError(c.ConfirmCashRelease(ctx, ref))
}

// IuteRepay reports a repayment. Iute's insert repayment has no idempotency
// key, so the activity first reads what Iute has: if its repaid total
// already includes this payment, an earlier attempt got through.
func (a *Activities) IuteRepay(ctx context.Context, in LenderInput) error {
	c, ref, err := a.iuteLoan(in)
	if err != nil {
		return err
	}
	info, err := c.CheckLoanInfo(ctx, ref)
	if err != nil {
		return providerError(err)
	}
	if info.Repaid.GreaterThanOrEqual(in.RepaidBefore.Add(in.Amount)) {
		return nil
	}
	return providerError(c.InsertRepayment(ctx, ref, day(in.Date), in.Amount))
}

// IuteCancel withdraws the application at Iute; one Iute already moved past
// cancelling is left as it is.
func (a *Activities) IuteCancel(ctx context.Context, in LenderInput) error {
	c, ref, err := a.iuteLoan(in)
	if err != nil {
		return err
	}
	err = c.CancelLoan(ctx, ref)
	var appErr *temporal.ApplicationError
	if perr := providerError(err); errors.As(perr, &appErr) && appErr.NonRetryable() {
		return nil
	}
	return providerError(err)
}
