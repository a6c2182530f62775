package activities_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/testclock"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/julo"
	julosim "github.com/loanflow/loanflow/providers/julo/sim"
)

const (
	juloNIK   = "3203020101930001"
	juloEmail = "budi@example.com"
	juloPhone = "081234567890"
)

// juloData is a complete "julo" object of a married employee.
func juloData() lending.JuloApplicant {
	return lending.JuloApplicant{
		NIK: juloNIK, Email: juloEmail, PIN: "111222", Latitude: -6.1815657, Longitude: 106.7229445,
		BirthPlace: "Jakarta", Gender: julo.GenderMale, MotherMaidenName: "Nani",
		AddressStreetNum: "Jl. Merdeka 1", AddressProvinsi: "DKI Jakarta", AddressKabupaten: "Jakarta Barat",
		AddressKecamatan: "Cengkareng", AddressKelurahan: "Cengkareng Barat", AddressKodepos: "11730",
		HomeStatus: "Milik sendiri, lunas", MaritalStatus: julo.MaritalMarried, Dependent: 2, MobilePhone: juloPhone,
		SpouseName: "Lina", SpouseMobilePhone: "085330838901", KinRelationship: "Saudara kandung",
		KinName: "Dedi Kartono", KinMobilePhone: "081234561234", JobType: "Pegawai swasta",
		JobIndustry: "Kesehatan", JobDescription: "Apoteker", CompanyName: "DBS Bank", CompanyPhone: "02153653232",
		JobStart: date("2010-07-01"), Payday: 24, LastEducation: "Diploma",
		MonthlyIncome: decimal.NewFromInt(10000000), MonthlyExpenses: decimal.NewFromInt(500000),
		MonthlyHousing: decimal.Zero, TotalCurrentDebt: decimal.Zero,
		BankName: "BANK CENTRAL ASIA, Tbk (BCA)", BankAccountNumber: "10672272764",
		LoanPurpose: "Kebutuhan sehari-hari", LoanPurposeDesc: "beli susu", VerificationAgree: true, TermsAccepted: true,
	}
}

var jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00 a picture")

// juloFixture is the activity fixture's loan with JULO data, and the JULO
// simulator behind a real client.
type juloFixture struct {
	*fixture
	sim   *julosim.Server
	clock *testclock.Clock
	env   *testsuite.TestActivityEnvironment
}

// newJuloFixture serves the simulator through wrap (nil: as it is).
func newJuloFixture(t *testing.T, opts julosim.Options, wrap func(http.Handler) http.Handler) *juloFixture {
	t.Helper()
	f := newFixture(t)
	clk := testclock.New(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	opts.Now = clk.Now
	sim := julosim.New(opts)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := julo.New(julo.Config{BaseURL: srv.URL, Username: "partner", SecretKey: "secret"})
	require.NoError(t, err)
	data, err := json.Marshal(juloData())
	require.NoError(t, err)
	require.NoError(t, f.store.SetLenderData(context.Background(), f.ref, string(data)))

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(&activities.Activities{Store: f.store, Lenders: activities.Lenders{Julo: c}})
	return &juloFixture{fixture: f, sim: sim, clock: clk, env: env}
}

func (f *juloFixture) register(t *testing.T) string {
	t.Helper()
	v, err := f.env.ExecuteActivity(acts.JuloRegister, activities.LenderInput{Ref: f.ref})
	require.NoError(t, err)
	var xid string
	require.NoError(t, v.Get(&xid))
	return xid
}

// imagesAndOTP uploads the KTP and selfie and has JULO text the OTP.
func (f *juloFixture) imagesAndOTP(t *testing.T, xid string) activities.LenderInput {
	t.Helper()
	ctx := context.Background()
	docs := map[lending.DocumentKind]uint{}
	for _, kind := range []lending.DocumentKind{lending.DocKTP, lending.DocSelfie} {
		d := &models.Document{LoanRef: f.ref, Kind: kind, Filename: string(kind) + ".jpg", ContentType: "image/jpeg",
			Size: int64(len(jpegBytes)), SHA256: "x", Status: lending.DocStatusSubmitted, Data: jpegBytes, UploadedBy: "partner:demo"}
		require.NoError(t, f.store.AddDocument(ctx, d))
		docs[kind] = d.ID
	}
	in := activities.LenderInput{Ref: f.ref, LenderLoanID: xid, Documents: docs}
	_, err := f.env.ExecuteActivity(acts.JuloUploadImages, in)
	require.NoError(t, err)
	_, err = f.env.ExecuteActivity(acts.JuloSendOTP, in)
	require.NoError(t, err)
	return in
}

func (f *juloFixture) validate(t *testing.T, in activities.LenderInput, code string) activities.JuloOTPResult {
	t.Helper()
	in.OTP = code
	v, err := f.env.ExecuteActivity(acts.JuloValidateOTP, in)
	require.NoError(t, err)
	var res activities.JuloOTPResult
	require.NoError(t, v.Get(&res))
	return res
}

func TestJuloOnboardingAgainstTheSimulator(t *testing.T) {
	f := newJuloFixture(t, julosim.Options{}, nil)
	ctx := context.Background()
	xid := f.register(t)
	require.Equal(t, "2235427695", xid)
	loan, err := f.store.GetLoan(ctx, f.ref)
	require.NoError(t, err)
	require.Equal(t, xid, loan.LenderLoanID)
	require.NotContains(t, loan.LenderData, "111222", "the PIN is not kept once JULO has it")
	require.Contains(t, loan.LenderData, juloNIK)

	require.Equal(t, xid, f.register(t), "a retry answers the stored application")
	require.Equal(t, 1, f.sim.Registrations())

	in := f.imagesAndOTP(t, xid)
	code, sent := f.sim.LastOTP(2235427695)
	require.True(t, sent)
	wrong := "000000"
	if code == wrong {
		wrong = "999999"
	}
	require.Equal(t, activities.JuloOTPResult{Verdict: activities.OTPWrong, Message: "OTP is invalid, 2 tries left"}, f.validate(t, in, wrong))
	require.Equal(t, activities.OTPValid, f.validate(t, in, code).Verdict)
	require.Equal(t, activities.OTPValid, f.validate(t, in, code).Verdict, "validating the accepted code again is harmless")

	for range 2 { // completing again only updates the data
		_, err = f.env.ExecuteActivity(acts.JuloComplete, in)
		require.NoError(t, err)
	}
	app, ok := f.sim.Application(2235427695)
	require.True(t, ok)
	require.Equal(t, map[string]int{"ktp_self": 1, "selfie": 1}, app.Images)
	require.True(t, app.OTPValidated)
	require.Equal(t, juloPhone, app.VerifiedPhone)
	require.Equal(t, 2, app.Completed)
	require.Equal(t, "John Smith", app.Data["fullname"])
	require.Equal(t, "1990-01-01", app.Data["dob"])
	require.Equal(t, int64(10000000), app.Data["monthly_income"])
}

func TestJuloOTPVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    julosim.Options
		before  func(f *juloFixture)
		verdict string
	}{
		{"expired", julosim.Options{OTPTTL: time.Minute}, func(f *juloFixture) { f.clock.Advance(2 * time.Minute) }, activities.OTPExpired},
		{"the last wrong attempt", julosim.Options{MaxOTPAttempts: 1}, func(*juloFixture) {}, activities.OTPExhausted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newJuloFixture(t, tc.opts, nil)
			in := f.imagesAndOTP(t, f.register(t))
			tc.before(f)
			code, _ := f.sim.LastOTP(2235427695)
			wrong := "000000"
			if code == wrong {
				wrong = "999999"
			}
			if tc.verdict == activities.OTPExpired {
				wrong = code // even the right code is refused once expired
			}
			res := f.validate(t, in, wrong)
			require.Equal(t, tc.verdict, res.Verdict)
			require.NotEmpty(t, res.Message)
		})
	}
}

func TestJuloRegistration(t *testing.T) {
	t.Run("a customer JULO already knows is refused", func(t *testing.T) {
		f := newJuloFixture(t, julosim.Options{}, nil)
		f.sim.AddCustomer(juloNIK, "other@example.com")
		_, err := f.env.ExecuteActivity(acts.JuloRegister, activities.LenderInput{Ref: f.ref})
		require.Error(t, err)
		var appErr *temporal.ApplicationError
		require.ErrorAs(t, err, &appErr)
		require.True(t, appErr.NonRetryable())
		require.Equal(t, activities.ErrTypeProviderRefused, appErr.Type())
		require.Contains(t, appErr.Message(), "NIK already registered")
		require.Zero(t, f.sim.Registrations())
		loan, err := f.store.GetLoan(context.Background(), f.ref)
		require.NoError(t, err)
		require.Empty(t, loan.LenderLoanID)
	})
	t.Run("a registration whose answer was lost is recovered, not repeated", func(t *testing.T) {
		var dropped atomic.Bool
		dropFirstRegistration := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/customer") && dropped.CompareAndSwap(false, true) {
					next.ServeHTTP(httptest.NewRecorder(), r) // JULO commits …
					conn, _, err := http.NewResponseController(w).Hijack()
					if err != nil {
						t.Errorf("hijack: %v", err) // Errorf: this is the server's goroutine
						return
					}
					_ = conn.Close() // … and the answer is lost
					return
				}
				next.ServeHTTP(w, r)
			})
		}
		f := newJuloFixture(t, julosim.Options{}, dropFirstRegistration)
		require.Equal(t, "2235427695", f.register(t))
		require.True(t, dropped.Load())
		require.Equal(t, 1, f.sim.Registrations())
	})
	t.Run("a loan without JULO data", func(t *testing.T) {
		f := newJuloFixture(t, julosim.Options{}, nil)
		require.NoError(t, f.store.SetLenderData(context.Background(), f.ref, ""))
		_, err := f.env.ExecuteActivity(acts.JuloRegister, activities.LenderInput{Ref: f.ref})
		var appErr *temporal.ApplicationError
		require.ErrorAs(t, err, &appErr)
		require.Equal(t, activities.ErrTypeLenderData, appErr.Type())
	})
}
