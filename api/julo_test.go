package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// juloObject is a valid "julo" object: a single student (no employer, a
// close kin instead of a spouse).
func juloObject() map[string]any {
	return map[string]any{
		"nik": "3203020101930001", "email": "budi@example.com", "pin": "111222",
		"latitude": -6.1815657, "longitude": 106.7229445,
		"birth_place": "Jakarta", "gender": "Pria", "mother_maiden_name": "Nani",
		"address_street_num": "Jl. Merdeka 1", "address_provinsi": "DKI Jakarta", "address_kabupaten": "Jakarta Utara",
		"address_kecamatan": "Pademangan", "address_kelurahan": "Pademangan Timur", "address_kodepos": "14410",
		"home_status": "Milik keluarga", "marital_status": "Lajang", "dependent": 0,
		"mobile_phone": "081234567890", "close_kin_name": "Tom Smith", "close_kin_mobile_phone": "081234567891",
		"kin_relationship": "Orang tua", "kin_name": "Tom Smith", "kin_mobile_phone": "081234567891",
		"job_type": "Mahasiswa", "last_education": "SMA",
		"monthly_income": "0", "monthly_expenses": "1000000", "monthly_housing_cost": "0", "total_current_debt": "0",
		"bank_name": "BANK CENTRAL ASIA, Tbk (BCA)", "bank_account_number": "10672272764",
		"loan_purpose": "Biaya pendidikan", "loan_purpose_desc": "uang kuliah",
		"is_verification_agreed": true, "is_term_accepted": true,
	}
}

func juloApplication() map[string]any {
	app := application()
	app["product_code"] = "julo"
	app["julo"] = juloObject()
	return app
}

func TestSubmitJuloLoan(t *testing.T) {
	e := newEnv(t)
	res := e.post(demo, "/v1/loans", juloApplication(), key("julo-1"))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	ref := int64(res.json(t)["ref"].(float64))
	require.NotContains(t, res.Body.String(), "3203020101930001", "the JULO data is not echoed")
	require.Equal(t, lending.LenderJulo, e.engine.Starts()[0].Product.Lender)

	stored, err := e.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	require.Equal(t, lending.LenderJulo, stored.Lender)
	var data lending.JuloApplicant
	require.NoError(t, json.Unmarshal([]byte(stored.LenderData), &data))
	require.Equal(t, "3203020101930001", data.NIK)
	require.Equal(t, "111222", data.PIN)
	require.Equal(t, "081234567890", data.MobilePhone)
	require.Equal(t, "1000000", data.MonthlyExpenses.String())
	require.True(t, data.VerificationAgree)

	again := e.post(demo, "/v1/loans", juloApplication(), key("julo-1"))
	require.Equal(t, http.StatusOK, again.Code, again.Body.String())
	changed := juloApplication()
	changed["julo"].(map[string]any)["email"] = "other@example.com"
	e.post(demo, "/v1/loans", changed, key("julo-1")).problem(t, http.StatusConflict)

	// A loan without JULO data hashes as loans did before JULO, so a
	// partner retrying an older submission is not told its key was reused.
	plain := e.post(demo, "/v1/loans", application(), key("plain"))
	require.Equal(t, http.StatusCreated, plain.Code, plain.Body.String())
	ps, err := e.store.GetLoan(context.Background(), int64(plain.json(t)["ref"].(float64)))
	require.NoError(t, err)
	require.Empty(t, ps.LenderData)
	before, err := json.Marshal(struct {
		ProductCode string `json:"product_code"`
		Amount      string `json:"amount"`
		TermMonths  int    `json:"term_months"`
		SubmittedBy string `json:"submitted_by"`
		Office      string `json:"office"`
		Applicant   models.Applicant
		BirthDate   string `json:"birth_date"`
	}{"consumer", "2000", 6, "Mike", "Main office", ps.Applicant, "1990-01-01"})
	require.NoError(t, err)
	sum := sha256.Sum256(before)
	require.Equal(t, hex.EncodeToString(sum[:]), ps.RequestHash)
}

func TestSubmitJuloLoanValidation(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(app, julo map[string]any)
		fields []string
	}{
		{"the julo object is missing: each required field is named", func(app, _ map[string]any) { delete(app, "julo") }, []string{
			"julo.address_kabupaten", "julo.address_kecamatan", "julo.address_kelurahan", "julo.address_kodepos",
			"julo.address_provinsi", "julo.address_street_num", "julo.bank_account_number", "julo.bank_name",
			"julo.birth_place", "julo.dependent", "julo.email", "julo.gender", "julo.home_status",
			"julo.is_term_accepted", "julo.is_verification_agreed", "julo.job_type", "julo.kin_mobile_phone",
			"julo.kin_name", "julo.kin_relationship", "julo.last_education", "julo.latitude", "julo.loan_purpose",
			"julo.loan_purpose_desc", "julo.longitude", "julo.marital_status", "julo.mobile_phone",
			"julo.monthly_expenses", "julo.monthly_housing_cost", "julo.monthly_income", "julo.mother_maiden_name",
			"julo.nik", "julo.pin", "julo.total_current_debt",
		}},
		{"malformed values", func(_, j map[string]any) {
			j["nik"], j["pin"], j["email"], j["mobile_phone"] = "12345", "12ab56", "not-an-email", "0123456789"
			j["address_kodepos"], j["gender"], j["latitude"], j["dependent"] = "1441", "L", 91.5, 30
			j["monthly_income"], j["is_term_accepted"] = "100.50", false
		}, []string{"julo.address_kodepos", "julo.dependent", "julo.email", "julo.gender", "julo.is_term_accepted",
			"julo.latitude", "julo.mobile_phone", "julo.monthly_income", "julo.nik", "julo.pin"}},
		{"wrong JSON types and an unknown field", func(_, j map[string]any) {
			j["latitude"], j["is_verification_agreed"], j["occupied_since"], j["favourite_colour"] = "south", "yes", "13/07/1999", "blue"
		}, []string{"julo.favourite_colour", "julo.is_verification_agreed", "julo.latitude", "julo.occupied_since"}},
		{"single without a close kin", func(_, j map[string]any) {
			delete(j, "close_kin_name")
			delete(j, "close_kin_mobile_phone")
		}, []string{"julo.close_kin_mobile_phone", "julo.close_kin_name"}},
		{"married without a spouse", func(_, j map[string]any) { j["marital_status"] = "Menikah" },
			[]string{"julo.spouse_mobile_phone", "julo.spouse_name"}},
		{"an employee without employer data", func(_, j map[string]any) { j["job_type"] = "Pegawai swasta" }, []string{
			"julo.company_name", "julo.company_phone_number", "julo.job_description", "julo.job_industry",
			"julo.job_start", "julo.payday",
		}},
		{"julo data for a product JULO does not fund", func(app, _ map[string]any) { app["product_code"] = "consumer" }, []string{"julo"}},
		{"julo is not an object", func(app, _ map[string]any) { app["julo"] = "yes" }, []string{"julo"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			app := juloApplication()
			tc.edit(app, app["julo"].(map[string]any))
			p := e.post(demo, "/v1/loans", app, key("k")).problem(t, http.StatusBadRequest)
			got := p.fields()
			sort.Strings(got)
			require.Equal(t, tc.fields, got, "%+v", p.Errors)
			require.Zero(t, len(e.engine.Starts()))
		})
	}
	t.Run("an employee with employer data", func(t *testing.T) {
		e := newEnv(t)
		app := juloApplication()
		j := app["julo"].(map[string]any)
		j["job_type"], j["job_industry"], j["job_description"] = "Pegawai swasta", "Kesehatan", "Apoteker"
		j["company_name"], j["company_phone_number"], j["job_start"], j["payday"] = "DBS Bank", "02153653232", "2010-07-01", 24
		res := e.post(demo, "/v1/loans", app, key("k"))
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	})
}

func TestUploadJuloImages(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusSubmitted, "2000.00")
	res := e.upload(demo, l.Ref, lending.DocKTP, "ktp.jpg", jpegBytes())
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	id := uint(res.json(t)["document"].(map[string]any)["id"].(float64))
	require.Equal(t, workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocKTP, DocumentID: id}, e.engine.LastUpdate(t).Arg)

	p := e.upload(demo, l.Ref, lending.DocSelfie, "selfie.pdf", pdfBytes()).problem(t, http.StatusUnsupportedMediaType)
	require.Contains(t, p.Detail, "JPEG or PNG")
	require.Len(t, e.documents(l.Ref), 1)
}

func TestSubmitOTP(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusSubmitted, "2000.00")
	path := fmt.Sprintf("/v1/loans/%d/otp", l.Ref)

	res := e.post(demo, path, map[string]any{"otp": "123456"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, float64(l.Ref), res.json(t)["ref"])
	first := e.engine.LastUpdate(t)
	require.Equal(t, workflows.UpdateSubmitOTP, first.Name)
	require.Equal(t, workflows.OTPRequest{Actor: "partner:demo", OTP: "123456"}, first.Arg)
	require.NotContains(t, first.ID, "123456", "the code does not show in the Update ID")

	// A retry of the same code is the same Update; another code, or the
	// same code once a round went by without a verdict, is a new one.
	e.post(demo, path, map[string]any{"otp": "123456"}, nil)
	require.Equal(t, first.ID, e.engine.LastUpdate(t).ID)
	e.post(demo, path, map[string]any{"otp": "654321"}, nil)
	require.NotEqual(t, first.ID, e.engine.LastUpdate(t).ID)
	e.engine.Julo = &workflows.JuloView{Step: workflows.JuloStepAwaitingOTP, OTPAttemptsLeft: 3, OTPRound: 1}
	e.post(demo, path, map[string]any{"otp": "123456"}, nil)
	require.NotEqual(t, first.ID, e.engine.LastUpdate(t).ID)
	e.post(demo, path, map[string]any{"otp": "123456"}, key("partner-key-7"))
	require.Equal(t, "submit-otp-1/partner:demo/partner-key-7", e.engine.LastUpdate(t).ID)

	calls := len(e.engine.Updates())
	for _, body := range []any{map[string]any{}, map[string]any{"otp": "12ab56"}, map[string]any{"otp": 123456}, map[string]any{"otp": "123"}} {
		p := e.post(demo, path, body, nil).problem(t, http.StatusBadRequest)
		require.Equal(t, []string{"otp"}, p.fields())
	}
	p := e.post(demo, path, map[string]any{"otp": "123456", "pin": "1"}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"pin"}, p.fields())
	e.post(other, path, map[string]any{"otp": "123456"}, nil).problem(t, http.StatusNotFound)
	require.Equal(t, calls, len(e.engine.Updates()), "nothing reached the workflow")

	e.engine.UpdateErr = &failure.Error{Kind: failure.KindInvalid, Detail: "wrong OTP: 2 attempt(s) left"}
	p = e.post(demo, path, map[string]any{"otp": "000000"}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, "wrong OTP: 2 attempt(s) left", p.Detail)
	e.engine.UpdateErr = &failure.Error{Kind: failure.KindConflict, Type: "illegal-transition", Detail: "JULO has not texted the OTP yet (step awaiting_images)"}
	p = e.post(demo, path, map[string]any{"otp": "000000"}, nil).problem(t, http.StatusConflict)
	require.Contains(t, p.Detail, "not texted the OTP yet")
}
