package sim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/julo/sim"
)

// These tests speak raw HTTP with the bodies of JULO's own examples.

func send(t *testing.T, s http.Handler, method, path, contentType string, body io.Reader) (int, map[string]any, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("secret-key", "secret")
	req.Header.Set("username", "partner")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var env map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env), rec.Body.String())
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	return rec.Code, env, rec.Body.String()
}

// seedCompleteBody is the complete customer data request of JULO's curl example, strings for numbers
// included.
const seedCompleteBody = `{"fullname": "budi ismail", "birth_place": "Jakarta", "kin_mobile_phone": "087778231801", "job_industry": "Kesehatan", "job_type": "Pegawai swasta", "job_description": "Apoteker", "monthly_income": 10000000, "monthly_expenses": 500000, "monthly_housing_cost": 0, "total_current_debt": 0, "dob": "1992-01-01", "gender": "Pria", "address_street_num": "Batcave, Gotham City", "address_provinsi": "DKI Jakarta", "address_kabupaten": "Jakarta Barat", "address_kecamatan": "Cengkareng", "address_kelurahan": "Cengkareng Barat", "address_kodepos": "11730", "bank_account_number":"0672272764", "bank_name":"BANK NEGARA INDONESIA (PERSERO), Tbk (BNI)", "company_name":"DBS Bank", "dependent":"2","home_status":"Milik sendiri, lunas", "company_phone_number":"02153653232", "job_start":"2010-07-01", "mobile_phone_1": "085330838909", "close_kin_mobile_phone":"08533038906", "spouse_mobile_phone":"085330838901", "kin_name":"Lawage Nugroho", "kin_relationship":"Saudara kandung", "last_education":"Diploma", "loan_purpose":"Membeli kendaraan", "loan_purpose_desc":"Need to buy new gadget to repel sharksss", "marital_status":"Menikah", "occupied_since":"1999-07-13", "payday":"24", "kin_dob":"1978-01-28", "spouse_dob":"1972-01-28", "spouse_name":"Jeane Melany", "mother_maiden_name":"Nani", "is_verification_agreed": true, "is_term_accepted": true}`

func image(t *testing.T, typ string) (string, io.Reader) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	require.NoError(t, w.WriteField("image_type", typ))
	fw, err := w.CreateFormFile("upload", "test.jpg")
	require.NoError(t, err)
	_, err = fw.Write([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return w.FormDataContentType(), &buf
}

func TestSeedExamples(t *testing.T) {
	s := sim.New(sim.Options{OTPSeed: 1})
	const v1 = "/api/partnership/v1"

	status, env, raw := send(t, s, http.MethodPost, v1+"/preregister-check", "application/json", strings.NewReader(`{"nik": "3203020101930001", "email": "example@test.com"}`))
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"success": true, "data": null, "errors": []}`, raw)

	status, env, _ = send(t, s, http.MethodPost, v1+"/customer", "application/json", strings.NewReader(`{"username": "3203020101930001", "pin": "111222", "email": "example@test.com", "latitude": -6.1815657, "longitude": 106.7229445}`))
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, map[string]any{"application_xid": 2235427695.0, "email": "example@test.com", "ktp": "3203020101930001"}, env["data"])
	const app = v1 + "/applications/2235427695"

	for _, typ := range []string{"ktp_self", "selfie"} {
		ct, body := image(t, typ)
		status, _, raw = send(t, s, http.MethodPost, app+"/images", ct, body)
		require.Equal(t, http.StatusOK, status)
		require.JSONEq(t, `{"success": true, "data": "success upload image", "errors": []}`, raw)
	}

	status, _, raw = send(t, s, http.MethodPost, v1+"/application/otp/2235427695", "application/json", strings.NewReader(`{"phone": "085330838909"}`))
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"success": true, "data": null, "errors": []}`, raw)
	otp, ok := s.LastOTP(2235427695)
	require.True(t, ok)

	status, _, raw = send(t, s, http.MethodPost, v1+"/application/otp/validate/2235427695", "application/json", strings.NewReader(`{"otp_token": "`+otp+`"}`))
	require.Equal(t, http.StatusOK, status, raw)

	// The curl example posts to the singular path with strings for dependent and payday.
	status, env, raw = send(t, s, http.MethodPost, v1+"/application/2235427695", "application/json", strings.NewReader(seedCompleteBody))
	require.Equal(t, http.StatusOK, status, raw)
	data := env["data"].(map[string]any)
	require.Equal(t, 2235427695.0, data["application_xid"])
	require.Equal(t, 2.0, data["dependent"])
	require.Equal(t, 24.0, data["payday"])
	require.Equal(t, "3203020101930001", data["ktp"])

	status, _, raw = send(t, s, http.MethodPatch, app, "application/json", strings.NewReader(seedCompleteBody))
	require.Equal(t, http.StatusOK, status, raw)
	snap, _ := s.Application(2235427695)
	require.Equal(t, 2, snap.Completed)
}

func TestFailureEnvelope(t *testing.T) {
	s := sim.New(sim.Options{})
	cases := []struct {
		name, method, path, contentType, body string
		status                                int
		errors                                []any
	}{
		{"malformed JSON", http.MethodPost, "/api/partnership/v1/preregister-check", "application/json", `{"nik":`, 400, nil},
		{"missing fields", http.MethodPost, "/api/partnership/v1/preregister-check", "application/json", `{}`, 400,
			[]any{"nik: This field is required.", "email: This field is required."}},
		{"form data is read too", http.MethodPost, "/api/partnership/v1/preregister-check", "application/x-www-form-urlencoded", "nik=1&email=a%40b.co", 400,
			[]any{"nik: NIK must be 16 digits."}},
		{"unknown application", http.MethodPost, "/api/partnership/v1/application/otp/42", "application/json", `{"phone":"0812345601"}`, 404,
			[]any{"Application not found"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, env, _ := send(t, s, tc.method, tc.path, tc.contentType, strings.NewReader(tc.body))
			require.Equal(t, tc.status, status)
			require.Equal(t, false, env["success"])
			require.Contains(t, env, "data")
			require.Nil(t, env["data"])
			if tc.errors != nil {
				require.Equal(t, tc.errors, env["errors"])
			} else {
				require.NotEmpty(t, env["errors"])
			}
		})
	}

	req := httptest.NewRequest(http.MethodPost, "/api/partnership/v1/preregister-check", strings.NewReader(`{}`))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.JSONEq(t, `{"success": false, "data": null, "errors": ["Invalid partner credentials"]}`, rec.Body.String())
}
