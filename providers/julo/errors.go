package julo

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/loanflow/loanflow/providers"
)

// Error codes this package sets on *providers.Error, besides the shared providers.Code* ones.
const (
	CodeRefused      = "refused"      // 4xx: validation or business refusal; Message joins JULO's errors
	CodeUnauthorized = "unauthorized" // 401/403: secret-key or username refused
	CodeNotFound     = "not_found"    // 404: unknown application_xid or path
	CodeServer       = "server_error" // 5xx
	// ValidateOTP refusals, told apart by JULO's message.
	CodeOTPInvalid          = "otp_invalid"
	CodeOTPExpired          = "otp_expired"
	CodeOTPAttemptsExceeded = "otp_attempts_exceeded"
	CodeOTPNotRequested     = "otp_not_requested"
)

// answerError maps an answer that is not 2xx, taking the message from its envelope's errors.
func answerError(op string, status int, body []byte, write bool) *providers.Error {
	msg := ""
	var env envelope
	if json.Unmarshal(body, &env) == nil {
		msg = strings.Join(env.Errors, "; ")
	}
	return statusError(op, status, msg, write)
}

func statusError(op string, status int, msg string, write bool) *providers.Error {
	if msg == "" {
		msg = http.StatusText(status)
	}
	e := &providers.Error{Provider: Provider, Op: op, Status: status, Message: msg}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Code = CodeUnauthorized
		e.MarkOperator() // our partner credentials: a wrong secret must not reject a customer
	case status == http.StatusNotFound:
		e.Code = CodeNotFound
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		code := ""
		if status >= 500 {
			code = CodeServer
		}
		return providers.StatusError(Provider, op, status, code, msg, write)
	default:
		e.Code = CodeRefused
	}
	return e
}

// juloPersonal are JULO field names holding personal data or secrets that the shared mask list does
// not know (its keys are compared without '_' and '-').
var juloPersonal = map[string]bool{
	"username": true, "pin": true, "otptoken": true, "birthplace": true, "mothermaidenname": true,
	"addressstreetnum": true, "addresskodepos": true, "kodepos": true, "closekinname": true,
	"closekinmobilephone": true, "spousename": true, "spousemobilephone": true, "spousedob": true,
	"kinname": true, "kinmobilephone": true, "kindob": true, "companyphonenumber": true,
	"bankaccountnumber": true, "newmobilephone": true, "latitude": true, "longitude": true,
	"additionalcontact1name": true, "additionalcontact1number": true, "additionalcontact2name": true,
	"additionalcontact2number": true, "credentials": true,
}

// maskJSON masks JULO's own personal fields, then the shared ones.
func maskJSON(body []byte) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil {
		if out, err := json.Marshal(maskJulo(v)); err == nil {
			body = out
		}
	}
	return providers.MaskJSON(body)
}

func maskJulo(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if juloPersonal[strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k))] && val != nil {
				t[k] = "***"
				continue
			}
			t[k] = maskJulo(val)
		}
	case []any:
		for i := range t {
			t[i] = maskJulo(t[i])
		}
	}
	return v
}

func badData(op string, err error) error {
	return providers.BadResponseError(Provider, op, http.StatusOK, err, true)
}
