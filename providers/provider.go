package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Error is a failed provider call. Status is the HTTP status, 0 when no answer arrived. Code is the
// provider's own error code (Fineract's userMessageGlobalisationCode, Mambu's returnStatus, …) or one
// the client package defines; Message is the provider's human-readable text, safe to show on the loan.
//
// Retryable means trying the same call again may succeed (5xx, timeouts, connection failures).
// Ambiguous means the request may have been committed although no success was seen (a timeout or a
// dropped connection after the request was written, a 5xx other than 503 on a write): before creating
// again the caller must look the resource up by the external id it sent.
type Error struct {
	Provider  string
	Op        string
	Status    int
	Code      string
	Message   string
	Retryable bool
	Ambiguous bool
	// Operator means the provider refused our credentials or a setting of ours (a 401 or 403, an
	// unknown product): the operator has to fix it, not the customer, so the call is also Retryable,
	// to be tried again with back-off until the configuration is right.
	Operator bool
	// Err is the underlying cause of a transport failure, for errors.Is/As (context.DeadlineExceeded, …).
	Err error
}

// ErrNotFound matches, through errors.Is, every *Error with status 404.
var ErrNotFound = errors.New("provider: not found")

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider)
	if e.Op != "" {
		b.WriteString(" ")
		b.WriteString(e.Op)
	}
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d ", e.Status)
	}
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	switch {
	case e.Ambiguous:
		b.WriteString(" (may have been committed)")
	case e.Retryable:
		b.WriteString(" (retryable)")
	}
	return b.String()
}

// Unwrap returns the transport cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) true for a 404.
func (e *Error) Is(target error) bool {
	return target == ErrNotFound && e.Status == http.StatusNotFound
}

// AsError returns the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var pe *Error
	ok := errors.As(err, &pe)
	return pe, ok
}

// IsRetryable reports whether err is a provider failure worth retrying. Errors that are not *Error
// (a bug, a cancelled context before sending) are not.
func IsRetryable(err error) bool {
	pe, ok := AsError(err)
	return ok && pe.Retryable
}

// MarkOperator classifies e as the operator's to fix (see Error.Operator); a client package calls it
// for the provider codes that name a setting of ours, such as an unknown product.
func (e *Error) MarkOperator() { e.Operator, e.Retryable, e.Ambiguous = true, true, false }

// IsOperator reports whether err is a provider refusing our credentials or configuration.
func IsOperator(err error) bool {
	pe, ok := AsError(err)
	return ok && pe.Operator
}

// IsAmbiguous reports whether err leaves open whether the provider committed the request.
func IsAmbiguous(err error) bool {
	pe, ok := AsError(err)
	return ok && pe.Ambiguous
}

// IsNotFound reports whether err is a provider's 404 (or a look-up that found nothing).
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// StatusError classifies an HTTP answer that is not a success. write is true for a request that changes
// the provider's state. 408 and 429 mean the request was not processed, so they are retryable and never
// ambiguous; 503 is a refusal to start; any other 5xx may come after the work was done. A 401 is the
// operator's (see Error.Operator).
func StatusError(provider, op string, status int, code, message string, write bool) *Error {
	if message == "" {
		message = http.StatusText(status)
	}
	e := &Error{Provider: provider, Op: op, Status: status, Code: code, Message: message}
	switch {
	case status == http.StatusUnauthorized: // a 403 is a business refusal at some providers (Fineract's domain rules)
		e.MarkOperator()
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests:
		e.Retryable = true
	case status >= 500:
		e.Retryable = true
		e.Ambiguous = write && status != http.StatusServiceUnavailable
	}
	return e
}

// Transport codes for failures without an HTTP answer.
const (
	CodeTimeout     = "timeout"
	CodeConnection  = "connection"
	CodeCanceled    = "canceled"
	CodeBadResponse = "bad_response"
)

// TransportError classifies a failure with no usable HTTP answer. sent is true once the whole request
// was written to the connection (see Caller.Do); after that a write may have been committed. A cancelled
// context is not retryable (the caller gave up), but it can still be ambiguous.
func TransportError(provider, op string, err error, sent, write bool) *Error {
	e := &Error{Provider: provider, Op: op, Err: err, Message: err.Error(), Ambiguous: sent && write}
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		e.Code = CodeCanceled
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		e.Code, e.Retryable = CodeTimeout, true
	default:
		e.Code, e.Retryable = CodeConnection, true
	}
	return e
}

// BadResponseError is a 2xx whose body could not be read or decoded: the request took effect, the
// answer is lost, so for a write it is ambiguous and worth a look-up.
func BadResponseError(provider, op string, status int, err error, write bool) *Error {
	return &Error{Provider: provider, Op: op, Status: status, Code: CodeBadResponse, Message: err.Error(),
		Retryable: true, Ambiguous: write, Err: err}
}

// personalKeys are JSON keys whose values are personal data, compared case-insensitively with '_' and
// '-' removed. Amounts, dates of transactions, ids and states stay readable in logs.
var personalKeys = map[string]bool{
	"firstname": true, "lastname": true, "middlename": true, "fullname": true, "displayname": true,
	"name": true, "clientname": true, "mobileno": true, "mobilephone": true, "mobilephone1": true,
	"mobilephone2": true, "homephone": true, "phone": true, "phonenumber": true, "email": true,
	"emailaddress": true, "birthdate": true, "dateofbirth": true, "dob": true, "address": true,
	"addresses": true, "line1": true, "line2": true, "city": true, "postcode": true, "idnumber": true,
	"documentid": true, "iddocuments": true, "personalcode": true, "nationalid": true, "nik": true,
	"ktp": true, "iban": true, "accountnumber": true, "password": true, "secret": true, "apikey": true,
	"token": true, "otp": true,
}

// MaskJSON returns body with the value of every personal-data key replaced by "***", at any depth, so
// a request or response can be logged. A body that is not JSON is replaced by its length, since it
// cannot be inspected.
func MaskJSON(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Sprintf("<%d bytes, not JSON>", len(body))
	}
	out, err := json.Marshal(mask(v))
	if err != nil {
		return fmt.Sprintf("<%d bytes>", len(body))
	}
	return string(out)
}

func mask(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			norm := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k))
			if personalKeys[norm] && val != nil {
				t[k] = "***"
				continue
			}
			t[k] = mask(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = mask(t[i])
		}
		return t
	default:
		return v
	}
}
