package fineract

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers/providertest"
)

func TestStatusErrorDecodesDocumentedBodies(t *testing.T) {
	providertest.RequireStatusErrors(t, statusError, []providertest.StatusCase{
		{Name: "validation example (L431-461)", Body: `{
"developerMessage": "The request was invalid. This typically will happen due to validation errors which are provided.",
"developerDocLink": "https://github.com/openMF/mifosx/wiki/HTTP-API-Error-codes",
"httpStatusCode": "400", "defaultUserMessage": "Validation errors exist.",
"userMessageGlobalisationCode": "validation.msg.validation.errors.exist",
"errors": [
{"developerMessage": "The parameter name cannot be blank.", "defaultUserMessage": "The parameter name cannot be blank.",
 "userMessageGlobalisationCode": "validation.msg.office.name.cannot.be.blank", "parameterName": "name", "value": null, "args": []},
{"developerMessage": "The parameter openingDate cannot be blank.", "defaultUserMessage": "The parameter openingDate cannot be blank.",
 "userMessageGlobalisationCode": "validation.msg.office.openingDate.cannot.be.blank", "parameterName": "openingDate", "value": null, "args": []}]}`,
			Want: providertest.Failure{Status: 400, Code: "validation.msg.validation.errors.exist"}, Message: "The parameter name cannot be blank.; The parameter openingDate cannot be blank."},
		{Name: "authentication example (L22311-22321)", Body: `{
"developerMessage": "Invalid authentication details were passed in api request.",
"developerDocLink": "https://github.com/openMF/mifosx/wiki/HTTP-API-Error-codes",
"httpStatusCode": "401", "defaultUserMessage": "Unauthenticated. Please login.",
"userMessageGlobalisationCode": "error.msg.not.authenticated", "errors": []}`,
			Want: providertest.Failure{Status: 401, Code: "error.msg.not.authenticated", Retryable: true, Operator: true}, Message: "Unauthenticated. Please login."},
		{Name: "an unknown loan product is the operator's", Body: `{"developerMessage":"Loan product with identifier 7 does not exist","defaultUserMessage":"Loan product with identifier 7 does not exist",
"userMessageGlobalisationCode":"error.msg.loanproduct.id.invalid","errors":[]}`,
			Want: providertest.Failure{Status: 404, Code: "error.msg.loanproduct.id.invalid", Retryable: true, Operator: true}, Message: "Loan product with identifier 7 does not exist"},
		{Name: "a domain rule's 403 is a refusal", Body: `{"defaultUserMessage":"Errors contain reason for domain rule violation.","userMessageGlobalisationCode":"validation.msg.domain.rule.violation",
"errors":[{"defaultUserMessage":"Loan Repayment is not allowed. Loan Account is not active.","userMessageGlobalisationCode":"error.msg.loan.transaction.cannot.be.made.loan.not.active"}]}`,
			Want: providertest.Failure{Status: 403, Code: "error.msg.loan.transaction.cannot.be.made.loan.not.active"}, Message: "Loan Repayment is not allowed. Loan Account is not active."},
		{Name: "single field names its parameter", Body: `{"defaultUserMessage":"Validation errors exist.",
"userMessageGlobalisationCode":"validation.msg.validation.errors.exist",
"errors":[{"defaultUserMessage":"must be greater than 0","userMessageGlobalisationCode":"validation.msg.loan.principal.not.greater.than.zero","parameterName":"principal"}]}`,
			Want: providertest.Failure{Status: 400, Code: "validation.msg.loan.principal.not.greater.than.zero"}, Message: "principal: must be greater than 0"},
		{Name: "500 on a write", Write: true, Body: `{"defaultUserMessage":"Platform internal server error.","userMessageGlobalisationCode":"error.msg.platform.server.side.error"}`,
			Want: providertest.Failure{Status: 500, Code: "error.msg.platform.server.side.error", Retryable: true, Ambiguous: true}, Message: "Platform internal server error."},
		{Name: "503 is a refusal to start", Write: true, Body: `<html>busy</html>`,
			Want: providertest.Failure{Status: 503, Retryable: true}, Message: "<html>busy</html>"},
		{Name: "429", Body: ``,
			Want: providertest.Failure{Status: 429, Retryable: true}, Message: "Too Many Requests"},
	})
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
