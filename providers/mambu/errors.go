package mambu

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/loanflow/loanflow/providers"
)

// Return statuses the client acts on (digest §1.6; 148 from Mambu's published code list).
const (
	CodeInvalidCredentials          = "INVALID_CREDENTIALS"
	CodeInvalidParameters           = "INVALID_PARAMETERS"
	CodeInternalError               = "INTERNAL_ERROR"
	CodeExcessiveInvalidRequests    = "EXCESSIVE_INVALID_REQUESTS"
	CodeInvalidLoanAccountID        = "INVALID_LOAN_ACCOUNT_ID"
	CodeInvalidClientID             = "INVALID_CLIENT_ID"
	CodeInvalidProductID            = "INVALID_PRODUCT_ID"
	CodeTransactionIdentifierUsed   = "TRANSACTION_IDENTIFIER_ALREADY_USED"
	CodeInvalidAccountState         = "INVALID_ACCOUNT_STATE"
	CodeAccountHolderConflict       = "account_holder_conflict"
	CodeParamsInconsistentWithRules = "PARAMS_INCONSISTENT_WITH_PRODUCT_RULES"
)

// errorItem is shape A, {"errorCode","errorSource","errorReason"}, also the item of shape B. errorCode
// is a number in the table and a string in the example (L70-96), so it is kept raw.
type errorItem struct {
	ErrorCode   json.RawMessage `json:"errorCode"`
	ErrorSource string          `json:"errorSource"`
	ErrorReason string          `json:"errorReason"`
}

// errorBody holds the three shapes at once; which fields are present says which one arrived.
type errorBody struct {
	errorItem
	Errors []errorItem `json:"errors"`
	// Shape C, ExecutionStatusApiV1 (L46437-46448); returnCode is an int or a string (L25507-25512).
	ReturnCode   json.RawMessage `json:"returnCode"`
	ReturnStatus string          `json:"returnStatus"`
}

// statusError turns a non-2xx answer into a *providers.Error: Code is the status name (returnStatus or
// errorReason), Message the errorSource, or the name and number when there is none.
func statusError(op string, status int, body []byte, write bool) *providers.Error {
	var eb errorBody
	var code, msg string
	if json.Unmarshal(body, &eb) == nil {
		switch {
		case eb.ReturnStatus != "" || len(eb.ReturnCode) > 0:
			code, msg = eb.ReturnStatus, describe(eb.ReturnStatus, eb.ReturnCode, eb.ErrorSource)
		case len(eb.Errors) > 0:
			code = eb.Errors[0].ErrorReason
			parts := make([]string, 0, len(eb.Errors))
			for _, it := range eb.Errors {
				parts = append(parts, describe(it.ErrorReason, it.ErrorCode, it.ErrorSource))
			}
			msg = strings.Join(parts, "; ")
		case eb.ErrorReason != "" || len(eb.ErrorCode) > 0:
			code, msg = eb.ErrorReason, describe(eb.ErrorReason, eb.ErrorCode, eb.ErrorSource)
		}
	}
	if msg == "" {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
	}
	e := providers.StatusError(Provider, op, status, code, msg, write)
	switch code {
	case CodeInvalidCredentials, CodeInvalidProductID, CodeExcessiveInvalidRequests:
		// Our API key, our product key, or our account blocked after too many
		// invalid requests (503 "Account is blocked", L9995-10000): fixed by the
		// operator, never by the customer.
		e.MarkOperator()
	}
	return e
}

func describe(name string, number json.RawMessage, source string) string {
	if source != "" {
		return source
	}
	n := string(bytes.Trim(number, `"`))
	switch {
	case name != "" && n != "":
		return name + " (" + n + ")"
	case name != "":
		return name
	default:
		return n
	}
}

func codeOf(err error) string {
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Provider == Provider {
		return pe.Code
	}
	return ""
}

// IsNotFound reports whether err says the client or loan account does not exist: a 404, or the 400
// INVALID_LOAN_ACCOUNT_ID / INVALID_CLIENT_ID some endpoints answer instead (L9091-9096, L11118-11123).
func IsNotFound(err error) bool {
	if providers.IsNotFound(err) {
		return true
	}
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Provider != Provider || pe.Status != http.StatusBadRequest {
		return false
	}
	return pe.Code == CodeInvalidLoanAccountID || pe.Code == CodeInvalidClientID
}

// IsIdentifierUsed reports whether err is Mambu refusing a transaction whose identifier was already
// posted: the earlier, possibly lost, request did book it.
func IsIdentifierUsed(err error) bool { return codeOf(err) == CodeTransactionIdentifierUsed }
