package julo_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/julo"
	"github.com/loanflow/loanflow/providers/julo/sim"
	"github.com/loanflow/loanflow/providers/providertest"
)

const (
	nik   = "3203020101930001"
	email = "example@test.com"
	phone = "085330838909"
)

// TestApplyingForCreditLimit walks JULO's documented flow through every client call.
func TestApplyingForCreditLimit(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := ctx(t)

	require.NoError(t, e.client.PreRegisterCheck(c, nik, email))
	cust, err := e.client.Register(c, registration(nik, email))
	require.NoError(t, err)
	require.Equal(t, julo.Customer{ApplicationXID: 2235427695, Email: email, KTP: nik}, *cust)
	xid := cust.ApplicationXID

	err = e.client.PreRegisterCheck(c, nik, email)
	providertest.RequireRefused(t, err, http.StatusBadRequest, julo.CodeRefused, "NIK already registered")
	again, err := e.client.Register(c, registration(nik, email))
	require.NoError(t, err)
	require.Equal(t, xid, again.ApplicationXID, "an identical repeat answers with the same application")
	require.Equal(t, 1, e.sim.Registrations())

	require.NoError(t, e.client.UploadImage(c, xid, julo.ImageKTP, jpeg))
	_, err = e.client.CompleteApplication(c, xid, applicationData(phone))
	providertest.RequireRefused(t, err, http.StatusBadRequest, julo.CodeRefused, "Image selfie has not been uploaded; Mobile phone has not been verified by OTP")
	require.NoError(t, e.client.UploadImage(c, xid, julo.ImageSelfie, julo.File{Name: "selfie.png", Data: []byte("\x89PNG\r\n\x1a\n selfie")}))
	require.NoError(t, e.client.UploadImage(c, xid, julo.ImageSelfie, jpeg), "uploading again replaces the image")

	require.NoError(t, e.client.SendOTP(c, xid, phone))
	otp, ok := e.sim.LastOTP(xid)
	require.True(t, ok)
	require.Len(t, otp, 6)
	require.NoError(t, e.client.SendOTP(c, xid, phone))
	resent, _ := e.sim.LastOTP(xid)
	require.Equal(t, otp, resent, "a resend while the OTP is pending repeats the code")

	err = e.client.ValidateOTP(c, xid, wrong(otp))
	providertest.RequireRefused(t, err, http.StatusBadRequest, julo.CodeOTPInvalid, "OTP is invalid, 2 tries left")
	require.NoError(t, e.client.ValidateOTP(c, xid, otp))
	require.NoError(t, e.client.ValidateOTP(c, xid, otp), "validating the accepted OTP again succeeds")

	app, err := e.client.CompleteApplication(c, xid, applicationData(phone))
	require.NoError(t, err)
	require.Equal(t, xid, app.ApplicationXID)
	require.Equal(t, "Budi Ismail", app.Fullname)
	require.Equal(t, nik, app.KTP)
	require.Equal(t, email, app.Email)
	require.Equal(t, day("1992-01-01"), app.DOB)
	require.Equal(t, phone, app.MobilePhone1)
	require.Equal(t, julo.MaritalMarried, app.MaritalStatus)
	require.True(t, app.MonthlyIncome.Equal(decimal.NewFromInt(10000000)))
	require.True(t, app.MonthlyExpenses.Equal(decimal.NewFromInt(500000)))
	require.True(t, app.TotalCurrentDebt.IsZero())
	require.Equal(t, "0672272764", app.BankAccountNumber)

	snap, ok := e.sim.Application(xid)
	require.True(t, ok)
	require.Equal(t, map[string]int{"ktp_self": 1, "selfie": 2}, snap.Images)
	require.Equal(t, 2, snap.OTPSends)
	require.True(t, snap.OTPValidated)
	require.Equal(t, phone, snap.VerifiedPhone)
	require.Equal(t, 1, snap.Completed)
	require.Equal(t, int64(24), snap.Data["payday"])
	require.Equal(t, "1972-01-28", snap.Data["spouse_dob"])
	require.Equal(t, []int64{xid}, e.sim.ApplicationXIDs())
}

func TestOTPExpiryAndAttempts(t *testing.T) {
	var texted []string
	e := newEnv(t, sim.Options{OTPTTL: 2 * time.Minute, MaxOTPAttempts: 3, OTPSeed: 7,
		OnOTP: func(_ int64, to, otp string) { texted = append(texted, to+":"+otp) }})
	c := ctx(t)
	cust, err := e.client.Register(c, registration(nik, email))
	require.NoError(t, err)
	xid := cust.ApplicationXID

	providertest.RequireRefused(t, e.client.ValidateOTP(c, xid, "123456"), 400, julo.CodeOTPNotRequested, "OTP has not been requested")

	require.NoError(t, e.client.SendOTP(c, xid, phone))
	first, _ := e.sim.LastOTP(xid)
	e.clock.Advance(2 * time.Minute)
	providertest.RequireRefused(t, e.client.ValidateOTP(c, xid, first), 400, julo.CodeOTPExpired, "OTP has expired, request a new one")

	require.NoError(t, e.client.SendOTP(c, xid, phone))
	second, _ := e.sim.LastOTP(xid)
	require.NotEqual(t, first, second, "an expired OTP is replaced")
	providertest.RequireRefused(t, e.client.ValidateOTP(c, xid, wrong(second)), 400, julo.CodeOTPInvalid, "2 tries left")
	providertest.RequireRefused(t, e.client.ValidateOTP(c, xid, wrong(second)), 400, julo.CodeOTPInvalid, "1 tries left")
	providertest.RequireRefused(t, e.client.ValidateOTP(c, xid, wrong(second)), 400, julo.CodeOTPAttemptsExceeded, "Too many attempts")
	providertest.RequireRefused(t, e.client.ValidateOTP(c, xid, second), 400, julo.CodeOTPAttemptsExceeded, "Too many attempts, request a new OTP")

	require.NoError(t, e.client.SendOTP(c, xid, phone))
	third, _ := e.sim.LastOTP(xid)
	require.NotEqual(t, second, third, "an exhausted OTP is replaced")
	e.clock.Advance(time.Minute)
	require.NoError(t, e.client.ValidateOTP(c, xid, third))
	snap, _ := e.sim.Application(xid)
	require.True(t, snap.OTPValidated)
	require.Equal(t, 3, snap.OTPSends)
	require.Equal(t, []string{phone + ":" + first, phone + ":" + second, phone + ":" + third}, texted)
}

// TestRefusals checks JULO's failure envelope reaches the caller as a non-retryable *providers.Error
// whose message joins JULO's errors.
func TestRefusals(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := ctx(t)
	e.sim.AddCustomer("3203020101930099", "old@test.com")
	cust, err := e.client.Register(c, registration(nik, email))
	require.NoError(t, err)
	xid := cust.ApplicationXID
	require.NoError(t, e.client.UploadImage(c, xid, julo.ImageKTP, jpeg))
	require.NoError(t, e.client.UploadImage(c, xid, julo.ImageSelfie, jpeg))
	require.NoError(t, e.client.SendOTP(c, xid, phone))
	otp, _ := e.sim.LastOTP(xid)
	require.NoError(t, e.client.ValidateOTP(c, xid, otp))

	badCreds, err := julo.New(julo.Config{BaseURL: e.srv.URL, Username: "partner", SecretKey: "nope"})
	require.NoError(t, err)

	married := applicationData(phone)
	married.SpouseName, married.SpouseMobilePhone = "", ""
	single := applicationData(phone)
	single.MaritalStatus = julo.MaritalSingle
	student := applicationData(phone)
	student.JobType, student.JobIndustry, student.JobDescription, student.CompanyName, student.CompanyPhone, student.Payday = "Mahasiswa", "", "", "", "", 0
	student.JobStart = time.Time{}
	employed := applicationData(phone)
	employed.CompanyName, employed.Payday = "", 0
	fraction := applicationData(phone)
	fraction.MonthlyIncome = decimal.RequireFromString("3000000.50")
	otherPhone := applicationData("081234567899")
	unsure := applicationData(phone)
	unsure.TermsAccepted = false
	unsure.Gender = "L"

	providertest.RequireRefusals(t, []providertest.Refusal{
		{Name: "bad secret key", Call: func() error { return badCreds.PreRegisterCheck(c, "3203020101930002", "a@test.com") },
			Status: 401, Code: julo.CodeUnauthorized, Message: "Invalid partner credentials", Operator: true},
		{Name: "pre-register check of a JULO customer", Call: func() error { return e.client.PreRegisterCheck(c, "3203020101930099", "x@test.com") },
			Status: 400, Code: julo.CodeRefused, Message: "NIK already registered"},
		{Name: "pre-register check of a used email", Call: func() error { return e.client.PreRegisterCheck(c, "3203020101930003", "old@test.com") },
			Status: 400, Code: julo.CodeRefused, Message: "Email already registered"},
		{Name: "pre-register check formats", Call: func() error { return e.client.PreRegisterCheck(c, "123", "not-an-email") },
			Status: 400, Code: julo.CodeRefused, Message: "nik: NIK must be 16 digits.; email: Enter a valid email address."},
		{Name: "register formats", Call: func() error {
			_, err := e.client.Register(c, julo.Registration{NIK: "32030201019300", PIN: "12", Email: "a@test.com", Latitude: 95})
			return err
		}, Status: 400, Code: julo.CodeRefused, Message: "username: NIK must be 16 digits.; pin: PIN must be 6 digits.; latitude: A valid number between -90 and 90 is required."},
		{Name: "register the same NIK with another PIN", Call: func() error {
			r := registration(nik, email)
			r.PIN = "999888"
			_, err := e.client.Register(c, r)
			return err
		}, Status: 400, Code: julo.CodeRefused, Message: "NIK already registered"},
		{Name: "register another NIK with a used email", Call: func() error {
			_, err := e.client.Register(c, registration("3203020101930004", email))
			return err
		}, Status: 400, Code: julo.CodeRefused, Message: "Email already registered"},
		{Name: "image of an unknown application", Call: func() error { return e.client.UploadImage(c, 1, julo.ImageKTP, jpeg) },
			Status: 404, Code: julo.CodeNotFound, Message: "Application not found"},
		{Name: "image type", Call: func() error { return e.client.UploadImage(c, xid, julo.ImageType("passport"), jpeg) },
			Status: 400, Code: julo.CodeRefused, Message: `image_type: "passport" is not a valid choice.`},
		{Name: "image that is not an image", Call: func() error {
			return e.client.UploadImage(c, xid, julo.ImagePaystub, julo.File{Name: "x.jpg", Data: []byte("%PDF-1.4")})
		}, Status: 400, Code: julo.CodeRefused, Message: "upload: Upload a valid image."},
		{Name: "OTP phone format", Call: func() error { return e.client.SendOTP(c, xid, "+1 555 0100") },
			Status: 400, Code: julo.CodeRefused, Message: "phone: Enter a valid mobile phone number."},
		{Name: "married without spouse", Call: func() error { _, err := e.client.CompleteApplication(c, xid, married); return err },
			Status: 400, Code: julo.CodeRefused, Message: "spouse_name: This field is required.; spouse_mobile_phone: This field is required."},
		{Name: "single without close kin", Call: func() error { _, err := e.client.CompleteApplication(c, xid, single); return err },
			Status: 400, Code: julo.CodeRefused, Message: "close_kin_name: This field is required.; close_kin_mobile_phone: This field is required."},
		{Name: "employed without employer", Call: func() error { _, err := e.client.CompleteApplication(c, xid, employed); return err },
			Status: 400, Code: julo.CodeRefused, Message: "company_name: This field is required.; payday: This field is required."},
		{Name: "income in whole rupiah", Call: func() error { _, err := e.client.CompleteApplication(c, xid, fraction); return err },
			Status: 400, Code: julo.CodeRefused, Message: "monthly_income: A valid integer is required."},
		{Name: "phone not verified", Call: func() error { _, err := e.client.CompleteApplication(c, xid, otherPhone); return err },
			Status: 400, Code: julo.CodeRefused, Message: "mobile_phone_1: Must be the mobile phone verified by OTP."},
		{Name: "terms and enumerations", Call: func() error { _, err := e.client.CompleteApplication(c, xid, unsure); return err },
			Status: 400, Code: julo.CodeRefused, Message: `gender: "L" is not a valid choice.; is_term_accepted: Terms must be accepted.`},
	})

	_, err = e.client.CompleteApplication(c, xid, student)
	require.NoError(t, err, "students are not asked for an employer")
	require.Equal(t, 1, e.sim.Registrations())
}

func TestLogsMaskPersonalData(t *testing.T) {
	e := newEnv(t, sim.Options{SecretKey: "secret-value"})
	var buf bytes.Buffer
	c, err := julo.New(julo.Config{BaseURL: e.srv.URL, Username: "partner", SecretKey: "secret-value",
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	cust, err := c.Register(ctx(t), registration(nik, email))
	require.NoError(t, err)
	require.NoError(t, c.SendOTP(ctx(t), cust.ApplicationXID, phone))
	otp, _ := e.sim.LastOTP(cust.ApplicationXID)
	require.NoError(t, c.ValidateOTP(ctx(t), cust.ApplicationXID, otp))
	logged := buf.String()
	require.Contains(t, logged, "op=register")
	require.Contains(t, logged, "***")
	for _, secret := range []string{nik, email, "111222", phone, otp, "secret-value", "106.72"} {
		require.NotContains(t, logged, secret)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	providertest.RequireConfigsRefused(t, func(c julo.Config) error { _, err := julo.New(c); return err },
		julo.Config{BaseURL: "api.julo.co.id", Username: "u", SecretKey: "k"},
		julo.Config{BaseURL: "https://api.julo.co.id", SecretKey: "k"},
		julo.Config{BaseURL: "https://api.julo.co.id", Username: "u"},
	)
}

// wrong returns a different six-digit code.
func wrong(otp string) string {
	if otp == "000000" {
		return "111111"
	}
	return "000000"
}
