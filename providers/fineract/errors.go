package fineract

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/loanflow/loanflow/providers"
)

// CodeUnknownLoanProduct is Fineract's refusal of a loan product id it does not hold: the loanflow
// product names the wrong Fineract product, which the operator fixes.
const CodeUnknownLoanProduct = "error.msg.loanproduct.id.invalid"

// CodeNotFound is set on the 404 a Find* method returns when Fineract lists nothing for the externalId.
const CodeNotFound = "not_found"

// apiError is Fineract's error body (L431-461). httpStatusCode is a string in every example, so it is
// not decoded: the HTTP status line is authoritative.
type apiError struct {
	DeveloperMessage   string       `json:"developerMessage"`
	DefaultUserMessage string       `json:"defaultUserMessage"`
	GlobalisationCode  string       `json:"userMessageGlobalisationCode"`
	Errors             []fieldError `json:"errors"`
}

type fieldError struct {
	DefaultUserMessage string `json:"defaultUserMessage"`
	DeveloperMessage   string `json:"developerMessage"`
	GlobalisationCode  string `json:"userMessageGlobalisationCode"`
	ParameterName      string `json:"parameterName"`
}

// statusError turns a non-2xx answer into a *providers.Error carrying Fineract's code and messages.
func statusError(op string, status int, body []byte, write bool) *providers.Error {
	var ae apiError
	if json.Unmarshal(body, &ae) != nil {
		ae = apiError{}
	}
	// The per-entry messages are the specific ones; the top level is then a generic envelope text
	// ("Validation errors exist.", "Errors contain reason for domain rule violation.").
	var details []string
	for _, fe := range ae.Errors {
		m := fe.DefaultUserMessage
		if m == "" {
			m = fe.DeveloperMessage
		}
		if m == "" {
			continue
		}
		if fe.ParameterName != "" && fe.ParameterName != "id" && !strings.Contains(m, fe.ParameterName) {
			m = fe.ParameterName + ": " + m
		}
		details = append(details, m)
	}
	msg := strings.Join(details, "; ")
	if msg == "" {
		msg = ae.DefaultUserMessage
	}
	if msg == "" {
		msg = ae.DeveloperMessage
	}
	if msg == "" {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
	}
	code := ae.GlobalisationCode
	if len(ae.Errors) == 1 && ae.Errors[0].GlobalisationCode != "" {
		code = ae.Errors[0].GlobalisationCode
	}
	e := providers.StatusError(Provider, op, status, code, msg, write)
	if code == CodeUnknownLoanProduct {
		e.MarkOperator()
	}
	return e
}

// notFound is the answer of a Find* that listed nothing: a 404, so providers.IsNotFound holds.
func notFound(op, msg string) *providers.Error {
	return &providers.Error{Provider: Provider, Op: op, Status: http.StatusNotFound, Code: CodeNotFound, Message: msg}
}

// IsDuplicate reports whether err is Fineract refusing a second resource with an externalId already in
// use (error.msg.loan.duplicate.externalId, error.msg.client.duplicate.externalId, …): the earlier,
// possibly lost, request did create it.
func IsDuplicate(err error) bool {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Provider != Provider {
		return false
	}
	return strings.Contains(pe.Code, ".duplicate.")
}
