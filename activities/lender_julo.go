package activities

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/julo"
)

// JuloImages maps the document kinds a partner uploads for a JULO loan to
// the image types JULO takes, in the order they are sent.
var JuloImages = []struct {
	Kind lending.DocumentKind
	Type julo.ImageType
}{
	{lending.DocKTP, julo.ImageKTP},
	{lending.DocSelfie, julo.ImageSelfie},
}

// JuloOTPResult is JULO's verdict on an OTP the customer entered.
type JuloOTPResult struct {
	Verdict string // one of the OTP* verdicts
	Message string // JULO's words, for a refusal
}

// JULO's verdicts on an OTP: only a wrong code may be tried again; the
// others need a new OTP.
const (
	OTPValid        = "valid"
	OTPWrong        = "wrong"
	OTPExpired      = "expired"
	OTPExhausted    = "attempts_exceeded"
	OTPNotRequested = "not_requested"
	// OTPUnknown: an earlier attempt's answer was lost and JULO does not
	// confirm the code now. JULO's document does not say what a repeated
	// validation of an accepted code answers (a real JULO may call it
	// invalid or not requested), so the truth is not known.
	OTPUnknown = "unknown"
)

// ErrTypeLenderData marks a loan whose lender data is missing or
// unreadable: the API stores it, so retrying cannot help.
const ErrTypeLenderData = "LenderDataInvalid"

// juloLoan loads the loan with its JULO data.
func (a *Activities) juloLoan(ctx context.Context, ref int64) (*julo.Client, *models.Loan, *lending.JuloApplicant, error) {
	if a.Lenders.Julo == nil {
		return nil, nil, nil, notConfigured(string(lending.LenderJulo))
	}
	loan, err := a.Store.GetLoan(ctx, ref)
	if err != nil {
		return nil, nil, nil, storeError(err)
	}
	var d lending.JuloApplicant
	if err := json.Unmarshal([]byte(loan.LenderData), &d); err != nil || d.NIK == "" {
		return nil, nil, nil, temporal.NewNonRetryableApplicationError("the loan carries no JULO data", ErrTypeLenderData, err)
	}
	return a.Lenders.Julo, loan, &d, nil
}

// juloApplication is juloLoan of a loan JULO knows, with JULO's application_xid of it.
func (a *Activities) juloApplication(ctx context.Context, in LenderInput) (*julo.Client, *models.Loan, *lending.JuloApplicant, int64, error) {
	c, loan, d, err := a.juloLoan(ctx, in.Ref)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	xid, err := juloXID(in.LenderLoanID)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	return c, loan, d, xid, nil
}

func juloXID(id string) (int64, error) {
	xid, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, temporal.NewNonRetryableApplicationError("JULO application_xid "+strconv.Quote(id)+" is not a number", ErrTypeProviderRefused, err)
	}
	return xid, nil
}

// isProviderRefusal: the provider answered with a refusal (not a failure
// to answer).
func isProviderRefusal(err error) bool {
	pe, ok := providers.AsError(err)
	return ok && !pe.Retryable
}

// JuloRegister registers the customer with JULO and answers the
// application_xid, also stored as the loan's lender loan id.
//
// JULO takes no idempotency key; it knows a customer by NIK. A first
// attempt registers only a customer JULO does not know yet: the
// pre-register check refuses one already registered through another
// channel, and that refusal rejects the loan. After an ambiguous failure
// (this attempt's or an earlier one's) the registration may have landed:
// the pre-register check then says so, and the identical repeat of the
// registration (same NIK, PIN and e-mail) is tried: a JULO that answers it
// with the application it created is believed; one that refuses it, as
// JULO's document allows, leaves the outcome unknown
// (ErrTypeLenderOutcomeUnknown), never a rejection of the customer.
func (a *Activities) JuloRegister(ctx context.Context, in LenderInput) (string, error) {
	c, loan, d, err := a.juloLoan(ctx, in.Ref)
	if err != nil {
		return "", err
	}
	if loan.LenderLoanID != "" {
		return loan.LenderLoanID, nil // an earlier attempt stored it and lost its answer
	}
	if d.PIN == "" {
		return "", temporal.NewNonRetryableApplicationError("the loan's JULO data has no PIN to register with", ErrTypeLenderData, nil)
	}
	reg := julo.Registration{NIK: d.NIK, PIN: d.PIN, Email: d.Email, Latitude: d.Latitude, Longitude: d.Longitude}
	mayHaveLanded := activity.GetInfo(ctx).Attempt > 1
	var cust *julo.Customer
	backoff := 100 * time.Millisecond
	for try := 1; ; try++ {
		err := step(ctx, func() error { return c.PreRegisterCheck(ctx, d.NIK, d.Email) })
		switch {
		case err == nil:
		case isProviderRefusal(err) && mayHaveLanded:
			activity.GetLogger(ctx).Info("JULO knows the customer after an ambiguous registration; repeating it to recover the application", "ref", in.Ref)
		default:
			return "", providerError(err)
		}
		cust, err = c.Register(ctx, reg)
		if err == nil {
			break
		}
		if isProviderRefusal(err) && mayHaveLanded {
			return "", a.juloRegistrationUnknown(ctx, in.Ref, d, err)
		}
		if !providers.IsRetryable(err) || try == 4 {
			return "", providerError(err)
		}
		mayHaveLanded = mayHaveLanded || providers.IsAmbiguous(err)
		select {
		case <-ctx.Done():
			return "", err
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	xid := strconv.FormatInt(cust.ApplicationXID, 10)
	if err := a.Store.SetProviderLoanIDs(ctx, in.Ref, "", xid); err != nil {
		return "", storeError(err)
	}
	d.PIN = ""
	data, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	if err := a.Store.SetLenderData(ctx, in.Ref, string(data)); err != nil {
		return "", storeError(err)
	}
	return xid, nil
}

// ErrTypeLenderOutcomeUnknown marks a lender step whose outcome is unknown:
// its answer was lost, and the lender's documented calls cannot tell what
// it did. Operations resolve it from the lender's own portal.
const ErrTypeLenderOutcomeUnknown = "LenderOutcomeUnknown"

// juloRegistrationUnknown: an earlier attempt may have registered the
// customer, and JULO refuses the repeat, as its document allows; no
// documented call gives back the application_xid. The PIN is dropped
// (nothing will register again) and operations link the application
// JULO's partner portal shows.
func (a *Activities) juloRegistrationUnknown(ctx context.Context, ref int64, d *lending.JuloApplicant, refusal error) error {
	d.PIN = ""
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := a.Store.SetLenderData(ctx, ref, string(data)); err != nil {
		return storeError(err)
	}
	return temporal.NewNonRetryableApplicationError("JULO may have registered the customer before its answer was lost, and refuses the repeat ("+
		refusalText(refusal)+"): link the loan to the application_xid JULO's partner portal shows for the customer", ErrTypeLenderOutcomeUnknown, refusal)
}

func refusalText(err error) string {
	if pe, ok := providers.AsError(err); ok {
		return pe.Message
	}
	return err.Error()
}

// JuloUploadImages sends the KTP and selfie images to JULO; an upload
// replaces the previous one of its type, so a retry is harmless.
func (a *Activities) JuloUploadImages(ctx context.Context, in LenderInput) error {
	if a.Lenders.Julo == nil {
		return notConfigured(string(lending.LenderJulo))
	}
	xid, err := juloXID(in.LenderLoanID)
	if err != nil {
		return err
	}
	for _, img := range JuloImages {
		id, ok := in.Documents[img.Kind]
		if !ok {
			return temporal.NewNonRetryableApplicationError("no "+string(img.Kind)+" image was uploaded", ErrTypeLenderData, nil)
		}
		doc, err := a.Store.GetDocument(ctx, in.Ref, id)
		if err != nil {
			return storeError(err)
		}
		f := julo.File{Name: doc.Filename, ContentType: doc.ContentType, Data: doc.Data}
		if err := step(ctx, func() error { return a.Lenders.Julo.UploadImage(ctx, xid, img.Type, f) }); err != nil {
			return providerError(err)
		}
	}
	return nil
}

// JuloSendOTP has JULO text an OTP to the customer's mobile phone. A resend
// while the OTP is pending repeats the same code, so a retry is harmless.
func (a *Activities) JuloSendOTP(ctx context.Context, in LenderInput) error {
	c, _, d, xid, err := a.juloApplication(ctx, in)
	if err != nil {
		return err
	}
	return providerError(c.SendOTP(ctx, xid, d.MobilePhone))
}

// JuloValidateOTP asks JULO whether in.OTP is the code it texted. JULO's
// verdicts on the code are answers, not errors; only a failure to get one
// (retryable) or another refusal is an error. After a lost answer a
// verdict other than success is OTPUnknown: JULO's document does not
// promise that validating an accepted code again succeeds.
func (a *Activities) JuloValidateOTP(ctx context.Context, in LenderInput) (*JuloOTPResult, error) {
	if a.Lenders.Julo == nil {
		return nil, notConfigured(string(lending.LenderJulo))
	}
	xid, err := juloXID(in.LenderLoanID)
	if err != nil {
		return nil, err
	}
	// An earlier attempt may have had the code accepted and lost JULO's
	// answer: then only a success is to be believed.
	mayHaveLanded := activity.GetInfo(ctx).Attempt > 1
	err = a.Lenders.Julo.ValidateOTP(ctx, xid, in.OTP)
	if err == nil {
		return &JuloOTPResult{Verdict: OTPValid}, nil
	}
	pe, ok := providers.AsError(err)
	if !ok {
		return nil, providerError(err)
	}
	verdict := map[string]string{
		julo.CodeOTPInvalid: OTPWrong, julo.CodeOTPExpired: OTPExpired,
		julo.CodeOTPAttemptsExceeded: OTPExhausted, julo.CodeOTPNotRequested: OTPNotRequested,
	}[pe.Code]
	if verdict == "" {
		return nil, providerError(err)
	}
	if mayHaveLanded {
		verdict = OTPUnknown
	}
	return &JuloOTPResult{Verdict: verdict, Message: pe.Message}, nil
}

// JuloComplete sends the application data; JULO takes it once the images
// are uploaded and the phone is verified. Sending it again updates it.
func (a *Activities) JuloComplete(ctx context.Context, in LenderInput) error {
	c, loan, d, xid, err := a.juloApplication(ctx, in)
	if err != nil {
		return err
	}
	_, err = c.CompleteApplication(ctx, xid, juloApplicationData(loan, d))
	return providerError(err)
}

// juloApplicationData is JULO's complete-data request: the partner's JULO
// data, with the name and birth date of our application.
func juloApplicationData(loan *models.Loan, d *lending.JuloApplicant) julo.ApplicationData {
	ap := loan.Applicant
	return julo.ApplicationData{
		Fullname: strings.TrimSpace(ap.FirstName + " " + ap.LastName), BirthPlace: d.BirthPlace, DOB: ap.BirthDate,
		Gender: d.Gender, MotherMaidenName: d.MotherMaidenName, AddressStreetNum: d.AddressStreetNum,
		AddressProvinsi: d.AddressProvinsi, AddressKabupaten: d.AddressKabupaten, AddressKecamatan: d.AddressKecamatan,
		AddressKelurahan: d.AddressKelurahan, AddressKodepos: d.AddressKodepos, HomeStatus: d.HomeStatus,
		OccupiedSince: d.OccupiedSince, MaritalStatus: d.MaritalStatus, Dependent: d.Dependent,
		MobilePhone1: d.MobilePhone, MobilePhone2: d.MobilePhone2, CloseKinName: d.CloseKinName,
		CloseKinMobile: d.CloseKinMobile, SpouseName: d.SpouseName, SpouseMobilePhone: d.SpouseMobilePhone,
		SpouseDOB: d.SpouseDOB, KinRelationship: d.KinRelationship, KinName: d.KinName, KinMobilePhone: d.KinMobilePhone,
		KinDOB: d.KinDOB, JobType: d.JobType, JobIndustry: d.JobIndustry, JobDescription: d.JobDescription,
		CompanyName: d.CompanyName, CompanyPhone: d.CompanyPhone, JobStart: d.JobStart, Payday: d.Payday,
		LastEducation: d.LastEducation, MonthlyIncome: d.MonthlyIncome, MonthlyExpenses: d.MonthlyExpenses,
		MonthlyHousing: d.MonthlyHousing, TotalCurrentDebt: d.TotalCurrentDebt, BankName: d.BankName,
		BankAccountNumber: d.BankAccountNumber, LoanPurpose: d.LoanPurpose, LoanPurposeDesc: d.LoanPurposeDesc,
		VerificationAgree: d.VerificationAgree, TermsAccepted: d.TermsAccepted,
	}
}
