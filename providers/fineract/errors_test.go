package fineract

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStatusErrorDecodesDocumentedBodies(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		write     bool
		code      string
		message   string
		retryable bool
		ambiguous bool
	}{
		{name: "validation example (L431-461)", status: 400, body: `{
"developerMessage": "The request was invalid. This typically will happen due to validation errors which are provided.",
"developerDocLink": "https://github.com/openMF/mifosx/wiki/HTTP-API-Error-codes",
"httpStatusCode": "400", "defaultUserMessage": "Validation errors exist.",
"userMessageGlobalisationCode": "validation.msg.validation.errors.exist",
"errors": [
{"developerMessage": "The parameter name cannot be blank.", "defaultUserMessage": "The parameter name cannot be blank.",
 "userMessageGlobalisationCode": "validation.msg.office.name.cannot.be.blank", "parameterName": "name", "value": null, "args": []},
{"developerMessage": "The parameter openingDate cannot be blank.", "defaultUserMessage": "The parameter openingDate cannot be blank.",
 "userMessageGlobalisationCode": "validation.msg.office.openingDate.cannot.be.blank", "parameterName": "openingDate", "value": null, "args": []}]}`,
			code:    "validation.msg.validation.errors.exist",
			message: "The parameter name cannot be blank.; The parameter openingDate cannot be blank."},
		{name: "authentication example (L22311-22321)", status: 401, body: `{
"developerMessage": "Invalid authentication details were passed in api request.",
"developerDocLink": "https://github.com/openMF/mifosx/wiki/HTTP-API-Error-codes",
"httpStatusCode": "401", "defaultUserMessage": "Unauthenticated. Please login.",
"userMessageGlobalisationCode": "error.msg.not.authenticated", "errors": []}`,
			code: "error.msg.not.authenticated", message: "Unauthenticated. Please login."},
		{name: "single field names its parameter", status: 400, body: `{"defaultUserMessage":"Validation errors exist.",
"userMessageGlobalisationCode":"validation.msg.validation.errors.exist",
"errors":[{"defaultUserMessage":"must be greater than 0","userMessageGlobalisationCode":"validation.msg.loan.principal.not.greater.than.zero","parameterName":"principal"}]}`,
			code: "validation.msg.loan.principal.not.greater.than.zero", message: "principal: must be greater than 0"},
		{name: "500 on a write", status: 500, write: true, body: `{"defaultUserMessage":"Platform internal server error.","userMessageGlobalisationCode":"error.msg.platform.server.side.error"}`,
			code: "error.msg.platform.server.side.error", message: "Platform internal server error.", retryable: true, ambiguous: true},
		{name: "503 is a refusal to start", status: 503, write: true, body: `<html>busy</html>`,
			message: "<html>busy</html>", retryable: true},
		{name: "429", status: 429, body: ``, message: "Too Many Requests", retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := statusError("Op", tt.status, []byte(tt.body), tt.write)
			require.Equal(t, tt.status, e.Status)
			require.Equal(t, tt.code, e.Code)
			require.Equal(t, tt.message, e.Message)
			require.Equal(t, tt.retryable, e.Retryable)
			require.Equal(t, tt.ambiguous, e.Ambiguous)
		})
	}
}

func TestDateDecodesArraysAndStrings(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{`[2011, 9, 20]`, time.Date(2011, 9, 20, 0, 0, 0, 0, time.UTC), true},
		{`"2013-05-14"`, time.Date(2013, 5, 14, 0, 0, 0, 0, time.UTC), true},
		{`null`, time.Time{}, true},
		{`[2011, 9]`, time.Time{}, false},
		{`"14 May 2013"`, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d Date
			err := json.Unmarshal([]byte(tt.in), &d)
			require.Equal(t, tt.ok, err == nil, "%v", err)
			if tt.ok {
				require.Equal(t, tt.want, d.Time)
			}
		})
	}
}
