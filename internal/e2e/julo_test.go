package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

var jpegDoc = encodeImage(func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })

// encodeImage is a small real image in the encoder's format: uploads are
// checked to decode.
func encodeImage(encode func(io.Writer, image.Image) error) []byte {
	var b bytes.Buffer
	if err := encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// juloApplication is a loan of the julo product with its "julo" data, the
// NIK, e-mail and phone derived from the applicant's identity number so
// every loan is a different JULO customer.
func juloApplication(identity string) map[string]any {
	app := application("2000.00", 6)
	app["product_code"] = "julo"
	app["applicant"].(map[string]any)["identity_number"] = identity
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, identity)
	app["julo"] = map[string]any{
		"nik": "32030101" + digits, "email": strings.ToLower(identity) + "@example.com", "pin": "111222",
		"latitude": -6.1815657, "longitude": 106.7229445,
		"birth_place": "Jakarta", "gender": "Pria", "mother_maiden_name": "Nani",
		"address_street_num": "Jl. Merdeka 1", "address_provinsi": "DKI Jakarta", "address_kabupaten": "Jakarta Barat",
		"address_kecamatan": "Cengkareng", "address_kelurahan": "Cengkareng Barat", "address_kodepos": "11730",
		"home_status": "Milik sendiri, lunas", "marital_status": "Menikah", "dependent": 2,
		"mobile_phone": "0812" + digits, "spouse_name": "Lina", "spouse_mobile_phone": "085330838901",
		"kin_relationship": "Saudara kandung", "kin_name": "Dedi Kartono", "kin_mobile_phone": "081234561234",
		"job_type": "Pegawai swasta", "job_industry": "Kesehatan", "job_description": "Apoteker",
		"company_name": "DBS Bank", "company_phone_number": "02153653232", "job_start": "2010-07-01", "payday": 24,
		"last_education": "Diploma", "monthly_income": "10000000", "monthly_expenses": "500000",
		"monthly_housing_cost": "0", "total_current_debt": "0",
		"bank_name": "BANK CENTRAL ASIA, Tbk (BCA)", "bank_account_number": "10672272764",
		"loan_purpose": "Kebutuhan sehari-hari", "loan_purpose_desc": "beli susu",
		"is_verification_agreed": true, "is_term_accepted": true,
	}
	return app
}

// uploadJuloImages uploads the customer's KTP and selfie, as the partner does.
func uploadJuloImages(t *testing.T, s *stack, ref int64) {
	t.Helper()
	for _, img := range []struct {
		kind, name string
		data       []byte
	}{{"ktp", "ktp.png", pngDoc}, {"selfie", "selfie.jpg", jpegDoc}} {
		r := s.upload(fmt.Sprintf("/v1/loans/%d/documents", ref), img.kind, img.name, img.data)
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
	}
}

// onboardJulo does the partner's JULO steps of a submitted loan: upload
// the KTP and selfie, read the OTP JULO texted (from the simulator, as the
// customer reads it on their phone), optionally enter a wrong one first,
// submit it, and wait until JULO has the application complete. It answers
// JULO's application_xid.
func onboardJulo(t *testing.T, s *stack, ref int64, wrongFirst bool) int64 {
	t.Helper()
	base := fmt.Sprintf("/v1/loans/%d", ref)
	partner := func(c call) reply { c.user, c.pass = "demo", "demo-secret"; return s.do(c) }
	uploadJuloImages(t, s, ref)
	var xid int64
	var code string
	deadline := time.Now().Add(90 * time.Second)
	for {
		loan, err := s.store.GetLoan(context.Background(), ref)
		require.NoError(t, err)
		if loan.LenderLoanID != "" {
			xid, err = strconv.ParseInt(loan.LenderLoanID, 10, 64)
			require.NoError(t, err)
			var sent bool
			if code, sent = s.providers.Sims.Julo.LastOTP(xid); sent {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "loan %d: JULO texted no OTP", ref)
		time.Sleep(100 * time.Millisecond)
	}
	if wrongFirst {
		wrong := "000000"
		if code == wrong {
			wrong = "999999"
		}
		r := partner(call{method: "POST", path: base + "/otp", json: map[string]any{"otp": wrong}})
		require.Equal(t, http.StatusBadRequest, r.status, string(r.body))
		require.Contains(t, r.decode(t)["detail"], "wrong OTP: 2 attempt(s) left")
	}
	r := partner(call{method: "POST", path: base + "/otp", json: map[string]any{"otp": code}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Equal(t, "SUBMITTED", r.decode(t)["status"])
	deadline = time.Now().Add(90 * time.Second)
	for {
		v, err := s.temporal.QueryWorkflow(context.Background(), workflows.LoanWorkflowID(ref), "", workflows.QueryStatus)
		require.NoError(t, err)
		var view workflows.LoanView
		require.NoError(t, v.Get(&view))
		require.NotNil(t, view.Julo)
		if view.Julo.Step == workflows.JuloStepComplete {
			return xid
		}
		require.Equal(t, lending.StatusSubmitted, view.Status, "loan %d: %s", ref, view.Reason)
		require.True(t, time.Now().Before(deadline), "loan %d: JULO application still at %s", ref, view.Julo.Step)
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLoanFundedByJulo: a loan of the julo product is registered with the
// JULO simulator, its images sent, the customer's phone verified by OTP (a
// wrong code refused first) and its application completed; our
// underwriters then decide it as any other, and it runs to CLOSED. JULO
// holds exactly one registration.
func TestLoanFundedByJulo(t *testing.T) {
	s := startStack(t)
	partner := func(c call) reply { c.user, c.pass = "demo", "demo-secret"; return s.do(c) }
	underwriter := func(c call) reply { c.user, c.pass = "underwriter", "underwriter-secret"; return s.do(c) }
	r := partner(call{method: "POST", path: "/v1/loans", headers: map[string]string{"Idempotency-Key": "julo-1"}, json: juloApplication("I12356789T")})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	ref := int64(r.decode(t)["ref"].(float64))
	base, bo := fmt.Sprintf("/v1/loans/%d", ref), fmt.Sprintf("/backoffice/v1/loans/%d", ref)

	early := partner(call{method: "POST", path: base + "/otp", json: map[string]any{"otp": "123456"}})
	require.Equal(t, http.StatusConflict, early.status, string(early.body))
	tooSoon := underwriter(call{method: "POST", path: bo + "/approve", json: map[string]any{}})
	require.Equal(t, http.StatusConflict, tooSoon.status, string(tooSoon.body))
	require.Contains(t, tooSoon.decode(t)["detail"], "JULO application is not complete yet")

	xid := onboardJulo(t, s, ref, true)
	again := partner(call{method: "POST", path: base + "/otp", json: map[string]any{"otp": "123456"}, headers: map[string]string{"Idempotency-Key": "otp-again"}})
	require.Equal(t, http.StatusConflict, again.status, string(again.body))

	approved := underwriter(call{method: "POST", path: bo + "/approve", json: map[string]any{}})
	require.Equal(t, http.StatusOK, approved.status, string(approved.body))
	require.Equal(t, "APPROVED", approved.decode(t)["status"])
	for _, d := range []struct{ kind, name string }{{"signed_agreement", "a.pdf"}, {"bank_statement", "s.pdf"}} {
		up := s.upload(base+"/documents", d.kind, d.name, pdfDoc)
		require.Equal(t, http.StatusCreated, up.status, string(up.body))
	}
	auth := s.do(call{method: "POST", path: bo + "/cash-release/authorize", user: "operations", pass: "operations-secret", json: map[string]any{}})
	require.Equal(t, http.StatusOK, auth.status, string(auth.body))
	repayInTwo(t, s, ref, payOut(t, s, ref), "julo-pay")
	require.Equal(t, "CLOSED", loanStatus(t, s, ref))
	awaitWorkflowEnd(t, s, ref)

	sim := s.providers.Sims.Julo
	require.Equal(t, 1, sim.Registrations())
	app, ok := sim.Application(xid)
	require.True(t, ok)
	require.Equal(t, map[string]int{"ktp_self": 1, "selfie": 1}, app.Images)
	require.True(t, app.OTPValidated)
	require.Equal(t, 1, app.OTPAttempts, "the one wrong code")
	require.Equal(t, "081212356789", app.VerifiedPhone)
	require.Equal(t, 1, app.Completed)
	require.Equal(t, "John Smith", app.Data["fullname"])

	loan, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	require.Equal(t, strconv.FormatInt(xid, 10), loan.LenderLoanID)
	require.NotContains(t, loan.LenderData, `"pin"`, "the JULO PIN is dropped once registered")
	trail, err := s.store.AuditTrail(context.Background(), ref)
	require.NoError(t, err)
	var actions []lending.Action
	for _, ev := range trail {
		actions = append(actions, ev.Action)
	}
	require.Subset(t, actions, []lending.Action{"lender_register", "lender_images", "otp_sent", "otp_wrong", "otp_verified", "lender_complete", "approve", "close"})
	recordHistory(t, s, ref, "julo-loan")
}
